// The database: one SQLite file in WAL mode with synchronous=FULL.
//
// One writer thread owns the write connection and group-commits queued
// writes: it takes every queued job, runs them in one BEGIN IMMEDIATE
// transaction with a SAVEPOINT each (a job that fails is rolled back to its
// savepoint and does not sink the others), commits once, and only then
// answers every waiting caller. A write is therefore acknowledged only after
// its commit is on disk. The write connection has secure_delete on: deleted
// rows and freed pages are overwritten with zeros, not left in the file. Readers use a small pool of read-only connections,
// each read in its own snapshot transaction.
//
// Thread safety: every public member may be called from any thread.
#pragma once

#include "rapporteur/status.h"

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace SQLite {
class Database;
}

namespace rapporteur {

// What a write job sees: the write connection, inside the batch transaction
// and the job's own savepoint.
struct Tx {
  SQLite::Database& db;
  // Sessions whose state this job changed; listeners are told after commit.
  std::vector<std::string> touched;
  void touch(const std::string& session) { touched.push_back(session); }
  // Set by a job whose commit must leave no trace in the write-ahead log
  // (a closed secret poll): after the commit the log is checkpointed into
  // the database file and truncated to zero bytes before anyone is answered.
  bool wipe_wal = false;
};

struct DbOptions {
  std::string path = "data/rapporteur.db";
  int readers = 4;         // read-only connections in the pool
  size_t max_batch = 2048; // most jobs committed together
};

struct WriterStats {
  std::atomic<uint64_t> commits{0};
  std::atomic<uint64_t> writes{0};
  std::atomic<uint64_t> failed_writes{0};
  std::atomic<uint64_t> max_batch{0};
};

class Db {
 public:
  // Opens (creating the folder and file as needed) and migrates. Fails with a
  // message naming the file when it cannot be opened or comes from a newer
  // binary.
  static Result<std::unique_ptr<Db>> open(const DbOptions& options);

  ~Db();  // Commits what is queued, stops the writer, closes connections.
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  // Runs `fn` on the writer thread in its own savepoint and waits until the
  // batch is committed. A non-ok result (or an exception) rolls back only this
  // job. After stop(), answers internal "shutting down".
  template <typename T>
  Result<T> write(const std::function<Result<T>(Tx&)>& fn) {
    std::optional<T> out;
    Status st = submit([&](Tx& tx) -> Status {
      Result<T> r = fn(tx);
      if (!r.ok()) return r.status();
      out.emplace(std::move(r).value());
      return Status::ok();
    });
    if (!st.is_ok()) return st;
    return std::move(*out);
  }

  // Runs `fn` on a pooled read-only connection inside one read transaction
  // (a consistent snapshot of the last commit).
  template <typename T>
  Result<T> read(const std::function<Result<T>(SQLite::Database&)>& fn) {
    std::optional<T> out;
    Status st = run_read([&](SQLite::Database& db) -> Status {
      Result<T> r = fn(db);
      if (!r.ok()) return r.status();
      out.emplace(std::move(r).value());
      return Status::ok();
    });
    if (!st.is_ok()) return st;
    return std::move(*out);
  }

  // Called on the writer thread after each commit with the touched sessions.
  void on_commit(std::function<void(const std::vector<std::string>&)> listener);

  // Stops accepting writes, commits the queue, joins the writer. Idempotent.
  void stop();

  // A counter of committed batches, for caches of state read from the
  // database: it moves after every commit, before any caller of that batch is
  // answered. A value read before a read transaction began stays current for
  // as long as the state that read saw is still the last committed one.
  // Unique to this Db (no other Db's counter takes the same values).
  uint64_t commit_generation() const;

  // A counter of the changes to people (added, token replaced, marked
  // present), for caches of token lookups: it moves after the commit of every
  // batch in which a write job called note_people_changed(), before any caller
  // of that batch is answered. A lookup whose read began after reading value g
  // is current for as long as people_generation() is still g.
  uint64_t people_generation() const;
  // Called by the people store from inside a write job (on the writer thread).
  static void note_people_changed();

  const std::string& path() const;
  int schema_version() const;
  const WriterStats& stats() const;

 private:
  struct Impl;
  explicit Db(std::unique_ptr<Impl> impl);
  Status submit(std::function<Status(Tx&)> job);
  Status run_read(const std::function<Status(SQLite::Database&)>& fn);
  std::unique_ptr<Impl> impl_;
};

}  // namespace rapporteur
