// Files compiled into the binary (generated at build time).
#pragma once

#include <string>

namespace rapporteur::http {

// The OpenAPI 3.1 document of the service (src/http/openapi.json).
const std::string& openapi_json();

}  // namespace rapporteur::http
