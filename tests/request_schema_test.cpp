// The OpenAPI request schemas against the hostile bodies the server refuses
// (tests/http_hostile_test.cpp): every body a route refuses with a 4xx
// should be one its requestBody schema refuses too, so that a client
// validating against the document learns what the server will say. A body
// the schema cannot refuse is listed below with the reason, and every entry
// of that list must still be needed.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "contract/openapi_contract.h"
#include "hostile/hostile_bodies.h"
#include "http/context.h"

using nlohmann::json;
using namespace rapporteur::testing;
using namespace rapporteur::testing::hostile;

namespace {

// A body the server refuses and the schema accepts, and why the schema
// cannot say what the server checks.
struct Exception {
  std::string route;
  std::string what;
  std::string reason;
};

// None today: every body the server refuses breaks its schema (the text
// rule "no NUL" is in the document as `not: {pattern: "\u0000"}`). A rule
// the schema cannot state (a cross-field check, a state of the session)
// would go here with its reason.
const std::vector<Exception>& exceptions() {
  static const std::vector<Exception> kExceptions = {};
  return kExceptions;
}

// The valid bodies of the hostile test's second case ("spoilt bodies ...
// where the valid body succeeds") that differ from templates(): every
// optional member given. Ids are the Kisumu sample's shapes.
std::map<std::string, json> full_bodies() {
  return {
      {"POST /api/v1/sessions/{sid}/people", {{"name", "Delegate"}, {"roles", {"participant"}}, {"breakout", nullptr}}},
      {"POST /api/v1/sessions/{sid}/polls",
       {{"subject", {{"amendment", 2}}},
        {"method", "electronic"},
        {"rule", "simple"},
        {"quorum", nullptr},
        {"secret", false},
        {"closes_at", nullptr},
        {"override_slot", false},
        {"reason", nullptr}}},
  };
}

bool allowed_success(const std::string& route, const std::string& what) {
  for (const auto& a : allowed_successes()) {
    if (a.route == route && a.what == what) return true;
  }
  return false;
}

const Exception* exception_for(const std::string& route, const std::string& what) {
  for (const auto& e : exceptions()) {
    if (e.route == route && e.what == what) return &e;
  }
  return nullptr;
}

struct Tally {
  int not_json = 0;
  int refused = 0;
  int excepted = 0;
  std::set<std::string> used;  // "route | what" of the exceptions met
};

// One body the server refuses: the schema must refuse it too, or the body
// must be a listed exception.
void expect_refused(const json& schema, const std::string& route, const Body& b, Tally& t) {
  if (allowed_success(route, b.what)) return;  // the server accepts it: nothing to compare
  const json value = json::parse(b.bytes, nullptr, false);
  if (value.is_discarded()) {
    ++t.not_json;  // no schema accepts what is not JSON
    return;
  }
  const std::string errors = contract::schema_errors(schema, value);
  if (!errors.empty()) {
    ++t.refused;
    return;
  }
  if (exception_for(route, b.what) != nullptr) {
    ++t.excepted;
    t.used.insert(route + " | " + b.what);
    return;
  }
  FAIL_CHECK(route << " with " << b.what << ": the server refuses it, its request schema accepts it\nbody: "
                   << b.bytes.substr(0, 300));
}

}  // namespace

TEST_CASE("request schemas refuse the hostile bodies the server refuses", "[contract][hostile]") {
  const auto generic = generic_bodies();
  const auto valid = templates();
  const auto full = full_bodies();
  Tally t;
  int routes = 0;
  for (const auto& r : rapporteur::http::routes()) {
    if (r.method != "POST" && r.method != "PUT") continue;
    const json* schema = contract::request_schema(r.method, r.pattern);
    const std::string route = r.method + " " + r.pattern;
    if (schema == nullptr) {
      INFO(route << " has a template of valid bodies but no JSON request schema");
      CHECK(valid.count(route) == 0);
      continue;
    }
    ++routes;
    // The valid bodies themselves pass: the schema is not simply stricter.
    for (const auto* bodies : {&valid, &full}) {
      auto it = bodies->find(route);
      if (it == bodies->end()) continue;
      INFO(route << " valid body " << it->second.dump());
      CHECK(contract::schema_errors(*schema, it->second) == "");
    }
    // The first case: every generic body, and the template spoilt.
    for (const auto& b : generic) expect_refused(*schema, route, b, t);
    for (const auto& b : spoilt_bodies(route)) expect_refused(*schema, route, b, t);
    // The second case: the full valid body spoilt, members left out or
    // unknown included, as the server refuses them there.
    const json* whole = full.count(route) ? &full.at(route) : valid.count(route) ? &valid.at(route) : nullptr;
    if (whole == nullptr) continue;
    for (const auto& b : spoilt_from(*whole)) {
      if (optional_member(b.what) || b.what == "an unknown member") continue;
      expect_refused(*schema, route, b, t);
    }
  }
  CHECK(routes >= 12);
  for (const auto& e : exceptions()) {
    INFO("a listed exception no longer met (remove it): " << e.route << " | " << e.what);
    CHECK(t.used.count(e.route + " | " + e.what) == 1);
  }
  WARN("request bodies: " << t.refused << " refused by their schema, " << t.not_json << " not JSON, " << t.excepted
                          << " listed exceptions, over " << routes << " routes");
}
