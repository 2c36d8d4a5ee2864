#include "domain/markdown/utf8_sanitize.h"

#include "rapporteur/markdown.h"
#include "rapporteur/text.h"

namespace rapporteur {

bool already_sanitized(std::string_view s) {
  return s.substr(0, 3) != "\xEF\xBB\xBF" && s.find('\0') == std::string_view::npos && valid_utf8(s);
}

std::string sanitize_utf8(std::string_view s) {
  // The usual case, valid text: a plain copy (what the loop below would build).
  if (already_sanitized(s)) return std::string(s);
  if (s.substr(0, 3) == "\xEF\xBB\xBF") s.remove_prefix(3);
  std::string out;
  out.reserve(s.size());
  static constexpr std::string_view kReplacement = "\xEF\xBF\xBD";
  size_t i = 0;
  while (i < s.size()) {
    const DecodedChar c = decode_utf8(s, i);
    if (c.code_point == 0 || c.code_point == kInvalidCodePoint) {
      out += kReplacement;  // one per byte of an invalid sequence
    } else {
      out += s.substr(i, c.length);
    }
    i += c.length;
  }
  return out;
}

}  // namespace rapporteur
