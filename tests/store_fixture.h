// The store the tests run on. Store tests reach it only through the storage
// contract (rapporteur/store.h), so every implementation of that contract
// is tested by the same cases.
#pragma once

#include <catch2/catch.hpp>

#include <memory>
#include <string>

#include "rapporteur/store.h"

namespace rapporteur::testing {

inline std::unique_ptr<Store> open_test_store(const std::string& path) {
  StoreOptions o;
  o.path = path;
  auto store = open_store(o);
  REQUIRE(store.ok());
  return std::move(*store);
}

}  // namespace rapporteur::testing
