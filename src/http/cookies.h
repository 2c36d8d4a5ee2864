// The login cookie, in one place for every handler that signs a browser in
// or out and for the code that reads it back.
//
// Always HttpOnly (no script reads it), SameSite=Strict (no other site's
// page makes the browser send it) and Path=/. When the public URL is https
// it is also Secure and named __Host-rapporteur_token: a browser stores a
// __Host- cookie only from a secure origin, for Path=/ and without Domain,
// so neither a plain-http page nor a sibling host can plant or overwrite
// it. Over http (a laptop on the venue network) it is rapporteur_token.
#pragma once

#include <string>

#include "rapporteur/app.h"

namespace rapporteur::http {

// "__Host-rapporteur_token" when app.is_https(), else "rapporteur_token".
std::string token_cookie_name(const App& app);

// The Set-Cookie value that keeps `token` in the browser for 30 days.
std::string login_cookie(const App& app, const std::string& token);

// The Set-Cookie value that removes it (same name and attributes, Max-Age=0).
std::string logout_cookie(const App& app);

// The login cookie's value in a Cookie header; empty when there is none.
std::string token_from_cookies(const App& app, const std::string& cookie_header);
bool has_token_cookie(const App& app, const std::string& cookie_header);

}  // namespace rapporteur::http
