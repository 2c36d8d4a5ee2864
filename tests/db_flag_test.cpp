// What --db takes: a SQLite file path or a postgresql:// URL. Any other
// URL-like value is refused by every command with a message and exit code 2,
// and nothing is created under that name (it used to be taken as a file name
// and a database created there). The messages never repeat a URL's password.
#include <catch2/catch.hpp>

#include <filesystem>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "rapporteur/store.h"
#include "rapporteur/subprocess.h"
#include "test_server.h"
#ifdef RAPPORTEUR_POSTGRES
#include "store/postgres/postgres_store.h"
#endif

using namespace rapporteur;
using namespace rapporteur::testing;
namespace fs = std::filesystem;

namespace {

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

SubprocessResult run_in(const TempDir& dir, std::vector<std::string> argv) {
  SubprocessOptions so;
  so.timeout_ms = 30'000;
  so.cwd = dir.path().string();
  so.env = {"RAPPORTEUR_ADMIN_TOKEN=db-flag-test-admin-token-0123456789", "PATH=/usr/bin:/bin"};
  argv.insert(argv.begin(), RAPPORTEUR_BINARY);
  auto r = run_subprocess(argv, so);
  REQUIRE(r.ok());
  return *r;
}

bool empty_folder(const TempDir& dir) { return fs::is_empty(dir.path()); }

}  // namespace

TEST_CASE("set_database: file paths, PostgreSQL URLs, and refusals", "[cli][db]") {
  StoreOptions o;
  CHECK(set_database(o, "data/rapporteur.db").is_ok());
  CHECK(o.path == "data/rapporteur.db");
  CHECK(o.url.empty());
  CHECK(set_database(o, "/var/lib/rapporteur/room.db").is_ok());
  CHECK(set_database(o, "./odd:name.db").is_ok());
  CHECK(o.path == "./odd:name.db");

  for (const std::string url : {"postgresql://app@db1,db2/rapporteur?target_session_attrs=read-write",
                                "postgres://localhost/rapporteur", "PostgreSQL:///x?host=/tmp/pg"}) {
    StoreOptions p;
    INFO(url);
    CHECK(set_database(p, url).is_ok());
    CHECK(p.url == url);
  }

  for (const std::string bad : {"mysql://root:hunter2@db/x", "sqlite:room.db", "file:room.db", "http://x/y",
                                "postgresql:room", "odd:name.db", ""}) {
    StoreOptions p;
    INFO(bad);
    const Status st = set_database(p, bad);
    CHECK_FALSE(st.is_ok());
    CHECK(st.code() == Code::validation_failed);
    CHECK(contains(st.message(), "--db"));
    CHECK_FALSE(contains(st.message(), "hunter2"));
    CHECK(p.url.empty());
    CHECK(p.path == StoreOptions{}.path);
  }
}

TEST_CASE("database_name leaves out a URL's password and options", "[cli][db]") {
  StoreOptions o;
  o.url = "postgresql://rapporteur:s3cret@db1:5432,db2/room?password=other&sslmode=require";
  const std::string name = cli::database_name(o);
  CHECK(name == "postgresql://rapporteur@db1:5432,db2/room");
  CHECK_FALSE(contains(name, "s3cret"));
  CHECK_FALSE(contains(name, "other"));
  o.url = "postgresql:///room";
  CHECK(cli::database_name(o) == "postgresql:///room");
  // libpq reads a password up to the '@': it may hold '?', ':' or '/'.
  for (const char* url : {"postgresql://app:pa?ss@db1/room", "postgresql://app:p:a/s?s@db1/room?x=1"}) {
    o.url = url;
    INFO(url);
    CHECK(cli::database_name(o) == "postgresql://app@db1/room");
    CHECK(database_shown(o) == cli::database_name(o));
  }
  o.url.clear();
  o.path = "data/x.db";
  CHECK(cli::database_name(o) == "data/x.db");
}

TEST_CASE("every command refuses a --db that is neither a file nor a supported URL and creates nothing",
          "[cli][db]") {
  TempDir dir;
  const std::vector<std::vector<std::string>> commands = {
      {"serve", "--port", "0", "--no-sample", "--quiet"},
      {"import", "session.json"},
      {"export", "some-session", "--format", "md"},
      {"verify"},
      {"backup", "--out", "copy.db"},
  };
  for (const auto& base : commands) {
    for (const std::string bad : {"mysql://root:hunter2@db/x", "sqlite:room.db", "file:room.db"}) {
      auto argv = base;
      argv.push_back("--db");
      argv.push_back(bad);
      INFO(base[0] << " --db " << bad);
      const auto r = run_in(dir, argv);
      CHECK(r.exit_code == 2);
      CHECK(contains(r.output, "rapporteur " + base[0] + ": --db"));
      CHECK_FALSE(contains(r.output, "hunter2"));
      CHECK(empty_folder(dir));
    }
  }
}

TEST_CASE("backup of a PostgreSQL database names PostgreSQL's own tools", "[cli][db]") {
  TempDir dir;
  const auto r = run_in(dir, {"backup", "--out", "copy.db", "--db", "postgresql://app:pw@localhost/room"});
  CHECK(r.exit_code == 2);
  CHECK(contains(r.output, "pg_basebackup"));
  CHECK(contains(r.output, "pg_dump"));
  CHECK_FALSE(contains(r.output, "pw@"));
  CHECK(empty_folder(dir));
}

#ifdef RAPPORTEUR_POSTGRES
TEST_CASE("the PostgreSQL connection URL gets its defaults after the query mark, not inside a password",
          "[db][postgres_url]") {
  using rapporteur::postgres::connection_url;
  const std::string plain = connection_url("postgresql://app@db1,db2/room");
  CHECK(plain.rfind("postgresql://app@db1,db2/room?target_session_attrs=read-write&", 0) == 0);
  CHECK(contains(plain, "&options=-c%20synchronous_commit%3Don"));
  const std::string odd = connection_url("postgresql://app:pa?ss@db1/room");
  CHECK(odd.rfind("postgresql://app:pa?ss@db1/room?target_session_attrs=read-write&", 0) == 0);
  // What the URL already sets stays as it is.
  const std::string own = connection_url("postgresql://db1/room?target_session_attrs=any&connect_timeout=9");
  CHECK(contains(own, "target_session_attrs=any"));
  CHECK_FALSE(contains(own, "target_session_attrs=read-write"));
  CHECK_FALSE(contains(own, "connect_timeout=5"));
}
#endif
