#include "rapporteur/receipts.h"

#include "rapporteur/agenda.h"
#include "rapporteur/polls.h"

namespace rapporteur {
namespace {

// random_token(16): 128 bits in base64url without padding.
constexpr size_t kReceiptLength = 22;

bool base64url(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

// The same answer for every receipt that is not counted in a closed poll, so
// that the answer for a receipt of an open poll tells nothing.
Status not_counted(const Session& session) {
  return Status::not_found("receipt: not among the ballots counted in the closed polls of session \"" + session.id +
                           "\" (a receipt is checked once its poll has closed; a ballot changed before the close "
                           "has the receipt of its last change)");
}

// What the published record already says of a closed poll; no ballots.
nlohmann::json public_poll(const Poll& p, const Session& session) {
  return {{"id", p.id},
          {"subject", {{poll_subject_name(p.subject_kind), p.subject_id}}},
          {"method", p.method},
          {"secret", p.secret},
          {"closed_at", session_time(session, p.closed_at)},
          {"result", p.result}};
}

}  // namespace

Status validate_receipt(const std::string& receipt) {
  if (receipt.size() != kReceiptLength) {
    return Status::invalid("receipt: must be " + std::to_string(kReceiptLength) + " characters long (it has " +
                               std::to_string(receipt.size()) + ")",
                           "receipt");
  }
  for (char c : receipt) {
    if (!base64url(c)) return Status::invalid("receipt: only letters, digits, - and _ occur in a receipt", "receipt");
  }
  return Status::ok();
}

Result<nlohmann::json> check_receipt(Snapshot& snap, const Session& session, const std::string& receipt) {
  RAPPORTEUR_RETURN_IF_ERROR(validate_receipt(receipt));
  auto closed = [&](int64_t id) -> std::optional<Poll> {
    auto p = snap.polls().find(session.id, id);
    if (!p || p->state != PollState::closed || p->method != Method::electronic) return std::nullopt;
    return p;
  };
  if (auto named = snap.polls().find_named_receipt(receipt)) {
    if (auto p = closed(named->poll)) {
      return nlohmann::json{{"receipt", receipt}, {"counted", true}, {"poll", public_poll(*p, session)},
                            {"choice", named->choice}};
    }
    return not_counted(session);
  }
  for (const Poll& p : snap.polls().list(session.id)) {
    if (!p.secret || p.state != PollState::closed || p.method != Method::electronic) continue;
    if (snap.polls().has_secret_receipt(p.id, receipt)) {
      return nlohmann::json{{"receipt", receipt}, {"counted", true}, {"poll", public_poll(p, session)}};
    }
  }
  return not_counted(session);
}

}  // namespace rapporteur
