// The storage contract's write promises, through the contract only: every
// acknowledged write is committed, group commit, a failing job undoes only
// itself, and writes after stop are refused while queued ones commit.
#include <catch2/catch.hpp>

#include <atomic>
#include <thread>

#include "rapporteur/store.h"
#include "store_fixture.h"
#include "test_server.h"

using namespace rapporteur;
using rapporteur::testing::open_test_store;
using rapporteur::testing::TempDir;
using rapporteur::testing::TestDatabase;

namespace {

Status insert_setting(Tx& tx, const std::string& key) {
  tx.settings().insert(key, "v");
  return Status::ok();
}

// How many of `keys` a fresh store opened on `database` holds.
int64_t count_settings(const TestDatabase& database, const std::vector<std::string>& keys) {
  auto store = open_test_store(database);
  auto n = store->read<int64_t>([&](Snapshot& snap) -> Result<int64_t> {
    int64_t found = 0;
    for (const auto& k : keys) found += snap.settings().get(k).has_value() ? 1 : 0;
    return found;
  });
  REQUIRE(n.ok());
  return *n;
}

}  // namespace

TEST_CASE("every acknowledged write from many concurrent writers is committed", "[store]") {
  TempDir dir;
  const TestDatabase database(dir.file("r.db"));
  constexpr int kThreads = 16;
  constexpr int kPerThread = 100;
  std::atomic<int> acknowledged{0};
  {
    auto db = open_test_store(database);
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        for (int i = 0; i < kPerThread; ++i) {
          const std::string key = "k" + std::to_string(t) + "-" + std::to_string(i);
          auto r = db->write<bool>([&](Tx& tx) -> Result<bool> {
            RAPPORTEUR_RETURN_IF_ERROR(insert_setting(tx, key));
            return true;
          });
          if (r.ok()) ++acknowledged;
        }
      });
    }
    for (auto& th : threads) th.join();
    // Group commit: many writes per commit under contention.
    CHECK(db->stats().commits < db->stats().writes);
    CHECK(db->stats().max_batch > 1);
  }
  CHECK(acknowledged == kThreads * kPerThread);
  std::vector<std::string> keys;
  for (int t = 0; t < kThreads; ++t) {
    for (int i = 0; i < kPerThread; ++i) keys.push_back("k" + std::to_string(t) + "-" + std::to_string(i));
  }
  CHECK(count_settings(database, keys) == kThreads * kPerThread);
}

TEST_CASE("a failing write in a batch leaves the others committed", "[store]") {
  TempDir dir;
  const TestDatabase database(dir.file("r.db"));
  auto db = open_test_store(database);
  // Hold the writer busy so that the next jobs queue up into one batch.
  std::atomic<bool> release{false};
  std::thread blocker([&] {
    db->write<bool>([&](Tx& tx) -> Result<bool> {
      while (!release) std::this_thread::sleep_for(std::chrono::milliseconds(1));
      RAPPORTEUR_RETURN_IF_ERROR(insert_setting(tx, "blocker"));
      return true;
    });
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  std::vector<std::thread> jobs;
  std::vector<int> outcome(6, -1);
  for (int i = 0; i < 6; ++i) {
    jobs.emplace_back([&, i] {
      auto r = db->write<bool>([&](Tx& tx) -> Result<bool> {
        RAPPORTEUR_RETURN_IF_ERROR(insert_setting(tx, "job" + std::to_string(i)));
        if (i == 2) return Status::conflict("job 2 refuses after writing");  // rolled back to its savepoint
        if (i == 4) insert_setting(tx, "blocker");  // duplicate key: throws, rolled back
        return true;
      });
      outcome[i] = r.ok() ? 1 : 0;
    });
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  release = true;
  blocker.join();
  for (auto& j : jobs) j.join();
  CHECK(outcome == std::vector<int>{1, 1, 0, 1, 0, 1});
  CHECK(count_settings(database, {"job0", "job1", "job3", "job5", "blocker"}) == 5);
  CHECK(count_settings(database, {"job2", "job4"}) == 0);
  CHECK(db->stats().max_batch >= 2);
}

TEST_CASE("writes after stop are refused, queued ones are committed", "[store]") {
  TempDir dir;
  const TestDatabase database(dir.file("r.db"));
  auto db = open_test_store(database);
  REQUIRE(db->write<bool>([&](Tx& tx) -> Result<bool> {
    RAPPORTEUR_RETURN_IF_ERROR(insert_setting(tx, "before"));
    return true;
  }).ok());
  db->stop();
  auto late = db->write<bool>([&](Tx& tx) -> Result<bool> {
    RAPPORTEUR_RETURN_IF_ERROR(insert_setting(tx, "after"));
    return true;
  });
  CHECK_FALSE(late.ok());
  CHECK(count_settings(database, {"before"}) == 1);
  CHECK(count_settings(database, {"after"}) == 0);
}
