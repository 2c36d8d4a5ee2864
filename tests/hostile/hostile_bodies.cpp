#include "hostile/hostile_bodies.h"

namespace rapporteur::testing::hostile {

namespace {

std::string nested(const std::string& open, const std::string& inner, const std::string& close, int levels) {
  std::string s;
  s.reserve((open.size() + close.size()) * levels + inner.size());
  for (int i = 0; i < levels; ++i) s += open;
  s += inner;
  for (int i = 0; i < levels; ++i) s += close;
  return s;
}

}  // namespace

// Bodies no JSON route may accept, whatever it expects.
std::vector<Body> generic_bodies() {
  std::vector<Body> b = {
      {"empty", ""},
      {"whitespace", "   \n"},
      {"truncated object", "{\"title\": \"x\","},
      {"lone brace", "{"},
      {"trailing garbage", "{} {}"},
      {"unquoted key", "{title: 1}"},
      {"single quotes", "{'title': 'x'}"},
      {"trailing comma", "{\"a\": 1,}"},
      {"bare word", "nul"},
      {"NaN", "{\"a\": NaN}"},
      {"comment", "{/* */}"},
      {"lone surrogate escape", "{\"a\": \"\\ud800\"}"},
      {"bad escape", "{\"a\": \"\\x41\"}"},
      {"raw control character", std::string("{\"a\": \"x\ny\"}")},
      {"number overflow", "{\"a\": 1e400}"},
      {"negative number overflow", "{\"a\": -1e400}"},
      {"array", "[1, 2]"},
      {"string", "\"text\""},
      {"number", "42"},
      {"null", "null"},
      {"true", "true"},
      {"empty object", "{}"},
      {"10,000 nested arrays", nested("[", "", "]", 10000)},
      {"10,000 nested objects", nested("{\"a\":", "1", "}", 10000)},
      {"33 nested arrays in a member", "{\"a\": " + nested("[", "", "]", 33) + "}"},
      {"invalid UTF-8 in a value", "{\"title\": \"\xff\xfe\"}"},
      {"invalid UTF-8 in a key", "{\"\xc3\x28\": 1}"},
      {"overlong UTF-8 encoding of /", "{\"title\": \"\xc0\xaf\"}"},
      {"UTF-8 encoded surrogate", "{\"title\": \"\xed\xa0\x80\"}"},
      {"truncated UTF-8 sequence", "{\"title\": \"\xe2\x82\"}"},
      {"code point above U+10FFFF", "{\"title\": \"\xf4\x90\x80\x80\"}"},
      {"raw NUL byte", "{\"title\": \"a" + std::string(1, '\0') + "b\"}"},
      {"600 KB member", "{\"zz\": \"" + std::string(600 * 1024, 'x') + "\"}"},
      {"100,000 members", [] {
         std::string s = "{";
         for (int i = 0; i < 100000; ++i) s += (i ? ",\"k" : "\"k") + std::to_string(i) + "\":0";
         return s + "}";
       }()},
  };
  return b;
}

// Values that are wrong for a member whose valid value is like `valid`: of
// another JSON type, out of range for any count or id, or text no field
// accepts (a NUL, more than any limit). Plain strings and null are left out
// for string and null members: some free-text or optional members accept them.
std::vector<nlohmann::json> wrong_values_for(const nlohmann::json& valid) {
  const nlohmann::json two_to_64 = nlohmann::json::parse("18446744073709551616");
  const nlohmann::json below_int64 = nlohmann::json::parse("-9223372036854775809");
  const nlohmann::json nul_text = std::string("a\0b", 3);
  const nlohmann::json overlong = std::string(100001, 'x');
  std::vector<nlohmann::json> v = {nul_text};
  if (!valid.is_array()) v.push_back(nlohmann::json::array());
  if (!valid.is_object()) v.push_back(nlohmann::json::object());
  if (valid.is_string()) {
    for (auto x : {nlohmann::json(42), nlohmann::json(-1), nlohmann::json(1e308), two_to_64, nlohmann::json(true),
                   overlong}) {
      v.push_back(x);
    }
  } else if (valid.is_number()) {
    for (auto x : {nlohmann::json("1"), nlohmann::json(1.5), nlohmann::json(-1), nlohmann::json(1e308),
                   nlohmann::json(-1e308), two_to_64, below_int64, nlohmann::json(true)}) {
      v.push_back(x);
    }
  } else if (valid.is_boolean()) {
    for (auto x : {nlohmann::json(1), nlohmann::json("true")}) v.push_back(x);
  } else if (valid.is_array()) {
    v.push_back(42);
    v.push_back("x");
    v.push_back(nlohmann::json::array({nullptr}));
    v.push_back(nlohmann::json::array({nul_text}));
    v.push_back(nlohmann::json(std::vector<int>(10000, 0)));
  } else if (valid.is_object()) {
    v.push_back(42);
    v.push_back("x");
    v.push_back({{"zz_unknown", 1}});
  } else {  // null: an optional member left out
    v.push_back(true);
    v.push_back(-1);
    v.push_back(two_to_64);
  }
  return v;
}

// A valid body per route pattern, for the routes of API.md; its members are
// spoilt one at a time. Routes added later without an entry here still get
// every generic body, and members of the likely names one at a time.
std::map<std::string, nlohmann::json> templates() {
  return {
      {"POST /api/v1/sessions",
       {{"id", "hostile"},
        {"title", "Hostile"},
        {"date", "2022-05-19"},
        {"timezone", "Africa/Nairobi"},
        {"agenda", {{{"id", "adoption"}, {"start", "12:15"}, {"end", "12:30"}, {"title", "A"}, {"kind", "adoption"}}}},
        {"breakouts", {{{"id", "one"}, {"title", "One"}}}},
        {"people", {{{"name", "Chair"}, {"roles", {"president", "participant"}}}}}}},
      {"POST /api/v1/sessions/{sid}/people", {{"name", "Hostile"}, {"roles", {"participant"}}}},
      {"POST /api/v1/sessions/{sid}/breakouts/{bid}/fragments", {{"title", "T"}, {"body", "Text."}}},
      {"PUT /api/v1/sessions/{sid}/fragments/{fid}", {{"base_version", 1}, {"body", "Text."}, {"note", "n"}}},
      {"POST /api/v1/sessions/{sid}/preview", {{"markdown", "*x*"}}},
      {"POST /api/v1/sessions/{sid}/phase", {{"phase", "amending"}}},
      {"POST /api/v1/sessions/{sid}/drafts", {{"base", 1}, {"edits", {{{"replace", "p1"}, {"text", "x"}}}}}},
      {"POST /api/v1/sessions/{sid}/amendments",
       {{"draft", 1}, {"target", "p1"}, {"kind", "replace"}, {"text", "x"}, {"rationale", "r"}}},
      {"POST /api/v1/sessions/{sid}/amendments/{aid}/decision", {{"decision", "admit"}, {"reason", "r"}}},
      {"POST /api/v1/sessions/{sid}/polls",
       {{"subject", {{"amendment", 1}}}, {"method", "electronic"}, {"rule", "simple"}, {"quorum", nullptr}}},
      {"POST /api/v1/sessions/{sid}/polls/{poll}/ballots", {{"choice", "yes"}}},
      {"POST /api/v1/sessions/{sid}/polls/{poll}/count", {{"yes", 1}, {"no", 0}, {"abstain", 0}}},
  };
}

namespace {

const char* const kLikelyMembers[] = {"title", "body", "name", "roles", "id", "base_version", "note", "markdown",
                                      "phase", "merge", "base", "edits", "draft", "target", "kind", "text",
                                      "rationale", "decision", "reason", "subject", "method", "rule", "quorum",
                                      "secret", "closes_at", "override_slot", "choice", "yes", "no", "abstain"};

}  // namespace

std::vector<Body> spoilt_bodies(const std::string& route) {
  std::vector<Body> out;
  auto all = templates();
  auto it = all.find(route);
  if (it != all.end()) {
    const nlohmann::json& valid = it->second;
    for (const auto& [member, value] : valid.items()) {
      for (const auto& wrong : wrong_values_for(value)) {
        nlohmann::json j = valid;
        j[member] = wrong;
        out.push_back({member + " = " + wrong.dump().substr(0, 40), j.dump()});
      }
    }
  } else {
    for (const char* member : kLikelyMembers) {
      for (const auto& wrong : wrong_values_for(nullptr)) {
        out.push_back({std::string(member) + " = " + wrong.dump().substr(0, 40), nlohmann::json{{member, wrong}}.dump()});
      }
    }
  }
  return out;
}

namespace {

bool logged_out(const Response& r) {
  auto j = nlohmann::json::parse(r.body, nullptr, false);
  return r.status == 200 && j.is_object() && j["logged_out"] == true;
}

}  // namespace

const std::vector<Allowed>& allowed_successes() {
  static const std::vector<Allowed> kAllowed = {
      // The editor's preview renders any string; a NUL comes out as U+FFFD.
      // (A fragment save refuses the same text with 422.)
      {"POST /api/v1/sessions/{sid}/preview", "markdown = \"a\\u0000b\"",
       [](const Response& r) {
         auto j = nlohmann::json::parse(r.body, nullptr, false);
         return r.status == 200 && j.is_object() && j["html"] == "<p>a\xef\xbf\xbd" "b</p>\n";
       }},
      // Logout takes "{}" and has no ids to miss: it removes the browser's
      // cookie and stores nothing.
      {"POST /api/v1/logout", "empty object", logged_out},
      {"POST /api/v1/logout", "empty object (missing ids)", logged_out},
  };
  return kAllowed;
}

std::vector<Body> spoilt_from(const nlohmann::json& valid) {
  std::vector<Body> out;
  for (const auto& [member, value] : valid.items()) {
    for (const auto& wrong : wrong_values_for(value)) {
      nlohmann::json j = valid;
      j[member] = wrong;
      out.push_back({member + " = " + wrong.dump().substr(0, 40), j.dump()});
    }
    nlohmann::json without = valid;
    without.erase(member);
    out.push_back({"without " + member, without.dump()});
  }
  nlohmann::json extra = valid;
  extra["zz_unknown"] = 1;
  out.push_back({"an unknown member", extra.dump()});
  return out;
}

// Members a route may leave out (the body is still valid without them; a
// poll's method and rule default to electronic and simple).
bool optional_member(const std::string& what) {
  for (const char* m : {"without note", "without rationale", "without reason", "without quorum", "without secret",
                        "without closes_at", "without override_slot", "without title", "without breakout",
                        "without breakouts", "without people", "without method", "without rule"}) {
    if (what == m) return true;
  }
  return false;
}

}  // namespace rapporteur::testing::hostile
