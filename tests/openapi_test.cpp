// The OpenAPI document (src/http/openapi.json) against the route table
// (src/http/routes.cpp): a route without documentation, or documented with
// another access than the one enforced, fails here. The document's validity
// as OpenAPI 3.1 is checked by Redocly (ctest -R openapi_lint).
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "http/context.h"
#include "http/embedded.h"
#include "rapporteur/status.h"

using nlohmann::json;
using rapporteur::http::Access;
using rapporteur::http::Route;

namespace {

const char* const kMethods[] = {"get", "put", "post", "delete", "options", "head", "patch", "trace"};

const json& document() {
  static const json doc = json::parse(rapporteur::http::openapi_json());
  return doc;
}

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string describe(const Route& r) { return r.method + " " + r.pattern; }

// The object a local "$ref" ("#/components/parameters/sid") points to; the
// value itself when it is no reference. Throws when the target is missing.
const json& resolve(const json& value) {
  if (!value.is_object() || !value.contains("$ref")) return value;
  const std::string ref = value["$ref"].get<std::string>();
  REQUIRE(ref.rfind("#/", 0) == 0);
  return document().at(json::json_pointer(ref.substr(1)));
}

// The operation documenting `route`, or null when there is none.
const json* operation(const Route& route) {
  const json& paths = document()["paths"];
  auto path = paths.find(route.pattern);
  if (path == paths.end()) return nullptr;
  auto op = path->find(lower(route.method));
  return op == path->end() ? nullptr : &*op;
}

// Every operation of the document, with "METHOD path" for messages.
std::vector<std::pair<std::string, const json*>> all_operations() {
  std::vector<std::pair<std::string, const json*>> out;
  for (const auto& [path, item] : document()["paths"].items()) {
    for (const char* m : kMethods) {
      if (item.contains(m)) out.emplace_back(lower(m) + " " + path, &item[m]);
    }
  }
  return out;
}

std::set<std::string> pattern_params(const std::string& pattern) {
  std::set<std::string> out;
  static const std::regex param(R"(\{([^}/]+)\})");
  for (std::sregex_iterator it(pattern.begin(), pattern.end(), param), end; it != end; ++it) out.insert((*it)[1]);
  return out;
}

// Whether a response's JSON schema is the shared Error (or builds on it).
bool is_error_schema(const json& schema) {
  if (schema.contains("$ref")) {
    const std::string ref = schema["$ref"];
    return ref == "#/components/schemas/Error" || ref == "#/components/schemas/VersionConflictError";
  }
  for (const char* combinator : {"oneOf", "anyOf"}) {
    if (schema.contains(combinator)) {
      const json& parts = schema[combinator];
      return !parts.empty() && std::all_of(parts.begin(), parts.end(), is_error_schema);
    }
  }
  return false;
}

}  // namespace

TEST_CASE("openapi: the OpenAPI document is an OpenAPI 3.1 object", "[openapi]") {
  json doc;
  REQUIRE_NOTHROW(doc = json::parse(rapporteur::http::openapi_json()));
  CHECK(doc["openapi"] == "3.1.0");
  CHECK(doc["info"]["version"] == RAPPORTEUR_VERSION);
  REQUIRE(doc["paths"].is_object());
  CHECK(doc["components"]["schemas"].contains("Error"));
  CHECK(doc["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer");
  CHECK(doc["components"]["securitySchemes"]["cookieAuth"]["in"] == "cookie");
  CHECK(doc["components"]["securitySchemes"]["cookieAuth"]["name"] == "rapporteur_token");
}

TEST_CASE("openapi: every route of the route table is documented with its method", "[openapi]") {
  const auto& routes = rapporteur::http::routes();
  REQUIRE(!routes.empty());
  std::vector<std::string> missing;
  for (const Route& r : routes) {
    if (operation(r) == nullptr) missing.push_back(describe(r));
  }
  std::string list;
  for (const auto& m : missing) list += "\n  " + m;
  INFO("routes of src/http/routes.cpp missing from src/http/openapi.json:" << list);
  CHECK(missing.empty());
}

TEST_CASE("openapi: each route is documented with the access the route table enforces", "[openapi]") {
  for (const Route& r : rapporteur::http::routes()) {
    const json* op = operation(r);
    if (op == nullptr) continue;  // reported by the test above
    INFO(describe(r));
    const std::string access = rapporteur::http::access_name(r.access);
    CHECK(op->value("x-access", "") == access);
    // Routes open to callers without a token list the empty requirement {}.
    REQUIRE(op->contains("security"));
    const json& security = (*op)["security"];
    const bool optional = std::any_of(security.begin(), security.end(), [](const json& s) { return s.empty(); });
    const bool open = r.access == Access::anyone || r.access == Access::observer;
    CHECK(optional == open);
  }
}

TEST_CASE("openapi: path parameters are declared exactly as the route pattern names them", "[openapi]") {
  for (const auto& [name, op] : all_operations()) {
    INFO(name);
    const std::string path = name.substr(name.find(' ') + 1);
    std::set<std::string> declared;
    for (const json& p : op->value("parameters", json::array())) {
      const json& param = resolve(p);
      if (param["in"] == "path") {
        CHECK(param["required"] == true);
        declared.insert(param["name"].get<std::string>());
      }
    }
    CHECK(declared == pattern_params(path));
  }
}

TEST_CASE("openapi: operationIds are unique snake_case names", "[openapi]") {
  static const std::regex snake("^[a-z][a-z0-9]*(_[a-z0-9]+)*$");
  std::set<std::string> seen;
  for (const auto& [name, op] : all_operations()) {
    INFO(name);
    REQUIRE(op->contains("operationId"));
    const std::string id = (*op)["operationId"];
    CHECK(std::regex_match(id, snake));
    CHECK(seen.insert(id).second);
  }
}

TEST_CASE("openapi: POST and PUT operations accept an Idempotency-Key header", "[openapi]") {
  for (const auto& [name, op] : all_operations()) {
    if (name.rfind("post ", 0) != 0 && name.rfind("put ", 0) != 0) continue;
    INFO(name);
    const json params = op->value("parameters", json::array());
    const bool has_key = std::any_of(params.begin(), params.end(), [](const json& p) {
      const json& param = resolve(p);
      return param["in"] == "header" && param["name"] == "Idempotency-Key";
    });
    CHECK(has_key);
  }
}

TEST_CASE("openapi: every error response is the shared Error object", "[openapi]") {
  for (const auto& [name, op] : all_operations()) {
    for (const auto& [status, response] : (*op)["responses"].items()) {
      if (status.empty() || status[0] < '4') continue;
      INFO(name + " " + status);
      const json& r = resolve(response);
      REQUIRE(r.contains("content"));
      REQUIRE(r["content"].contains("application/json"));
      CHECK(is_error_schema(r["content"]["application/json"]["schema"]));
    }
    INFO(name);
    CHECK((*op)["responses"].contains("500"));
  }
}

TEST_CASE("openapi: the Error schema lists every error code of the service", "[openapi]") {
  const json& body = resolve(document()["components"]["schemas"]["Error"]["properties"]["error"]);
  const json& codes = body["properties"]["code"]["enum"];
  using rapporteur::Code;
  // Code::unavailable is the last code of rapporteur/status.h.
  for (int c = static_cast<int>(Code::bad_request); c <= static_cast<int>(Code::unavailable); ++c) {
    const std::string code = rapporteur::code_name(static_cast<Code>(c));
    INFO(code);
    CHECK(std::find(codes.begin(), codes.end(), code) != codes.end());
  }
}
