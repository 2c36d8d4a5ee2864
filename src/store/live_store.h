// Read-only queries behind the live view, across tables of later features.
#pragma once

#include <SQLiteCpp/Database.h>
#include <nlohmann/json.hpp>

#include <string>

namespace rapporteur::live_store {

// The number of the latest draft, or null.
nlohmann::json current_draft(SQLite::Database& db, const std::string& session);
// The open poll's public summary, or null.
nlohmann::json open_poll(SQLite::Database& db, const std::string& session);

}  // namespace rapporteur::live_store
