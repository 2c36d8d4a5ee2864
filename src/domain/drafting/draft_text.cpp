#include "domain/drafting/draft_text.h"

#include <algorithm>

namespace rapporteur::draft_text {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

std::string collapse_whitespace(std::string_view s) {
  std::string out;
  bool pending = false;
  for (char c : s) {
    if (is_space(c)) {
      pending = !out.empty();
      continue;
    }
    if (pending) out += ' ';
    pending = false;
    out += c;
  }
  return out;
}

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

std::string escape_inline(std::string_view text) {
  // Letters and digits only (an R number, most breakout ids): nothing to
  // collapse or escape.
  if (!text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
      })) {
    return std::string(text);
  }
  const std::string line = collapse_whitespace(text);
  std::string out;
  for (size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    static constexpr std::string_view kSpecial = "\\`*_[]<>&#~|";
    bool escape = kSpecial.find(c) != std::string_view::npos;
    if (i == 0 && (c == '-' || c == '+' || c == '=' || c == '>')) escape = true;
    if ((c == '.' || c == ')') && i > 0 && i <= 9 &&
        std::all_of(line.begin(), line.begin() + static_cast<std::ptrdiff_t>(i),
                    [](char d) { return d >= '0' && d <= '9'; })) {
      escape = true;  // "2022. ..." would start an ordered list
    }
    if (escape) out += '\\';
    out += c;
  }
  return out;
}

}  // namespace rapporteur::draft_text
