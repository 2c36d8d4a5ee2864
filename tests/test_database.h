// The database a test runs on. By default a SQLite file; in the PostgreSQL
// run of the suite (CTest sets RAPPORTEUR_TEST_PG_DIR to the folder of the
// throwaway server that tests/pg/server.sh started), a fresh database of its
// own on that server, dropped when the test process ends. The same test
// cases therefore run on both backends.
//
// The row helpers read the database directly, as a check that what the
// server answered is what it stored; their SQL must be portable (plain
// SELECT COUNT(*) ... WHERE ...).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <vector>
#include <string>

#include "rapporteur/store.h"

namespace rapporteur::testing {

// Whether this process runs the suite on PostgreSQL.
bool on_postgres();

class TestDatabase {
 public:
  // `sqlite_path`: the file used on SQLite. On PostgreSQL, creates the
  // database; when the server could not be started (not installed), the
  // test is skipped (exit 77 under CTest), naming the package.
  explicit TestDatabase(const std::string& sqlite_path);

  const StoreOptions& options() const { return options_; }
  // The value of --db for the command line.
  std::string db_flag() const { return options_.url.empty() ? options_.path : options_.url; }

  // The result of a query returning one integer.
  int64_t count(const std::string& sql) const;
  // The rows of a query, each value as text (NULL: empty optional).
  std::vector<std::vector<std::optional<std::string>>> rows(const std::string& sql) const;
  // The one text value a query returns.
  std::string text(const std::string& sql) const;
  // Runs a statement; throws when the database refuses it.
  void exec(const std::string& sql) const;
  // The column names of `table`, in order.
  std::vector<std::string> columns(const std::string& table) const;
  // The SQL expression for the number or text member `member` of the JSON
  // text in `column`.
  std::string json_member(const std::string& column, const std::string& member) const;
  // Rows per table, for every table of the schema.
  std::map<std::string, int64_t> row_counts() const;
  // Every row of every table as text, ordered: equal before and after means
  // nothing was written.
  std::string content() const;

 private:
  StoreOptions options_;
};

}  // namespace rapporteur::testing
