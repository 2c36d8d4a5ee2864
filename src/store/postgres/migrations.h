// The PostgreSQL schema migrations, compiled in from
// schema/postgres/NNNN_name.sql.
#pragma once

#include <string>
#include <vector>

#include <pqxx/pqxx>

#include "store/sqlite/migrations.h"  // struct Migration

namespace rapporteur::postgres {

class Conn;

// All PostgreSQL migrations in ascending number order (generated source).
const std::vector<Migration>& migrations();

// Applies every migration above the database's version in one transaction
// that holds a lock shared by every instance; returns the version reached.
// Throws std::runtime_error naming the problem when the database comes from
// a newer binary or a migration fails.
int migrate(Conn& conn, const std::string& where);

// The database's schema version, 0 when it holds no Rapporteur schema.
int schema_version_of(pqxx::transaction_base& tx);

}  // namespace rapporteur::postgres
