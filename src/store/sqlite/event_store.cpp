#include "store/sqlite/event_store.h"

#include <SQLiteCpp/SQLiteCpp.h>

#include "store/sqlite/statement_cache.h"

namespace rapporteur::sqlite {

Event Events::append(const std::string& session, int64_t at, const std::string& actor, const std::string& type,
             nlohmann::json data) {
  Event e;
  e.session = session;
  e.at = at;
  e.actor = actor;
  e.type = type;
  e.data = std::move(data);
  e.prev_hash = kGenesisHash;
  Stmt last(db_, "SELECT seq, hash FROM events WHERE session_id = ? ORDER BY seq DESC LIMIT 1");
  last.bind_all(session);
  if (last.executeStep()) {
    e.seq = last.getColumn(0).getInt64() + 1;
    e.prev_hash = last.getColumn(1).getString();
  } else {
    e.seq = 1;
  }
  const std::string data_json = e.data.dump();
  e.hash = event_hash(e.prev_hash, e, data_json);
  Stmt ins(db_,
           "INSERT INTO events (session_id, seq, at, actor, type, data, prev_hash, hash) "
           "VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
  ins.bind_all(session, e.seq, e.at, or_null(e.actor), e.type, data_json, e.prev_hash, e.hash);
  ins.exec();
  if (tx_ != nullptr) tx_->touch(session);
  return e;
}

namespace {

// Rows of "SELECT seq, at, actor, type, data, prev_hash, hash", as events.
std::vector<Event> read_events(Stmt& q, const std::string& session) {
  std::vector<Event> out;
  while (q.executeStep()) {
    Event e;
    e.session = session;
    e.seq = q.getColumn(0).getInt64();
    e.at = q.getColumn(1).getInt64();
    e.actor = q.getColumn(2).isNull() ? "" : q.getColumn(2).getString();
    e.type = q.getColumn(3).getString();
    // A row that no longer parses is kept as a string so verify names it.
    e.data = nlohmann::json::parse(q.getColumn(4).getString(), nullptr, false);
    if (e.data.is_discarded()) e.data = q.getColumn(4).getString();
    e.prev_hash = q.getColumn(5).getString();
    e.hash = q.getColumn(6).getString();
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace

std::vector<Event> Events::list(const std::string& session, int64_t after, int64_t limit) {
  Stmt q(db_,
         "SELECT seq, at, actor, type, data, prev_hash, hash FROM events "
         "WHERE session_id = ? AND seq > ? ORDER BY seq LIMIT ?");
  q.bind_all(session, after, limit);
  return read_events(q, session);
}

std::vector<Event> Events::list_of_type(const std::string& session, const std::string& type, int64_t limit) {
  Stmt q(db_,
         "SELECT seq, at, actor, type, data, prev_hash, hash FROM ("
         "SELECT * FROM events WHERE session_id = ? AND type = ? ORDER BY seq DESC LIMIT ?) ORDER BY seq");
  q.bind_all(session, type, limit);
  return read_events(q, session);
}

int64_t Events::last_seq(const std::string& session) {
  Stmt q(db_, "SELECT COALESCE(MAX(seq), 0) FROM events WHERE session_id = ?");
  q.bind_all(session);
  q.executeStep();
  return q.getColumn(0).getInt64();
}

}  // namespace rapporteur::sqlite
