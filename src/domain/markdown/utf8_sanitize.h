// The input side of Markdown rendering: sanitize_utf8 (rapporteur/markdown.h)
// and its fast check. Not part of the public contract.
#pragma once

#include <string_view>

namespace rapporteur {

// Whether sanitize_utf8 leaves `s` as it is: valid UTF-8, no NUL byte, no
// leading BOM.
bool already_sanitized(std::string_view s);

}  // namespace rapporteur
