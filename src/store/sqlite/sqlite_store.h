// The SQLite store: one file in WAL mode with synchronous=FULL.
//
// One writer thread owns the write connection and group-commits queued
// writes: it takes every queued job, runs them in one BEGIN IMMEDIATE
// transaction with a SAVEPOINT each (a job that fails is rolled back to its
// savepoint and does not sink the others), commits once, and only then
// answers every waiting caller. A write is therefore acknowledged only after
// its commit is on disk. The write connection has secure_delete on: deleted
// rows and freed pages are overwritten with zeros, not left in the file.
// Readers use a small pool of read-only connections, each read in its own
// snapshot transaction.
#pragma once

#include <memory>

#include "rapporteur/store.h"

namespace rapporteur::sqlite {

class SqliteStore final : public Store {
 public:
  // Opens (creating the folder and file as needed) and migrates.
  static Result<std::unique_ptr<Store>> open(const StoreOptions& options);

  ~SqliteStore() override;  // Commits what is queued, stops the writer, closes connections.
  SqliteStore(const SqliteStore&) = delete;
  SqliteStore& operator=(const SqliteStore&) = delete;

  void on_commit(std::function<void(const std::vector<std::string>&)> listener) override;
  void stop() override;
  uint64_t commit_generation() const override;
  uint64_t people_generation() const override;
  Status ping() override;
  const std::string& location() const override;
  int schema_version() const override;
  const WriterStats& stats() const override;

  // Called by the people rows from inside a write job (on the writer thread).
  static void note_people_changed();

 protected:
  Status submit(std::function<Status(Tx&)> job) override;
  Status run_read(const std::function<Status(Snapshot&)>& fn) override;

 private:
  struct Impl;
  explicit SqliteStore(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// read_existing() for a SQLite file.
Status read_existing_file(const std::string& path, const std::function<Status(Snapshot&)>& fn);

}  // namespace rapporteur::sqlite
