// Installation settings and remembered replies in PostgreSQL.
#include "store/postgres/rows.h"

namespace rapporteur::postgres {

std::optional<std::string> Settings::get(const std::string& key) {
  pqxx::result r = w_.exec("SELECT value FROM meta WHERE key = $1", key);
  if (r.empty()) return std::nullopt;
  return r[0][0].as<std::string>();
}

void Settings::insert(const std::string& key, const std::string& value) {
  w_.exec("INSERT INTO meta (key, value) VALUES ($1, $2)", key, value);
}

std::optional<StoredReply> Idempotency::find(const std::string& actor, const std::string& key, int64_t now) {
  pqxx::result r =
      w_.exec("SELECT fingerprint, status, body, created_at FROM idempotency WHERE actor = $1 AND key = $2", actor, key);
  if (r.empty()) return std::nullopt;
  if (now - r[0][3].as<int64_t>() > kIdempotencyTtlMs) {
    w_.exec("DELETE FROM idempotency WHERE actor = $1 AND key = $2", actor, key);
    return std::nullopt;
  }
  return StoredReply{r[0][0].as<std::string>(), r[0][1].as<int>(), r[0][2].as<std::string>()};
}

void Idempotency::put(const std::string& actor, const std::string& key, const StoredReply& reply, int64_t now) {
  w_.exec(
      "INSERT INTO idempotency (actor, key, fingerprint, created_at, status, body) VALUES ($1, $2, $3, $4, $5, $6) "
      "ON CONFLICT (actor, key) DO UPDATE SET fingerprint = excluded.fingerprint, created_at = excluded.created_at, "
      "status = excluded.status, body = excluded.body",
      actor, key, reply.fingerprint, now, reply.status, reply.body);
}

void Idempotency::prune(int64_t now) {
  w_.exec("DELETE FROM idempotency WHERE created_at < $1", now - kIdempotencyTtlMs);
}

}  // namespace rapporteur::postgres
