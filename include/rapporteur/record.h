// The session's record: its event log read back and verified.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "rapporteur/event_log.h"
#include "rapporteur/status.h"

namespace SQLite {
class Database;
}

namespace rapporteur {

struct RecordCheck {
  ChainCheck chain;
  // When the session is adopted: whether the stored final text still hashes
  // to the SHA-256 recorded at adoption.
  bool final_checked = false;
  bool final_ok = true;
  std::string problem;
  bool ok() const { return chain.ok && final_ok; }
};

// Events after `after` (at most `limit`); not_found for an unknown session.
Result<std::vector<Event>> read_log(SQLite::Database& db, const std::string& session, int64_t after, int64_t limit);

// Recomputes the hash chain (and the final text's hash once adopted).
Result<RecordCheck> verify_record(SQLite::Database& db, const std::string& session);

// {ok, events, head, first_bad?, problem?}
nlohmann::json record_check_to_json(const RecordCheck& c);

}  // namespace rapporteur
