// The PostgreSQL store: the storage contract on a PostgreSQL 15 server, for
// an installation that outgrows one machine (synchronous streaming
// replication with automatic failover; deploy/patroni/README.md).
//
// As in the SQLite store, one writer thread per process group-commits
// queued writes: one transaction per batch, answers only after COMMIT
// returned (with synchronous_commit on, and a synchronous
// standby, that is on two machines). Every batch first takes one
// transaction-scoped advisory lock, so the write batches of all instances
// sharing a database run one after another, as the single writer of one
// SQLite file does: a check a job makes still holds when it writes, and the
// hash-chained log is appended to one event at a time. A job that fails is
// undone alone: the batch is run again without it when it had written
// (postgres_store.cpp says why not a savepoint per job).
//
// Reads use a pool of connections, each read in a REPEATABLE READ READ ONLY
// transaction (one snapshot).
//
// Losing the server: a batch whose connection broke before COMMIT was sent
// is run again on a new connection (libpq tries every host of a multi-host
// URL and, with target_session_attrs=read-write, keeps the primary), for up
// to 30 seconds. A batch whose connection broke during COMMIT may or may not
// be committed: its callers are answered "unavailable", and a client retries
// with the same Idempotency-Key (the reply stored with the write tells it
// what happened). Reads are retried the same way.
//
// Several instances: every committed batch sends a notification (NOTIFY)
// naming the sessions it touched; a listener thread of every other
// instance moves its generations and tells its listeners, as its own
// commits do.
#pragma once

#include <memory>

#include "rapporteur/store.h"

namespace rapporteur::postgres {

class PostgresStore final : public Store {
 public:
  // Connects, and migrates the schema (schema/postgres/) under a lock, so
  // that instances starting together do it once.
  static Result<std::unique_ptr<Store>> open(const StoreOptions& options);

  ~PostgresStore() override;
  PostgresStore(const PostgresStore&) = delete;
  PostgresStore& operator=(const PostgresStore&) = delete;

  void on_commit(std::function<void(const std::vector<std::string>&)> listener) override;
  void stop() override;
  uint64_t commit_generation() const override;
  uint64_t people_generation() const override;
  Status ping() override;
  const std::string& location() const override;
  int schema_version() const override;
  const WriterStats& stats() const override;

  struct Impl;

 protected:
  Status submit(std::function<Status(Tx&)> job) override;
  Status run_read(const std::function<Status(Snapshot&)>& fn) override;

 private:
  explicit PostgresStore(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// read_existing() for a PostgreSQL database: not_found when the database
// does not exist, invalid when it holds no Rapporteur schema.
Status read_existing_database(const StoreOptions& options, const std::function<Status(Snapshot&)>& fn);

// The URL as messages show it: without its password and query.
std::string redacted_url(const std::string& url);

// The URL the store connects with: `url` with libpq's defaults for a
// replicated server added where it sets none (keep to the primary, give up
// a connection attempt after 5 s, notice a dead peer within about 10 s,
// synchronous_commit on).
std::string connection_url(const std::string& url);

}  // namespace rapporteur::postgres
