#include "store/postgres/postgres_store.h"

#include <openssl/rand.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <future>
#include <mutex>
#include <thread>

#include "rapporteur/log.h"
#include "store/postgres/migrations.h"
#include "store/postgres/notifications.h"
#include "store/postgres/views.h"

namespace rapporteur::postgres {
namespace {

using Clock = std::chrono::steady_clock;

// How long a write or read waits for the database to come back (a failover
// promotes a standby within seconds), and how often it tries meanwhile.
constexpr auto kOutageWindow = std::chrono::seconds(30);
constexpr auto kRetryPause = std::chrono::milliseconds(250);

// The transaction-scoped advisory lock every write batch of every instance
// holds ("rapp" "writ" in ASCII).
constexpr int64_t kWriteLock = 0x72617070'77726974;

struct Job {
  std::function<Status(Tx&)> run;
  std::promise<Status> done;
};

Status unavailable(const std::string& what) {
  return Status::unavailable("the database did not answer (" + what +
                             "); try again (a write with the same Idempotency-Key is applied once)");
}

// Maps an error of a job's statement to a Status: a broken row rule (unique,
// check, foreign key, a guard trigger) says "this state does not allow it".
Status status_from_exception(const std::exception& e) {
  if (const auto* se = dynamic_cast<const pqxx::sql_error*>(&e)) {
    const std::string& state = se->sqlstate();
    if (state.rfind("23", 0) == 0 || state == "P0001") {
      return Status::conflict(std::string("constraint: ") + se->what());
    }
  }
  log_error(std::string("write job failed: ") + e.what());
  return Status::internal(e.what());
}


std::string random_id() {
  unsigned char bytes[8];
  RAND_bytes(bytes, sizeof bytes);
  static const char* hex = "0123456789abcdef";
  std::string out;
  for (unsigned char b : bytes) {
    out += hex[b >> 4];
    out += hex[b & 15];
  }
  return out;
}

}  // namespace

struct PostgresStore::Impl {
  StoreOptions options;
  std::string url;       // with the connection defaults added
  std::string location;  // without password, for messages
  std::string instance = random_id();
  int schema = 0;

  std::mutex mu;
  std::condition_variable cv;
  std::deque<Job> queue;
  bool stopping = false;
  std::thread writer;
  std::unique_ptr<Conn> writer_conn;  // writer thread only
  bool recluster_pending = false;     // writer thread only

  std::mutex listeners_mu;  // held while listeners run: writer and notification thread alike
  std::vector<std::function<void(const std::vector<std::string>&)>> listeners;

  std::mutex read_mu;
  std::condition_variable read_cv;
  std::vector<std::unique_ptr<Conn>> idle_readers;  // null: to be connected
  size_t readers_out = 0;

  WriterStats stats;
  std::atomic<uint64_t> people_generation{0};
  std::atomic<uint64_t> commit_generation{0};

  std::unique_ptr<NotificationListener> notifications;

  void writer_loop();
  void run_batch(std::vector<Job>& batch);
  void recluster();
  void tell(const std::vector<std::string>& sessions, bool people);
};

void PostgresStore::Impl::writer_loop() {
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

void PostgresStore::Impl::tell(const std::vector<std::string>& sessions, bool people) {
  // Caches are told before any caller is answered: a client that reads right
  // after its write was acknowledged must never be served the state before it.
  commit_generation.fetch_add(1, std::memory_order_acq_rel);
  if (people) people_generation.fetch_add(1, std::memory_order_acq_rel);
  if (sessions.empty()) return;
  std::lock_guard<std::mutex> lock(listeners_mu);
  for (auto& l : listeners) l(sessions);
}

// Jobs run one after another in the batch's transaction, without a savepoint
// each: a savepoint costs two round trips, and PostgreSQL slows every
// snapshot of the server once a transaction holds more than 64 written
// subtransactions. A job that fails before writing anything leaves nothing
// to undo; one that fails after writing (or whose statement failed, which
// aborts the transaction) is left out and the batch is run again without
// it, so it is undone alone, as the contract promises.
void PostgresStore::Impl::run_batch(std::vector<Job>& batch) {
  const auto deadline = Clock::now() + kOutageWindow;
  std::vector<Status> results(batch.size());
  std::vector<bool> left_out(batch.size(), false);
  std::vector<std::string> touched;
  bool people_changed = false;
  bool recluster_requested = false;
  Status failure;  // set when the batch as a whole failed
  bool committed = false;
  for (int attempt = 0;; ++attempt) {
    touched.clear();
    people_changed = false;
    recluster_requested = false;
    bool run_again = false;
    try {
      if (!writer_conn) writer_conn = connect_durable(url);
      pqxx::work w(writer_conn->raw());
      Work top(w, *writer_conn);
      top.exec("SELECT pg_advisory_xact_lock($1)", kWriteLock);
      EventTails tails;
      for (size_t i = 0; i < batch.size() && !run_again; ++i) {
        if (left_out[i]) continue;
        bool job_people = false;
        PgTx tx(top, &job_people, &tails);
        const int64_t writes_before = top.writes();
        Status st;
        bool threw = false;
        try {
          st = batch[i].run(tx);
        } catch (const pqxx::broken_connection&) {
          throw;  // the whole batch is run again, or answered, below
        } catch (const pqxx::in_doubt_error&) {
          throw;
        } catch (const pqxx::transaction_rollback&) {
          throw;
        } catch (const std::exception& e) {
          st = status_from_exception(e);
          threw = true;
        }
        if (!st.is_ok() && (threw || top.writes() != writes_before)) {
          left_out[i] = true;
          run_again = true;
        } else if (st.is_ok()) {
          touched.insert(touched.end(), tx.touched.begin(), tx.touched.end());
          people_changed = people_changed || job_people;
          recluster_requested = recluster_requested || tx.wipe_wal;
        }
        results[i] = std::move(st);
      }
      if (run_again) {
        w.abort();
        continue;
      }
      std::sort(touched.begin(), touched.end());
      touched.erase(std::unique(touched.begin(), touched.end()), touched.end());
      for (const std::string& payload : notification_payloads(instance, touched, people_changed)) {
        top.exec("SELECT pg_notify($1, $2)", std::string(kChannel), payload);
      }
      w.commit();
      committed = true;
      break;
    } catch (const pqxx::in_doubt_error& e) {
      // COMMIT was sent and no answer came: the batch may be committed or
      // not. Its callers are told so; their retries (same Idempotency-Key)
      // find the stored reply if it was.
      log_error(std::string("the database connection broke during a commit: ") + e.what());
      writer_conn.reset();
      failure = unavailable("the connection broke during the commit");
      break;
    } catch (const pqxx::broken_connection& e) {
      writer_conn.reset();
      if (Clock::now() >= deadline) {
        failure = unavailable(std::string("no connection: ") + e.what());
        break;
      }
      if (attempt == 0) log_error(std::string("the database connection broke; retrying the writes: ") + e.what());
      std::this_thread::sleep_for(kRetryPause);
    } catch (const pqxx::transaction_rollback& e) {
      // A deadlock or serialization failure with another client of the
      // database (not with another instance: they wait for the write lock).
      if (Clock::now() >= deadline) {
        failure = unavailable(e.what());
        break;
      }
    } catch (const std::exception& e) {
      log_error(std::string("batch commit failed: ") + e.what());
      writer_conn.reset();
      failure = Status::internal("the write could not be committed");
      break;
    }
  }
  stats.commits += committed ? 1 : 0;
  stats.writes += batch.size();
  if (batch.size() > stats.max_batch) stats.max_batch = batch.size();
  if (committed) tell(touched, people_changed);
  if (committed && recluster_requested) recluster_pending = true;
  for (size_t i = 0; i < batch.size(); ++i) {
    if (!committed && !left_out[i]) results[i] = failure;
    if (!results[i].is_ok()) ++stats.failed_writes;
    batch[i].done.set_value(std::move(results[i]));
  }
  if (recluster_pending) recluster();
}

// Rewrites the secret ballot tables' files in key order (CLUSTER), which
// leaves out the row versions a closed secret poll's rebuild deleted: until
// then they stay in the table's pages, in the order they were cast. Run
// after the closing commit (CLUSTER cannot run inside a transaction) and
// before the next batch; tried again after the next batch if it failed.
void PostgresStore::Impl::recluster() {
  try {
    if (!writer_conn) writer_conn = connect_durable(url);
    pqxx::nontransaction q(writer_conn->raw());
    q.exec("CLUSTER secret_voted USING secret_voted_pkey");
    q.exec("CLUSTER secret_ballots USING secret_ballots_pkey");
    recluster_pending = false;
  } catch (const std::exception& e) {
    log_error(std::string("the secret ballot tables could not be rewritten yet; will try again: ") + e.what());
    writer_conn.reset();
  }
}

PostgresStore::PostgresStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

PostgresStore::~PostgresStore() { stop(); }

Result<std::unique_ptr<Store>> PostgresStore::open(const StoreOptions& options) {
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  impl->url = connection_url(options.url);
  impl->location = redacted_url(options.url);
  static std::atomic<uint64_t> next_range{1};
  impl->people_generation = next_range.fetch_add(1) << 32;
  impl->commit_generation = next_range.fetch_add(1) << 32;
  try {
    impl->writer_conn = connect_durable(impl->url);
    impl->schema = migrate(*impl->writer_conn, impl->location);
  } catch (const std::exception& e) {
    return Status::internal("database " + impl->location + ": " + e.what());
  }
  for (int i = 0; i < std::max(1, options.readers); ++i) impl->idle_readers.push_back(nullptr);
  std::unique_ptr<PostgresStore> out(new PostgresStore(std::move(impl)));
  Impl* raw = out->impl_.get();
  raw->notifications = std::make_unique<NotificationListener>(
      raw->url, raw->instance,
      [raw](const std::vector<std::string>& sessions, bool people) { raw->tell(sessions, people); });
  raw->writer = std::thread([raw] { raw->writer_loop(); });
  return std::unique_ptr<Store>(std::move(out));
}

void PostgresStore::stop() {
  {
    std::lock_guard<std::mutex> lock(impl_->mu);
    if (impl_->stopping && !impl_->writer.joinable()) return;
    impl_->stopping = true;
  }
  impl_->cv.notify_all();
  if (impl_->writer.joinable()) impl_->writer.join();
  impl_->notifications.reset();
}

Status PostgresStore::submit(std::function<Status(Tx&)> run) {
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

Status PostgresStore::run_read(const std::function<Status(Snapshot&)>& fn) {
  std::unique_ptr<Conn> conn;
  {
    std::unique_lock<std::mutex> lock(impl_->read_mu);
    impl_->read_cv.wait(lock, [&] { return !impl_->idle_readers.empty(); });
    conn = std::move(impl_->idle_readers.back());
    impl_->idle_readers.pop_back();
  }
  const auto deadline = Clock::now() + kOutageWindow;
  Status st;
  for (int attempt = 0;; ++attempt) {
    try {
      if (!conn) conn = connect_durable(impl_->url);
      pqxx::transaction<pqxx::repeatable_read, pqxx::read_only> t(conn->raw());
      Work w(t, *conn);
      PgSnapshot snap(w);
      try {
        st = fn(snap);
      } catch (const pqxx::broken_connection&) {
        throw;
      } catch (const std::exception& e) {
        log_error(std::string("read failed: ") + e.what());
        st = Status::internal(e.what());
      }
      if (st.is_ok()) {
        t.commit();
      } else {
        t.abort();
      }
      break;
    } catch (const pqxx::broken_connection& e) {
      conn.reset();
      if (Clock::now() >= deadline) {
        st = unavailable(std::string("no connection: ") + e.what());
        break;
      }
      std::this_thread::sleep_for(kRetryPause);
    } catch (const std::exception& e) {
      log_error(std::string("read transaction failed: ") + e.what());
      conn.reset();
      if (st.is_ok()) st = Status::internal(e.what());
      break;
    }
  }
  {
    std::lock_guard<std::mutex> lock(impl_->read_mu);
    impl_->idle_readers.push_back(std::move(conn));
  }
  impl_->read_cv.notify_one();
  return st;
}

void PostgresStore::on_commit(std::function<void(const std::vector<std::string>&)> listener) {
  std::lock_guard<std::mutex> lock(impl_->listeners_mu);
  impl_->listeners.push_back(std::move(listener));
}

uint64_t PostgresStore::commit_generation() const {
  return impl_->commit_generation.load(std::memory_order_acquire);
}

uint64_t PostgresStore::people_generation() const {
  return impl_->people_generation.load(std::memory_order_acquire);
}

Status PostgresStore::ping() {
  return run_read([](Snapshot& snap) -> Status {
    snap.sessions().exists("");
    return Status::ok();
  });
}

const std::string& PostgresStore::location() const { return impl_->location; }
int PostgresStore::schema_version() const { return impl_->schema; }
const WriterStats& PostgresStore::stats() const { return impl_->stats; }

}  // namespace rapporteur::postgres
