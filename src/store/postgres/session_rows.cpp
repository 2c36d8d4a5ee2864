// Sessions (with their slots and breakouts) and people in PostgreSQL.

#include "store/postgres/rows.h"
#include "store/stored_values.h"

namespace rapporteur::postgres {
namespace {


constexpr const char* kSessionColumns = "id, title, date, timezone, place, description, phase, created_at";

Session row_to_session(const pqxx::row& r) {
  Session s;
  s.id = r[0].as<std::string>();
  s.title = r[1].as<std::string>();
  s.date = r[2].as<std::string>();
  s.timezone = r[3].as<std::string>();
  s.place = r[4].as<std::string>();
  s.description = r[5].as<std::string>();
  s.phase = stored(parse_session_phase(r[6].as<std::string>()), "sessions.phase");
  s.created_at = r[7].as<int64_t>();
  return s;
}

}  // namespace

bool Sessions::exists(const std::string& id) { return !w_.exec("SELECT 1 FROM sessions WHERE id = $1", id).empty(); }

void Sessions::insert(const Session& s) {
  changed();
  w_.exec(
      "INSERT INTO sessions (id, title, date, timezone, place, description, phase, created_at) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
      s.id, s.title, s.date, s.timezone, s.place, s.description, std::string(session_phase_name(s.phase)),
      s.created_at);
  int pos = 0;
  for (const Slot& sl : s.agenda) {
    w_.exec(
        "INSERT INTO slots (session_id, id, position, start, \"end\", title, kind, detail) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        s.id, sl.id, pos++, sl.start, sl.end, sl.title, sl.kind, sl.detail);
  }
  pos = 0;
  for (const Breakout& b : s.breakouts) {
    w_.exec("INSERT INTO breakouts (session_id, id, position, title) VALUES ($1, $2, $3, $4)", s.id, b.id, pos++,
            b.title);
  }
}

std::optional<Session> Sessions::find_row(const std::string& id) {
  if (cache_ != nullptr) {
    auto it = cache_->session_rows.find(id);
    if (it != cache_->session_rows.end()) return it->second;
  }
  pqxx::result r = w_.exec(std::string("SELECT ") + kSessionColumns + " FROM sessions WHERE id = $1", id);
  std::optional<Session> found;
  if (!r.empty()) found = row_to_session(r[0]);
  if (cache_ != nullptr) cache_->session_rows[id] = found;
  return found;
}

std::optional<Session> Sessions::find(const std::string& id) {
  if (cache_ != nullptr) {
    auto it = cache_->sessions.find(id);
    if (it != cache_->sessions.end()) return it->second;
  }
  std::optional<Session> found = read_whole(id);
  if (cache_ != nullptr) cache_->sessions[id] = found;
  return found;
}

std::optional<Session> Sessions::read_whole(const std::string& id) {
  // One round trip: the agenda and the breakouts come as JSON arrays of the
  // session's row (every write job reads its session).
  pqxx::result r = w_.exec(
      std::string("SELECT ") + kSessionColumns +
          ", COALESCE((SELECT json_agg(json_build_array(id, start, \"end\", title, kind, detail) ORDER BY position)"
          " FROM slots WHERE session_id = s.id), '[]'),"
          " COALESCE((SELECT json_agg(json_build_array(id, title) ORDER BY position)"
          " FROM breakouts WHERE session_id = s.id), '[]') FROM sessions s WHERE id = $1",
      id);
  if (r.empty()) return std::nullopt;
  Session s = row_to_session(r[0]);
  for (const auto& sl : nlohmann::json::parse(r[0][8].as<std::string>())) {
    s.agenda.push_back({sl[0].get<std::string>(), sl[1].get<std::string>(), sl[2].get<std::string>(),
                        sl[3].get<std::string>(), sl[4].get<std::string>(), sl[5].get<std::string>()});
  }
  for (const auto& b : nlohmann::json::parse(r[0][9].as<std::string>())) {
    s.breakouts.push_back({b[0].get<std::string>(), b[1].get<std::string>()});
  }
  return s;
}

std::vector<Session> Sessions::list() {
  std::vector<Session> out;
  for (const auto& r : w_.exec(std::string("SELECT ") + kSessionColumns + " FROM sessions ORDER BY date DESC, id")) {
    out.push_back(row_to_session(r));
  }
  return out;
}

void Sessions::set_phase(const std::string& id, SessionPhase phase) {
  changed();
  w_.exec("UPDATE sessions SET phase = $1 WHERE id = $2", std::string(session_phase_name(phase)), id);
}

int Sessions::next_pid(const std::string& id) {
  pqxx::result r = w_.exec("SELECT next_pid FROM sessions WHERE id = $1", id);
  return r.empty() ? 1 : r[0][0].as<int>();
}

void Sessions::set_next_pid(const std::string& id, int next) {
  changed();
  w_.exec("UPDATE sessions SET next_pid = $1 WHERE id = $2", next, id);
}

int Sessions::reserve_pids(const std::string& id, int count) {
  changed();
  // One statement: the row is locked and moved at once, so two instances
  // writing the same session never hand out the same paragraph ids.
  pqxx::result r =
      w_.exec("UPDATE sessions SET next_pid = next_pid + $1 WHERE id = $2 RETURNING next_pid - $1", count, id);
  return r.empty() ? 1 : r[0][0].as<int>();
}

namespace {

constexpr const char* kPersonColumns = "id, session_id, name, roles, breakout, present_at";

Person row_to_person(const pqxx::row& r) {
  Person p;
  p.id = r[0].as<int64_t>();
  p.session = r[1].as<std::string>();
  p.name = r[2].as<std::string>();
  p.roles = split_roles(r[3].as<std::string>());
  p.breakout = text_or_empty(r[4]);
  p.present_at = int_or_0(r[5]);
  return p;
}

}  // namespace

int64_t People::insert(const std::string& session, const PersonSpec& p, const std::string& token_hash, int64_t now) {
  changed();
  pqxx::result r = w_.exec(
      "INSERT INTO people (session_id, name, roles, breakout, token_hash, created_at) "
      "VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
      session, p.name, join_roles(p.roles), or_null(p.breakout), token_hash, now);
  return r[0][0].as<int64_t>();
}

std::optional<Person> People::find(const std::string& session, int64_t id) {
  pqxx::result r =
      w_.exec(std::string("SELECT ") + kPersonColumns + " FROM people WHERE session_id = $1 AND id = $2", session, id);
  if (r.empty()) return std::nullopt;
  return row_to_person(r[0]);
}

std::optional<Person> People::find_by_token_hash(const std::string& token_hash) {
  pqxx::result r = w_.exec(std::string("SELECT ") + kPersonColumns + " FROM people WHERE token_hash = $1", token_hash);
  if (r.empty()) return std::nullopt;
  return row_to_person(r[0]);
}

std::vector<Person> People::list(const std::string& session) {
  std::vector<Person> out;
  for (const auto& r :
       w_.exec(std::string("SELECT ") + kPersonColumns + " FROM people WHERE session_id = $1 ORDER BY id", session)) {
    out.push_back(row_to_person(r));
  }
  return out;
}

void People::set_token_hash(int64_t id, const std::string& token_hash) {
  changed();
  w_.exec("UPDATE people SET token_hash = $1 WHERE id = $2", token_hash, id);
}

void People::mark_present(int64_t id, int64_t now) {
  changed();
  w_.exec("UPDATE people SET present_at = $1 WHERE id = $2", now, id);
}

int64_t People::count_with_role(const std::string& session, const std::string& role) {
  return w_
      .exec("SELECT COUNT(*) FROM people WHERE session_id = $1 AND $2 = ANY (string_to_array(roles, ','))", session,
            role)[0][0]
      .as<int64_t>();
}

bool People::has_president(const std::string& session) { return count_with_role(session, "president") > 0; }

}  // namespace rapporteur::postgres
