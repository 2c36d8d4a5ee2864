#include "api.h"

#include <stdexcept>

#include "load_engine.h"

namespace rapporteur::bench {

nlohmann::json Api::call(const std::string& method, const std::string& path, const std::string& token,
                         const nlohmann::json& body, int expect) const {
  const std::string payload = body.is_null() ? std::string() : body.dump();
  const Response r = http_call(port_, build_request(method, path, token, payload));
  const bool ok = expect == 0 ? (r.status >= 200 && r.status < 300) : r.status == expect;
  if (!ok) {
    throw std::runtime_error(method + " " + path + ": expected " + (expect == 0 ? std::string("2xx") : std::to_string(expect)) + ", got " +
                             std::to_string(r.status) + " " + r.body.substr(0, 500));
  }
  if (r.body.empty()) return nullptr;
  try {
    return nlohmann::json::parse(r.body);
  } catch (const nlohmann::json::exception&) {
    return r.body;  // not JSON (text answers)
  }
}

}  // namespace rapporteur::bench
