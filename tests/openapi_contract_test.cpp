// The contract checker of tests/contract/ itself: it must refuse what breaks
// the OpenAPI document, or the check every HTTP test answer passes through
// would prove nothing.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "contract/openapi_contract.h"

using nlohmann::json;
using namespace rapporteur::testing;

namespace {

const json& schema(const std::string& name) { return contract::document()["components"]["schemas"][name]; }

const std::string kJson = "application/json; charset=utf-8";

}  // namespace

TEST_CASE("concrete paths match their template, the most literal one first", "[contract]") {
  CHECK(contract::match_path("/api/v1/sessions/kisumu/polls/3/open?x=1") == "/api/v1/sessions/{sid}/polls/{poll}/open");
  CHECK(contract::match_path("/api/v1/sessions") == "/api/v1/sessions");
  CHECK(contract::match_path("/api/v1/sessions/kisumu") == "/api/v1/sessions/{sid}");
  CHECK(contract::match_path("/api/v1/nothing/here") == std::nullopt);
  CHECK(contract::match_path("/api/v1/sessions//polls") == std::nullopt);
}

TEST_CASE("the validator refuses a body that breaks its schema", "[contract]") {
  const json good = {{"error", {{"code", "not_found"}, {"message", "no such session"}}}};
  CHECK(contract::schema_errors(schema("Error"), good) == "");

  SECTION("a required member missing") {
    const std::string errors = contract::schema_errors(schema("Error"), json::object());
    CHECK_THAT(errors, Catch::Contains("error"));
  }
  SECTION("a member of the wrong type, found through a $ref") {
    json bad = good;
    bad["error"]["code"] = 404;
    CHECK(contract::schema_errors(schema("Error"), bad) != "");
  }
  SECTION("a member the schema does not allow") {
    json bad = good;
    bad["stack"] = "handlers.cpp:12";
    CHECK(contract::schema_errors(schema("Error"), bad) != "");
  }
}

TEST_CASE("an answer is checked against its operation, status and schema", "[contract]") {
  const std::string error = R"({"error":{"code":"not_found","message":"no such session"}})";
  CHECK(contract::check_response("GET", "/api/v1/sessions/x", 404, kJson, "", error) == "");

  SECTION("a body that breaks the schema names the route, the status and the error") {
    const std::string v = contract::check_response("GET", "/api/v1/sessions/x", 404, kJson, "", R"({"error":"gone"})");
    CHECK_THAT(v, Catch::Contains("GET /api/v1/sessions/{sid}"));
    CHECK_THAT(v, Catch::Contains("404"));
    CHECK_THAT(v, Catch::Contains("breaks its schema"));
  }
  SECTION("a status the operation does not document") {
    CHECK_THAT(contract::check_response("GET", "/api/v1/sessions/x", 418, kJson, "", error),
               Catch::Contains("not documented"));
  }
  SECTION("a JSON content type on a body that is no JSON") {
    CHECK_THAT(contract::check_response("GET", "/api/v1/sessions/x", 404, kJson, "", "<html>"),
               Catch::Contains("not JSON"));
  }
  SECTION("what the document does not describe is left alone") {
    CHECK(contract::check_response("GET", "/api/v1/sessions/x", 404, "text/html", "", "<html>") == "");
    CHECK(contract::check_response("GET", "/static/app.js", 404, kJson, "", "{}") == "");
    CHECK(contract::check_response("GET", "/api/v1/sessions/x", 404, kJson, "gzip", "\x1f\x8b") == "");
  }
}
