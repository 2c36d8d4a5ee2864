// Small text utilities shared by every layer. Pure functions, thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace rapporteur {

// What decode_utf8 reports for bytes that do not start a well-formed sequence.
inline constexpr char32_t kInvalidCodePoint = 0x110000;

// One UTF-8 sequence read at the start of some text.
struct DecodedChar {
  char32_t code_point;  // kInvalidCodePoint when the bytes are not well-formed
  size_t length;        // bytes read: the whole sequence, or 1 when invalid
};

// The project's one UTF-8 decoder. Decodes the sequence starting at byte
// `pos` of `s` (pos < s.size()). Strict, as RFC 3629 requires: overlong
// forms, surrogates (U+D800..U+DFFF), code points above U+10FFFF, truncated
// sequences and stray continuation bytes are all invalid. An invalid
// sequence always has length 1, so a caller that steps by `length` visits
// every byte of a bad sequence and resynchronises at the next good one.
DecodedChar decode_utf8(std::string_view s, size_t pos);

// True when `s` is well-formed UTF-8 (decode_utf8 finds no invalid sequence).
bool valid_utf8(std::string_view s);

// Number of code points in valid UTF-8 text.
size_t utf8_length(std::string_view s);

// Escapes &, <, >, " and ' for HTML text and attribute values.
std::string html_escape(std::string_view s);

// Trims ASCII whitespace from both ends.
std::string_view trim(std::string_view s);

// True when `s` is a slug: [a-z0-9-]{1,64}.
bool is_slug(std::string_view s);

}  // namespace rapporteur
