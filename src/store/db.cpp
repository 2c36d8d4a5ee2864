#include "rapporteur/db.h"

#include <SQLiteCpp/Backup.h>
#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <future>
#include <mutex>
#include <thread>

#include "rapporteur/log.h"
#include "store/migrations.h"

namespace rapporteur {
namespace {

constexpr int kBusyTimeoutMs = 5000;

struct Job {
  std::function<Status(Tx&)> run;
  std::promise<Status> done;
};

// Maps an exception thrown inside a job to a Status. Constraint violations
// are the store's way of saying "this state does not allow it".
Status status_from_exception(const std::exception& e) {
  if (const auto* se = dynamic_cast<const SQLite::Exception*>(&e)) {
    if ((se->getErrorCode() & 0xFF) == SQLITE_CONSTRAINT) {
      return Status::conflict(std::string("constraint: ") + se->what());
    }
  }
  log_error(std::string("write job failed: ") + e.what());
  return Status::internal(e.what());
}

}  // namespace

struct Db::Impl {
  std::string path;
  DbOptions options;
  std::unique_ptr<SQLite::Database> writer_db;
  int schema = 0;

  std::mutex mu;
  std::condition_variable cv;
  std::deque<Job> queue;
  bool stopping = false;
  std::thread writer;
  std::vector<std::function<void(const std::vector<std::string>&)>> listeners;

  std::mutex read_mu;
  std::condition_variable read_cv;
  std::vector<std::unique_ptr<SQLite::Database>> idle_readers;

  WriterStats stats;

  void writer_loop();
  void run_batch(std::vector<Job>& batch);
};

void Db::Impl::writer_loop() {
  std::vector<Job> batch;
  for (;;) {
    {
      std::unique_lock<std::mutex> lock(mu);
      cv.wait(lock, [&] { return !queue.empty() || stopping; });
      if (queue.empty() && stopping) return;
      while (!queue.empty() && batch.size() < options.max_batch) {
        batch.push_back(std::move(queue.front()));
        queue.pop_front();
      }
    }
    run_batch(batch);
    batch.clear();
  }
}

void Db::Impl::run_batch(std::vector<Job>& batch) {
  std::vector<Status> results(batch.size());
  std::vector<std::string> touched;
  SQLite::Database& db = *writer_db;
  bool committed = false;
  try {
    db.exec("BEGIN IMMEDIATE");
    for (size_t i = 0; i < batch.size(); ++i) {
      Tx tx{db, {}};
      db.exec("SAVEPOINT job");
      Status st;
      try {
        st = batch[i].run(tx);
      } catch (const std::exception& e) {
        st = status_from_exception(e);
      }
      if (!st.is_ok()) db.exec("ROLLBACK TO job");
      db.exec("RELEASE job");
      if (st.is_ok()) touched.insert(touched.end(), tx.touched.begin(), tx.touched.end());
      results[i] = std::move(st);
    }
    db.exec("COMMIT");
    committed = true;
  } catch (const std::exception& e) {
    log_error(std::string("batch commit failed: ") + e.what());
    try {
      db.exec("ROLLBACK");
    } catch (const std::exception&) {
      // Nothing more can be done: the transaction is already gone or the
      // connection is broken; every job below is answered with an error.
    }
  }
  stats.commits += committed ? 1 : 0;
  stats.writes += batch.size();
  if (batch.size() > stats.max_batch) stats.max_batch = batch.size();
  for (size_t i = 0; i < batch.size(); ++i) {
    if (!committed) results[i] = Status::internal("the write could not be committed");
    if (!results[i].is_ok()) ++stats.failed_writes;
    batch[i].done.set_value(std::move(results[i]));
  }
  if (committed && !touched.empty()) {
    std::sort(touched.begin(), touched.end());
    touched.erase(std::unique(touched.begin(), touched.end()), touched.end());
    for (auto& l : listeners) l(touched);
  }
}

Db::Db(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Db::~Db() { stop(); }

Result<std::unique_ptr<Db>> Db::open(const DbOptions& options) {
  // SQLite's memory statistics are kept under one process-wide mutex that
  // every allocation of every connection takes; with the writer and the
  // readers on different threads that mutex was a measured hot spot of the
  // vote burst (bench/PERFORMANCE.md). Nothing here reads those statistics.
  // Only possible before SQLite initialises (the first connection opened);
  // later calls fail harmlessly.
  static const int memstatus_off = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
  (void)memstatus_off;
  auto impl = std::make_unique<Impl>();
  impl->path = options.path;
  impl->options = options;
  try {
    const std::filesystem::path p(options.path);
    if (p.has_parent_path()) std::filesystem::create_directories(p.parent_path());
    impl->writer_db = std::make_unique<SQLite::Database>(options.path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE |
                                                                          SQLite::OPEN_FULLMUTEX);
    SQLite::Database& db = *impl->writer_db;
    db.setBusyTimeout(kBusyTimeoutMs);
    db.exec("PRAGMA journal_mode = WAL");
    db.exec("PRAGMA synchronous = FULL");
    db.exec("PRAGMA foreign_keys = ON");
    migrate(db);
    impl->schema = db.execAndGet("PRAGMA user_version").getInt();
    for (int i = 0; i < std::max(1, options.readers); ++i) {
      auto r = std::make_unique<SQLite::Database>(options.path, SQLite::OPEN_READONLY | SQLite::OPEN_FULLMUTEX);
      r->setBusyTimeout(kBusyTimeoutMs);
      impl->idle_readers.push_back(std::move(r));
    }
  } catch (const std::exception& e) {
    return Status::internal("database " + options.path + ": " + e.what());
  }
  std::unique_ptr<Db> out(new Db(std::move(impl)));
  Impl* raw = out->impl_.get();
  raw->writer = std::thread([raw] { raw->writer_loop(); });
  return out;
}

void Db::stop() {
  {
    std::lock_guard<std::mutex> lock(impl_->mu);
    if (impl_->stopping && !impl_->writer.joinable()) return;
    impl_->stopping = true;
  }
  impl_->cv.notify_all();
  if (impl_->writer.joinable()) impl_->writer.join();
}

Status Db::submit(std::function<Status(Tx&)> run) {
  Job job{std::move(run), {}};
  std::future<Status> done = job.done.get_future();
  {
    std::lock_guard<std::mutex> lock(impl_->mu);
    if (impl_->stopping) return Status::internal("the server is shutting down");
    impl_->queue.push_back(std::move(job));
  }
  impl_->cv.notify_one();
  return done.get();
}

Status Db::run_read(const std::function<Status(SQLite::Database&)>& fn) {
  std::unique_ptr<SQLite::Database> conn;
  {
    std::unique_lock<std::mutex> lock(impl_->read_mu);
    impl_->read_cv.wait(lock, [&] { return !impl_->idle_readers.empty(); });
    conn = std::move(impl_->idle_readers.back());
    impl_->idle_readers.pop_back();
  }
  Status st;
  try {
    conn->exec("BEGIN");
    try {
      st = fn(*conn);
    } catch (const std::exception& e) {
      log_error(std::string("read failed: ") + e.what());
      st = Status::internal(e.what());
    }
    conn->exec("COMMIT");
  } catch (const std::exception& e) {
    log_error(std::string("read transaction failed: ") + e.what());
    try {
      conn->exec("ROLLBACK");
    } catch (const std::exception&) {
      // The read transaction may never have started; nothing to undo.
    }
    if (st.is_ok()) st = Status::internal(e.what());
  }
  {
    std::lock_guard<std::mutex> lock(impl_->read_mu);
    impl_->idle_readers.push_back(std::move(conn));
  }
  impl_->read_cv.notify_one();
  return st;
}

void Db::on_commit(std::function<void(const std::vector<std::string>&)> listener) {
  std::lock_guard<std::mutex> lock(impl_->mu);
  impl_->listeners.push_back(std::move(listener));
}

Status Db::backup(const std::string& dest) {
  try {
    // A separate source connection: the online backup restarts when the
    // writer commits meanwhile, and never blocks it for long.
    SQLite::Database src(impl_->path, SQLite::OPEN_READONLY);
    src.setBusyTimeout(kBusyTimeoutMs);
    SQLite::Database out(dest, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    SQLite::Backup backup(out, src);
    int rc = SQLITE_OK;
    do {
      rc = backup.executeStep(256);
      if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    } while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
    if (rc != SQLITE_DONE) return Status::internal("backup to " + dest + " failed with SQLite code " + std::to_string(rc));
  } catch (const std::exception& e) {
    return Status::internal("backup to " + dest + ": " + e.what());
  }
  return Status::ok();
}

const std::string& Db::path() const { return impl_->path; }
int Db::schema_version() const { return impl_->schema; }
const WriterStats& Db::stats() const { return impl_->stats; }

}  // namespace rapporteur
