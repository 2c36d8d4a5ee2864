#include "store/sqlite/session_store.h"
#include "store/sqlite/sqlite_store.h"

#include <SQLiteCpp/SQLiteCpp.h>

#include "store/sqlite/statement_cache.h"
#include "store/stored_values.h"


namespace rapporteur::sqlite {

bool Sessions::exists(const std::string& id) {
  Stmt q(db_, "SELECT 1 FROM sessions WHERE id = ?");
  q.bind_all(id);
  return q.executeStep();
}

void Sessions::insert(const Session& s) {
  Stmt ins(db_,
           "INSERT INTO sessions (id, title, date, timezone, place, description, phase, created_at) "
           "VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
  ins.bind_all(s.id, s.title, s.date, s.timezone, s.place, s.description, session_phase_name(s.phase), s.created_at);
  ins.exec();
  int pos = 0;
  for (const Slot& sl : s.agenda) {
    Stmt q(db_,
           "INSERT INTO slots (session_id, id, position, start, end, title, kind, detail) "
           "VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    q.bind_all(s.id, sl.id, pos++, sl.start, sl.end, sl.title, sl.kind, sl.detail);
    q.exec();
  }
  pos = 0;
  for (const Breakout& b : s.breakouts) {
    Stmt q(db_, "INSERT INTO breakouts (session_id, id, position, title) VALUES (?, ?, ?, ?)");
    q.bind_all(s.id, b.id, pos++, b.title);
    q.exec();
  }
}

namespace {
Session row_to_session(SQLite::Statement& q) {
  Session s;
  s.id = q.getColumn(0).getString();
  s.title = q.getColumn(1).getString();
  s.date = q.getColumn(2).getString();
  s.timezone = q.getColumn(3).getString();
  s.place = q.getColumn(4).getString();
  s.description = q.getColumn(5).getString();
  s.phase = stored(parse_session_phase(q.getColumn(6).getString()), "sessions.phase");
  s.created_at = q.getColumn(7).getInt64();
  return s;
}
constexpr const char* kSessionColumns = "id, title, date, timezone, place, description, phase, created_at";
}  // namespace

std::optional<Session> Sessions::find_row(const std::string& id) {
  Stmt q(db_, std::string("SELECT ") + kSessionColumns + " FROM sessions WHERE id = ?");
  q.bind_all(id);
  if (!q.executeStep()) return std::nullopt;
  return row_to_session(q);
}

std::optional<Session> Sessions::find(const std::string& id) {
  auto row = find_row(id);
  if (!row) return std::nullopt;
  Session s = std::move(*row);
  Stmt slots(db_,
             "SELECT id, start, end, title, kind, detail FROM slots WHERE session_id = ? ORDER BY position");
  slots.bind_all(id);
  while (slots.executeStep()) {
    s.agenda.push_back({slots.getColumn(0).getString(), slots.getColumn(1).getString(), slots.getColumn(2).getString(),
                        slots.getColumn(3).getString(), slots.getColumn(4).getString(),
                        slots.getColumn(5).getString()});
  }
  Stmt bq(db_, "SELECT id, title FROM breakouts WHERE session_id = ? ORDER BY position");
  bq.bind_all(id);
  while (bq.executeStep()) s.breakouts.push_back({bq.getColumn(0).getString(), bq.getColumn(1).getString()});
  return s;
}

std::vector<Session> Sessions::list() {
  Stmt q(db_, std::string("SELECT ") + kSessionColumns + " FROM sessions ORDER BY date DESC, id");
  std::vector<Session> out;
  while (q.executeStep()) out.push_back(row_to_session(q));
  return out;
}

void Sessions::set_phase(const std::string& id, SessionPhase phase) {
  Stmt q(db_, "UPDATE sessions SET phase = ? WHERE id = ?");
  q.bind_all(session_phase_name(phase), id);
  q.exec();
}

int Sessions::next_pid(const std::string& id) {
  Stmt q(db_, "SELECT next_pid FROM sessions WHERE id = ?");
  q.bind_all(id);
  return q.executeStep() ? q.getColumn(0).getInt() : 1;
}

void Sessions::set_next_pid(const std::string& id, int next) {
  Stmt q(db_, "UPDATE sessions SET next_pid = ? WHERE id = ?");
  q.bind_all(next, id);
  q.exec();
}

int Sessions::reserve_pids(const std::string& id, int count) {
  const int first = next_pid(id);
  set_next_pid(id, first + count);
  return first;
}

}  // namespace rapporteur::sqlite

namespace rapporteur::sqlite {
namespace {

constexpr const char* kColumns = "id, session_id, name, roles, breakout, present_at";

Person row_to_person(SQLite::Statement& q) {
  Person p;
  p.id = q.getColumn(0).getInt64();
  p.session = q.getColumn(1).getString();
  p.name = q.getColumn(2).getString();
  p.roles = split_roles(q.getColumn(3).getString());
  p.breakout = q.getColumn(4).isNull() ? "" : q.getColumn(4).getString();
  p.present_at = q.getColumn(5).isNull() ? 0 : q.getColumn(5).getInt64();
  return p;
}

}  // namespace

int64_t People::insert(const std::string& session, const PersonSpec& p, const std::string& token_hash,
               int64_t now) {
  SqliteStore::note_people_changed();  // token lookups cached by the HTTP layer
  Stmt q(db_,
         "INSERT INTO people (session_id, name, roles, breakout, token_hash, created_at) "
         "VALUES (?, ?, ?, ?, ?, ?)");
  q.bind_all(session, p.name, join_roles(p.roles), or_null(p.breakout), token_hash, now);
  q.exec();
  return db_.getLastInsertRowid();
}

std::optional<Person> People::find(const std::string& session, int64_t id) {
  Stmt q(db_, std::string("SELECT ") + kColumns + " FROM people WHERE session_id = ? AND id = ?");
  q.bind_all(session, id);
  if (!q.executeStep()) return std::nullopt;
  return row_to_person(q);
}

std::optional<Person> People::find_by_token_hash(const std::string& token_hash) {
  Stmt q(db_, std::string("SELECT ") + kColumns + " FROM people WHERE token_hash = ?");
  q.bind_all(token_hash);
  if (!q.executeStep()) return std::nullopt;
  return row_to_person(q);
}

std::vector<Person> People::list(const std::string& session) {
  Stmt q(db_, std::string("SELECT ") + kColumns + " FROM people WHERE session_id = ? ORDER BY id");
  q.bind_all(session);
  std::vector<Person> out;
  while (q.executeStep()) out.push_back(row_to_person(q));
  return out;
}

void People::set_token_hash(int64_t id, const std::string& token_hash) {
  SqliteStore::note_people_changed();  // token lookups cached by the HTTP layer
  Stmt q(db_, "UPDATE people SET token_hash = ? WHERE id = ?");
  q.bind_all(token_hash, id);
  q.exec();
}

void People::mark_present(int64_t id, int64_t now) {
  SqliteStore::note_people_changed();  // token lookups cached by the HTTP layer
  Stmt q(db_, "UPDATE people SET present_at = ? WHERE id = ?");
  q.bind_all(now, id);
  q.exec();
}

int64_t People::count_with_role(const std::string& session, const std::string& role) {
  Stmt q(db_,
         "SELECT COUNT(*) FROM people WHERE session_id = ? AND (',' || roles || ',') LIKE ('%,' || ? || ',%')");
  q.bind_all(session, role);
  q.executeStep();
  return q.getColumn(0).getInt64();
}

bool People::has_president(const std::string& session) {
  return count_with_role(session, "president") > 0;
}

}  // namespace rapporteur::sqlite
