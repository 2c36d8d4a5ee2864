// Polls on an amendment or on the adoption of a whole draft, with their
// ballots. Terms are fixed at creation and the result at close (the schema
// enforces both). Write operations run inside a write job and append events.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

#include "rapporteur/store.h"
#include "rapporteur/person.h"
#include "rapporteur/poll.h"
#include "rapporteur/session.h"
#include "rapporteur/tally.h"

namespace rapporteur {

// Validates the POST /polls body (subject, method, rule, quorum, secret,
// closes_at or duration_seconds, hide_results, override_slot, reason).
Result<Poll> parse_poll(const nlohmann::json& j);

// The slot guard, checked at creation and again at the opening: without
// override_slot (and its reason) a poll is created only while it can still
// be opened in the adoption slot, that is before the slot ends (a poll may
// be prepared before the slot starts), and it opens only inside the slot.
// outside_slot otherwise.
Result<Poll> create_poll(Tx& tx, const Session& session, Poll poll, int64_t now, const std::string& actor);
// Opens a pending poll (slot guard as above); a poll with a duration gets
// its closes_at now.
Result<Poll> open_poll(Tx& tx, const Session& session, int64_t id, int64_t now, const std::string& actor);
// Cancels a poll that was never opened: it stays listed as "cancelled",
// never opens and is left out of the exports; the log keeps who and when.
// conflict when the poll is open, closed or already cancelled.
Result<Poll> cancel_poll(Tx& tx, const Session& session, int64_t id, int64_t now, const std::string& actor);

struct BallotReceipt {
  std::string receipt;
  std::string choice;
  bool replaced = false;
  // Secret polls only: the code that lets this voter, and no one else,
  // change the ballot before the close. Given once, stored only as its
  // SHA-256; the receipt (published at the close) never changes a ballot.
  std::string change_code;
};
// Electronic polls: one ballot per eligible person, replaceable until the
// close. In a secret poll a replacement needs the change code of the ballot
// it replaces. Reads only the id and phase of `session` (load_session_row is
// enough).
Result<BallotReceipt> cast_ballot(Tx& tx, const Session& session, int64_t poll, const Person& voter,
                                  const std::string& choice, const std::string& change_code, int64_t now);
Result<Poll> enter_counts(Tx& tx, const Session& session, int64_t poll, int64_t yes, int64_t no, int64_t abstain,
                          int64_t now, const std::string& actor);
Result<Poll> record_objection(Tx& tx, const Session& session, int64_t poll, const Person& person, int64_t now);
// Computes the result from the stored ballots and applies it: an adopted
// amendment makes the next draft, an adopted adoption poll freezes the draft.
// Closing a secret poll also rewrites the secret ballot tables in key order
// and has the write-ahead log truncated after the commit (see Tx::wipe_wal).
Result<Poll> close_poll(Tx& tx, const Session& session, int64_t poll, int64_t now, const std::string& actor);

// Closes every open poll whose closes_at has passed; returns how many.
int close_due_polls(Store& store, int64_t now);

Result<Poll> load_poll(Snapshot& snap, const std::string& session, int64_t id);
std::vector<Poll> list_polls(Snapshot& snap, const std::string& session);
std::optional<Poll> open_poll_of(Snapshot& snap, const std::string& session);

// The API shape; counts while open (only {cast} for polls that hide their
// results, secret ones included), ballots of named polls and receipts of
// secret polls once closed.
nlohmann::json poll_to_json(Snapshot& snap, const Poll& p, const Session& session);

}  // namespace rapporteur
