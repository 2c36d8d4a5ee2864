// Typed states and the names they carry on the wire (JSON, the database, the
// event log): one table per enum, read both ways. Parsing is exact
// (case-sensitive); an unknown name gives std::nullopt.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

namespace rapporteur {

template <typename E>
struct WireName {
  E value;
  const char* name;
};

template <typename E, size_t N>
const char* wire_name_in(const WireName<E> (&table)[N], E value) {
  for (const auto& entry : table) {
    if (entry.value == value) return entry.name;
  }
  return "";  // unreachable for a complete table
}

template <typename E, size_t N>
std::optional<E> parse_wire_in(const WireName<E> (&table)[N], std::string_view name) {
  for (const auto& entry : table) {
    if (name == entry.name) return entry.value;
  }
  return std::nullopt;
}

}  // namespace rapporteur
