// The SQLite store's own promises: the file is migrated to the latest schema
// with WAL and FULL sync, and a file from a newer binary is refused.
#include <SQLiteCpp/SQLiteCpp.h>
#include <catch2/catch.hpp>

#include "rapporteur/crypto.h"
#include "rapporteur/store.h"
#include "store/sqlite/migrations.h"
#include "store/sqlite/sqlite_store.h"
#include "test_server.h"

using namespace rapporteur;
using rapporteur::testing::TempDir;

namespace {

std::unique_ptr<Store> open_sqlite(const std::string& path) {
  StoreOptions o;
  o.path = path;
  auto store = sqlite::SqliteStore::open(o);
  REQUIRE(store.ok());
  return std::move(*store);
}

}  // namespace

TEST_CASE("a new database is migrated to the latest schema with durable settings", "[sqlite]") {
  TempDir dir;
  const std::string path = dir.file("sub/folder/r.db");
  {
    auto db = open_sqlite(path);
    CHECK(db->schema_version() == latest_schema_version());
  }
  SQLite::Database raw(path, SQLite::OPEN_READONLY);
  // WAL is a property of the file: it stays after the store closes.
  CHECK(raw.execAndGet("PRAGMA journal_mode").getString() == "wal");
  CHECK(raw.execAndGet("PRAGMA user_version").getInt() == latest_schema_version());
  // Opening again applies nothing twice.
  auto again = open_sqlite(path);
  CHECK(again->schema_version() == latest_schema_version());
}

TEST_CASE("a database from a newer binary is refused with a clear message", "[sqlite]") {
  TempDir dir;
  const std::string path = dir.file("r.db");
  { open_sqlite(path); }
  {
    SQLite::Database raw(path, SQLite::OPEN_READWRITE);
    raw.exec("PRAGMA user_version = " + std::to_string(latest_schema_version() + 5));
  }
  StoreOptions o;
  o.path = path;
  auto db = sqlite::SqliteStore::open(o);
  REQUIRE_FALSE(db.ok());
  CHECK_THAT(db.status().message(), Catch::Contains("newer than this binary"));
}


TEST_CASE("the schema refuses to rewrite or delete fragment versions", "[sqlite][fragments]") {
  TempDir dir;
  const std::string path = dir.file("r.db");
  {
    auto store = open_sqlite(path);
    Session s;
    s.id = "s1";
    s.title = "Session";
    s.date = "2022-05-19";
    s.timezone = "Africa/Nairobi";
    s.breakouts = {{"alpha", "A"}, {"zeta", "Z"}};
    auto made = store->write<int64_t>([&](Tx& tx) -> Result<int64_t> {
      tx.sessions().insert(s);
      const int64_t id = tx.fragments().insert(Fragment{0, "s1", "alpha", 1});
      FragmentVersion v;
      v.fragment = id;
      v.version = 1;
      v.body = "one";
      v.title = "T1";
      v.author_name = "administrator";
      v.created_at = 1;
      v.sha256 = sha256_hex(v.body);
      tx.fragments().append_version(v);
      return id;
    });
    REQUIRE(made.ok());
  }
  // Whoever holds the file and SQLite, not only the server, meets the triggers.
  SQLite::Database raw(path, SQLite::OPEN_READWRITE);
  const auto refused = [&](const std::string& sql) -> std::string {
    try {
      raw.exec(sql);
    } catch (const SQLite::Exception& e) {
      return e.what();
    }
    return "";
  };
  CHECK_THAT(refused("UPDATE fragment_versions SET body = 'rewritten'"), Catch::Contains("immutable"));
  CHECK_THAT(refused("DELETE FROM fragment_versions"), Catch::Contains("never deleted"));
  CHECK_FALSE(refused("DELETE FROM fragments").empty());
  CHECK_FALSE(refused("UPDATE fragments SET breakout_id = 'zeta'").empty());
  CHECK(raw.execAndGet("SELECT body FROM fragment_versions").getString() == "one");
}
