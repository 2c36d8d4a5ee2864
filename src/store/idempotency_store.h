// Replies remembered per (actor, Idempotency-Key) for 24 hours.
#pragma once

#include <SQLiteCpp/Database.h>

#include <optional>
#include <string>

namespace rapporteur::idempotency_store {

inline constexpr int64_t kTtlMs = 24LL * 3600 * 1000;

struct StoredReply {
  std::string fingerprint;
  int status = 0;
  std::string body;
};

// The reply stored for (actor, key) no older than kTtlMs; an expired one is
// deleted and treated as absent.
std::optional<StoredReply> find(SQLite::Database& db, const std::string& actor, const std::string& key, int64_t now);
void put(SQLite::Database& db, const std::string& actor, const std::string& key, const StoredReply& reply, int64_t now);
// Deletes every entry older than kTtlMs.
void prune(SQLite::Database& db, int64_t now);

}  // namespace rapporteur::idempotency_store
