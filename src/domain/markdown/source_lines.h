// A Markdown text's lines as cmark numbers them, and the slices of them that
// the block splitter (markdown_blocks.cpp) takes as a block's own source. Not
// part of the public contract.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace rapporteur {

// The lines of a text as cmark numbers them (\n, \r\n and \r end a line).
class Lines {
 public:
  explicit Lines(std::string_view text);

  // 1-based; out-of-range lines are empty.
  std::string_view line(int n) const {
    if (n < 1 || static_cast<size_t>(n) > lines_.size()) return {};
    return lines_[static_cast<size_t>(n) - 1];
  }

 private:
  std::vector<std::string_view> lines_;
};

// Visual width of `prefix` (tabs stop every 4 columns, as in CommonMark).
int visual_width(std::string_view prefix);

// Whether `line` holds only spaces and tabs.
bool blank(std::string_view line);

// Lines first..last; the first starts at byte column `first_col` (1-based),
// the others lose `indent` columns of leading blanks. Trailing blank lines and
// trailing blanks are trimmed.
std::string slice(const Lines& lines, int first, int first_col, int last, int indent);

}  // namespace rapporteur
