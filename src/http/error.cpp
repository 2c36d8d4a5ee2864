#include "http/error.h"

namespace rapporteur::http {

int http_status(Code code) {
  switch (code) {
    case Code::ok: return 200;
    case Code::bad_request: return 400;
    case Code::invalid_json: return 400;
    case Code::unauthenticated: return 401;
    case Code::forbidden: return 403;
    case Code::cross_origin: return 403;
    case Code::not_found: return 404;
    case Code::method_not_allowed: return 405;
    case Code::version_conflict: return 409;
    case Code::conflict: return 409;
    case Code::outside_slot: return 409;
    case Code::too_large: return 413;
    case Code::unsupported_media_type: return 415;
    case Code::validation_failed: return 422;
    case Code::internal: return 500;
    case Code::not_implemented: return 501;
    case Code::range_not_satisfiable: return 416;
    case Code::converter_failed: return 503;
    case Code::converter_timeout: return 503;
    case Code::converters_busy: return 503;
    case Code::too_many_streams: return 503;
    case Code::unavailable: return 503;
  }
  return 500;
}

int retry_after_seconds(Code code) {
  switch (code) {
    // A conversion that failed or ran out of time may succeed once the
    // machine is less loaded; asking again at once would only add load.
    case Code::converter_failed: return 60;
    case Code::converter_timeout: return 120;
    // A slot frees when a running conversion ends (seconds, usually).
    case Code::converters_busy: return 15;
    // A stream frees when a screen closes; the projector polls /live meanwhile.
    case Code::too_many_streams: return 30;
    // A standby is promoted within seconds.
    case Code::unavailable: return 2;
    default: return 0;
  }
}

Reply error_reply(const Status& status, const std::string& request_id) {
  nlohmann::json err = {{"code", code_name(status.code())}};
  if (status.code() == Code::internal) {
    err["message"] = "internal error (request " + request_id + ")";
    err["request_id"] = request_id;
  } else {
    err["message"] = status.message();
    if (!status.field().empty()) err["field"] = status.field();
    if (status.details().is_object()) {
      for (auto it = status.details().begin(); it != status.details().end(); ++it) err[it.key()] = it.value();
    }
  }
  Reply r = Reply::json(http_status(status.code()), {{"error", err}});
  if (status.code() == Code::unauthenticated) r.headers.emplace_back("WWW-Authenticate", "Bearer");
  if (const int retry = retry_after_seconds(status.code()); retry > 0) {
    r.headers.emplace_back("Retry-After", std::to_string(retry));
  }
  return r;
}

}  // namespace rapporteur::http
