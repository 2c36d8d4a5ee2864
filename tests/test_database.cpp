#include "test_database.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <catch2/catch.hpp>
#include <openssl/rand.h>

#include <cstdlib>
#include <mutex>
#include <vector>

#include "test_server.h"

#ifdef RAPPORTEUR_POSTGRES
#include <pqxx/pqxx>
#endif

namespace rapporteur::testing {
namespace {

const char* pg_dir() {
  const char* v = std::getenv("RAPPORTEUR_TEST_PG_DIR");
  return v && *v ? v : nullptr;
}

#ifdef RAPPORTEUR_POSTGRES
// The databases this process made, dropped when it ends.
class Created {
 public:
  static Created& instance() {
    static Created c;
    return c;
  }
  void add(const std::string& admin, const std::string& name) {
    std::lock_guard<std::mutex> lock(mu_);
    admin_ = admin;
    names_.push_back(name);
  }
  ~Created() {
    if (names_.empty()) return;
    try {
      pqxx::connection c(admin_);
      pqxx::nontransaction q(c);
      for (const auto& n : names_) q.exec("DROP DATABASE IF EXISTS " + q.quote_name(n) + " WITH (FORCE)");
    } catch (const std::exception&) {
      // The server folder is removed by the fixture's cleanup anyway.
    }
  }

 private:
  std::mutex mu_;
  std::string admin_;
  std::vector<std::string> names_;
};

std::string random_name() {
  unsigned char b[8];
  RAND_bytes(b, sizeof b);
  std::string out = "t_";
  for (unsigned char c : b) {
    out += "0123456789abcdef"[c >> 4];
    out += "0123456789abcdef"[c & 15];
  }
  return out;
}

std::string fresh_database() {
  const std::string dir = pg_dir();
  const std::string missing = read_text(dir + "/missing");
  if (!missing.empty()) {
    require_file(dir + "/url", missing);
  }
  std::string admin = read_text(dir + "/url");
  while (!admin.empty() && (admin.back() == '\n' || admin.back() == '\r')) admin.pop_back();
  REQUIRE_FALSE(admin.empty());
  const std::string name = random_name();
  {
    pqxx::connection c(admin);
    pqxx::nontransaction q(c);
    q.exec("CREATE DATABASE " + q.quote_name(name) + " TEMPLATE template1");
  }
  Created::instance().add(admin, name);
  return admin.substr(0, admin.rfind('/') + 1) + name;
}
#endif

std::vector<std::string> sqlite_tables(SQLite::Database& db) {
  std::vector<std::string> out;
  SQLite::Statement q(db,
                      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name");
  while (q.executeStep()) out.push_back(q.getColumn(0).getString());
  return out;
}

}  // namespace

bool on_postgres() { return pg_dir() != nullptr; }

TestDatabase::TestDatabase(const std::string& sqlite_path) {
  options_.path = sqlite_path;
  if (!on_postgres()) return;
#ifdef RAPPORTEUR_POSTGRES
  options_.url = fresh_database();
#else
  FAIL("RAPPORTEUR_TEST_PG_DIR is set, but this build has no PostgreSQL store (-DRAPPORTEUR_POSTGRES=ON)");
#endif
}

int64_t TestDatabase::count(const std::string& sql) const {
#ifdef RAPPORTEUR_POSTGRES
  if (!options_.url.empty()) {
    pqxx::connection c(options_.url);
    pqxx::nontransaction q(c);
    return q.exec(sql)[0][0].as<int64_t>();
  }
#endif
  SQLite::Database db(options_.path, SQLite::OPEN_READONLY);
  return db.execAndGet(sql).getInt64();
}

std::vector<std::vector<std::optional<std::string>>> TestDatabase::rows(const std::string& sql) const {
  std::vector<std::vector<std::optional<std::string>>> out;
#ifdef RAPPORTEUR_POSTGRES
  if (!options_.url.empty()) {
    pqxx::connection c(options_.url);
    pqxx::nontransaction q(c);
    for (const auto& r : q.exec(sql)) {
      std::vector<std::optional<std::string>> row;
      for (const auto& f : r) row.push_back(f.is_null() ? std::nullopt : std::optional<std::string>(f.c_str()));
      out.push_back(std::move(row));
    }
    return out;
  }
#endif
  SQLite::Database db(options_.path, SQLite::OPEN_READONLY);
  SQLite::Statement q(db, sql);
  while (q.executeStep()) {
    std::vector<std::optional<std::string>> row;
    for (int i = 0; i < q.getColumnCount(); ++i) {
      row.push_back(q.isColumnNull(i) ? std::nullopt : std::optional<std::string>(q.getColumn(i).getString()));
    }
    out.push_back(std::move(row));
  }
  return out;
}

std::string TestDatabase::text(const std::string& sql) const {
  const auto r = rows(sql);
  REQUIRE(!r.empty());
  REQUIRE(!r[0].empty());
  return r[0][0].value_or("");
}

void TestDatabase::exec(const std::string& sql) const {
#ifdef RAPPORTEUR_POSTGRES
  if (!options_.url.empty()) {
    pqxx::connection c(options_.url);
    pqxx::nontransaction q(c);
    q.exec(sql);
    return;
  }
#endif
  SQLite::Database db(options_.path, SQLite::OPEN_READWRITE);
  db.exec(sql);
}

std::vector<std::string> TestDatabase::columns(const std::string& table) const {
  std::vector<std::string> out;
  const std::string sql =
      options_.url.empty()
          ? "SELECT name FROM pragma_table_info('" + table + "')"
          : "SELECT column_name FROM information_schema.columns WHERE table_name = '" + table +
                "' ORDER BY ordinal_position";
  for (const auto& r : rows(sql)) out.push_back(r[0].value_or(""));
  return out;
}

std::string TestDatabase::json_member(const std::string& column, const std::string& member) const {
  if (options_.url.empty()) return "json_extract(" + column + ", '$." + member + "')";
  return "(" + column + "::json->>'" + member + "')";
}

std::map<std::string, int64_t> TestDatabase::row_counts() const {
  std::map<std::string, int64_t> out;
#ifdef RAPPORTEUR_POSTGRES
  if (!options_.url.empty()) {
    pqxx::connection c(options_.url);
    pqxx::nontransaction q(c);
    for (const auto& r : q.exec("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")) {
      const std::string t = r[0].as<std::string>();
      out[t] = q.exec("SELECT COUNT(*) FROM " + q.quote_name(t))[0][0].as<int64_t>();
    }
    return out;
  }
#endif
  SQLite::Database db(options_.path, SQLite::OPEN_READONLY);
  for (const auto& t : sqlite_tables(db)) out[t] = db.execAndGet("SELECT COUNT(*) FROM \"" + t + "\"").getInt64();
  return out;
}

std::string TestDatabase::content() const {
  std::string out;
#ifdef RAPPORTEUR_POSTGRES
  if (!options_.url.empty()) {
    pqxx::connection c(options_.url);
    pqxx::nontransaction q(c);
    for (const auto& r : q.exec("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")) {
      const std::string t = r[0].as<std::string>();
      out += "== " + t + "\n";
      for (const auto& row : q.exec("SELECT t::text FROM " + q.quote_name(t) + " t ORDER BY 1")) {
        out += row[0].as<std::string>() + "\n";
      }
    }
    return out;
  }
#endif
  SQLite::Database db(options_.path, SQLite::OPEN_READONLY);
  for (const auto& t : sqlite_tables(db)) {
    out += "== " + t + "\n";
    SQLite::Statement rows(db, "SELECT * FROM \"" + t + "\" ORDER BY 1");
    while (rows.executeStep()) {
      for (int i = 0; i < rows.getColumnCount(); ++i) {
        out += rows.getColumn(i).isNull() ? "NULL" : rows.getColumn(i).getString();
        out += '|';
      }
      out += '\n';
    }
  }
  return out;
}

}  // namespace rapporteur::testing
