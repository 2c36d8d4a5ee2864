// Reading a typed column back from its wire name. Not part of the public
// contract.
#pragma once

#include <optional>
#include <stdexcept>
#include <string>

namespace rapporteur::sqlite {

// A typed column's value; the schema's CHECK keeps any other name out, so
// one that does not parse is a damaged file, and the read fails.
// `column` is "table.column", as the message names it.
template <typename E>
E stored(const std::optional<E>& value, const char* column) {
  if (!value) throw std::runtime_error(std::string(column) + " holds an unknown value");
  return *value;
}

}  // namespace rapporteur::sqlite
