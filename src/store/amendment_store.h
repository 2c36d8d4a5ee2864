// Amendment rows.
#pragma once

#include <SQLiteCpp/Database.h>

#include <optional>
#include <vector>

#include "rapporteur/amendments.h"

namespace rapporteur::amendment_store {

int64_t insert(SQLite::Database& db, const Amendment& a);
std::optional<Amendment> find(SQLite::Database& db, const std::string& session, int64_t id);
std::vector<Amendment> list(SQLite::Database& db, const std::string& session);
void set_status(SQLite::Database& db, int64_t id, const std::string& status, const std::string& reason,
                int64_t decided_at, int result_draft);

}  // namespace rapporteur::amendment_store
