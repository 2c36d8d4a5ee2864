#include "domain/markdown/source_lines.h"

#include <algorithm>

namespace rapporteur {
namespace {

// Appends `line` without up to `width` columns of leading blanks; a tab that
// straddles the limit leaves its remaining columns as spaces.
void append_dedented(std::string& out, std::string_view line, int width) {
  int col = 0;
  size_t i = 0;
  while (i < line.size() && col < width) {
    if (line[i] == ' ') {
      ++col;
    } else if (line[i] == '\t') {
      const int next = (col / 4 + 1) * 4;
      if (next > width) {
        out.append(static_cast<size_t>(next - width), ' ');
        out += line.substr(i + 1);
        return;
      }
      col = next;
    } else {
      break;
    }
    ++i;
  }
  out += line.substr(i);
}

}  // namespace

Lines::Lines(std::string_view text) {
  lines_.reserve(text.size() / 32 + 1);
  if (text.find('\r') == std::string_view::npos) {
    // The usual case: "\n" alone ends lines, found with memchr.
    size_t start = 0;
    for (size_t end; (end = text.find('\n', start)) != std::string_view::npos; start = end + 1) {
      lines_.push_back(text.substr(start, end - start));
    }
    lines_.push_back(text.substr(start));
    return;
  }
  size_t start = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n' || text[i] == '\r') {
      lines_.push_back(text.substr(start, i - start));
      if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      start = i + 1;
    }
  }
  lines_.push_back(text.substr(start));
}

int visual_width(std::string_view prefix) {
  int col = 0;
  for (char c : prefix) col = (c == '\t') ? (col / 4 + 1) * 4 : col + 1;
  return col;
}

bool blank(std::string_view line) {
  return std::all_of(line.begin(), line.end(), [](char c) { return c == ' ' || c == '\t'; });
}

std::string slice(const Lines& lines, int first, int first_col, int last, int indent) {
  std::string text;
  size_t keep = 0;  // the end of the last line that is not blank
  for (int n = first; n <= last; ++n) {
    std::string_view l = lines.line(n);
    if (n != first) text += '\n';
    const size_t start = text.size();
    if (n == first) {
      const size_t skip = std::min(l.size(), static_cast<size_t>(std::max(first_col - 1, 0)));
      text += l.substr(skip);
    } else {
      append_dedented(text, l, indent);
    }
    if (!blank(std::string_view(text).substr(start))) keep = text.size();
  }
  text.resize(keep);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.pop_back();
  return text;
}

}  // namespace rapporteur
