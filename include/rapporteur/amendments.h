// Amendments to a draft: proposed by participants, admitted or ruled out by
// the president, adopted or rejected by a poll. Write operations run inside a
// write job and append their event.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "rapporteur/store.h"
#include "rapporteur/amendment.h"
#include "rapporteur/person.h"
#include "rapporteur/session.h"

namespace rapporteur {

inline constexpr size_t kMaxAmendmentText = 16 * 1024;
inline constexpr size_t kMaxRationale = 4000;

// Validates {draft, target, kind, text, rationale}.
Result<Amendment> parse_amendment(const nlohmann::json& j);

// amending phase only; the target must be a paragraph of the named draft and,
// when that draft is not the current one, unchanged since.
Result<Amendment> propose_amendment(Tx& tx, const Session& session, const Person& proposer, Amendment a, int64_t now);
// Only its proposer, while proposed or admitted.
Result<Amendment> withdraw_amendment(Tx& tx, const Session& session, int64_t id, const Person& person, int64_t now);
// "admit" or "rule_out", while proposed.
Result<Amendment> decide_amendment(Tx& tx, const Session& session, int64_t id, const std::string& decision,
                                   const std::string& reason, int64_t now, const std::string& actor);

Result<Amendment> load_amendment(Snapshot& snap, const std::string& session, int64_t id);
std::vector<Amendment> list_amendments(Snapshot& snap, const std::string& session);

// Pending means it can still be voted on: proposed, admitted or voting.
bool is_pending(AmendmentStatus status);

// Marks every pending amendment to `target`, but `except`, outdated.
void outdate_amendments(Tx& tx, const std::string& session, const std::string& target, int64_t except, int64_t now);

// {id, draft, target, kind, text, original, rationale, proposer, status,
//  reason, conflicts_with} (+ "diff" of the target when with_diff).
nlohmann::json amendment_to_json(const Amendment& a, const std::vector<Amendment>& all, bool with_diff);

}  // namespace rapporteur
