// Event rows in SQLite.
//
// Each object works on the connection it was made with: the write
// connection inside a write job, or a read connection inside a read.
#pragma once

#include <SQLiteCpp/Database.h>

#include "rapporteur/store/events.h"
#include "rapporteur/store.h"

namespace rapporteur::sqlite {

class Events final : public EventWrites {
 public:
  // `tx`, when given, is told which sessions an append touched.
  Events(SQLite::Database& db, Tx* tx) : db_(db), tx_(tx) {}
  std::vector<Event> list(const std::string& session, int64_t after, int64_t limit) override;
  std::vector<Event> list_of_type(const std::string& session, const std::string& type, int64_t limit) override;
  int64_t last_seq(const std::string& session) override;
  Event append(const std::string& session, int64_t at, const std::string& actor, const std::string& type, nlohmann::json data) override;

 private:
  SQLite::Database& db_;
  Tx* tx_;
};

}  // namespace rapporteur::sqlite
