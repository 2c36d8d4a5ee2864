#include "rapporteur/sessions.h"

#include "rapporteur/crypto.h"

namespace rapporteur {
namespace {

nlohmann::json person_event(const Person& p) {
  return {{"person", p.id}, {"name", p.name}, {"roles", p.roles}, {"breakout", p.breakout}};
}

CreatedPerson insert_person(Tx& tx, const std::string& session, const PersonSpec& spec, int64_t now) {
  CreatedPerson out;
  out.token = random_token(24);
  out.person.session = session;
  out.person.name = spec.name;
  out.person.roles = spec.roles;
  out.person.breakout = spec.breakout;
  out.person.id = tx.people().insert(session, spec, sha256_hex(out.token), now);
  return out;
}

}  // namespace

Result<CreatedSession> create_session(Tx& tx, const SessionSpec& spec, int64_t now, const std::string& actor) {
  if (tx.sessions().exists(spec.session.id)) {
    return Status::conflict("session \"" + spec.session.id + "\" already exists");
  }
  CreatedSession out;
  out.session = spec.session;
  out.session.phase = SessionPhase::drafting;
  out.session.created_at = now;
  tx.sessions().insert(out.session);
  tx.events().append(out.session.id, now, actor, "session_created", session_to_json(out.session));
  for (const PersonSpec& p : spec.people) {
    out.people.push_back(insert_person(tx, out.session.id, p, now));
  }
  nlohmann::json people = nlohmann::json::array();
  for (const auto& p : out.people) people.push_back(person_event(p.person));
  tx.events().append(out.session.id, now, actor, "people_added", {{"people", people}});
  return out;
}

Result<CreatedPerson> add_person(Tx& tx, const Session& session, const PersonSpec& spec, const Person* by, int64_t now,
                                 const std::string& actor) {
  RAPPORTEUR_RETURN_IF_ERROR(require_not_adopted(session));
  const bool president = std::find(spec.roles.begin(), spec.roles.end(), "president") != spec.roles.end();
  if (president && tx.people().has_president(session.id)) {
    return Status::invalid("roles: session \"" + session.id + "\" already has a president", "roles");
  }
  if (president && by != nullptr) {
    return Status::forbidden("roles: only the administrator names the president of session \"" + session.id + "\"");
  }
  CreatedPerson out = insert_person(tx, session.id, spec, now);
  tx.events().append(session.id, now, actor, "person_added", person_event(out.person));
  return out;
}

Result<CreatedPerson> reissue_token(Tx& tx, const std::string& session, int64_t person_id, const Person* by,
                                    int64_t now, const std::string& actor) {
  auto person = tx.people().find(session, person_id);
  if (!person) return Status::not_found("person " + std::to_string(person_id) + ": not in session \"" + session + "\"");
  if (person->has("president") && by != nullptr && !by->has("president")) {
    return Status::forbidden("person " + std::to_string(person_id) +
                             ": only the president or the administrator replaces the president's token");
  }
  // Whoever holds the new token could cast this voter's ballot while the
  // voter is locked out: not while a poll they may vote in is open.
  if (auto open = tx.polls().open_poll_id(session); open && tx.polls().is_voter(*open, person_id)) {
    return Status::conflict("person " + std::to_string(person_id) + ": may vote in poll " + std::to_string(*open) +
                            ", which is open; their token can be replaced once it is closed");
  }
  CreatedPerson out{*person, random_token(24)};
  tx.people().set_token_hash(person_id, sha256_hex(out.token));
  // Public (the log is in every JSON export, and /live lists reissues), so
  // the person learns that someone else now holds a token in their name.
  tx.events().append(session, now, actor, "token_reissued", {{"person", person_id}});
  return out;
}

Status mark_present(Tx& tx, const Person& person, int64_t now) {
  auto fresh = tx.people().find(person.session, person.id);
  if (!fresh) return Status::not_found("person " + std::to_string(person.id) + ": no longer exists");
  if (fresh->present_at != 0 && now - fresh->present_at < 60'000) return Status::ok();
  tx.people().mark_present(person.id, now);
  if (fresh->present_at == 0) {
    tx.events().append(person.session, now, "person:" + std::to_string(person.id), "person_present",
                        {{"person", person.id}});
  }
  return Status::ok();
}

Result<Session> load_session(Snapshot& snap, const std::string& id) {
  auto s = snap.sessions().find(id);
  if (!s) return Status::not_found("session \"" + id + "\": no such session");
  return *s;
}

Result<Session> load_session_row(Snapshot& snap, const std::string& id) {
  auto s = snap.sessions().find_row(id);
  if (!s) return Status::not_found("session \"" + id + "\": no such session");
  return *s;
}

Status require_not_adopted(const Session& s) {
  if (s.phase == SessionPhase::adopted) {
    return Status::conflict("session \"" + s.id + "\": adopted, nothing in it can change");
  }
  return Status::ok();
}

}  // namespace rapporteur

namespace rapporteur {

std::vector<Session> list_sessions(Snapshot& snap) { return snap.sessions().list(); }

Result<std::vector<Person>> list_people(Snapshot& snap, const std::string& session) {
  RAPPORTEUR_ASSIGN_OR_RETURN(auto s, load_session(snap, session));
  return snap.people().list(session);
}

std::optional<Person> find_person_by_token(Snapshot& snap, const std::string& token) {
  return find_person_by_token_hash(snap, sha256_hex(token));
}

std::optional<Person> find_person_by_token_hash(Snapshot& snap, const std::string& token_hash) {
  return snap.people().find_by_token_hash(token_hash);
}

Status phase_not_allowed(std::string_view name) {
  return Status::invalid(
      "phase: \"" + std::string(name.substr(0, 40)) + "\" is not a phase the session can move to (amending)", "phase");
}

Result<Session> change_phase(Tx& tx, const Session& session, SessionPhase phase, int64_t now,
                             const std::string& actor) {
  RAPPORTEUR_RETURN_IF_ERROR(require_not_adopted(session));
  if (phase == SessionPhase::adopted) {
    return Status::conflict("session \"" + session.id + "\": adopted only through an adoption poll");
  }
  if (phase != SessionPhase::amending) return phase_not_allowed(session_phase_name(phase));
  if (session.phase == SessionPhase::amending) {
    return Status::conflict("session \"" + session.id + "\": already amending");
  }
  if (tx.drafts().latest(session.id) == 0) {
    return Status::conflict("session \"" + session.id + "\": amending needs a draft; merge the fragments first");
  }
  tx.sessions().set_phase(session.id, phase);
  tx.events().append(session.id, now, actor, "phase_changed", {{"from", session.phase}, {"to", phase}});
  Session out = session;
  out.phase = phase;
  return out;
}
}  // namespace rapporteur
