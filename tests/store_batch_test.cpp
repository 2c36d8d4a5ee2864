// What the jobs of one group-committed batch see of each other, through the
// storage contract only: a job reads what the jobs before it in the batch
// wrote, even where a store keeps what a batch read, and a job undone inside
// a batch leaves nothing of itself behind, in the rows or in the log's chain.
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <functional>
#include <thread>

#include "rapporteur/event_log.h"
#include "rapporteur/store.h"
#include "store_fixture.h"
#include "test_server.h"

using namespace rapporteur;
using rapporteur::testing::open_test_store;
using rapporteur::testing::TempDir;
using rapporteur::testing::TestDatabase;

namespace {

using Job = std::function<Status(Tx&)>;

// Runs `jobs` in this order in one batch: the writer is held busy by a job
// of its own while they are queued one after another, then let go. Returns
// whether each was acknowledged.
std::vector<bool> run_in_one_batch(Store& db, const std::vector<Job>& jobs) {
  std::atomic<bool> release{false};
  std::thread blocker([&] {
    db.write<bool>([&](Tx&) -> Result<bool> {
      while (!release) std::this_thread::sleep_for(std::chrono::milliseconds(1));
      return true;
    });
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  const uint64_t commits_before = db.stats().commits;
  std::vector<bool> ok(jobs.size(), false);
  std::vector<std::thread> threads;
  for (size_t i = 0; i < jobs.size(); ++i) {
    threads.emplace_back([&, i] {
      auto r = db.write<bool>([&](Tx& tx) -> Result<bool> {
        RAPPORTEUR_RETURN_IF_ERROR(jobs[i](tx));
        return true;
      });
      ok[i] = r.ok();
    });
    // Queued in this order: the next one is submitted once this one waits.
    std::this_thread::sleep_for(std::chrono::milliseconds(30));
  }
  release = true;
  blocker.join();
  for (auto& t : threads) t.join();
  // The blocker's commit, then the queued jobs' commit (a store that runs
  // a batch again after a failure still commits it once).
  CHECK(db.stats().commits - commits_before <= 2);
  CHECK(db.stats().max_batch >= jobs.size());
  return ok;
}

Session a_session(const std::string& id) {
  Session s;
  s.id = id;
  s.title = "Batch test";
  s.date = "2022-05-19";
  s.timezone = "Africa/Nairobi";
  s.place = "Kisumu";
  s.phase = SessionPhase::drafting;
  s.created_at = 1;
  return s;
}

Poll a_poll(const std::string& session) {
  Poll p;
  p.session = session;
  p.subject_kind = PollSubject::adoption;
  p.subject_id = 1;
  p.created_by = "test";
  p.created_at = 1;
  return p;
}

Status expect(bool condition, const std::string& what) {
  return condition ? Status::ok() : Status::conflict("saw the wrong state: " + what);
}

std::vector<Event> log_of(Store& db, const std::string& session) {
  auto events = db.read<std::vector<Event>>(
      [&](Snapshot& snap) -> Result<std::vector<Event>> { return snap.events().list(session, 0, INT64_MAX); });
  REQUIRE(events.ok());
  return *events;
}

}  // namespace

TEST_CASE("a job reads the session and poll rows an earlier job of its batch changed", "[store]") {
  TempDir dir;
  const TestDatabase database(dir.file("r.db"));
  auto db = open_test_store(database);
  int64_t poll = 0;
  REQUIRE(db->write<bool>([&](Tx& tx) -> Result<bool> {
              tx.sessions().insert(a_session("s1"));
              poll = tx.polls().insert(a_poll("s1"));
              return true;
            }).ok());

  auto phase_is = [&](Tx& tx, SessionPhase phase) {
    auto row = tx.sessions().find_row("s1");
    auto whole = tx.sessions().find("s1");
    return row && whole && row->phase == phase && whole->phase == phase;
  };
  auto poll_is = [&](Tx& tx, PollState state) {
    auto p = tx.polls().find("s1", poll);
    return p && p->state == state;
  };
  const std::vector<bool> ok = run_in_one_batch(
      *db, {
               [&](Tx& tx) {
                 return expect(phase_is(tx, SessionPhase::drafting) && poll_is(tx, PollState::pending), "at first");
               },
               [&](Tx& tx) {
                 tx.sessions().set_phase("s1", SessionPhase::amending);
                 tx.polls().mark_open(poll, 10, 3, std::nullopt);
                 return Status::ok();
               },
               [&](Tx& tx) {
                 return expect(phase_is(tx, SessionPhase::amending) && poll_is(tx, PollState::open), "after opening");
               },
               [&](Tx& tx) {
                 tx.polls().mark_closed(poll, 20, nlohmann::json{{"outcome", "adopted"}});
                 return Status::ok();
               },
               [&](Tx& tx) { return expect(poll_is(tx, PollState::closed), "after closing"); },
           });
  CHECK(ok == std::vector<bool>{true, true, true, true, true});
}

TEST_CASE("a job undone inside a batch leaves no row and no link in the log's chain", "[store]") {
  TempDir dir;
  const TestDatabase database(dir.file("r.db"));
  auto db = open_test_store(database);
  int64_t poll = 0;
  REQUIRE(db->write<bool>([&](Tx& tx) -> Result<bool> {
              tx.sessions().insert(a_session("s1"));
              tx.events().append("s1", 1, "test", "session_created", {{"n", 0}});
              poll = tx.polls().insert(a_poll("s1"));
              return true;
            }).ok());

  const std::vector<bool> ok = run_in_one_batch(
      *db, {
               // Fails after writing: a store may run the batch again without it.
               [&](Tx& tx) {
                 tx.settings().insert("undone-1", "v");
                 return Status::conflict("refused after writing");
               },
               // Reads the poll and appends to the log, then fails: both undone.
               [&](Tx& tx) {
                 tx.polls().mark_open(poll, 10, 3, std::nullopt);
                 tx.events().append("s1", 10, "test", "undone", {{"n", 1}});
                 return Status::conflict("refused after appending");
               },
               [&](Tx& tx) {
                 RAPPORTEUR_RETURN_IF_ERROR(expect(tx.polls().find("s1", poll)->state == PollState::pending,
                                                   "the undone job's poll change"));
                 tx.events().append("s1", 20, "test", "kept", {{"n", 2}});
                 return Status::ok();
               },
               [&](Tx& tx) {
                 tx.events().append("s1", 30, "test", "kept", {{"n", 3}});
                 return Status::ok();
               },
           });
  CHECK(ok == std::vector<bool>{false, false, true, true});

  const std::vector<Event> events = log_of(*db, "s1");
  REQUIRE(events.size() == 3);
  CHECK(events[1].type == "kept");
  CHECK(events[2].type == "kept");
  const ChainCheck chain = verify_chain(events);
  INFO(chain.problem);
  CHECK(chain.ok);
  auto settings = db->read<bool>([&](Snapshot& snap) -> Result<bool> { return snap.settings().get("undone-1").has_value(); });
  REQUIRE(settings.ok());
  CHECK_FALSE(*settings);
}

TEST_CASE("a log row the database refuses fails only the job that appended it", "[store]") {
  TempDir dir;
  const TestDatabase database(dir.file("r.db"));
  auto db = open_test_store(database);
  REQUIRE(db->write<bool>([&](Tx& tx) -> Result<bool> {
              tx.sessions().insert(a_session("s1"));
              tx.events().append("s1", 1, "test", "session_created", {{"n", 0}});
              return true;
            }).ok());
  // A rule of the database the store does not know of: the row is refused
  // only when it reaches the table, which may be after the job has returned.
  if (rapporteur::testing::on_postgres()) {
    database.exec(
        "CREATE FUNCTION refuse_poison() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        "IF NEW.type = 'poison' THEN RAISE EXCEPTION 'poisoned row'; END IF; RETURN NEW; END $$");
    database.exec("CREATE TRIGGER poison BEFORE INSERT ON events FOR EACH ROW EXECUTE FUNCTION refuse_poison()");
  } else {
    database.exec(
        "CREATE TRIGGER poison BEFORE INSERT ON events WHEN NEW.type = 'poison' "
        "BEGIN SELECT RAISE(ABORT, 'poisoned row'); END");
  }
  auto append = [](const std::string& type, int n) {
    return [type, n](Tx& tx) {
      tx.settings().insert("job" + std::to_string(n), "v");
      tx.events().append("s1", 10 + n, "test", type, {{"n", n}});
      return Status::ok();
    };
  };
  const std::vector<bool> ok = run_in_one_batch(*db, {append("kept", 1), append("poison", 2), append("kept", 3)});
  CHECK(ok == std::vector<bool>{true, false, true});
  const std::vector<Event> events = log_of(*db, "s1");
  REQUIRE(events.size() == 3);
  CHECK(events[1].data["n"] == 1);
  CHECK(events[2].data["n"] == 3);
  CHECK(verify_chain(events).ok);
  auto kept = db->read<std::vector<bool>>([&](Snapshot& snap) -> Result<std::vector<bool>> {
    return std::vector<bool>{snap.settings().get("job1").has_value(), snap.settings().get("job2").has_value(),
                             snap.settings().get("job3").has_value()};
  });
  REQUIRE(kept.ok());
  CHECK(*kept == std::vector<bool>{true, false, true});
}
