// Static pages from web/: no path outside it is ever served.
#pragma once

#include "http/context.h"

namespace rapporteur::http {

// Sent with every page (static or rendered): no inline script or style.
inline constexpr const char* kContentSecurityPolicy =
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

// GET of a non-API path: "/" is index.html; a path with a ".." segment,
// a backslash or a NUL gets 404, as does anything outside `web_dir`.
// Every file carries an ETag (a hash of its bytes, so an edited file gets a
// new one at once) and "Cache-Control: no-cache": a browser asks again each
// time, and `if_none_match` naming the current ETag gets 304 without a body.
// With `accepts_gzip`, a text file's body is gzipped (compressed once per
// version of the file, then kept) and the reply says Content-Encoding: gzip.
Reply serve_static(const std::string& web_dir, const std::string& path, const std::string& if_none_match,
                   bool accepts_gzip, const std::string& request_id);

}  // namespace rapporteur::http
