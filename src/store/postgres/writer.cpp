// The PostgreSQL store's writer: group-committed batches, their retries,
// and the rewrite of the secret ballot tables after a secret poll's close.
#include <algorithm>

#include "rapporteur/log.h"
#include "store/postgres/store_impl.h"
#include "store/postgres/views.h"

namespace rapporteur::postgres {

Status unavailable(const std::string& what) {
  return Status::unavailable("the database did not answer (" + what +
                             "); try again (a write with the same Idempotency-Key is applied once)");
}

namespace {

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

}  // namespace


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
// it, so it is undone alone, as the contract promises. That second run puts
// each job in a savepoint, so that more failures cost no further runs.
void PostgresStore::Impl::run_batch(std::vector<Job>& batch) {
  const auto deadline = SteadyClock::now() + kOutageWindow;
  std::vector<Status> results(batch.size());
  std::vector<bool> left_out(batch.size(), false);
  std::vector<std::string> touched;
  bool people_changed = false;
  bool recluster_requested = false;
  Status failure;  // set when the batch as a whole failed
  bool committed = false;
  bool savepoints = false;
  int64_t closing_xid = 0;  // the transaction that rewrote the secret tables
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
      BatchCache cache;
      for (size_t i = 0; i < batch.size() && !run_again; ++i) {
        if (left_out[i]) continue;
        bool job_people = false;
        if (savepoints) top.run("SAVEPOINT job");
        PgTx tx(top, &job_people, &cache);
        const int64_t writes_before = top.writes();
        Status st;
        bool threw = false;
        try {
          st = batch[i].run(tx);
          // Inside its savepoint, a job's log rows go in with it.
          if (st.is_ok() && savepoints) flush_events(top, cache);
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
        if (savepoints) {
          if (!st.is_ok()) {
            top.run("ROLLBACK TO SAVEPOINT job");
            cache.clear();
          }
          top.run("RELEASE SAVEPOINT job");
        } else if (!st.is_ok() && (threw || top.writes() != writes_before)) {
          left_out[i] = true;
          run_again = true;
        }
        if (st.is_ok()) {
          touched.insert(touched.end(), tx.touched.begin(), tx.touched.end());
          people_changed = people_changed || job_people;
          recluster_requested = recluster_requested || tx.wipe_wal;
        }
        results[i] = std::move(st);
      }
      if (!run_again && !savepoints) {
        try {
          flush_events(top, cache);
        } catch (const pqxx::sql_error& e) {
          // A log row the database refused: the batch is run again with a
          // savepoint per job, which finds the job it belongs to.
          log_error(std::string("a write batch's log rows were refused; running it job by job: ") + e.what());
          run_again = true;
        }
      }
      if (run_again) {
        w.abort();
        savepoints = true;
        continue;
      }
      if (recluster_requested) closing_xid = top.exec("SELECT txid_current()")[0][0].as<int64_t>();
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
      // It may have committed: caches are told as if it had (telling them
      // too much costs a reload), and a secret close is rewritten.
      tell(touched, people_changed);
      if (recluster_requested) recluster_pending = true;
      break;
    } catch (const pqxx::broken_connection& e) {
      writer_conn.reset();
      if (SteadyClock::now() >= deadline) {
        failure = unavailable(std::string("no connection: ") + e.what());
        break;
      }
      if (attempt == 0) log_error(std::string("the database connection broke; retrying the writes: ") + e.what());
      std::this_thread::sleep_for(kRetryPause);
    } catch (const pqxx::transaction_rollback& e) {
      // A deadlock or serialization failure with another client of the
      // database (not with another instance: they wait for the write lock).
      if (SteadyClock::now() >= deadline) {
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
  if (closing_xid != 0) recluster_xid = closing_xid;
  // Before anyone is answered, as the contract says of a closed secret poll.
  if (recluster_pending) recluster();
  for (size_t i = 0; i < batch.size(); ++i) {
    if (!committed && !left_out[i]) results[i] = failure;
    if (!results[i].is_ok()) ++stats.failed_writes;
    batch[i].done.set_value(std::move(results[i]));
  }
}

// Rewrites the secret ballot tables' files in key order (CLUSTER), which
// leaves out the row versions a closed secret poll's rebuild deleted: until
// then they stay in the table's pages, in the order they were cast, with the
// ids of the transactions that wrote them. CLUSTER keeps a deleted version
// that a snapshot older than the close may still see, so it first waits (up
// to a second) until no such snapshot is left: a read in progress, another
// instance's batch, a standby's feedback through a replication slot. (An
// unprivileged role sees only its own sessions in pg_stat_activity; grant it
// pg_read_all_stats to see the standbys' too, as deploy/patroni does.) If
// one outlives the wait, the rewrite is done again after the next batch.
// Runs after the closing commit (CLUSTER cannot run inside a transaction),
// before anyone is answered.
void PostgresStore::Impl::recluster() {
  try {
    if (!writer_conn) writer_conn = connect_durable(url);
    pqxx::nontransaction q(writer_conn->raw());
    const std::string xid = std::to_string(recluster_xid & 0xffffffff);
    bool older = recluster_xid != 0;
    for (int i = 0; i < 50 && older; ++i) {
      older = q.exec_params(
                   "SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE pid <> pg_backend_pid() "
                   "AND backend_xmin IS NOT NULL AND age(backend_xmin) >= age($1::xid)) "
                   "OR EXISTS (SELECT 1 FROM pg_replication_slots WHERE xmin IS NOT NULL AND age(xmin) >= age($1::xid))",
                   xid)[0][0]
                  .as<bool>();
      if (older) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    q.exec("CLUSTER secret_voted USING secret_voted_pkey");
    q.exec("CLUSTER secret_ballots USING secret_ballots_pkey");
    recluster_pending = older;
    if (older) log_error("a snapshot older than a secret poll's close outlived the wait; rewriting again later");
  } catch (const std::exception& e) {
    log_error(std::string("the secret ballot tables could not be rewritten yet; will try again: ") + e.what());
    writer_conn.reset();
  }
}


}  // namespace rapporteur::postgres
