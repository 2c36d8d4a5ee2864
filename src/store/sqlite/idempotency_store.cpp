#include "store/sqlite/idempotency_store.h"

#include <SQLiteCpp/SQLiteCpp.h>

#include "store/sqlite/statement_cache.h"

namespace rapporteur::sqlite {

std::optional<StoredReply> Idempotency::find(const std::string& actor, const std::string& key, int64_t now) {
  Stmt q(db_, "SELECT fingerprint, status, body, created_at FROM idempotency WHERE actor = ? AND key = ?");
  q.bind_all(actor, key);
  if (!q.executeStep()) return std::nullopt;
  if (now - q.getColumn(3).getInt64() > kIdempotencyTtlMs) {
    q.reset();
    Stmt del(db_, "DELETE FROM idempotency WHERE actor = ? AND key = ?");
    del.bind_all(actor, key);
    del.exec();
    return std::nullopt;
  }
  return StoredReply{q.getColumn(0).getString(), q.getColumn(1).getInt(), q.getColumn(2).getString()};
}

void Idempotency::put(const std::string& actor, const std::string& key, const StoredReply& reply, int64_t now) {
  Stmt q(db_,
         "INSERT OR REPLACE INTO idempotency (actor, key, fingerprint, created_at, status, body) "
         "VALUES (?, ?, ?, ?, ?, ?)");
  q.bind_all(actor, key, reply.fingerprint, now, reply.status, reply.body);
  q.exec();
}

void Idempotency::prune(int64_t now) {
  Stmt q(db_, "DELETE FROM idempotency WHERE created_at < ?");
  q.bind_all(now - kIdempotencyTtlMs);
  q.exec();
}

}  // namespace rapporteur::sqlite
