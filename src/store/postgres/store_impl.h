// The PostgreSQL store's state, shared by its writer (writer.cpp) and the
// rest (postgres_store.cpp). Not part of the contract.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <future>
#include <mutex>
#include <thread>

#include "store/postgres/connection.h"
#include "store/postgres/notifications.h"
#include "store/postgres/postgres_store.h"

namespace rapporteur::postgres {

using SteadyClock = std::chrono::steady_clock;

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

// The answer to a caller when the database did not answer in time.
Status unavailable(const std::string& what);

// 16 random hex digits: an instance's name in its commit notifications.
std::string random_id();

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
  int64_t recluster_xid = 0;          // the secret close it is for (writer thread only)

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

}  // namespace rapporteur::postgres
