// The hostile request bodies of tests/http_hostile_test.cpp, shared with
// tests/request_schema_test.cpp, which checks that the OpenAPI request
// schemas refuse what the server refuses.
#pragma once

#include <nlohmann/json.hpp>

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "test_server.h"

namespace rapporteur::testing::hostile {

// A request body and what is wrong with it ("title = 42").
struct Body {
  std::string what;
  std::string bytes;
};

// Bodies no JSON route may accept, whatever it expects: unparsable, deep,
// huge, mis-encoded, or of the wrong top-level type.
std::vector<Body> generic_bodies();

// Values that are wrong for a member whose valid value is like `valid`.
std::vector<nlohmann::json> wrong_values_for(const nlohmann::json& valid);

// A valid body per route ("POST /api/v1/sessions/{sid}/people"), for the
// routes of API.md that read one.
std::map<std::string, nlohmann::json> templates();

// The valid body of `route` (templates()) spoilt one member at a time; for a
// route without a template, likely member names with wrong values.
std::vector<Body> spoilt_bodies(const std::string& route);

// `valid` spoilt one member at a time, each member left out in turn, and
// an unknown member added.
std::vector<Body> spoilt_from(const nlohmann::json& valid);

// Whether a spoilt_from() case only leaves out a member the route may do
// without ("without note").
bool optional_member(const std::string& what);

// Routes that store nothing and may answer a hostile body with a 2xx, and
// the cases each is allowed, with the check of what they answered.
struct Allowed {
  std::string route;
  std::string what;
  std::function<bool(const Response&)> check;
};
const std::vector<Allowed>& allowed_successes();

}  // namespace rapporteur::testing::hostile
