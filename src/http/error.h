// The one place where a Status becomes an HTTP status and error body.
#pragma once

#include "http/context.h"

namespace rapporteur::http {

int http_status(Code code);

// {"error": {"code", "message", "field"?, ...details}}; internal errors carry
// only the request id, never the detail.
Reply error_reply(const Status& status, const std::string& request_id);

}  // namespace rapporteur::http
