// Domain operations on sessions and people. Write operations run inside a
// write job (Tx) and append their event; reads take a read connection.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "rapporteur/store.h"
#include "rapporteur/person.h"
#include "rapporteur/session.h"

namespace rapporteur {

struct CreatedPerson {
  Person person;
  std::string token;  // shown once, never stored
};

struct CreatedSession {
  Session session;
  std::vector<CreatedPerson> people;
};

// conflict when the id is taken.
Result<CreatedSession> create_session(Tx& tx, const SessionSpec& spec, int64_t now, const std::string& actor);

// Adds a person; invalid when it would make a second president. `by` is the
// person asking (null: the administrator); forbidden when a person would
// name a president: the secretariat may not make the chair.
Result<CreatedPerson> add_person(Tx& tx, const Session& session, const PersonSpec& spec, const Person* by, int64_t now,
                                 const std::string& actor);

// Replaces a person's token: the old one stops working at commit. `by` is
// the person asking (null: the administrator); forbidden when the person is
// the president and `by` is not: whoever holds the new token holds the chair.
// conflict while a poll is open in which the person may vote: whoever holds
// the new token could vote in their place while they are locked out.
// Appends a public "token_reissued" event naming the person (never the token).
Result<CreatedPerson> reissue_token(Tx& tx, const std::string& session, int64_t person_id, const Person* by,
                                    int64_t now, const std::string& actor);

// Records that the person opened their page (only the first time and then
// at most once a minute, so /me does not write on every call).
Status mark_present(Tx& tx, const Person& person, int64_t now);

// not_found naming the session.
Result<Session> load_session(Snapshot& snap, const std::string& id);

// The session's own row (id, title, date, phase, ...) without its agenda and
// breakouts, for writes that need no more than its phase (a ballot: one
// statement instead of three). not_found as load_session.
Result<Session> load_session_row(Snapshot& snap, const std::string& id);

// Refuses every write to an adopted session.
Status require_not_adopted(const Session& s);

}  // namespace rapporteur

namespace rapporteur {

std::vector<Session> list_sessions(Snapshot& snap);
// not_found when the session does not exist.
Result<std::vector<Person>> list_people(Snapshot& snap, const std::string& session);
// The person holding `token` (hashed before lookup), if any.
std::optional<Person> find_person_by_token(Snapshot& snap, const std::string& token);
// The same, from the token's SHA-256 (hex), as the HTTP layer caches it.
std::optional<Person> find_person_by_token_hash(Snapshot& snap, const std::string& token_hash);

// Moves the session forward: drafting -> amending (needs a draft). Asking for
// adopted is a conflict (only an adoption poll adopts); for drafting, the
// answer of phase_not_allowed.
Result<Session> change_phase(Tx& tx, const Session& session, SessionPhase phase, int64_t now, const std::string& actor);
// invalid, field "phase": `name` (as the client sent it, any text) is not a
// phase the session can move to.
Status phase_not_allowed(std::string_view name);

}  // namespace rapporteur
