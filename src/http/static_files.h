// Static pages from web/: no path outside it is ever served.
#pragma once

#include "http/context.h"

namespace rapporteur::http {

// GET of a non-API path: "/" is index.html; a path with a ".." segment,
// a backslash or a NUL gets 404, as does anything outside `web_dir`.
Reply serve_static(const std::string& web_dir, const std::string& path, const std::string& request_id);

}  // namespace rapporteur::http
