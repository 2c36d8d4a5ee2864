// What a route handler sees and returns. Handlers contain no SQL: they
// validate, call domain operations and turn results into JSON.
#pragma once

#include <httplib.h>

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "rapporteur/app.h"
#include "rapporteur/person.h"
#include "rapporteur/session.h"
#include "rapporteur/status.h"

namespace rapporteur::http {

struct Principal {
  // metrics: the metrics token, which reads /metrics and nothing else.
  enum class Kind { none, admin, metrics, person };
  Kind kind = Kind::none;
  Person person;
  // How the token came: a browser's cookie is ambient (sent with requests
  // other sites make), a Bearer header is not (see http/origin.h).
  enum class Via { nothing, bearer, cookie };
  Via via = Via::nothing;
  // The actor recorded in the log: "admin", "metrics", "person:12" or "anonymous".
  std::string actor() const;
};

struct Reply {
  int status = 200;
  std::string body;
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;
  // Server-sent events: called with a writer until it returns false.
  std::function<bool(const std::function<bool(const std::string&)>& write)> stream;

  static Reply json(int status, const nlohmann::json& body);
};

enum class Access {
  anyone,         // no token needed
  metrics,        // the metrics token or the admin token, as Authorization: Bearer
  admin,          // the admin token
  authenticated,  // any valid person token
  observer,       // anyone, in a session that exists
  member,         // participant, rapporteur, secretariat or president of {sid} (or admin)
  participant,    // the participant role of {sid}: voting
  secretariat,    // secretariat or president of {sid} (or admin)
  president,      // president of {sid}
  chair,          // president of {sid}, or the administrator
};

const char* access_name(Access a);

struct Ctx {
  App& app;
  const httplib::Request& req;
  std::map<std::string, std::string> params;
  Principal principal;
  std::string request_id;
  std::string route;

  const std::string& param(const std::string& name) const { return params.at(name); }
  // A path parameter as a positive id; not_found naming `what` otherwise.
  Result<int64_t> id_param(const std::string& name, const std::string& what) const;
  std::string query(const std::string& name) const;
  std::string header(const std::string& name) const;

  // The JSON request body: 415 when not JSON, 413 over `max_bytes`,
  // 422 for invalid UTF-8, 400 when unparsable, too deep or not an object.
  Result<nlohmann::json> json_body(size_t max_bytes = 64 * 1024) const;

  // The session of {sid}, read from a fresh snapshot.
  Result<Session> session() const;

  // Runs `fn` as one durable write; with an Idempotency-Key header, the same
  // key from the same actor within 24 h returns the first reply unchanged.
  Result<Reply> write(int status, const std::function<Result<nlohmann::json>(Tx&)>& fn) const;

  // The same, where `honour_key` decides inside the write job whether the
  // Idempotency-Key applies (false: the reply is neither looked up nor
  // stored, e.g. a secret ballot's, which must not be kept under the voter's
  // name). A malformed key is refused either way.
  Result<Reply> write(int status, const std::function<bool(Tx&)>& honour_key,
                      const std::function<Result<nlohmann::json>(Tx&)>& fn) const;

  bool is_president() const { return principal.kind == Principal::Kind::person && principal.person.has("president"); }
  bool is_secretariat() const {
    return principal.kind == Principal::Kind::admin ||
           (principal.kind == Principal::Kind::person && principal.person.is_secretariat());
  }
};

// Ctx::json_body's checks on a Content-Type header value and a raw body
// (also fed to the request fuzzer, tests/fuzz/request_fuzz.cpp).
Result<nlohmann::json> parse_json_body(const std::string& content_type, const std::string& body, size_t max_bytes);

using Handler = std::function<Result<Reply>(Ctx&)>;

struct Route {
  std::string method;
  std::string pattern;  // "/api/v1/sessions/{sid}/fragments/{fid}"
  Access access;
  Handler handler;
};

// Every route of the service, in one table (src/http/routes.cpp).
const std::vector<Route>& routes();

}  // namespace rapporteur::http
