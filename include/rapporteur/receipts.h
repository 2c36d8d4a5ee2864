// The public receipt check: anyone holding a ballot's receipt may ask
// whether that ballot was counted in a closed poll of the session.
//
// What the answer may say, and why. A receipt is 128 random bits, so it
// cannot be guessed, and a secret poll publishes all its receipts in the
// JSON export at the close anyway. The check therefore says no more than
// the export: the poll, its subject and its result, plus, for a named poll
// only, the choice (the export already lists every named ballot with its
// person; the receipt adds no name). It never says who voted, and never the
// choice of a secret ballot (whoever obtains a receipt, a coercer included,
// would learn it). It answers only for closed polls: during an open poll a
// receipt (even a valid one) gets the same "not found" as a made-up one, so
// nobody can watch whether a voter has changed their ballot.
#pragma once

#include <nlohmann/json.hpp>

#include <string>

#include "rapporteur/session.h"
#include "rapporteur/status.h"
#include "rapporteur/store.h"

namespace rapporteur {

// A receipt as cast_ballot makes them: 22 characters of the base64url
// alphabet (A-Z a-z 0-9 - _). Anything else is invalid (422), named as
// the field "receipt"; the value is never echoed.
Status validate_receipt(const std::string& receipt);

// {receipt, counted: true, poll: {id, subject, method, secret, closed_at,
// result}, choice?} when `receipt` is a ballot counted in a closed
// electronic poll of `session`; not_found otherwise (unknown, replaced
// before the close, of another session, or of a poll still open).
Result<nlohmann::json> check_receipt(Snapshot& snap, const Session& session, const std::string& receipt);

}  // namespace rapporteur
