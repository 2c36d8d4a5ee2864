// Sessions, people, tokens, errors and bad input over the real HTTP server.
#include <SQLiteCpp/SQLiteCpp.h>
#include <catch2/catch.hpp>

#include <mutex>

#include "contract/answers.h"
#include "rapporteur/log.h"
#include "test_server.h"

using namespace rapporteur;
using namespace rapporteur::testing;

namespace {

std::string error_code(const Response& r) { return r.json()["error"]["code"].get<std::string>(); }

nlohmann::json small_session(const std::string& id = "demo") {
  return {{"id", id},
          {"title", "Demo session"},
          {"date", "2022-05-19"},
          {"timezone", "Africa/Nairobi"},
          {"agenda",
           {{{"id", "breakouts"}, {"start", "11:30"}, {"end", "12:15"}, {"title", "Breakouts"}, {"kind", "breakout"}},
            {{"id", "adoption"}, {"start", "12:15"}, {"end", "12:30"}, {"title", "Adoption"}, {"kind", "adoption"}}}},
          {"breakouts", {{{"id", "one"}, {"title", "One"}}}},
          {"people",
           {{{"name", "Chair"}, {"roles", {"president", "participant"}}},
            {{"name", "Writer"}, {"roles", {"rapporteur", "participant"}}, {"breakout", "one"}}}}};
}

}  // namespace

TEST_CASE("service endpoints answer", "[http][sessions]") {
  TestServer s;
  CHECK(s.get("/healthz").json()["status"] == "ok");
  auto v = s.get("/api/v1/version").json();
  CHECK(v["version"].is_string());
  CHECK(v["schema"].get<int>() >= 1);
  auto doc = s.get("/api/v1/openapi.json");
  CHECK(doc.status == 200);
  CHECK(doc.json()["openapi"] == "3.1.0");
  CHECK(s.get("/metrics").status == 401);  // the scraper's token is required, see http_csrf_test.cpp
  auto m = s.get("/metrics", kAdminToken);
  CHECK(m.status == 200);
  CHECK_THAT(m.body, Catch::Contains("rapporteur_requests_total"));
}

TEST_CASE("the Kisumu sample creates a session with tokens shown once", "[http][sessions]") {
  TestServer s;
  auto created = s.create_kisumu();
  CHECK(created["phase"] == "drafting");
  CHECK(created["people"].size() >= 34);
  for (const auto& p : created["people"]) {
    const std::string token = p["token"];
    CHECK(token.size() >= 22);  // >= 128 bits in base64url
    CHECK(p["join_url"].get<std::string>().find("/join/" + token) != std::string::npos);
  }
  // Tokens are stored only as hashes.
  const std::string token = s.token("President of the session");
  CHECK(s.db().count("SELECT COUNT(*) FROM people WHERE token_hash = '" + token + "'") == 0);
  CHECK(s.db().count("SELECT COUNT(*) FROM people WHERE length(token_hash) = 64") ==
        static_cast<int64_t>(created["people"].size()));

  auto list = s.get("/api/v1/sessions").json();
  REQUIRE(list.size() == 1);
  CHECK(list[0]["id"] == s.sid());

  auto session = s.get(s.path("")).json();
  CHECK(session["timezone"] == "Africa/Nairobi");
  CHECK(session["current_slot"] == "adoption");
  CHECK(session["now"] == "2022-05-19T12:20:00+03:00");
  CHECK(session["agenda"].size() == 6);

  auto people = s.get(s.path("/people"), s.token("Moderator"));
  REQUIRE(people.status == 200);
  for (const auto& p : people.json()) CHECK_FALSE(p.contains("token"));

  auto verify = s.get(s.path("/log/verify")).json();
  CHECK(verify["ok"] == true);
  CHECK(verify["events"].get<int>() >= 2);
}

TEST_CASE("join sets the cookie and lands on the role's page; me marks presence", "[http][sessions]") {
  TestServer s;
  s.create_kisumu();
  std::vector<std::string> lines;
  std::mutex mu;
  set_log_sink([&](std::string_view l) {
    std::lock_guard<std::mutex> lock(mu);
    lines.emplace_back(l);
  });
  set_log_level(LogLevel::info);
  const std::string token = s.token("Rapporteur, Breakout 1");
  // As a browser sends it when the person opens the link (typed, scanned, from a message).
  auto r = s.get("/join/" + token, "", {{"Sec-Fetch-Dest", "document"}, {"Sec-Fetch-Site", "none"}, {"Sec-Fetch-Mode", "navigate"}});
  set_log_sink({});
  set_log_level(LogLevel::warn);
  CHECK(r.status == 303);
  CHECK(r.header("Location").rfind("/app/rapporteur.html", 0) == 0);
  const std::string cookie = r.header("Set-Cookie");
  CHECK_THAT(cookie, Catch::Contains("rapporteur_token=" + token));
  CHECK_THAT(cookie, Catch::Contains("HttpOnly"));
  CHECK_THAT(cookie, Catch::Contains("SameSite=Strict"));
  CHECK(r.header("Referrer-Policy") == "no-referrer");
  // The token is never written to the log.
  for (const auto& l : lines) CHECK(l.find(token) == std::string::npos);

  // The cookie authenticates like the bearer token.
  auto me = s.get("/api/v1/me", "", {{"Cookie", "rapporteur_token=" + token}});
  REQUIRE(me.status == 200);
  CHECK(me.json()["breakout"] == "complementarity");
  auto people = s.get(s.path("/people"), s.token("Moderator")).json();
  bool present = false;
  for (const auto& p : people) {
    if (p["name"] == "Rapporteur, Breakout 1") present = p["present"];
  }
  CHECK(present);
  CHECK(s.get("/join/not-a-token").status == 401);
}

TEST_CASE("people are added by the secretariat, tokens reissued by the president", "[http][sessions]") {
  TestServer s;
  s.create_kisumu();
  const std::string mod = s.token("Moderator");
  auto added = s.post(s.path("/people"), {{"name", "Participant 31"}, {"roles", {"participant"}}}, mod);
  REQUIRE(added.status == 201);
  const std::string token = added.json()["token"];
  CHECK(s.get("/api/v1/me", token).status == 200);

  const int64_t id = added.json()["id"];
  auto reissued = s.post(s.path("/people/" + std::to_string(id) + "/token"), nlohmann::json::object(),
                         s.token("President of the session"));
  REQUIRE(reissued.status == 200);
  CHECK(s.get("/api/v1/me", token).status == 401);  // the old token stopped working
  CHECK(s.get("/api/v1/me", reissued.json()["token"].get<std::string>()).status == 200);

  CHECK(s.post(s.path("/people"), {{"name", "Second chair"}, {"roles", {"president"}}}, mod).status == 422);
  CHECK(s.post(s.path("/people/99999/token"), nlohmann::json::object(), kAdminToken).status == 404);
}

TEST_CASE("roles are checked: none, participant, other session", "[http][sessions]") {
  TestServer s;
  s.create_kisumu();
  REQUIRE(s.post("/api/v1/sessions", small_session("other"), kAdminToken).status == 201);
  const std::string participant = s.token("Participant 1");
  CHECK(s.get(s.path("/people")).status == 401);
  CHECK(error_code(s.get(s.path("/people"), participant)) == "forbidden");
  CHECK(s.get(s.path("/log"), participant).status == 403);
  CHECK(s.post("/api/v1/sessions", small_session("third"), participant).status == 403);
  CHECK(s.get(s.path("/people"), "unknown-token").status == 401);
  // The president of another session has no rights here.
  auto other = s.post(s.path("/people"), {{"name", "x"}, {"roles", {"participant"}}}, s.token("President of the session"));
  CHECK(other.status == 201);
  auto admin_people = s.get("/api/v1/sessions/other/people", s.token("President of the session"));
  CHECK(admin_people.status == 403);
}

TEST_CASE("bad input gets a clear 4xx and stores nothing", "[http][sessions][bad_input]") {
  TestServer s;
  const int64_t before = s.db().count("SELECT COUNT(*) FROM sessions");
  auto post_raw = [&](const std::string& body, const std::string& type = "application/json") {
    return s.send("POST", "/api/v1/sessions", body, type, kAdminToken);
  };
  auto with = [&](const std::function<void(nlohmann::json&)>& change) {
    nlohmann::json j = small_session();
    change(j);
    return s.post("/api/v1/sessions", j, kAdminToken);
  };

  auto r = post_raw("{\"id\": ");
  CHECK(r.status == 400);
  CHECK(error_code(r) == "invalid_json");
  CHECK(post_raw("[1,2]").status == 400);
  {
    // Nothing after a NUL byte is silently dropped: the whole body is refused.
    const std::string smuggled = small_session().dump() + std::string(1, '\0') + "{\"id\":\"other\"}";
    auto nul = post_raw(smuggled);
    CHECK(nul.status == 400);
    CHECK(error_code(nul) == "invalid_json");
    CHECK(nul.body.find("NUL byte") != std::string::npos);
  }
  CHECK(post_raw(small_session().dump(), "text/plain").status == 415);
  CHECK(error_code(post_raw(small_session().dump(), "text/plain")) == "unsupported_media_type");
  {
    // Over the transport limit the server answers 413 as soon as it knows,
    // and may close the connection while the client is still sending: both
    // are a refusal (the hostile tests cover the raw exchange).
    httplib::Client cli("127.0.0.1", s.port());
    auto big = cli.Post("/api/v1/sessions", {{"Authorization", std::string("Bearer ") + kAdminToken}},
                        std::string(5 * 1024 * 1024, ' '), "application/json");
    if (big) CHECK(big->status == 413);
    if (big) CHECK(contract::check_answer("POST", "/api/v1/sessions", *big) == "");
    CHECK(s.get("/healthz").status == 200);
  }
  r = post_raw("{\"id\": \"d\xff\xfe\"}");
  CHECK(r.status == 422);
  CHECK(post_raw(std::string(100, '[') + std::string(100, ']')).status == 400);

  r = with([](auto& j) { j["title"] = 42; });
  CHECK(r.status == 400);
  CHECK(r.json()["error"]["field"] == "title");
  CHECK(with([](auto& j) { j["title"] = ""; }).status == 422);
  CHECK(with([](auto& j) { j["title"] = std::string(201, 'x'); }).status == 422);
  CHECK(with([](auto& j) { j["people"][0]["name"] = "   "; }).status == 422);
  CHECK(with([](auto& j) { j["people"][0]["name"] = std::string(101, 'n'); }).status == 422);
  CHECK(with([](auto& j) { j["title"] = std::string("a\0b", 3); }).status == 422);
  r = with([](auto& j) { j["timezone"] = "Africa/Atlantis"; });
  CHECK(r.status == 422);
  CHECK(r.json()["error"]["field"] == "timezone");
  CHECK(with([](auto& j) { j["timezone"] = "../../../etc/passwd"; }).status == 422);
  r = with([](auto& j) { j["agenda"][0]["end"] = "12:20"; });
  CHECK(r.status == 422);
  CHECK_THAT(r.json()["error"]["message"].get<std::string>(), Catch::Contains("overlaps"));
  CHECK(with([](auto& j) { j["agenda"][1]["kind"] = "other"; }).status == 422);
  CHECK(with([](auto& j) { j["agenda"][1]["kind"] = "vote"; }).status == 422);
  CHECK(with([](auto& j) { j["agenda"][1]["start"] = "25:00"; }).status == 422);
  CHECK(with([](auto& j) { j["id"] = "Not A Slug"; }).status == 422);
  CHECK(with([](auto& j) { j["date"] = "2022-02-30"; }).status == 422);
  CHECK(with([](auto& j) { j["people"][1]["breakout"] = "nowhere"; }).status == 422);
  CHECK(with([](auto& j) { j["people"][1]["roles"] = {"rapporteur", "king"}; }).status == 422);
  CHECK(with([](auto& j) { j["people"].push_back({{"name", "Chair 2"}, {"roles", {"president"}}}); }).status == 422);
  CHECK(with([](auto& j) { j["colour"] = "blue"; }).status == 422);
  CHECK(s.post("/api/v1/sessions", small_session(), "").status == 401);
  CHECK(s.db().count("SELECT COUNT(*) FROM sessions") == before);
  CHECK(s.db().count("SELECT COUNT(*) FROM people") == 0);

  REQUIRE(s.post("/api/v1/sessions", small_session(), kAdminToken).status == 201);
  r = s.post("/api/v1/sessions", small_session(), kAdminToken);
  CHECK(r.status == 409);
  CHECK(error_code(r) == "conflict");
  CHECK(s.db().count("SELECT COUNT(*) FROM sessions") == before + 1);
}

TEST_CASE("unknown routes, wrong methods and static traversal", "[http][sessions][bad_input]") {
  TestServer s;
  auto r = s.get("/api/v1/nope");
  CHECK(r.status == 404);
  CHECK(error_code(r) == "not_found");
  r = s.send("DELETE", "/api/v1/sessions", "", "");
  CHECK(r.status == 405);
  CHECK(r.header("Allow").find("GET") != std::string::npos);
  CHECK(s.get("/../CMakeLists.txt").status == 404);
  CHECK(s.get("/%2e%2e/CMakeLists.txt").status == 404);
  CHECK(s.get("/css/../../CMakeLists.txt").status == 404);
  CHECK(s.get("/.git/config").status == 404);
}

TEST_CASE("idempotency keys replay the first answer and create nothing", "[http][sessions][idempotency]") {
  TestServer s;
  s.create_kisumu();
  const std::string mod = s.token("Moderator");
  const nlohmann::json body = {{"name", "Late delegate"}, {"roles", {"participant"}}};
  auto first = s.post(s.path("/people"), body, mod, {{"Idempotency-Key", "add-late-1"}});
  auto second = s.post(s.path("/people"), body, mod, {{"Idempotency-Key", "add-late-1"}});
  REQUIRE(first.status == 201);
  CHECK(second.status == 201);
  CHECK(second.body == first.body);
  CHECK(second.header("Idempotent-Replayed") == "true");
  CHECK(s.db().count("SELECT COUNT(*) FROM people WHERE name = 'Late delegate'") == 1);
  // The same key for another request is refused.
  auto other = s.post(s.path("/people"), {{"name", "Someone else"}, {"roles", {"participant"}}}, mod,
                      {{"Idempotency-Key", "add-late-1"}});
  CHECK(other.status == 422);
  // Past 24 hours the key is forgotten.
  s.clock().advance_ms(24LL * 3600 * 1000 + 1);
  auto later = s.post(s.path("/people"), body, mod, {{"Idempotency-Key", "add-late-1"}});
  CHECK(later.status == 201);
  CHECK(s.db().count("SELECT COUNT(*) FROM people WHERE name = 'Late delegate'") == 2);
}

TEST_CASE("live answers 304 to an unchanged state", "[http][live]") {
  TestServer s;
  s.create_kisumu();
  auto first = s.get(s.path("/live"));
  REQUIRE(first.status == 200);
  const std::string etag = first.header("ETag");
  CHECK_FALSE(etag.empty());
  CHECK(first.json()["slot"]["id"] == "adoption");
  auto same = s.get(s.path("/live"), "", {{"If-None-Match", etag}});
  CHECK(same.status == 304);
  CHECK(same.body.empty());
  s.post(s.path("/people"), {{"name", "New"}, {"roles", {"participant"}}}, s.token("Moderator"));
  CHECK(s.get(s.path("/live"), "", {{"If-None-Match", etag}}).status == 200);
}
