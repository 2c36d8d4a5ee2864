// Text helpers shared by the merge (draft_merge.cpp), paragraph ids
// (draft_pids.cpp), edits (draft_edits.cpp) and the document's Markdown and
// HTML output (document_output.cpp). Not part of the public contract.
#pragma once

#include <string>
#include <string_view>

#include "rapporteur/draft.h"
#include "rapporteur/markdown.h"

namespace rapporteur::draft_text {

inline constexpr std::string_view kPreamble = "preamble";
inline constexpr std::string_view kConclusions = "conclusions";
inline constexpr std::string_view kRecommendations = "recommendations";

bool is_space(char c);

// Runs of whitespace become one space; ends trimmed.
std::string collapse_whitespace(std::string_view s);

bool ends_with(std::string_view s, std::string_view suffix);

// `text` on one line, escaped so that it renders as itself inside a paragraph
// or an ATX heading.
std::string escape_inline(std::string_view text);

// The kind of paragraph a Markdown block makes: the block's own kind, as the
// two tables share those names (list_item and lead_in are never a block's;
// the merge and the edits decide them).
inline ParagraphKind block_paragraph_kind(const MarkdownBlock& b) {
  return parse_paragraph_kind(b.kind).value_or(ParagraphKind::paragraph);
}

}  // namespace rapporteur::draft_text
