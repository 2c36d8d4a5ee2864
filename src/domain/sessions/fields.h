// Typed access to request JSON with messages naming the field and the rule.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

#include "rapporteur/status.h"

namespace rapporteur::fields {

// A required string of 1..max_chars code points, valid UTF-8, no NUL.
Result<std::string> required_string(const nlohmann::json& obj, const std::string& field, size_t max_chars,
                                    const std::string& path = "");
// Like required_string, but absent or null gives `fallback`; empty allowed when allow_empty.
Result<std::string> optional_string(const nlohmann::json& obj, const std::string& field, size_t max_chars,
                                    const std::string& fallback = "", const std::string& path = "",
                                    bool allow_empty = true);
// A required integer within [min, max].
Result<int64_t> required_int(const nlohmann::json& obj, const std::string& field, int64_t min, int64_t max,
                             const std::string& path = "");
Result<std::optional<int64_t>> optional_int(const nlohmann::json& obj, const std::string& field, int64_t min,
                                            int64_t max, const std::string& path = "");
Result<bool> optional_bool(const nlohmann::json& obj, const std::string& field, bool fallback,
                           const std::string& path = "");

// Checks a text value: valid UTF-8, no NUL, at most max_chars code points.
Status check_text(const std::string& value, const std::string& field, size_t max_chars, bool allow_empty);

// Rejects members not in `allowed` (a typo must not be silently ignored).
Status only_members(const nlohmann::json& obj, std::initializer_list<const char*> allowed, const std::string& path = "");

// Requires `j` to be an object.
Status require_object(const nlohmann::json& j, const std::string& what);

}  // namespace rapporteur::fields
