// The store the tests run on. Store tests reach it only through the storage
// contract (rapporteur/store.h), so every implementation of that contract
// is tested by the same cases.
#pragma once

#include <catch2/catch.hpp>

#include <memory>
#include <string>
#include <vector>

#include "rapporteur/store.h"
#include "test_database.h"

namespace rapporteur::testing {

// A store on `db` (a second store on a database already in use, say).
inline std::unique_ptr<Store> open_test_store(const TestDatabase& db) {
  auto store = open_store(db.options());
  REQUIRE(store.ok());
  return std::move(*store);
}

// A store on a new database: the SQLite file `path`, or on PostgreSQL a
// database of its own (tests/test_database.h). The database outlives the
// store, for as long as the test process runs.
inline std::unique_ptr<Store> open_test_store(const std::string& path) {
  static std::vector<std::unique_ptr<TestDatabase>> databases;
  databases.push_back(std::make_unique<TestDatabase>(path));
  return open_test_store(*databases.back());
}

}  // namespace rapporteur::testing
