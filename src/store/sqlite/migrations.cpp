#include "store/sqlite/migrations.h"

#include <SQLiteCpp/SQLiteCpp.h>

#include <stdexcept>
#include <string>

namespace rapporteur {

int latest_schema_version() {
  const auto& all = migrations();
  return all.empty() ? 0 : all.back().number;
}

void migrate(SQLite::Database& db) {
  const int current = db.execAndGet("PRAGMA user_version").getInt();
  const int latest = latest_schema_version();
  if (current > latest) {
    throw std::runtime_error("database " + db.getFilename() + ": schema version " + std::to_string(current) +
                             " is newer than this binary's " + std::to_string(latest) +
                             " (upgrade rapporteur or use another --db)");
  }
  for (const Migration& m : migrations()) {
    if (m.number <= current) continue;
    SQLite::Transaction tx(db, SQLite::TransactionBehavior::IMMEDIATE);
    try {
      db.exec(m.sql);
    } catch (const SQLite::Exception& e) {
      throw std::runtime_error(std::string("migration ") + m.name + " failed: " + e.what());
    }
    db.exec("PRAGMA user_version = " + std::to_string(m.number));
    tx.commit();
  }
}

}  // namespace rapporteur
