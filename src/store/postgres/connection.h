// One PostgreSQL connection and the statements run on it.
//
// Every SQL text a store runs is prepared once per connection (named by a
// counter) and then executed by name, as the SQLite store's statement cache
// does: parsing and planning the same text for every request would cost more
// than the request. Parameters are bound as values, never spliced into SQL;
// an empty std::optional is bound as NULL (libpqxx 6 does that itself).
//
// Thread safety: a Conn and the Work on it are used by one thread at a time.
#pragma once

#include <pqxx/pqxx>

#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <unordered_map>

#include "store/stored_values.h"

namespace rapporteur::postgres {

class Conn {
 public:
  // Connects (libpq connection string or postgresql:// URL); throws
  // pqxx::broken_connection when no server accepts it.
  explicit Conn(const std::string& url);
  pqxx::connection& raw() { return *conn_; }
  // The name `sql` is prepared under on this connection, preparing it the
  // first time.
  const std::string& prepared(const std::string& sql);

 private:
  std::unique_ptr<pqxx::connection> conn_;
  std::unordered_map<std::string, std::string> names_;
};

// A connection for the store: like Conn, and with synchronous_commit at least
// `on` (a server configured for less, off or local, is overruled for this
// connection), so that a commit returns only once it is durable on the
// primary and, with a synchronous standby, on the standby too.
std::unique_ptr<Conn> connect_durable(const std::string& url);

// A text parameter may not hold a NUL byte: libpq sends text parameters as C
// strings, so the value would be cut there and something else stored than
// what was acknowledged. The domain refuses such text at the edge; this is
// the last guard.
inline const std::string& checked(const std::string& s) {
  if (s.find('\0') != std::string::npos) throw std::invalid_argument("a text value with a NUL byte cannot be stored");
  return s;
}
inline std::optional<std::string> checked(const std::optional<std::string>& s) {
  if (s) checked(*s);
  return s;
}
inline const char* checked(const char* s) { return s; }
template <typename T>
const T& checked(const T& v) {
  return v;
}

// The statements of one transaction on one connection.
class Work {
 public:
  Work(pqxx::transaction_base& tx, Conn& conn) : tx_(tx), conn_(conn) {}
  template <typename... Args>
  pqxx::result exec(const std::string& sql, const Args&... args) {
    note(sql);
    return tx_.exec_prepared(conn_.prepared(sql), checked(args)...);
  }
  // A statement that may write or not: the caller counts it with
  // count_write() when it did.
  template <typename... Args>
  pqxx::result exec_uncounted(const std::string& sql, const Args&... args) {
    return tx_.exec_prepared(conn_.prepared(sql), checked(args)...);
  }
  // A statement without parameters, run as it is, not prepared (for one-off
  // statements and those naming a temporary table).
  pqxx::result run(const std::string& sql) {
    note(sql);
    return tx_.exec(sql);
  }
  pqxx::transaction_base& tx() { return tx_; }
  // How many statements other than a plain SELECT ran so far: a write job
  // that failed without running one left nothing to undo.
  int64_t writes() const { return writes_; }
  // Counts a write that is sent later, with others (the log's rows).
  void count_write() { ++writes_; }

 private:
  void note(const std::string& sql) {
    if (sql.compare(0, 7, "SELECT ") != 0) ++writes_;
  }
  pqxx::transaction_base& tx_;
  Conn& conn_;
  int64_t writes_ = 0;
};

// Column readers: NULL as 0, "" or an empty optional.
inline int64_t int_or_0(const pqxx::field& f) { return f.is_null() ? 0 : f.as<int64_t>(); }
inline std::optional<int64_t> opt_int(const pqxx::field& f) {
  return f.is_null() ? std::nullopt : std::optional<int64_t>(f.as<int64_t>());
}
inline std::string text_or_empty(const pqxx::field& f) { return f.is_null() ? std::string() : f.as<std::string>(); }

}  // namespace rapporteur::postgres
