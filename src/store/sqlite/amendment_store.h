// Amendment rows in SQLite.
//
// Each object works on the connection it was made with: the write
// connection inside a write job, or a read connection inside a read.
#pragma once

#include <SQLiteCpp/Database.h>

#include "rapporteur/store/amendments.h"

namespace rapporteur::sqlite {

class Amendments final : public AmendmentWrites {
 public:
  explicit Amendments(SQLite::Database& db) : db_(db) {}
  std::optional<Amendment> find(const std::string& session, int64_t id) override;
  std::vector<Amendment> list(const std::string& session) override;
  int64_t insert(const Amendment& a) override;
  void set_status(int64_t id, AmendmentStatus status, const std::string& reason, int64_t decided_at,
                  int result_draft) override;

 private:
  SQLite::Database& db_;
};

}  // namespace rapporteur::sqlite
