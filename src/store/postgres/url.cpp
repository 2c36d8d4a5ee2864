// The PostgreSQL URL as shown and as connected with.
#include <string>

#include "store/postgres/postgres_store.h"

namespace rapporteur::postgres {
namespace {

// Where the query starts: the first '?' after the user information (a
// password may hold a '?'), or npos.
size_t query_start(const std::string& url) {
  const size_t at = url.rfind('@');
  return url.find('?', at == std::string::npos ? 0 : at);
}

bool has_param(const std::string& url, const std::string& name) {
  const size_t q = query_start(url);
  if (q == std::string::npos) return false;
  size_t at = q + 1;
  while (at < url.size()) {
    const size_t end = url.find('&', at);
    const std::string item = url.substr(at, end == std::string::npos ? std::string::npos : end - at);
    if (item.compare(0, name.size() + 1, name + "=") == 0) return true;
    if (end == std::string::npos) break;
    at = end + 1;
  }
  return false;
}

}  // namespace

std::string redacted_url(const std::string& url) {
  StoreOptions o;
  o.url = url;
  return database_shown(o);
}

std::string connection_url(const std::string& url) {
  static const std::pair<const char*, const char*> kDefaults[] = {
      {"target_session_attrs", "read-write"},
      {"connect_timeout", "5"},
      {"keepalives", "1"},
      {"keepalives_idle", "5"},
      {"keepalives_interval", "2"},
      {"keepalives_count", "3"},
      {"tcp_user_timeout", "10000"},
      {"application_name", "rapporteur"},
      // Durable on the synchronous standby before a commit returns, whatever
      // the server's default; set at connection start, so it survives any
      // reconnection libpq makes.
      {"options", "-c%20synchronous_commit%3Don"},
  };
  std::string out = url;
  for (const auto& [name, value] : kDefaults) {
    if (has_param(out, name)) continue;
    out += query_start(out) == std::string::npos ? '?' : '&';
    out += std::string(name) + "=" + value;
  }
  return out;
}

}  // namespace rapporteur::postgres
