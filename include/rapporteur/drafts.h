// Drafts of the conclusions document: merged from the fragments, edited by
// the secretariat, amended by adopted amendments, frozen at adoption.
// Write operations run inside a write job and append their event.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "rapporteur/store.h"
#include "rapporteur/draft.h"
#include "rapporteur/draft_merge.h"
#include "rapporteur/session.h"

namespace rapporteur {

// A draft as the domain uses it: its header and its parsed document.
struct DraftRecord : DraftHeader {
  Document doc;
  std::string markdown;
  std::vector<Duplicate> duplicates;
};

// The next draft, merged from the latest version of every fragment; pids are
// carried over from the current draft where the text lives on.
Result<DraftRecord> create_merged_draft(Tx& tx, const Session& session, int64_t now, const std::string& actor);

// An editorial draft from draft `base` (drafting phase only).
Result<DraftRecord> create_edited_draft(Tx& tx, const Session& session, int base, const std::vector<Edit>& edits,
                                        int64_t now, const std::string& actor);

// The next draft with an adopted amendment's edit applied to the current one.
Result<DraftRecord> create_amended_draft(Tx& tx, const Session& session, int64_t amendment, const Edit& edit,
                                         int64_t now, const std::string& actor);

// `which` is a number, "current" or "final". not_found naming it otherwise.
Result<DraftRecord> load_draft(Snapshot& snap, const std::string& session, const std::string& which);
// Summaries (no document).
Result<std::vector<DraftRecord>> list_drafts(Snapshot& snap, const std::string& session);
// The current draft number, 0 when none.
int current_draft_number(Snapshot& snap, const std::string& session);

// Validates an "edits" array: [{"replace": pid, "text"}, {"insert_after": pid, "text"}, {"delete": pid}].
Result<std::vector<Edit>> parse_edits(const nlohmann::json& edits);

// {n, created_at, created_by, kind, reason, base, sha256, final} (+ the
// document fields when `full`: markdown, html, paragraphs, duplicates).
nlohmann::json draft_to_json(const DraftRecord& d, const Session& session, bool full);

nlohmann::json paragraph_to_json(const Paragraph& p);
Paragraph paragraph_from_json(const nlohmann::json& j);

}  // namespace rapporteur
