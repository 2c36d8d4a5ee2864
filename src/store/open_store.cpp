// Chooses the implementation of the storage contract from where the data
// lives: a SQLite file (the default), or a PostgreSQL server.
#include <cctype>

#include "rapporteur/store.h"
#include "store/sqlite/sqlite_store.h"
#ifdef RAPPORTEUR_POSTGRES
#include "store/postgres/postgres_store.h"
#endif

namespace rapporteur {
namespace {

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// The scheme of a value that starts like a URL (RFC 3986: a letter, then
// letters, digits, "+", "-" or ".", then a colon), or "" when it does not.
std::string scheme_of(const std::string& v) {
  if (v.empty() || !std::isalpha(static_cast<unsigned char>(v[0]))) return "";
  for (size_t i = 1; i < v.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(v[i]);
    if (c == ':') return lower(v.substr(0, i));
    if (!std::isalnum(c) && c != '+' && c != '-' && c != '.') return "";
  }
  return "";
}

#ifndef RAPPORTEUR_POSTGRES
Status refuse_postgres_unbuilt() {
  return Status::invalid(
      "--db: this binary was built without PostgreSQL support (libpqxx); rebuild with "
      "-DRAPPORTEUR_POSTGRES=ON, or give a SQLite file path");
}
#endif

}  // namespace

bool postgres_supported() {
#ifdef RAPPORTEUR_POSTGRES
  return true;
#else
  return false;
#endif
}

std::string database_shown(const StoreOptions& options) {
  if (options.url.empty()) return options.path;
  const std::string& url = options.url;
  const size_t scheme_end = url.find("://");
  if (scheme_end == std::string::npos) return "(a PostgreSQL database)";
  const size_t start = scheme_end + 3;
  std::string user;
  size_t host = start;
  if (const size_t at = url.rfind('@'); at != std::string::npos && at >= start) {
    user = url.substr(start, at - start);
    user = user.substr(0, user.find(':')) + "@";
    host = at + 1;
  }
  const size_t query = url.find('?', host);
  return url.substr(0, start) + user + url.substr(host, query == std::string::npos ? std::string::npos : query - host);
}

Status set_database(StoreOptions& options, const std::string& value) {
  if (value.empty()) return Status::invalid("--db: needs a SQLite file path or a postgresql:// URL");
  const std::string scheme = scheme_of(value);
  if (scheme.empty()) {
    options.path = value;
    options.url.clear();
    return Status::ok();
  }
  // Only the scheme is repeated in messages: the rest may hold a password.
  if (scheme == "postgresql" || scheme == "postgres") {
    if (value.compare(scheme.size(), 3, "://") != 0) {
      return Status::invalid("--db: a PostgreSQL URL starts with postgresql:// (as in postgresql://host/dbname)");
    }
    options.url = value;
    return Status::ok();
  }
  return Status::invalid("--db: " + scheme +
                         ": URLs are not supported; give a SQLite file path or a postgresql:// URL "
                         "(a file whose name has a colon before any slash is written ./NAME)");
}

Result<std::unique_ptr<Store>> open_store(const StoreOptions& options) {
  if (options.url.empty()) return sqlite::SqliteStore::open(options);
#ifdef RAPPORTEUR_POSTGRES
  return postgres::PostgresStore::open(options);
#else
  return refuse_postgres_unbuilt();
#endif
}

Status read_existing(const StoreOptions& options, const std::function<Status(Snapshot&)>& fn) {
  if (options.url.empty()) return sqlite::read_existing_file(options.path, fn);
#ifdef RAPPORTEUR_POSTGRES
  return postgres::read_existing_database(options, fn);
#else
  return refuse_postgres_unbuilt();
#endif
}

}  // namespace rapporteur
