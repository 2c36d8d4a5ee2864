// Remembered replies in SQLite.
//
// Each object works on the connection it was made with: the write
// connection inside a write job, or a read connection inside a read.
#pragma once

#include <SQLiteCpp/Database.h>

#include "rapporteur/store/idempotency.h"

namespace rapporteur::sqlite {

class Idempotency final : public IdempotencyWrites {
 public:
  explicit Idempotency(SQLite::Database& db) : db_(db) {}
  std::optional<StoredReply> find(const std::string& actor, const std::string& key, int64_t now) override;
  void put(const std::string& actor, const std::string& key, const StoredReply& reply, int64_t now) override;
  void prune(int64_t now) override;

 private:
  SQLite::Database& db_;
};

}  // namespace rapporteur::sqlite
