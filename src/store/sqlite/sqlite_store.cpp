#include "store/sqlite/sqlite_store.h"

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
#include "store/sqlite/migrations.h"
#include "store/sqlite/statement_cache.h"
#include "store/sqlite/views.h"

namespace rapporteur::sqlite {
namespace {

constexpr int kBusyTimeoutMs = 5000;
constexpr int kWipeBusyTimeoutMs = 500;

// Set by SqliteStore::note_people_changed() on a writer thread during a batch.
thread_local bool batch_people_changed = false;

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

// A read connection with its prepared statements (destroyed before it).
struct Reader {
  std::unique_ptr<SQLite::Database> db;
  std::unique_ptr<StatementCache> statements;
};

struct SqliteStore::Impl {
  std::string path;
  StoreOptions options;
  std::unique_ptr<SQLite::Database> writer_db;
  std::unique_ptr<StatementCache> writer_statements;  // used by the writer thread only
  int schema = 0;

  std::mutex mu;
  std::condition_variable cv;
  std::deque<Job> queue;
  bool stopping = false;
  std::thread writer;
  std::vector<std::function<void(const std::vector<std::string>&)>> listeners;

  std::mutex read_mu;
  std::condition_variable read_cv;
  std::vector<Reader> idle_readers;

  WriterStats stats;
  std::atomic<uint64_t> people_generation{0};
  std::atomic<uint64_t> commit_generation{0};

  // A wipe of the write-ahead log was asked for and has not yet succeeded
  // (a reader still used the log); tried again after the next batches.
  bool wal_wipe_pending = false;

  void writer_loop();
  void run_batch(std::vector<Job>& batch);
  void wipe_wal();
};

void SqliteStore::Impl::writer_loop() {
  StatementCacheScope statements(writer_statements.get());
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

void SqliteStore::Impl::run_batch(std::vector<Job>& batch) {
  std::vector<Status> results(batch.size());
  std::vector<std::string> touched;
  SQLite::Database& db = *writer_db;
  bool committed = false;
  bool wipe_requested = false;
  try {
    // Prepared once and reused (statement cache): these run for every job.
    Stmt(db, "BEGIN IMMEDIATE").exec();
    for (size_t i = 0; i < batch.size(); ++i) {
      SqliteTx tx(db);
      Stmt(db, "SAVEPOINT job").exec();
      Status st;
      try {
        st = batch[i].run(tx);
      } catch (const std::exception& e) {
        st = status_from_exception(e);
      }
      if (!st.is_ok()) Stmt(db, "ROLLBACK TO job").exec();
      Stmt(db, "RELEASE job").exec();
      if (st.is_ok()) touched.insert(touched.end(), tx.touched.begin(), tx.touched.end());
      if (st.is_ok() && tx.wipe_wal) wipe_requested = true;
      results[i] = std::move(st);
    }
    Stmt(db, "COMMIT").exec();
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
  if (committed && wipe_requested) wal_wipe_pending = true;
  if (wal_wipe_pending) wipe_wal();
  const bool people_changed = batch_people_changed;
  batch_people_changed = false;
  stats.commits += committed ? 1 : 0;
  stats.writes += batch.size();
  if (batch.size() > stats.max_batch) stats.max_batch = batch.size();
  // Caches are told before any caller is answered: a client that reads right
  // after its write was acknowledged must never be served the state before it.
  if (committed) commit_generation.fetch_add(1, std::memory_order_acq_rel);
  if (people_changed) people_generation.fetch_add(1, std::memory_order_acq_rel);
  if (committed && !touched.empty()) {
    std::sort(touched.begin(), touched.end());
    touched.erase(std::unique(touched.begin(), touched.end()), touched.end());
    for (auto& l : listeners) l(touched);
  }
  for (size_t i = 0; i < batch.size(); ++i) {
    if (!committed) results[i] = Status::internal("the write could not be committed");
    if (!results[i].is_ok()) ++stats.failed_writes;
    batch[i].done.set_value(std::move(results[i]));
  }
}

// Copies every frame of the write-ahead log into the database file and
// truncates the log to zero bytes. Waits (busy timeout) for readers still on
// an older snapshot; if one outlasts it, the log is left as it is and the
// wipe is tried again after the next batch.
void SqliteStore::Impl::wipe_wal() {
  // Every write waits while the writer does this: readers get a short while
  // to finish, not the usual busy timeout.
  writer_db->setBusyTimeout(kWipeBusyTimeoutMs);
  try {
    SQLite::Statement q(*writer_db, "PRAGMA wal_checkpoint(TRUNCATE)");
    if (q.executeStep() && q.getColumn(0).getInt() == 0) {
      wal_wipe_pending = false;
    } else {
      log_error("the write-ahead log could not be truncated yet (a reader is still on it); will try again");
    }
  } catch (const std::exception& e) {
    log_error(std::string("write-ahead log truncation failed: ") + e.what());
  }
  writer_db->setBusyTimeout(kBusyTimeoutMs);
}

namespace {
constexpr int64_t kReaderMmapBytes = int64_t{256} << 20;
}  // namespace

SqliteStore::SqliteStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

SqliteStore::~SqliteStore() { stop(); }

Result<std::unique_ptr<Store>> SqliteStore::open(const StoreOptions& options) {
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
  // Each store starts its people generation in its own range, so a value taken
  // from one database never matches another's (caches outlive a closed store).
  static std::atomic<uint64_t> next_range{1};
  impl->people_generation = next_range.fetch_add(1) << 32;
  impl->commit_generation = next_range.fetch_add(1) << 32;
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
    // Deleted content is overwritten, not left behind in free space or on
    // free pages: a closed secret poll's rows are rewritten in key order,
    // and their old cells must not survive in the file.
    db.exec("PRAGMA secure_delete = ON");
    migrate(db);
    impl->schema = db.execAndGet("PRAGMA user_version").getInt();
    impl->writer_statements = std::make_unique<StatementCache>(db);
    for (int i = 0; i < std::max(1, options.readers); ++i) {
      Reader r;
      r.db = std::make_unique<SQLite::Database>(options.path, SQLite::OPEN_READONLY | SQLite::OPEN_FULLMUTEX);
      r.db->setBusyTimeout(kBusyTimeoutMs);
      // Large drafts (8 MB rows for 1,000 fragments) are read through memory
      // mapping instead of one pread and copy per page: the export of such a
      // session spent a third of its time in pread.
      r.db->exec("PRAGMA mmap_size = " + std::to_string(kReaderMmapBytes));
      r.statements = std::make_unique<StatementCache>(*r.db);
      impl->idle_readers.push_back(std::move(r));
    }
  } catch (const std::exception& e) {
    return Status::internal("database " + options.path + ": " + e.what());
  }
  std::unique_ptr<SqliteStore> out(new SqliteStore(std::move(impl)));
  Impl* raw = out->impl_.get();
  raw->writer = std::thread([raw] { raw->writer_loop(); });
  return std::unique_ptr<Store>(std::move(out));
}

void SqliteStore::stop() {
  {
    std::lock_guard<std::mutex> lock(impl_->mu);
    if (impl_->stopping && !impl_->writer.joinable()) return;
    impl_->stopping = true;
  }
  impl_->cv.notify_all();
  if (impl_->writer.joinable()) impl_->writer.join();
}

Status SqliteStore::submit(std::function<Status(Tx&)> run) {
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

Status SqliteStore::run_read(const std::function<Status(Snapshot&)>& fn) {
  Reader reader;
  {
    std::unique_lock<std::mutex> lock(impl_->read_mu);
    impl_->read_cv.wait(lock, [&] { return !impl_->idle_readers.empty(); });
    reader = std::move(impl_->idle_readers.back());
    impl_->idle_readers.pop_back();
  }
  SQLite::Database* conn = reader.db.get();
  Status st;
  try {
    StatementCacheScope statements(reader.statements.get());
    Stmt(*conn, "BEGIN").exec();
    try {
      SqliteSnapshot snap(*conn);
      st = fn(snap);
    } catch (const std::exception& e) {
      log_error(std::string("read failed: ") + e.what());
      st = Status::internal(e.what());
    }
    Stmt(*conn, "COMMIT").exec();
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
    impl_->idle_readers.push_back(std::move(reader));
  }
  impl_->read_cv.notify_one();
  return st;
}

void SqliteStore::on_commit(std::function<void(const std::vector<std::string>&)> listener) {
  std::lock_guard<std::mutex> lock(impl_->mu);
  impl_->listeners.push_back(std::move(listener));
}

void SqliteStore::note_people_changed() { batch_people_changed = true; }

uint64_t SqliteStore::commit_generation() const { return impl_->commit_generation.load(std::memory_order_acquire); }

uint64_t SqliteStore::people_generation() const { return impl_->people_generation.load(std::memory_order_acquire); }

Status SqliteStore::ping() {
  return run_read([](Snapshot& snap) -> Status {
    snap.sessions().exists("");
    return Status::ok();
  });
}

const std::string& SqliteStore::location() const { return impl_->path; }
int SqliteStore::schema_version() const { return impl_->schema; }
const WriterStats& SqliteStore::stats() const { return impl_->stats; }

Status read_existing_file(const std::string& path, const std::function<Status(Snapshot&)>& fn) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) return Status::not_found("no database at " + path);
  try {
    // Read-only and without open(): reading must not migrate or otherwise
    // write to the file under examination.
    SQLite::Database db(path, SQLite::OPEN_READONLY);
    db.setBusyTimeout(kBusyTimeoutMs);
    db.exec("BEGIN");  // one snapshot for the whole read, even while a server writes
    if (db.execAndGet("PRAGMA user_version").getInt() == 0) {
      return Status::invalid(path + " is not a Rapporteur database");
    }
    SqliteSnapshot snap(db);
    Status st = fn(snap);
    db.exec("COMMIT");
    return st;
  } catch (const std::exception& e) {
    // A file too damaged to read is an answer, not a crash.
    return Status::internal(path + ": " + e.what());
  }
}

}  // namespace rapporteur::sqlite
