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
  }
  return 500;
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
  return r;
}

}  // namespace rapporteur::http
