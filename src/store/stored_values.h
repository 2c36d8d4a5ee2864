// How both stores write and read values the schema keeps as text or NULL:
// a typed column's wire name, a person's roles, and the "none" values bound
// as NULL. Not part of the public contract.
#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace rapporteur {

// A typed column's value; the schema's CHECK keeps any other name out, so
// one that does not parse is a damaged file, and the read fails.
// `column` is "table.column", as the message names it.
template <typename E>
E stored(const std::optional<E>& value, const char* column) {
  if (!value) throw std::runtime_error(std::string(column) + " holds an unknown value");
  return *value;
}

// The stores' "none" values, bound as NULL: a number that is not positive (an
// id or a time never set), an empty text.
inline std::optional<int64_t> or_null(int64_t id) { return id > 0 ? std::optional<int64_t>(id) : std::nullopt; }
inline std::optional<std::string> or_null(const std::string& text) {
  return text.empty() ? std::optional<std::string>() : std::optional<std::string>(text);
}

// A person's roles as stored: comma-separated names.
inline std::string join_roles(const std::vector<std::string>& roles) {
  std::string out;
  for (const auto& r : roles) {
    if (!out.empty()) out += ',';
    out += r;
  }
  return out;
}

inline std::vector<std::string> split_roles(const std::string& s) {
  std::vector<std::string> out;
  size_t at = 0;
  while (at <= s.size()) {
    const size_t end = std::min(s.find(',', at), s.size());
    if (end > at) out.push_back(s.substr(at, end - at));
    at = end + 1;
  }
  return out;
}

}  // namespace rapporteur
