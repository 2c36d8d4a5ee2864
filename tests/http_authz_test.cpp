// The authorization matrix: every route of the route table
// called by every kind of caller, each call answered with the status
// API.md's "who" column gives it, and every refused call storing nothing.
//
// The table below is written from API.md, not from the route table's access
// column: a route whose access level drifts from the contract fails here.
// It is checked against http::routes() both ways, so a new route without a
// row (or a row left behind by a removed route) fails the test.
//
// Readings of API.md this table fixes (the most restrictive reasonable one
// where the text leaves room):
// - "anyone" and "observer+" routes need no token: the observer is "anyone
//   with the public link" (DESIGN.md), so no token answers 200 there. A token
//   the server does not know (a stale cookie after a reissue) is ignored on
//   these routes, as if absent, so a new join link or the public page still
//   opens; everywhere else an unknown token is 401.
// - "participant+" reads (member access) admit participants, rapporteurs,
//   secretariat, president and the administrator, never the observer role.
// - The administrator token acts as secretariat (it set the session up) on
//   "secretariat+" and "participant+" reads, but it is no person: it may not
//   chair (president routes), propose, withdraw, vote or object.
// - Writes "as a participant" (amendments, ballots, objections) need the
//   participant role itself; every sample person but the observer holds it.
// - "its proposer" (withdraw): only the person who proposed the amendment,
//   not the president or the secretariat.
// - The president of another session is a stranger here: 403 wherever a
//   token is needed, like anyone else on the open routes.
// - Reissuing the president's token is the president's (or the
//   administrator's) alone, and only the administrator names a president
//   (POST .../people with the president role): a secretariat that could take
//   or make the chair's token would hold the chair.
// Where this table departs from API.md's "who" column, on purpose:
// - POST .../people/{pid}/token is the chair's (president or administrator),
//   not "secretariat+": whoever holds a new token acts as that person, so a
//   secretariat that reissued a participant's token could vote as them.
// - GET /metrics needs the metrics token or the administrator token as
//   Authorization: Bearer, not "anyone on loopback": behind a proxy on the
//   same machine every request comes from loopback.
// - POST /api/v1/logout (not in API.md) is anyone's: it only removes the
//   browser's cookie.
#include <SQLiteCpp/SQLiteCpp.h>
#include <catch2/catch.hpp>

#include <array>
#include <chrono>
#include <functional>
#include <map>
#include <set>
#include <sstream>
#include <tuple>

#include "contract/answers.h"
#include "http/context.h"
#include "http/router.h"
#include "rehearsal.h"

using namespace rapporteur;
using namespace rapporteur::testing;

namespace {

// --- callers ---------------------------------------------------------------------

enum Role {
  kNone,             // no token
  kBadToken,         // a token the server never issued
  kObserver,         // "Observer"
  kParticipant,      // "Participant 1"
  kRapporteur,       // "Rapporteur, Breakout 1": the breakout of the rows ({bid}, {fid})
  kOtherRapporteur,  // "Rapporteur, Breakout 2"
  kSecretariat,      // "Moderator"
  kAdmin,            // the administrator token
  kOtherPresident,   // the president of another session
  kPresident,        // "President of the session"; last, so a row's one state change comes last
  kRoleCount
};

const char* const kRoleNames[kRoleCount] = {"none",          "bad token",   "observer", "participant",     "rapporteur",
                                            "other breakout's rapporteur", "secretariat", "admin", "other session's president",
                                            "president"};

// Expected answers: U and F are refusals; kOk is "allowed", any answer but
// 401 and 403 (and never a 5xx), for calls whose success the row's state
// cannot promise; any other number is the exact status.
constexpr int U = 401;
constexpr int F = 403;
constexpr int kOk = 0;

using Expect = std::array<int, kRoleCount>;

// --- the world the rows run in ---------------------------------------------------

enum class Stage {
  shared,    // one server for all read rows: amending, a draft, an amendment, an open poll
  drafting,  // a fresh server per row: fragments of both breakouts, draft 1, still drafting
  amending,  // a fresh server per row: as drafting, then amending with one proposed amendment
};

const char* stage_name(Stage s) {
  switch (s) {
    case Stage::shared: return "shared";
    case Stage::drafting: return "drafting";
    default: return "amending";
  }
}

nlohmann::json other_session_spec() {
  return {{"id", "authz-other"},
          {"title", "Another session"},
          {"date", "2022-05-19"},
          {"timezone", "Africa/Nairobi"},
          {"agenda", {{{"id", "adoption"}, {"start", "12:15"}, {"end", "12:30"}, {"title", "Adoption"}, {"kind", "adoption"}}}},
          // The same breakout id as the Kisumu session: a breakout id means nothing across sessions.
          {"breakouts", {{{"id", "complementarity"}, {"title", "Complementarity"}}}},
          {"people",
           {{{"name", "Other president"}, {"roles", {"president", "participant"}}},
            {{"name", "Other rapporteur"}, {"roles", {"rapporteur", "participant"}}, {"breakout", "complementarity"}}}}};
}

struct World {
  TestServer s;
  std::array<std::string, kRoleCount> tokens;
  std::map<std::string, std::string> ids;  // fills {name} in a row's path and body

  explicit World(Stage stage) {
    s.create_kisumu();
    auto other = s.post("/api/v1/sessions", other_session_spec(), kAdminToken);
    REQUIRE(other.status == 201);
    tokens[kNone] = "";
    tokens[kBadToken] = "never-issued-0123456789abcdef0123456789abcdef";
    tokens[kObserver] = s.token("Observer");
    tokens[kParticipant] = s.token("Participant 1");
    tokens[kRapporteur] = s.token("Rapporteur, Breakout 1");
    tokens[kOtherRapporteur] = s.token("Rapporteur, Breakout 2");
    tokens[kSecretariat] = s.token("Moderator");
    tokens[kAdmin] = kAdminToken;
    tokens[kOtherPresident] = other.json()["people"][0]["token"].get<std::string>();
    tokens[kPresident] = s.token("President of the session");

    auto f1 = s.post(s.path("/breakouts/complementarity/fragments"), {{"title", "Breakout 1 notes"}, {"body", kComplementarity}},
                     tokens[kRapporteur]);
    REQUIRE(f1.status == 201);
    const std::string fid = std::to_string(f1.json()["id"].get<int64_t>());
    REQUIRE(s.put(s.path("/fragments/" + fid),
                  {{"base_version", 1}, {"body", std::string(kComplementarity) + "- Train city staff.\n"}},
                  tokens[kRapporteur])
                .status == 201);
    REQUIRE(s.post(s.path("/breakouts/sustainability/fragments"), {{"title", "Breakout 2 notes"}, {"body", kSustainability}},
                   tokens[kOtherRapporteur])
                .status == 201);
    auto d = s.post(s.path("/drafts"), {{"merge", true}}, tokens[kSecretariat]);
    REQUIRE(d.status == 201);
    const nlohmann::json draft = d.json();  // kept: a range-for over a temporary's member dangles
    std::string r1, r2;
    for (const auto& p : draft["paragraphs"]) {
      if (p["number"] == "R1") r1 = p["pid"].get<std::string>();
      if (p["number"] == "R2") r2 = p["pid"].get<std::string>();
    }
    REQUIRE(!r1.empty());
    REQUIRE(!r2.empty());
    ids = {{"sid", s.sid()},
           {"bid", "complementarity"},
           {"fid", fid},
           {"n", "1"},
           {"r1", r1},
           {"r2", r2},
           {"pid", std::to_string(s.person_id("Participant 2"))},
           {"president_pid", std::to_string(s.person_id("President of the session"))},
           {"join_token", s.token("Participant 3")}};
    if (stage == Stage::drafting) return;

    REQUIRE(s.post(s.path("/phase"), {{"phase", "amending"}}, tokens[kPresident]).status == 200);
    ids["aid"] = std::to_string(amend("Participant 1", r1));
    if (stage == Stage::shared) ids["poll"] = std::to_string(open_poll("electronic", "simple"));
  }

  // An amendment (replace) proposed by `who`; its id.
  int64_t amend(const std::string& who, const std::string& target) {
    auto a = s.post(s.path("/amendments"),
                    {{"draft", 1}, {"target", target}, {"kind", "replace"}, {"text", "- Amended."}, {"rationale", "clarity"}},
                    s.token(who));
    REQUIRE(a.status == 201);
    return a.json()["id"];
  }

  void admit(int64_t aid) {
    REQUIRE(s.post(s.path("/amendments/" + std::to_string(aid) + "/decision"), {{"decision", "admit"}, {"reason", "in order"}},
                   tokens[kPresident])
                .status == 200);
  }

  // A poll on a new admitted amendment to R2; opened unless `open` is false.
  int64_t open_poll(const std::string& method, const std::string& rule, bool open = true) {
    const int64_t aid = amend("Participant 2", ids.at("r2"));
    admit(aid);
    auto p = s.post(s.path("/polls"), {{"subject", {{"amendment", aid}}}, {"method", method}, {"rule", rule}}, tokens[kPresident]);
    REQUIRE(p.status == 201);
    const int64_t id = p.json()["id"];
    if (open) {
      REQUIRE(s.post(s.path("/polls/" + std::to_string(id) + "/open"), nlohmann::json::object(), tokens[kPresident]).status ==
              200);
    }
    return id;
  }

  std::string fill(const std::string& text) const {
    std::string out;
    size_t i = 0;
    while (i < text.size()) {
      const size_t open = text.find('{', i);
      if (open == std::string::npos) {
        out += text.substr(i);
        break;
      }
      const size_t close = text.find('}', open);
      out += text.substr(i, open - i);
      const std::string name = text.substr(open + 1, close - open - 1);
      auto it = ids.find(name);
      if (it == ids.end()) FAIL("no id for {" << name << "} in " << text);
      out += it->second;
      i = close + 1;
    }
    return out;
  }

  // A JSON body with every string member of the form "{name}" filled.
  nlohmann::json fill_body(nlohmann::json body) const {
    if (body.is_string()) {
      const std::string v = body;
      if (v.size() > 2 && v.front() == '{' && v.back() == '}') return fill(v);
      return body;
    }
    if (body.is_object() || body.is_array()) {
      for (auto& item : body) item = fill_body(item);
    }
    return body;
  }
};

// --- one call --------------------------------------------------------------------

struct Answer {
  int status = 0;
  std::string body;
};

// The event stream never ends by itself: its answer is read up to the
// headers, then the connection is dropped; a refusal is read whole and
// checked against the OpenAPI document like every other answer.
Answer call(World& w, const std::string& method, const std::string& path, const nlohmann::json& body,
            const std::string& token) {
  if (method == "GET" && path.find("/stream") != std::string::npos) {
    httplib::Client cli("127.0.0.1", w.s.port());
    cli.set_read_timeout(10, 0);
    httplib::Headers h;
    if (!token.empty()) h.emplace("Authorization", "Bearer " + token);
    Answer a;
    httplib::Response head;
    cli.Get(
        path.c_str(), h,
        [&](const httplib::Response& res) {
          a.status = res.status;
          head = res;
          return res.status != 200;  // read an error's body, drop a stream
        },
        [&](const char* data, size_t n) {
          a.body.append(data, n);
          return true;
        });
    if (a.status != 200 && a.status != 0) {
      head.body = a.body;
      CHECK(contract::check_answer(method, path, head) == "");
    }
    return a;
  }
  Response r = method == "GET" ? w.s.get(path, token) : w.s.send(method, path, body.dump(), "application/json", token);
  return {r.status, r.body};
}

// --- the database: what a refused call must leave as it was ------------------------

// Every row of every table, in a stable order: a refused call that inserted,
// updated or deleted anything changes it.
std::string db_content(const TestServer& s) { return s.db().content(); }

// The first line that differs, for the failure message.
std::string first_difference(const std::string& a, const std::string& b) {
  std::istringstream sa(a), sb(b);
  std::string la, lb;
  std::string table;
  while (true) {
    const bool ga = static_cast<bool>(std::getline(sa, la));
    const bool gb = static_cast<bool>(std::getline(sb, lb));
    if (!ga && !gb) return "";
    if (ga && la.rfind("## ", 0) == 0) table = la;
    if (!ga || !gb || la != lb) return table + ": before \"" + (ga ? la : "") + "\", after \"" + (gb ? lb : "") + "\"";
  }
}

// --- the table -------------------------------------------------------------------

struct Row {
  std::string method;
  std::string pattern;  // exactly as in http::routes()
  Stage stage;
  std::string path;      // concrete; {name} filled from World::ids
  nlohmann::json body;   // string members "{name}" filled; ignored for GET
  Expect expect;
  std::function<void(World&)> prepare = nullptr;                      // once, before the row's calls
  std::function<void(World&, nlohmann::json&)> before_call = nullptr;  // before each call
  std::string note = "";
  std::function<void(World&, int role, const Answer&)> after_call = nullptr;  // after each call
};

const std::string kS = "/api/v1/sessions/{sid}";
const nlohmann::json kNoBody = nlohmann::json::object();

//                                none bad obs  part rap  rap2 sec  admin pres2 pres
const Expect kAnyone           = {200, 200, 200, 200, 200, 200, 200, 200,  200,  200};
// /me is no session's: the other session's president sees itself.
const Expect kAnyToken         = {U,   U,  200, 200, 200, 200, 200, 200,  200,  200};
const Expect kObserverRead     = {200, 200, 200, 200, 200, 200, 200, 200,  200,  200};
const Expect kParticipantRead  = {U,   U,  F,   200, 200, 200, 200, 200,  F,    200};
const Expect kSecretariatRead  = {U,   U,  F,   F,   F,   F,   200, 200,  F,    200};

std::vector<Row> authz_table() {
  // Each participant's ballot or objection is its own: every voter gets 200.
  const Expect voters = {U, U, F, 200, 200, 200, 200, F, F, 200};
  const Expect president_only = {U, U, F, F, F, F, F, F, F, 200};
  return {
      // Service
      {"GET", "/healthz", Stage::shared, "/healthz", nullptr, kAnyone},
      {"GET", "/metrics", Stage::shared, "/metrics", nullptr, {U, U, F, F, F, F, F, 200, F, F}, nullptr, nullptr,
       "loopback is no credential"},
      {"GET", "/api/v1/version", Stage::shared, "/api/v1/version", nullptr, kAnyone},
      {"GET", "/api/v1/openapi.json", Stage::shared, "/api/v1/openapi.json", nullptr, kAnyone},
      // Without Sec-Fetch-* headers (this client sends none) a join link answers
      // its confirmation page and sets no cookie, whoever asks.
      {"GET", "/join/{token}", Stage::shared, "/join/{join_token}", nullptr, kAnyone},
      {"POST", "/api/v1/join", Stage::shared, "/api/v1/join", {{"token", "{join_token}"}}, kAnyone},
      {"GET", "/api/v1/me", Stage::shared, "/api/v1/me", nullptr, kAnyToken},
      {"POST", "/api/v1/logout", Stage::shared, "/api/v1/logout", kNoBody, kAnyone},

      // Sessions and people
      {"GET", "/api/v1/sessions", Stage::shared, "/api/v1/sessions", nullptr, kAnyone},
      {"POST", "/api/v1/sessions", Stage::drafting, "/api/v1/sessions", nullptr, {U, U, F, F, F, F, F, 201, F, F}, nullptr,
       [](World&, nlohmann::json& body) {
         static int n = 0;
         body = other_session_spec();
         body["id"] = "authz-new-" + std::to_string(++n);
       }},
      {"GET", kS, Stage::shared, kS, nullptr, kObserverRead},
      {"GET", kS + "/people", Stage::shared, kS + "/people", nullptr, kSecretariatRead},
      {"POST", kS + "/people", Stage::drafting, kS + "/people", {{"name", "Delegate"}, {"roles", {"participant"}}},
       {U, U, F, F, F, F, 201, 201, F, 201}, nullptr,
       [](World&, nlohmann::json& body) {
         static int n = 0;
         body["name"] = "Delegate " + std::to_string(++n);
       }},
      {"POST", kS + "/people/{pid}/token", Stage::drafting, kS + "/people/{pid}/token", kNoBody,
       {U, U, F, F, F, F, F, 200, F, 200}, nullptr, nullptr, "a participant's token: the chair's to replace"},
      {"POST", kS + "/people/{pid}/token", Stage::drafting, kS + "/people/{president_pid}/token", kNoBody,
       {U, U, F, F, F, F, F, 200, F, 200}, nullptr, nullptr, "the president's token: not the secretariat's to take",
       [](World& w, int, const Answer& a) {
         // The administrator replaced the president's token: the president goes on with the new one.
         if (a.status == 200) w.tokens[kPresident] = nlohmann::json::parse(a.body)["token"].get<std::string>();
       }},

      // Breakout fragments: {bid} and {fid} are the rapporteur's breakout.
      {"GET", kS + "/breakouts/{bid}/fragments", Stage::shared, kS + "/breakouts/{bid}/fragments", nullptr, kParticipantRead},
      {"POST", kS + "/breakouts/{bid}/fragments", Stage::drafting, kS + "/breakouts/{bid}/fragments",
       {{"title", "More notes"}, {"body", "## Conclusions\n\nMore.\n"}}, {U, U, F, F, 201, F, 201, 201, F, 201}},
      {"GET", kS + "/fragments/{fid}", Stage::shared, kS + "/fragments/{fid}", nullptr, kParticipantRead},
      {"PUT", kS + "/fragments/{fid}", Stage::drafting, kS + "/fragments/{fid}", {{"body", "## Conclusions\n\nRevised.\n"}},
       {U, U, F, F, 201, F, 201, 201, F, 201}, nullptr,
       [](World& w, nlohmann::json& body) {
         // Based on the latest version, so that every allowed save succeeds.
         auto latest = w.s.get(w.s.path("/fragments/" + w.ids.at("fid")), w.tokens[kSecretariat]);
         REQUIRE(latest.status == 200);
         body["base_version"] = latest.json()["version"];
         body["body"] = "## Conclusions\n\nRevised " + latest.json()["version"].dump() + ".\n";
       }},
      {"GET", kS + "/fragments/{fid}/versions", Stage::shared, kS + "/fragments/{fid}/versions", nullptr, kParticipantRead},
      {"GET", kS + "/fragments/{fid}/versions/{n}", Stage::shared, kS + "/fragments/{fid}/versions/1", nullptr, kParticipantRead},
      {"GET", kS + "/fragments/{fid}/diff", Stage::shared, kS + "/fragments/{fid}/diff?from=1&to=2", nullptr, kParticipantRead},

      {"POST", kS + "/phase", Stage::drafting, kS + "/phase", {{"phase", "amending"}}, president_only},

      // Drafts
      {"GET", kS + "/drafts", Stage::shared, kS + "/drafts", nullptr, kParticipantRead},
      {"POST", kS + "/drafts", Stage::drafting, kS + "/drafts", {{"merge", true}}, {U, U, F, F, F, F, 201, 201, F, 201}},
      {"GET", kS + "/drafts/{n}", Stage::shared, kS + "/drafts/1", nullptr, kObserverRead},
      {"GET", kS + "/drafts/{n}/diff", Stage::shared, kS + "/drafts/1/diff?to=current", nullptr, kParticipantRead},

      // Amendments: {aid} was proposed by Participant 1.
      {"GET", kS + "/amendments", Stage::shared, kS + "/amendments", nullptr, kParticipantRead},
      {"POST", kS + "/amendments", Stage::amending, kS + "/amendments",
       {{"draft", 1}, {"target", "{r1}"}, {"kind", "replace"}, {"text", "- Replaced."}, {"rationale", "clarity"}},
       {U, U, F, 201, 201, 201, 201, F, F, 201}},
      {"GET", kS + "/amendments/{aid}", Stage::shared, kS + "/amendments/{aid}", nullptr, kParticipantRead},
      {"POST", kS + "/amendments/{aid}/withdraw", Stage::amending, kS + "/amendments/{aid}/withdraw", kNoBody,
       {U, U, F, 200, F, F, F, F, F, F}},
      {"POST", kS + "/amendments/{aid}/decision", Stage::amending, kS + "/amendments/{aid}/decision",
       {{"decision", "admit"}, {"reason", "in order"}}, president_only},

      // Polls and ballots: {poll} is opened by the row's prepare where it must be.
      {"GET", kS + "/polls", Stage::shared, kS + "/polls", nullptr, kParticipantRead},
      {"POST", kS + "/polls", Stage::amending, kS + "/polls",
       {{"subject", {{"amendment", "{aid}"}}}, {"method", "electronic"}, {"rule", "simple"}}, {U, U, F, F, F, F, F, F, F, 201},
       [](World& w) { w.admit(std::stoll(w.ids.at("aid"))); },
       [](World& w, nlohmann::json& body) { body["subject"]["amendment"] = std::stoll(w.ids.at("aid")); }},
      {"GET", kS + "/polls/{poll}", Stage::shared, kS + "/polls/{poll}", nullptr, kParticipantRead},
      {"POST", kS + "/polls/{poll}/open", Stage::amending, kS + "/polls/{poll}/open", kNoBody, president_only,
       [](World& w) { w.ids["poll"] = std::to_string(w.open_poll("electronic", "simple", false)); }},
      {"POST", kS + "/polls/{poll}/close", Stage::amending, kS + "/polls/{poll}/close", kNoBody, president_only,
       [](World& w) { w.ids["poll"] = std::to_string(w.open_poll("electronic", "simple")); }},
      {"POST", kS + "/polls/{poll}/cancel", Stage::amending, kS + "/polls/{poll}/cancel", kNoBody, president_only,
       [](World& w) { w.ids["poll"] = std::to_string(w.open_poll("electronic", "simple", false)); }},
      {"POST", kS + "/polls/{poll}/count", Stage::amending, kS + "/polls/{poll}/count", {{"yes", 3}, {"no", 1}, {"abstain", 0}},
       president_only, [](World& w) { w.ids["poll"] = std::to_string(w.open_poll("show_of_hands", "simple")); }},
      {"POST", kS + "/polls/{poll}/ballots", Stage::amending, kS + "/polls/{poll}/ballots", {{"choice", "yes"}}, voters,
       [](World& w) { w.ids["poll"] = std::to_string(w.open_poll("electronic", "simple")); }},
      {"POST", kS + "/polls/{poll}/objection", Stage::amending, kS + "/polls/{poll}/objection", kNoBody, voters,
       [](World& w) { w.ids["poll"] = std::to_string(w.open_poll("consensus", "consensus")); }},
      // A well-formed receipt no closed poll holds: the same 404 for everyone.
      {"GET", kS + "/receipts/{receipt}", Stage::shared, kS + "/receipts/AAAAAAAAAAAAAAAAAAAAAA", nullptr,
       {404, 404, 404, 404, 404, 404, 404, 404, 404, 404}},

      // Live view, export, log
      {"GET", kS + "/log", Stage::shared, kS + "/log", nullptr, kSecretariatRead},
      {"GET", kS + "/log/verify", Stage::shared, kS + "/log/verify", nullptr, kObserverRead},
      {"GET", kS + "/live", Stage::shared, kS + "/live", nullptr, kObserverRead},
      {"GET", kS + "/stream", Stage::shared, kS + "/stream", nullptr, kObserverRead},
      {"GET", kS + "/export", Stage::shared, kS + "/export?format=md", nullptr, kObserverRead},
      {"GET", "/s/{sid}", Stage::shared, "/s/{sid}", nullptr, kObserverRead},
      {"POST", kS + "/preview", Stage::shared, kS + "/preview", {{"markdown", "*x*"}}, kParticipantRead},
  };
}

std::string row_key(const std::string& method, const std::string& pattern) { return method + " " + pattern; }

std::string describe(const Row& r) {
  return row_key(r.method, r.pattern) + (r.note.empty() ? "" : " (" + r.note + ")") + " [" + stage_name(r.stage) + "]";
}

bool is_write(const std::string& method) { return method != "GET" && method != "HEAD"; }

}  // namespace

TEST_CASE("authz: the table has a row for every route and a route for every row", "[authz][http]") {
  std::set<std::string> routes, rows;
  for (const auto& r : http::routes()) routes.insert(row_key(r.method, r.pattern));
  for (const auto& r : authz_table()) rows.insert(row_key(r.method, r.pattern));
  std::string missing, extra;
  for (const auto& k : routes) {
    if (!rows.count(k)) missing += "\n  " + k;
  }
  for (const auto& k : rows) {
    if (!routes.count(k)) extra += "\n  " + k;
  }
  INFO("routes of src/http/routes.cpp without a row in tests/http_authz_test.cpp:" << missing);
  CHECK(missing.empty());
  INFO("rows of tests/http_authz_test.cpp without a route:" << extra);
  CHECK(extra.empty());

  // Each row's concrete path reaches the route it is written for.
  World w(Stage::shared);
  for (const auto& r : authz_table()) {
    std::string path = w.fill(r.path);
    path = path.substr(0, path.find('?'));
    const http::Match m = http::match_route(r.method, path);
    INFO(describe(r) << " -> " << path);
    REQUIRE(m.route != nullptr);
    CHECK(row_key(m.route->method, m.route->pattern) == row_key(r.method, r.pattern));
  }
}

TEST_CASE("authz: every route answers every caller as API.md says, and a refusal stores nothing", "[authz][http]") {
  const auto started = std::chrono::steady_clock::now();
  const auto table = authz_table();
  std::unique_ptr<World> shared;
  int calls = 0, refused = 0;
  for (const Row& row : table) {
    std::unique_ptr<World> fresh;
    if (row.stage == Stage::shared) {
      if (!shared) shared = std::make_unique<World>(Stage::shared);
    } else {
      fresh = std::make_unique<World>(row.stage);
    }
    World& w = row.stage == Stage::shared ? *shared : *fresh;
    if (row.prepare) row.prepare(w);
    const std::string path = w.fill(row.path);
    for (int role = 0; role < kRoleCount; ++role) {
      nlohmann::json body = w.fill_body(row.body);
      if (row.before_call) row.before_call(w, body);
      const int expected = row.expect[role];
      const bool refusal = expected == U || expected == F;
      const std::string before = refusal && is_write(row.method) ? db_content(w.s) : "";
      const Answer a = call(w, row.method, path, body, w.tokens[role]);
      ++calls;
      INFO(describe(row) << "\n  " << row.method << " " << path << "\n  as " << kRoleNames[role] << " -> " << a.status
                         << " " << a.body.substr(0, 300));
      CHECK(a.status < 500);
      if (expected == kOk) {
        CHECK(a.status != U);
        CHECK(a.status != F);
      } else {
        CHECK(a.status == expected);
      }
      if (refusal && a.status == expected) {
        ++refused;
        const auto err = nlohmann::json::parse(a.body, nullptr, false);
        CHECK(err.is_object());
        if (err.is_object()) CHECK(err["error"]["code"] == (expected == U ? "unauthenticated" : "forbidden"));
      }
      if (refusal && is_write(row.method)) {
        const std::string after = db_content(w.s);
        INFO("changed: " << first_difference(before, after));
        CHECK(before == after);
      }
      if (row.after_call) row.after_call(w, role, a);
    }
  }
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count();
  CHECK(calls == static_cast<int>(table.size()) * kRoleCount);
  WARN("authz matrix: " << table.size() << " rows x " << kRoleCount << " callers = " << calls << " calls, " << refused
                        << " refusals, " << ms << " ms");
}

TEST_CASE("authz: a refused call is refused whichever way the token comes", "[authz][http]") {
  // The cookie is the browser's way; it gets the same answers as the header.
  World w(Stage::shared);
  auto with_cookie = [&](const std::string& path, const std::string& token) {
    return w.s.get(path, "", {{"Cookie", "rapporteur_token=" + token}}).status;
  };
  CHECK(with_cookie(w.s.path("/people"), w.tokens[kSecretariat]) == 200);
  CHECK(with_cookie(w.s.path("/people"), w.tokens[kParticipant]) == 403);
  CHECK(with_cookie(w.s.path("/people"), w.tokens[kOtherPresident]) == 403);
  CHECK(with_cookie(w.s.path("/people"), w.tokens[kBadToken]) == 401);
  // A stale cookie does not lock anyone out of what needs no token.
  CHECK(with_cookie(w.fill("/join/{join_token}"), w.tokens[kBadToken]) == 200);
  CHECK(with_cookie(w.fill("/s/{sid}"), w.tokens[kBadToken]) == 200);
  CHECK(with_cookie(w.s.path("/live"), w.tokens[kBadToken]) == 200);
  // A replaced token stops working at once, also where it was cached. (The
  // observer: a participant may vote in the open poll, so their token
  // cannot be replaced now.)
  const std::string old = w.s.token("Observer");
  CHECK(w.s.get("/api/v1/me", old).status == 200);
  auto reissued =
      w.s.post(w.s.path("/people/" + std::to_string(w.s.person_id("Observer")) + "/token"), kNoBody, w.tokens[kAdmin]);
  REQUIRE(reissued.status == 200);
  CHECK(w.s.get("/api/v1/me", old).status == 401);
  CHECK(w.s.get("/api/v1/me", reissued.json()["token"].get<std::string>()).status == 200);
}

TEST_CASE("authz: no route changes anything for a cross-site page, whoever's cookie it rides on", "[authz][http][csrf]") {
  // Every state-changing route of the table, sent as a page of another
  // origin makes a browser send it: with the cookie of the caller the row
  // admits (the president, the strongest cookie), an HTML form's type and
  // the Origin the browser adds. Then as a "simple" text/plain request from
  // our own origin, which only the Content-Type rule stops.
  World w(Stage::shared);
  const std::string own = "http://127.0.0.1:" + std::to_string(w.s.port());
  std::set<std::string> writes, swept;
  for (const auto& r : http::routes()) {
    if (is_write(r.method)) writes.insert(row_key(r.method, r.pattern));
  }
  for (const Row& row : authz_table()) {
    if (!is_write(row.method)) continue;
    swept.insert(row_key(row.method, row.pattern));
    const std::string path = w.fill(row.path);
    const std::string body = w.fill_body(row.body).dump();
    using Attempt = std::tuple<std::string, std::string, int, std::string>;  // origin, type, status, code
    const std::vector<Attempt> attempts = {
        {"http://evil.example", "application/x-www-form-urlencoded", 403, "cross_origin"},
        {"http://evil.example", "application/json", 403, "cross_origin"},
        {own, "text/plain", 415, "unsupported_media_type"}};
    for (const auto& [origin, type, expected, code_expected] : attempts) {
      for (const std::string& token : {w.tokens[kPresident], w.tokens[kParticipant]}) {
        const std::string before = db_content(w.s);
        auto r = w.s.send(row.method, path, body, type, "", {{"Cookie", "rapporteur_token=" + token}, {"Origin", origin}});
        INFO(describe(row) << " from " << origin << " as " << type << " -> " << r.status << " " << r.body.substr(0, 200));
        CHECK(r.status == expected);
        if (r.status == expected) CHECK(code(r) == code_expected);
        CHECK(r.header("Set-Cookie").empty());
        const std::string after = db_content(w.s);
        INFO("changed: " << first_difference(before, after));
        CHECK(before == after);
      }
    }
  }
  CHECK(swept == writes);
}

TEST_CASE("authz: only the administrator names a president; only the chair or the administrator replaces its token",
          "[authz][http]") {
  World w(Stage::drafting);
  // A session without a president, run by its clerk.
  nlohmann::json spec = other_session_spec();
  spec["id"] = "authz-chairless";
  spec["people"] = {{{"name", "Clerk"}, {"roles", {"secretariat", "participant"}}}};
  auto created = w.s.post("/api/v1/sessions", spec, kAdminToken);
  REQUIRE(created.status == 201);
  const std::string clerk = created.json()["people"][0]["token"].get<std::string>();
  const std::string people = "/api/v1/sessions/authz-chairless/people";
  const nlohmann::json chair = {{"name", "Chair"}, {"roles", {"president", "participant"}}};
  const std::string before = db_content(w.s);
  auto refused = w.s.post(people, chair, clerk);
  CHECK(refused.status == 403);
  CHECK(code(refused) == "forbidden");
  CHECK(db_content(w.s) == before);
  CHECK(w.s.post(people, chair, kAdminToken).status == 201);
  // A second president stays invalid, whoever asks.
  CHECK(w.s.post(people, {{"name", "Chair 2"}, {"roles", {"president"}}}, kAdminToken).status == 422);

  // The Kisumu president's token: the secretariat may not take it, the
  // president may replace its own.
  const std::string pid = w.ids.at("president_pid");
  const std::string president = w.tokens[kPresident];
  CHECK(w.s.post(w.s.path("/people/" + pid + "/token"), kNoBody, w.tokens[kSecretariat]).status == 403);
  CHECK(w.s.get("/api/v1/me", president).status == 200);
  auto own = w.s.post(w.s.path("/people/" + pid + "/token"), kNoBody, president);
  REQUIRE(own.status == 200);
  CHECK(w.s.get("/api/v1/me", president).status == 401);
  CHECK(w.s.get("/api/v1/me", own.json()["token"].get<std::string>()).status == 200);
}
