// The one place where a Status becomes an HTTP status and error body.
#pragma once

#include "http/context.h"

namespace rapporteur::http {

int http_status(Code code);

// Seconds a client should wait before asking again (the Retry-After header
// of every 503); 0 for codes that are not temporary.
int retry_after_seconds(Code code);

// {"error": {"code", "message", "field"?, ...details}}; internal errors carry
// only the request id, never the detail.
Reply error_reply(const Status& status, const std::string& request_id);

}  // namespace rapporteur::http
