// Numbered schema migrations, compiled in from schema/NNNN_name.sql.
#pragma once

#include <string>
#include <vector>

namespace SQLite {
class Database;
}

namespace rapporteur {

struct Migration {
  int number;
  const char* name;
  const char* sql;
};

// All migrations in ascending number order (generated source).
const std::vector<Migration>& migrations();

// The highest migration number this binary knows.
int latest_schema_version();

// Applies every migration above the database's `PRAGMA user_version`, each in
// its own IMMEDIATE transaction that also bumps user_version. Throws
// std::runtime_error naming the problem when the database comes from a newer
// binary (user_version above latest_schema_version()) or a migration fails.
void migrate(SQLite::Database& db);

}  // namespace rapporteur
