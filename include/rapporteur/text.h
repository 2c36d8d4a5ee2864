// Small text utilities shared by every layer. Pure functions, thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace rapporteur {

// True when `s` is well-formed UTF-8 (no overlongs, no surrogates, <= U+10FFFF).
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
