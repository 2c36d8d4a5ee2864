// The storage contract: what the domain needs of a database, and nothing of
// how one is reached. The domain reads through a Snapshot and writes through
// a Tx; both hand out the rows of one area at a time (sessions, people,
// fragments, drafts, polls, amendments, events, idempotency, settings).
//
// Promises every implementation keeps:
// - A write job runs in its own savepoint inside a batch transaction. A job
//   that fails (non-ok result or exception) is undone alone; a job is
//   answered only after its batch's commit is durable. A row constraint the
//   write breaks answers conflict.
// - A read sees one consistent snapshot of the last commit.
// - Listeners (on_commit) and the generations move after the commit and
//   before any caller of that batch is answered.
//
// The SQLite implementation lives in src/store/sqlite/ (one file in WAL mode,
// synchronous=FULL, one group-committing writer thread, a pool of read-only
// connections).
//
// Thread safety: every public member of Store may be called from any thread.
// A Tx or Snapshot is used only inside the job or read it was handed to.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "rapporteur/status.h"
#include "rapporteur/store/amendments.h"
#include "rapporteur/store/drafts.h"
#include "rapporteur/store/events.h"
#include "rapporteur/store/fragments.h"
#include "rapporteur/store/idempotency.h"
#include "rapporteur/store/polls.h"
#include "rapporteur/store/sessions.h"
#include "rapporteur/store/settings.h"

namespace rapporteur {

// A read-only view of one committed state.
class Snapshot {
 public:
  virtual ~Snapshot() = default;
  virtual SessionReads& sessions() = 0;
  virtual PersonReads& people() = 0;
  virtual FragmentReads& fragments() = 0;
  virtual DraftReads& drafts() = 0;
  virtual PollReads& polls() = 0;
  virtual AmendmentReads& amendments() = 0;
  virtual EventReads& events() = 0;
  virtual SettingReads& settings() = 0;
};

// What a write job sees: everything a snapshot reads (including the job's own
// uncommitted writes) and the writes themselves.
class Tx : public Snapshot {
 public:
  SessionWrites& sessions() override = 0;
  PersonWrites& people() override = 0;
  FragmentWrites& fragments() override = 0;
  DraftWrites& drafts() override = 0;
  PollWrites& polls() override = 0;
  AmendmentWrites& amendments() override = 0;
  EventWrites& events() override = 0;
  SettingWrites& settings() override = 0;
  virtual IdempotencyWrites& idempotency() = 0;

  // Sessions whose state this job changed; listeners are told after commit.
  std::vector<std::string> touched;
  void touch(const std::string& session) { touched.push_back(session); }
  // Set by a job whose commit must leave no older copy of what it rewrote in
  // the store's write-ahead log (a closed secret poll): the log is emptied
  // before anyone is answered.
  bool wipe_wal = false;
};

struct StoreOptions {
  std::string path = "data/rapporteur.db";  // the SQLite file, when `url` is empty
  std::string url;                          // a postgresql:// URL: the PostgreSQL store
  int readers = 4;                          // read-only connections in the pool
  size_t max_batch = 2048;                  // most jobs committed together
};

// Sets where the data lives from a --db value: a postgresql:// (or
// postgres://) URL names a PostgreSQL server, anything else without a
// scheme is a SQLite file path. A value that starts like another URL
// ("mysql://...", "file:x.db", "sqlite:x.db") is refused with a message
// saying what is taken, rather than created as a file of that name (a file
// whose name has a colon before any slash is written "./name").
Status set_database(StoreOptions& options, const std::string& value);

// Whether this binary can open a PostgreSQL store.
bool postgres_supported();

// Where the data lives, for messages: the SQLite path, or the PostgreSQL URL
// without its password and query (which may hold one too). The user
// information ends at the URL's last '@', as a password may hold '?', ':'
// or '/'.
std::string database_shown(const StoreOptions& options);

struct WriterStats {
  std::atomic<uint64_t> commits{0};
  std::atomic<uint64_t> writes{0};
  std::atomic<uint64_t> failed_writes{0};
  std::atomic<uint64_t> max_batch{0};
};

class Store {
 public:
  virtual ~Store() = default;

  // Runs `fn` as a write job (see above) and waits until its batch is
  // committed. After stop(), answers internal "shutting down".
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

  // Runs `fn` on one consistent snapshot of the last commit.
  template <typename T>
  Result<T> read(const std::function<Result<T>(Snapshot&)>& fn) {
    std::optional<T> out;
    Status st = run_read([&](Snapshot& snap) -> Status {
      Result<T> r = fn(snap);
      if (!r.ok()) return r.status();
      out.emplace(std::move(r).value());
      return Status::ok();
    });
    if (!st.is_ok()) return st;
    return std::move(*out);
  }

  // Called after each commit, with the touched sessions, before any caller
  // of that batch is answered.
  virtual void on_commit(std::function<void(const std::vector<std::string>&)> listener) = 0;

  // Stops accepting writes, commits the queue. Idempotent.
  virtual void stop() = 0;

  // A counter of committed batches, for caches of state read from the store:
  // it moves after every commit, before any caller of that batch is
  // answered. A value read before a read began stays current for as long as
  // the state that read saw is still the last committed one. Unique to this
  // Store (no other Store's counter takes the same values).
  virtual uint64_t commit_generation() const = 0;

  // A counter of the changes to people (added, token replaced, marked
  // present), for caches of token lookups: it moves after the commit of every
  // batch that wrote through people(), before any caller of that batch is
  // answered.
  virtual uint64_t people_generation() const = 0;

  // Whether the store answers a trivial read (the health check).
  virtual Status ping() = 0;

  // Where the data lives, for messages (a file path).
  virtual const std::string& location() const = 0;
  virtual int schema_version() const = 0;
  virtual const WriterStats& stats() const = 0;

 protected:
  virtual Status submit(std::function<Status(Tx&)> job) = 0;
  virtual Status run_read(const std::function<Status(Snapshot&)>& fn) = 0;
};

// Opens (creating the folder and file as needed) and migrates. Fails with a
// message naming the file when it cannot be opened or comes from a newer
// binary.
Result<std::unique_ptr<Store>> open_store(const StoreOptions& options);

// Reads an existing database in one snapshot without opening it for writing:
// no migration, no writer, nothing written (for offline checks). not_found
// when there is no database there, invalid when it is not Rapporteur's.
Status read_existing(const StoreOptions& options, const std::function<Status(Snapshot&)>& fn);

}  // namespace rapporteur
