// Attacks on who a browser is logged in as: join links fetched by something
// a rapporteur wrote, join links as lures, and the confirmation step. The
// real server on a real port with a real database file; the requests carry
// the Sec-Fetch-* headers a browser sends for each kind of request.
#include <catch2/catch.hpp>

#include "rehearsal.h"
#include "test_server.h"

using namespace rapporteur::testing;

namespace {

const httplib::Headers kOpenedByPerson = {
    {"Sec-Fetch-Dest", "document"}, {"Sec-Fetch-Site", "none"}, {"Sec-Fetch-Mode", "navigate"}, {"Sec-Fetch-User", "?1"}};

httplib::Headers with_cookie(httplib::Headers h, const std::string& token) {
  h.emplace("Cookie", "rapporteur_token=" + token);
  return h;
}

}  // namespace

TEST_CASE("a join link opened as an image, script, frame or fetch logs no one in", "[http][join][attack]") {
  TestServer s;
  s.create_kisumu();
  const std::string victim = s.token("Participant 3");
  for (const char* dest : {"image", "script", "iframe", "empty", "style", "object"}) {
    INFO(dest);
    auto r = s.get("/join/" + victim, "", {{"Sec-Fetch-Dest", dest}, {"Sec-Fetch-Site", "same-origin"}, {"Sec-Fetch-Mode", "no-cors"}});
    CHECK(r.status == 403);
    CHECK(r.header("Set-Cookie").empty());
  }
}

TEST_CASE("a join link sets the cookie only when its owner opened it as a page; otherwise it asks",
          "[http][join][attack]") {
  TestServer s;
  s.create_kisumu();
  const std::string p3 = s.token("Participant 3");
  const std::string president = s.token("President of the session");

  SECTION("opened by the person, no one signed in: straight to their page") {
    auto r = s.get("/join/" + p3, "", kOpenedByPerson);
    CHECK(r.status == 303);
    CHECK_THAT(r.header("Set-Cookie"), Catch::StartsWith("rapporteur_token=" + p3 + ";"));
  }
  SECTION("the browser is signed in as the president: the page says whose link it is and asks") {
    auto r = s.get("/join/" + p3, "", with_cookie(kOpenedByPerson, president));
    CHECK(r.status == 200);
    CHECK(r.header("Set-Cookie").empty());
    CHECK_THAT(r.body, Catch::Contains("Participant 3"));
    CHECK_THAT(r.body, Catch::Contains("President of the session"));
    CHECK_THAT(r.body, Catch::Contains("id=\"join-confirm\""));
    // The president stays the president until they confirm.
    auto me = s.get("/api/v1/me", "", {{"Cookie", "rapporteur_token=" + president}});
    CHECK(me.json()["person"]["name"] == "President of the session");
  }
  SECTION("the same person's link again: no question") {
    auto r = s.get("/join/" + p3, "", with_cookie(kOpenedByPerson, p3));
    CHECK(r.status == 303);
  }
  SECTION("a link followed from another site, or by a browser that sends no Sec-Fetch headers: asks") {
    auto cross = s.get("/join/" + p3, "", {{"Sec-Fetch-Dest", "document"}, {"Sec-Fetch-Site", "cross-site"}});
    CHECK(cross.status == 200);
    CHECK(cross.header("Set-Cookie").empty());
    auto bare = s.get("/join/" + p3);
    CHECK(bare.status == 200);
    CHECK(bare.header("Set-Cookie").empty());
    CHECK_THAT(bare.body, Catch::Contains("Participant 3"));
  }
  SECTION("confirming sets the cookie; a bad token is refused") {
    auto ok = s.post("/api/v1/join", {{"token", p3}});
    REQUIRE(ok.status == 200);
    CHECK_THAT(ok.header("Set-Cookie"), Catch::StartsWith("rapporteur_token=" + p3 + ";"));
    CHECK_THAT(ok.header("Set-Cookie"), Catch::Contains("HttpOnly"));
    CHECK(ok.json()["page"] == "/app/participant.html?session=" + s.sid());
    auto bad = s.post("/api/v1/join", {{"token", "not-a-token"}});
    CHECK(bad.status == 401);
    CHECK(bad.header("Set-Cookie").empty());
    CHECK(s.post("/api/v1/join", nlohmann::json::object()).status == 400);
    CHECK(s.post("/api/v1/join", {{"token", 12}}).status == 400);
    auto extra = s.post("/api/v1/join", {{"token", p3}, {"as", "admin"}});
    CHECK(extra.status == 422);
    CHECK(extra.header("Set-Cookie").empty());
  }
}

TEST_CASE("a rapporteur's Markdown cannot make viewers' browsers request a join link, nor offer one to click",
          "[http][join][markdown][attack]") {
  TestServer s;
  s.create_kisumu();
  const std::string victim = s.token("Participant 3");
  const std::string own = s.token("Rapporteur, Breakout 1");
  const std::string notes = std::string("## Conclusions\n\n![room](/join/") + victim +
                            ")\n\n## Recommendations\n\n- See the [slides](/join/" + own + ").\n" +
                            "- And [these](HTTP://127.0.0.1/%6Aoin/" + own + ") and [those](..\\JOIN\\" + own + ").\n" +
                            "- An outside chart: ![chart](https://example.org/c.png \"title\").\n" +
                            "- A [normal link](https://example.org/joint/report).\n";
  REQUIRE(s.post(s.path("/breakouts/complementarity/fragments"), {{"title", "Notes"}, {"body", notes}}, own).status == 201);
  auto preview = s.post(s.path("/preview"), {{"markdown", notes}}, own);
  REQUIRE(preview.status == 200);
  auto draft = s.post(s.path("/drafts"), {{"merge", true}}, s.token("Moderator"));
  REQUIRE(draft.status == 201);
  auto current = s.get(s.path("/drafts/current"), s.token("Participant 1"));
  REQUIRE(current.status == 200);
  auto page = s.get("/s/" + s.sid());
  REQUIRE(page.status == 200);
  std::string draft_html;
  const nlohmann::json current_json = current.json();
  for (const auto& p : current_json["paragraphs"]) draft_html += p.value("html", "");
  auto html_export = s.get(s.path("/export?format=html"), s.token("Moderator"));
  REQUIRE(html_export.status == 200);
  for (const auto& [where, html] : std::vector<std::pair<std::string, std::string>>{
           {"preview", preview.json()["html"]}, {"draft", draft_html}, {"public page", page.body}, {"html export", html_export.body}}) {
    INFO(where);
    CHECK(html.find("<img") == std::string::npos);
    CHECK(html.find(victim) == std::string::npos);  // not even as text
    CHECK(html.find("href=\"/join/") == std::string::npos);
    CHECK(html.find("oin/" + own + "\"") == std::string::npos);
    CHECK(html.find("JOIN\\") == std::string::npos);
    CHECK_THAT(html, Catch::Contains("room"));    // the alt text stays
    CHECK_THAT(html, Catch::Contains("slides"));  // so does the link text
    CHECK_THAT(html, Catch::Contains("(https://example.org/c.png)"));  // an outside image's address, as text
    CHECK_THAT(html, Catch::Contains("href=\"https://example.org/joint/report\""));
  }
}
