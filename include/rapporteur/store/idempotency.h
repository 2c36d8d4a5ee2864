// Replies remembered per (actor, Idempotency-Key) for 24 hours. Used only
// inside write jobs: looking a reply up deletes an expired one.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace rapporteur {

inline constexpr int64_t kIdempotencyTtlMs = 24LL * 3600 * 1000;

struct StoredReply {
  std::string fingerprint;
  int status = 0;
  std::string body;
};

class IdempotencyWrites {
 public:
  virtual ~IdempotencyWrites() = default;
  // The reply stored for (actor, key) no older than kIdempotencyTtlMs; an
  // expired one is deleted and treated as absent.
  virtual std::optional<StoredReply> find(const std::string& actor, const std::string& key, int64_t now) = 0;
  virtual void put(const std::string& actor, const std::string& key, const StoredReply& reply, int64_t now) = 0;
  // Deletes every entry older than kIdempotencyTtlMs.
  virtual void prune(int64_t now) = 0;
};

}  // namespace rapporteur
