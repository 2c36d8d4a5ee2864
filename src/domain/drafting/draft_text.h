// Text helpers shared by the merge (draft_merge.cpp), paragraph ids
// (draft_pids.cpp), edits (draft_edits.cpp) and the document's Markdown and
// HTML output (document_output.cpp). Not part of the public contract.
#pragma once

#include <string>
#include <string_view>

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

}  // namespace rapporteur::draft_text
