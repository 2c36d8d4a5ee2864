// The store: migrations, durability settings and the group-commit writer.
#include <SQLiteCpp/SQLiteCpp.h>
#include <catch2/catch.hpp>

#include <atomic>
#include <thread>

#include "rapporteur/db.h"
#include "store/migrations.h"
#include "test_server.h"

using namespace rapporteur;
using rapporteur::testing::TempDir;

namespace {

std::unique_ptr<Db> open_db(const std::string& path) {
  DbOptions o;
  o.path = path;
  auto db = Db::open(o);
  REQUIRE(db.ok());
  return std::move(*db);
}

int64_t count_rows(const std::string& path, const std::string& sql) {
  SQLite::Database db(path, SQLite::OPEN_READONLY);
  return db.execAndGet(sql).getInt64();
}

Status insert_meta(Tx& tx, const std::string& key) {
  SQLite::Statement q(tx.db, "INSERT INTO meta (key, value) VALUES (?, 'v')");
  q.bind(1, key);
  q.exec();
  return Status::ok();
}

}  // namespace

TEST_CASE("a new database is migrated to the latest schema with durable settings", "[db]") {
  TempDir dir;
  const std::string path = dir.file("sub/folder/r.db");
  {
    auto db = open_db(path);
    CHECK(db->schema_version() == latest_schema_version());
    auto mode = db->read<std::string>([](SQLite::Database& c) -> Result<std::string> {
      return c.execAndGet("PRAGMA journal_mode").getString();
    });
    CHECK(*mode == "wal");
  }
  SQLite::Database raw(path, SQLite::OPEN_READONLY);
  CHECK(raw.execAndGet("PRAGMA user_version").getInt() == latest_schema_version());
  // Opening again applies nothing twice.
  auto again = open_db(path);
  CHECK(again->schema_version() == latest_schema_version());
}

TEST_CASE("a database from a newer binary is refused with a clear message", "[db]") {
  TempDir dir;
  const std::string path = dir.file("r.db");
  { open_db(path); }
  {
    SQLite::Database raw(path, SQLite::OPEN_READWRITE);
    raw.exec("PRAGMA user_version = " + std::to_string(latest_schema_version() + 5));
  }
  DbOptions o;
  o.path = path;
  auto db = Db::open(o);
  REQUIRE_FALSE(db.ok());
  CHECK_THAT(db.status().message(), Catch::Contains("newer than this binary"));
}

TEST_CASE("every acknowledged write from many concurrent writers is committed", "[db]") {
  TempDir dir;
  const std::string path = dir.file("r.db");
  constexpr int kThreads = 16;
  constexpr int kPerThread = 100;
  std::atomic<int> acknowledged{0};
  {
    auto db = open_db(path);
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        for (int i = 0; i < kPerThread; ++i) {
          const std::string key = "k" + std::to_string(t) + "-" + std::to_string(i);
          auto r = db->write<bool>([&](Tx& tx) -> Result<bool> {
            RAPPORTEUR_RETURN_IF_ERROR(insert_meta(tx, key));
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
  CHECK(count_rows(path, "SELECT COUNT(*) FROM meta WHERE key LIKE 'k%'") == kThreads * kPerThread);
}

TEST_CASE("a failing write in a batch leaves the others committed", "[db]") {
  TempDir dir;
  const std::string path = dir.file("r.db");
  auto db = open_db(path);
  // Hold the writer busy so that the next jobs queue up into one batch.
  std::atomic<bool> release{false};
  std::thread blocker([&] {
    db->write<bool>([&](Tx& tx) -> Result<bool> {
      while (!release) std::this_thread::sleep_for(std::chrono::milliseconds(1));
      RAPPORTEUR_RETURN_IF_ERROR(insert_meta(tx, "blocker"));
      return true;
    });
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  std::vector<std::thread> jobs;
  std::vector<int> outcome(6, -1);
  for (int i = 0; i < 6; ++i) {
    jobs.emplace_back([&, i] {
      auto r = db->write<bool>([&](Tx& tx) -> Result<bool> {
        RAPPORTEUR_RETURN_IF_ERROR(insert_meta(tx, "job" + std::to_string(i)));
        if (i == 2) return Status::conflict("job 2 refuses after writing");  // rolled back to its savepoint
        if (i == 4) insert_meta(tx, "blocker");  // duplicate key: throws, rolled back
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
  CHECK(count_rows(path, "SELECT COUNT(*) FROM meta WHERE key IN ('job0','job1','job3','job5','blocker')") == 5);
  CHECK(count_rows(path, "SELECT COUNT(*) FROM meta WHERE key IN ('job2','job4')") == 0);
  CHECK(db->stats().max_batch >= 2);
}

TEST_CASE("writes after stop are refused, queued ones are committed", "[db]") {
  TempDir dir;
  const std::string path = dir.file("r.db");
  auto db = open_db(path);
  REQUIRE(db->write<bool>([&](Tx& tx) -> Result<bool> {
    RAPPORTEUR_RETURN_IF_ERROR(insert_meta(tx, "before"));
    return true;
  }).ok());
  db->stop();
  auto late = db->write<bool>([&](Tx& tx) -> Result<bool> {
    RAPPORTEUR_RETURN_IF_ERROR(insert_meta(tx, "after"));
    return true;
  });
  CHECK_FALSE(late.ok());
  CHECK(count_rows(path, "SELECT COUNT(*) FROM meta WHERE key = 'before'") == 1);
  CHECK(count_rows(path, "SELECT COUNT(*) FROM meta WHERE key = 'after'") == 0);
}
