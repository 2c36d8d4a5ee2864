// Paragraph- and word-level diff between two drafts of the conclusions
// document. Pure functions, thread-safe.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "rapporteur/diff.h"
#include "rapporteur/draft.h"

namespace rapporteur {

struct ParagraphChange {
  std::string pid;
  std::string op;           // "equal", "changed", "inserted" or "deleted"
  std::string section;      // the paragraph's section in `to` (in `from` when deleted)
  std::string number_from;  // "R3" when it was a numbered recommendation in `from`, else empty
  std::string number_to;    // likewise in `to`
  std::vector<Hunk> hunks;  // word-level diff of the Markdown, from -> to
};

// Matches paragraphs by pid (the first paragraph with a pid wins if a
// document repeats one). The result follows the order of `to`; a deleted
// paragraph comes right after the nearest paragraph before it in `from`
// that survives into `to` (at the start when there is none), ahead of
// anything inserted there. `op` reflects the Markdown only: a paragraph that
// was merely renumbered or moved to another section is "equal", with
// number_from != number_to or a new section. Hunks: one equal hunk for
// "equal", diff_words for "changed", the whole text as one insert or delete
// hunk for "inserted" and "deleted" (no hunk for empty Markdown).
std::vector<ParagraphChange> diff_documents(const Document& from, const Document& to);

// [{"pid", "op", "section", "number_from", "number_to", "hunks", "html"}],
// numbers null when empty, hunks as hunks_to_json, html as diff_html.
nlohmann::json document_diff_to_json(const std::vector<ParagraphChange>& changes);

}  // namespace rapporteur
