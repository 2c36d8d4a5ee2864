// Prepared statements kept per connection.
//
// Parsing and planning the same SQL text for every request was about a third
// of the server's CPU in the vote burst (bench/PERFORMANCE.md), so each
// connection the Db owns keeps its prepared statements for reuse. A store
// function writes `Stmt q(db, sql)` where it would write
// `SQLite::Statement q(db, sql)`: when the calling thread holds `db` (the Db's
// writer thread, or a thread inside Db::read on that reader), the statement
// comes from the connection's cache and is reset, with its bindings cleared,
// when `q` goes out of scope; otherwise (another connection, a statement of the
// same text already in use further up the stack, a full cache) it is prepared
// afresh exactly as before.
//
// Thread safety: a StatementCache belongs to one connection and is used only
// by the thread that holds that connection; StatementCacheScope publishes it
// to that thread alone (thread-local).
#pragma once

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>

#include "store/stored_values.h"

namespace rapporteur {

class StatementCache {
 public:
  explicit StatementCache(SQLite::Database& db) : db_(db) {}
  // Finalizes every statement; must run before its connection closes.
  ~StatementCache() = default;
  StatementCache(const StatementCache&) = delete;
  StatementCache& operator=(const StatementCache&) = delete;

  SQLite::Database& db() const { return db_; }
  size_t size() const { return entries_.size(); }

 private:
  friend class Stmt;
  struct Entry {
    std::unique_ptr<SQLite::Statement> statement;
    bool in_use = false;
  };
  // SQL texts are the stores' constants; the bound only guards against a
  // caller that would build SQL dynamically.
  static constexpr size_t kMaxEntries = 512;
  SQLite::Database& db_;
  std::unordered_map<std::string, Entry> entries_;  // node-based: entries never move
};

// Makes `cache` the calling thread's current cache for its lifetime, then
// restores the previous one (scopes nest).
class StatementCacheScope {
 public:
  explicit StatementCacheScope(StatementCache* cache);
  ~StatementCacheScope();
  StatementCacheScope(const StatementCacheScope&) = delete;
  StatementCacheScope& operator=(const StatementCacheScope&) = delete;

 private:
  StatementCache* previous_;
};

// A statement for `sql` on `db`, borrowed from the current thread's cache when
// that cache is `db`'s, else prepared for this use only.
class Stmt {
 public:
  Stmt(SQLite::Database& db, const std::string& sql);
  ~Stmt();  // Returns a borrowed statement reset and unbound; never throws.
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;

  SQLite::Statement& get() { return *statement_; }
  operator SQLite::Statement&() { return *statement_; }  // for row readers taking a Statement&
  SQLite::Statement* operator->() { return statement_; }

  template <typename... Args>
  void bind(Args&&... args) {
    statement_->bind(std::forward<Args>(args)...);
  }
  // Binds `values` to parameters 1, 2, ... in order, as SQLiteCpp's
  // SQLite::bind does, and also binds an empty std::optional as NULL and a
  // bool as 1 or 0 (SQLite::bind in Debian 12's SQLiteCpp 3.2 has no NULL).
  template <typename... Values>
  void bind_all(const Values&... values) {
    int index = 0;
    (bind_at(++index, values), ...);
  }
  bool executeStep() { return statement_->executeStep(); }
  int exec() { return statement_->exec(); }
  void reset() { statement_->reset(); }
  SQLite::Column getColumn(int index) { return statement_->getColumn(index); }

 private:
  template <typename T>
  void bind_at(int index, const T& value) {
    statement_->bind(index, value);
  }
  template <typename T>
  void bind_at(int index, const std::optional<T>& value) {
    if (value) {
      bind_at(index, *value);
    } else {
      statement_->bind(index);
    }
  }
  void bind_at(int index, bool value) { statement_->bind(index, value ? 1 : 0); }

  SQLite::Statement* statement_ = nullptr;
  std::unique_ptr<SQLite::Statement> owned_;
  StatementCache::Entry* borrowed_ = nullptr;
};

}  // namespace rapporteur
