// Requests repeated with the same Idempotency-Key: the first reply is
// remembered for 24 hours and returned again, never run twice.
#pragma once

#include <functional>
#include <string>

#include "rapporteur/status.h"
#include "rapporteur/store.h"

namespace rapporteur {

struct KeyedReply {
  StoredReply reply;
  bool replayed = false;  // true when the reply is the one stored earlier
};

// Inside a write job: the reply stored for (actor, key) when the same request
// (same `fingerprint`) came before; otherwise runs `make` and stores its
// reply under the key, in the same job. A different request under a key
// already used is refused (invalid) and nothing runs.
Result<KeyedReply> reply_once(Tx& tx, const std::string& actor, const std::string& key, const std::string& fingerprint,
                              int64_t now, const std::function<Result<StoredReply>()>& make);

}  // namespace rapporteur
