// The guard against cross-site requests.
//
// A browser attaches the login cookie to requests that pages of other sites
// make it send (a form posted from evil.example, a fetch with credentials),
// and it sends requests that carry no token at all (a login or a logout)
// wherever a page points it. So a state-changing request (any method but
// GET, HEAD and OPTIONS) that the cookie authenticates, or that carries no
// token, is accepted only when
//  - it comes from this server's own origin: its Origin header is the
//    public URL's origin or the origin of the Host it was sent to, or it has
//    no Origin and says Sec-Fetch-Site: same-origin. Sec-Fetch-Site
//    cross-site or same-site refuses it whatever the Origin says. A cookie
//    request with neither header is refused: every browser that stores the
//    cookie sends Origin on such requests, so it proves nothing. A request
//    with no token and neither header is no browser's and passes;
//  - its Content-Type is application/json, even without a body: a page of
//    another origin can send that type only after a CORS preflight, which
//    this server never grants, so no HTML form or "simple" request passes.
// Requests authenticated with Authorization: Bearer are left alone: a page
// cannot make a browser add that header to a request to this origin, and
// scripts and curl send no Origin.
#pragma once

#include <httplib.h>

#include <string>

#include "rapporteur/app.h"
#include "rapporteur/status.h"

namespace rapporteur::http {

// ok, cross_origin (403) or unsupported_media_type (415) as above.
Status check_browser_request(const App& app, const httplib::Request& req);

// "scheme://host[:port]" of an absolute http or https URL, lowercased, the
// default port (80, 443) left out; empty when `url` is not one.
std::string url_origin(const std::string& url);

}  // namespace rapporteur::http
