// The PostgreSQL URL as shown and as connected with.
#include <string>

#include "store/postgres/postgres_store.h"

namespace rapporteur::postgres {
namespace {

bool has_param(const std::string& url, const std::string& name) {
  const size_t q = url.find('?');
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
  const size_t scheme_end = url.find("://");
  if (scheme_end == std::string::npos) return "(a PostgreSQL database)";
  const size_t start = scheme_end + 3;
  std::string rest = url.substr(start);
  rest = rest.substr(0, rest.find('?'));
  const size_t slash = rest.find('/');
  std::string authority = rest.substr(0, slash);
  const std::string path = slash == std::string::npos ? "" : rest.substr(slash);
  const size_t at = authority.rfind('@');
  if (at != std::string::npos) {
    std::string user = authority.substr(0, at);
    user = user.substr(0, user.find(':'));
    authority = user + "@" + authority.substr(at + 1);
  }
  return url.substr(0, start) + authority + path;
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
  };
  std::string out = url;
  for (const auto& [name, value] : kDefaults) {
    if (has_param(out, name)) continue;
    out += out.find('?') == std::string::npos ? '?' : '&';
    out += std::string(name) + "=" + value;
  }
  return out;
}

}  // namespace rapporteur::postgres
