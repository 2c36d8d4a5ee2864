#include "store/live_store.h"

namespace rapporteur::live_store {

nlohmann::json current_draft(SQLite::Database&, const std::string&) { return nullptr; }

nlohmann::json open_poll(SQLite::Database&, const std::string&) { return nullptr; }

}  // namespace rapporteur::live_store
