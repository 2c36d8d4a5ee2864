// Path matching and the access check: the one place where roles are checked
// against the route table.
#pragma once

#include "http/context.h"

namespace rapporteur::http {

struct Match {
  const Route* route = nullptr;
  std::map<std::string, std::string> params;
  std::vector<std::string> allowed_methods;  // when the path matched another method
};

// Finds the route for method and path; `route` is null when none matches.
Match match_route(const std::string& method, const std::string& path);

// not_found when a path parameter (decoded) is not text that could name
// anything: not valid UTF-8, or holding a control character such as NUL.
// Every id, slug and token the server hands out is plain text, so such a
// value names nothing, and it goes no further than here (a database may
// refuse it as a query parameter rather than find nothing).
Status check_path_params(const Match& m);

// Resolves the bearer token or cookie of `req`. unauthenticated when a token
// is presented but unknown.
Result<Principal> resolve_principal(App& app, const httplib::Request& req);

// ok when `principal` may use a route of `access` for session `sid`.
Status check_access(Access access, const Principal& principal, const std::string& sid, const httplib::Request& req);

// The token a request carries and how: Authorization: Bearer, else the
// login cookie (http/cookies.h), else none.
struct Credential {
  std::string token;
  Principal::Via via = Principal::Via::nothing;
};
Credential request_credential(const App& app, const httplib::Request& req);

}  // namespace rapporteur::http
