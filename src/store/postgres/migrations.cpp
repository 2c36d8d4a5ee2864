#include "store/postgres/migrations.h"

#include <stdexcept>

#include "store/postgres/connection.h"

namespace rapporteur::postgres {
namespace {

// The advisory lock every instance takes to migrate (a constant of this
// program: "rapp" "migr" in ASCII).
constexpr int64_t kMigrationLock = 0x72617070'6d696772;

}  // namespace

int schema_version_of(pqxx::transaction_base& tx) {
  if (tx.exec("SELECT to_regclass('rapporteur_schema') IS NULL")[0][0].as<bool>()) return 0;
  return tx.exec("SELECT COALESCE(MAX(version), 0) FROM rapporteur_schema")[0][0].as<int>();
}

int migrate(Conn& conn, const std::string& where) {
  const auto& all = migrations();
  const int latest = all.empty() ? 0 : all.back().number;
  pqxx::work tx(conn.raw());
  tx.exec_params("SELECT pg_advisory_xact_lock($1)", kMigrationLock);
  tx.exec("CREATE TABLE IF NOT EXISTS rapporteur_schema (version INTEGER PRIMARY KEY)");
  const int current = schema_version_of(tx);
  if (current > latest) {
    throw std::runtime_error("database " + where + ": schema version " + std::to_string(current) +
                             " is newer than this binary's " + std::to_string(latest) +
                             " (upgrade rapporteur or use another --db)");
  }
  for (const Migration& m : all) {
    if (m.number <= current) continue;
    try {
      tx.exec(m.sql);
    } catch (const pqxx::sql_error& e) {
      throw std::runtime_error(std::string("migration ") + m.name + " failed: " + e.what());
    }
    tx.exec_params("INSERT INTO rapporteur_schema (version) VALUES ($1)", m.number);
  }
  tx.commit();
  return latest;
}

}  // namespace rapporteur::postgres
