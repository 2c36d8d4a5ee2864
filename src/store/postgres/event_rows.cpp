// The session event log in PostgreSQL.
#include "store/postgres/rows.h"

namespace rapporteur::postgres {
namespace {

// Rows of "SELECT seq, at, actor, type, data, prev_hash, hash", as events.
std::vector<Event> read_events(const pqxx::result& rows, const std::string& session) {
  std::vector<Event> out;
  out.reserve(rows.size());
  for (const auto& r : rows) {
    Event e;
    e.session = session;
    e.seq = r[0].as<int64_t>();
    e.at = r[1].as<int64_t>();
    e.actor = text_or_empty(r[2]);
    e.type = r[3].as<std::string>();
    const std::string data = r[4].as<std::string>();
    // A row that no longer parses is kept as a string so verify names it.
    e.data = nlohmann::json::parse(data, nullptr, false);
    if (e.data.is_discarded()) e.data = data;
    e.prev_hash = r[5].as<std::string>();
    e.hash = r[6].as<std::string>();
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace

void flush_events(Work& w, BatchCache& cache) {
  if (cache.events.empty()) return;
  const std::string rows = cache.events + "]";
  cache.events.clear();
  w.exec(
      "INSERT INTO events (session_id, seq, at, actor, type, data, prev_hash, hash) "
      "SELECT session_id, seq, at, actor, type, data, prev_hash, hash FROM json_to_recordset($1::json) AS e("
      "session_id TEXT, seq BIGINT, at BIGINT, actor TEXT, type TEXT, data TEXT, prev_hash TEXT, hash TEXT)",
      rows);
}

Event Events::append(const std::string& session, int64_t at, const std::string& actor, const std::string& type,
                     nlohmann::json data) {
  Event e;
  e.session = session;
  e.at = at;
  e.actor = actor;
  e.type = type;
  e.data = std::move(data);
  e.prev_hash = kGenesisHash;
  // Appends never race: every write batch of every instance holds the
  // store's write lock (postgres_store.cpp), so the last event read here, or
  // appended earlier in this batch, is the last one committed.
  const auto tail = cache_ != nullptr ? cache_->tails.find(session) : decltype(cache_->tails)::iterator();
  if (cache_ != nullptr && tail != cache_->tails.end()) {
    e.seq = tail->second.first + 1;
    e.prev_hash = tail->second.second;
  } else {
    pqxx::result last =
        w_.exec("SELECT seq, hash FROM events WHERE session_id = $1 ORDER BY seq DESC LIMIT 1", session);
    if (!last.empty()) {
      e.seq = last[0][0].as<int64_t>() + 1;
      e.prev_hash = last[0][1].as<std::string>();
    } else {
      e.seq = 1;
    }
  }
  const std::string data_json = e.data.dump();
  e.hash = event_hash(e.prev_hash, e, data_json);
  if (cache_ == nullptr) {
    w_.exec(
        "INSERT INTO events (session_id, seq, at, actor, type, data, prev_hash, hash) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        session, e.seq, e.at, or_null(e.actor), e.type, data_json, e.prev_hash, e.hash);
  } else {
    // Made into JSON now, so that a value that cannot be stored fails this
    // job, not the batch's insert.
    const nlohmann::json row = {{"session_id", checked(session)},
                                {"seq", e.seq},
                                {"at", e.at},
                                {"actor", e.actor.empty() ? nlohmann::json(nullptr) : nlohmann::json(checked(e.actor))},
                                {"type", checked(e.type)},
                                {"data", data_json},
                                {"prev_hash", e.prev_hash},
                                {"hash", e.hash}};
    cache_->events += cache_->events.empty() ? "[" : ",";
    cache_->events += row.dump();
    w_.count_write();
    cache_->tails[session] = {e.seq, e.hash};
  }
  if (tx_ != nullptr) tx_->touch(session);
  return e;
}

std::vector<Event> Events::list(const std::string& session, int64_t after, int64_t limit) {
  if (cache_ != nullptr) flush_events(w_, *cache_);
  return read_events(w_.exec("SELECT seq, at, actor, type, data, prev_hash, hash FROM events "
                             "WHERE session_id = $1 AND seq > $2 ORDER BY seq LIMIT $3",
                             session, after, limit),
                     session);
}

std::vector<Event> Events::list_of_type(const std::string& session, const std::string& type, int64_t limit) {
  if (cache_ != nullptr) flush_events(w_, *cache_);
  return read_events(w_.exec("SELECT seq, at, actor, type, data, prev_hash, hash FROM ("
                             "SELECT * FROM events WHERE session_id = $1 AND type = $2 ORDER BY seq DESC LIMIT $3"
                             ") latest ORDER BY seq",
                             session, type, limit),
                     session);
}

int64_t Events::last_seq(const std::string& session) {
  if (cache_ != nullptr) flush_events(w_, *cache_);
  return w_.exec("SELECT COALESCE(MAX(seq), 0) FROM events WHERE session_id = $1", session)[0][0].as<int64_t>();
}

}  // namespace rapporteur::postgres
