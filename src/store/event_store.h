// Event rows in SQLite. Append runs inside a write job; reads on any connection.
#pragma once

#include <SQLiteCpp/Database.h>

#include "rapporteur/db.h"
#include "rapporteur/event_log.h"

namespace rapporteur::event_store {

// Appends the next event of `session` (seq and hashes computed here) and
// marks the session touched so live views wake up.
Event append(Tx& tx, const std::string& session, int64_t at, const std::string& actor, const std::string& type,
             nlohmann::json data);

// Events with seq > after, in order, at most `limit`.
std::vector<Event> list(SQLite::Database& db, const std::string& session, int64_t after, int64_t limit);

// The latest `limit` events of one type, in seq order (a scan of the
// session's events: for views rebuilt once per commit, not per request).
std::vector<Event> list_of_type(SQLite::Database& db, const std::string& session, const std::string& type, int64_t limit);

// The last seq (0 when empty) and head hash.
int64_t last_seq(SQLite::Database& db, const std::string& session);

}  // namespace rapporteur::event_store
