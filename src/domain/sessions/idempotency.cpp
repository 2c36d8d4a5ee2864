#include "rapporteur/idempotency.h"

namespace rapporteur {

Result<KeyedReply> reply_once(Tx& tx, const std::string& actor, const std::string& key, const std::string& fingerprint,
                              int64_t now, const std::function<Result<StoredReply>()>& make) {
  if (auto prior = tx.idempotency().find(actor, key, now)) {
    if (prior->fingerprint != fingerprint) {
      return Status::invalid("Idempotency-Key \"" + key + "\" was already used for a different request");
    }
    return KeyedReply{std::move(*prior), true};
  }
  RAPPORTEUR_ASSIGN_OR_RETURN(auto made, make());
  tx.idempotency().put(actor, key, made, now);
  return KeyedReply{std::move(made), false};
}

}  // namespace rapporteur
