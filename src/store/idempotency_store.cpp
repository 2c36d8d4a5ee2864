#include "store/idempotency_store.h"

#include <SQLiteCpp/SQLiteCpp.h>

#include "store/statement_cache.h"

namespace rapporteur::idempotency_store {

std::optional<StoredReply> find(SQLite::Database& db, const std::string& actor, const std::string& key, int64_t now) {
  Stmt q(db, "SELECT fingerprint, status, body, created_at FROM idempotency WHERE actor = ? AND key = ?");
  q.bind(1, actor);
  q.bind(2, key);
  if (!q.executeStep()) return std::nullopt;
  if (now - q.getColumn(3).getInt64() > kTtlMs) {
    q.reset();
    Stmt del(db, "DELETE FROM idempotency WHERE actor = ? AND key = ?");
    del.bind(1, actor);
    del.bind(2, key);
    del.exec();
    return std::nullopt;
  }
  return StoredReply{q.getColumn(0).getString(), q.getColumn(1).getInt(), q.getColumn(2).getString()};
}

void put(SQLite::Database& db, const std::string& actor, const std::string& key, const StoredReply& reply, int64_t now) {
  Stmt q(db,
         "INSERT OR REPLACE INTO idempotency (actor, key, fingerprint, created_at, status, body) "
         "VALUES (?, ?, ?, ?, ?, ?)");
  q.bind(1, actor);
  q.bind(2, key);
  q.bind(3, reply.fingerprint);
  q.bind(4, now);
  q.bind(5, reply.status);
  q.bind(6, reply.body);
  q.exec();
}

void prune(SQLite::Database& db, int64_t now) {
  Stmt q(db, "DELETE FROM idempotency WHERE created_at < ?");
  q.bind(1, now - kTtlMs);
  q.exec();
}

}  // namespace rapporteur::idempotency_store
