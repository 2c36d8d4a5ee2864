#include "http/router.h"

#include <mutex>
#include <shared_mutex>
#include <unordered_map>

#include "http/cookies.h"
#include "rapporteur/crypto.h"
#include "rapporteur/sessions.h"
#include "rapporteur/text.h"

namespace rapporteur::http {
namespace {

std::vector<std::string> split_path(const std::string& path) {
  std::vector<std::string> out;
  size_t i = 1;
  while (i <= path.size()) {
    const size_t j = path.find('/', i);
    const size_t end = j == std::string::npos ? path.size() : j;
    out.push_back(path.substr(i, end - i));
    if (j == std::string::npos) break;
    i = j + 1;
  }
  return out;
}

bool match_pattern(const std::string& pattern, const std::vector<std::string>& parts,
                   std::map<std::string, std::string>& params) {
  const std::vector<std::string> pat = split_path(pattern);
  if (pat.size() != parts.size()) return false;
  std::map<std::string, std::string> found;
  for (size_t i = 0; i < pat.size(); ++i) {
    const std::string& p = pat[i];
    if (p.size() > 2 && p.front() == '{' && p.back() == '}') {
      if (parts[i].empty()) return false;
      found[p.substr(1, p.size() - 2)] = parts[i];
    } else if (p != parts[i]) {
      return false;
    }
  }
  params = std::move(found);
  return true;
}

// Token hash -> person, so that a request does not need a read transaction
// to know who it is (a measured cost of every ballot, bench/PERFORMANCE.md).
// An entry is used only while Store::people_generation() still has the value
// read before its lookup began: any committed change to people (new person,
// token replaced, marked present) moves the generation before the writer
// answers, so a replaced token stops working exactly as without the cache.
// Only known tokens are kept; an unknown one is looked up every time.
class TokenCache {
 public:
  std::optional<Person> find(const std::string& token_hash, uint64_t generation) const {
    std::shared_lock<std::shared_mutex> lock(mu_);
    auto it = entries_.find(token_hash);
    if (it == entries_.end() || it->second.generation != generation) return std::nullopt;
    return it->second.person;
  }
  void put(const std::string& token_hash, uint64_t generation, const Person& person) {
    std::unique_lock<std::shared_mutex> lock(mu_);
    if (entries_.size() >= kMaxEntries) entries_.clear();  // a crude bound; refilled on demand
    entries_[token_hash] = Entry{generation, person};
  }

 private:
  static constexpr size_t kMaxEntries = 100'000;
  struct Entry {
    uint64_t generation;
    Person person;
  };
  mutable std::shared_mutex mu_;
  std::unordered_map<std::string, Entry> entries_;
};

TokenCache& token_cache() {
  static TokenCache cache;
  return cache;
}

}  // namespace

Match match_route(const std::string& method, const std::string& path) {
  Match m;
  const auto parts = split_path(path);
  for (const Route& r : routes()) {
    std::map<std::string, std::string> params;
    if (!match_pattern(r.pattern, parts, params)) continue;
    if (r.method == method || (method == "HEAD" && r.method == "GET")) {
      m.route = &r;
      m.params = std::move(params);
      return m;
    }
    m.allowed_methods.push_back(r.method);
  }
  return m;
}

Status check_path_params(const Match& m) {
  for (const auto& [name, value] : m.params) {
    bool control = false;
    for (unsigned char c : value) control = control || c < 0x20 || c == 0x7f;
    if (control || !valid_utf8(value)) {
      return Status::not_found("{" + name + "} in the path is not plain text, so it names nothing");
    }
  }
  return Status::ok();
}

Credential request_credential(const App& app, const httplib::Request& req) {
  const std::string auth = req.get_header_value("Authorization");
  if (auth.rfind("Bearer ", 0) == 0) return {auth.substr(7), Principal::Via::bearer};
  std::string token = token_from_cookies(app, req.get_header_value("Cookie"));
  if (!token.empty()) return {std::move(token), Principal::Via::cookie};
  return {};
}

Result<Principal> resolve_principal(App& app, const httplib::Request& req) {
  Principal p;
  const Credential credential = request_credential(app, req);
  const std::string& token = credential.token;
  if (token.empty()) return p;
  p.via = credential.via;
  if (app.is_admin_token(token)) {
    p.kind = Principal::Kind::admin;
    return p;
  }
  // The metrics token counts only in the header it is configured for.
  if (credential.via == Principal::Via::bearer && app.is_metrics_token(token)) {
    p.kind = Principal::Kind::metrics;
    return p;
  }
  const std::string token_hash = sha256_hex(token);
  // Read before the lookup's snapshot begins (see TokenCache).
  const uint64_t generation = app.store().people_generation();
  if (auto cached = token_cache().find(token_hash, generation)) {
    p.kind = Principal::Kind::person;
    p.person = std::move(*cached);
    return p;
  }
  RAPPORTEUR_ASSIGN_OR_RETURN(
      auto person, app.store().read<std::optional<Person>>([&](Snapshot& snap) -> Result<std::optional<Person>> {
        return find_person_by_token_hash(snap, token_hash);
      }));
  if (!person.has_value()) return Status::unauthenticated("the access token is unknown or has been replaced");
  token_cache().put(token_hash, generation, *person);
  p.kind = Principal::Kind::person;
  p.person = std::move(*person);
  return p;
}

Status check_access(Access access, const Principal& principal, const std::string& sid, const httplib::Request&) {
  using Kind = Principal::Kind;
  switch (access) {
    case Access::anyone:
    case Access::observer:
      return Status::ok();
    case Access::metrics:
      // Not the peer address: behind a proxy on the same machine every
      // request comes from loopback.
      if (principal.via == Principal::Via::bearer && (principal.kind == Kind::admin || principal.kind == Kind::metrics)) {
        return Status::ok();
      }
      if (principal.kind == Kind::person && principal.via == Principal::Via::bearer) {
        return Status::forbidden("/metrics is read with the metrics token or the admin token, not a person's");
      }
      return Status::unauthenticated(
          "/metrics needs Authorization: Bearer with the metrics token (RAPPORTEUR_METRICS_TOKEN) or the admin token");
    default:
      break;
  }
  if (principal.kind == Kind::none) return Status::unauthenticated("an access token is required");
  if (principal.kind == Kind::metrics) return Status::forbidden("the metrics token reads /metrics and nothing else");
  if (access == Access::authenticated) return Status::ok();
  if (access == Access::admin) {
    if (principal.kind == Kind::admin) return Status::ok();
    return Status::forbidden("only the administrator may do this");
  }
  if (principal.kind == Kind::admin) {
    // The administrator sets sessions up: secretariat rights, no vote, no chair.
    if (access == Access::member || access == Access::secretariat || access == Access::chair) return Status::ok();
    return Status::forbidden("the administrator may not act as " + std::string(access_name(access)));
  }
  const Person& person = principal.person;
  if (person.session != sid) return Status::forbidden("your token belongs to another session");
  bool ok = false;
  switch (access) {
    case Access::member: ok = person.is_member(); break;
    case Access::participant: ok = person.has("participant"); break;
    case Access::secretariat: ok = person.is_secretariat(); break;
    case Access::president: ok = person.has("president"); break;
    case Access::chair: ok = person.has("president"); break;
    default: break;
  }
  if (ok) return Status::ok();
  if (access == Access::chair) return Status::forbidden("only the president of the session or the administrator may do this");
  return Status::forbidden("this needs the " + std::string(access_name(access)) + " role");
}

}  // namespace rapporteur::http
