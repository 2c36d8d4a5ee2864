#include "store/postgres/postgres_store.h"

#include <openssl/rand.h>

#include <algorithm>

#include "rapporteur/log.h"
#include "store/postgres/migrations.h"
#include "store/postgres/store_impl.h"
#include "store/postgres/views.h"

namespace rapporteur::postgres {

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
  const auto deadline = SteadyClock::now() + kOutageWindow;
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
      if (SteadyClock::now() >= deadline) {
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
