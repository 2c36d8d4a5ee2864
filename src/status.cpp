#include "rapporteur/status.h"

namespace rapporteur {

const char* code_name(Code code) {
  switch (code) {
    case Code::ok: return "ok";
    case Code::bad_request: return "bad_request";
    case Code::invalid_json: return "invalid_json";
    case Code::unauthenticated: return "unauthenticated";
    case Code::forbidden: return "forbidden";
    case Code::cross_origin: return "cross_origin";
    case Code::not_found: return "not_found";
    case Code::method_not_allowed: return "method_not_allowed";
    case Code::version_conflict: return "version_conflict";
    case Code::conflict: return "conflict";
    case Code::outside_slot: return "outside_slot";
    case Code::too_large: return "too_large";
    case Code::unsupported_media_type: return "unsupported_media_type";
    case Code::validation_failed: return "validation_failed";
    case Code::internal: return "internal";
    case Code::not_implemented: return "not_implemented";
    case Code::range_not_satisfiable: return "range_not_satisfiable";
    case Code::converter_failed: return "converter_failed";
    case Code::converter_timeout: return "converter_timeout";
    case Code::converters_busy: return "converters_busy";
    case Code::too_many_streams: return "too_many_streams";
    case Code::unavailable: return "unavailable";
  }
  return "internal";
}

}  // namespace rapporteur
