// The server-rendered public page (/s/{sid}) and the editor's preview, over
// the real HTTP server: escaping, languages, security headers, bad input.
#include <catch2/catch.hpp>

#include "test_server.h"

using namespace rapporteur;
using namespace rapporteur::testing;

namespace {

std::string error_code(const Response& r) { return r.json()["error"]["code"].get<std::string>(); }

}  // namespace

TEST_CASE("the public page is complete HTML with escaped values and the page CSP", "[http][pages]") {
  TestServer s;
  nlohmann::json spec = kisumu_spec();
  spec["title"] = "Partnerships <script>alert(1)</script> & cities";
  s.post("/api/v1/sessions", spec, kAdminToken);

  auto r = s.get("/s/" + s.sid());
  REQUIRE(r.status == 200);
  CHECK_THAT(r.header("Content-Type"), Catch::StartsWith("text/html"));
  CHECK_THAT(r.header("Content-Security-Policy"), Catch::Contains("script-src 'self'"));
  CHECK_THAT(r.body, Catch::StartsWith("<!doctype html>"));
  CHECK_THAT(r.body, Catch::Contains("Partnerships &lt;script&gt;alert(1)&lt;/script&gt; &amp; cities"));
  CHECK(r.body.find("<script>") == std::string::npos);
  CHECK_THAT(r.body, Catch::Contains("<html lang=\"en\">"));
  CHECK_THAT(r.body, Catch::Contains("19 May 2022"));
  CHECK_THAT(r.body, Catch::Contains("No draft yet"));
}

TEST_CASE("the public page speaks French by ?lang=, cookie or Accept-Language", "[http][pages]") {
  TestServer s;
  s.create_kisumu();
  const std::string path = "/s/" + s.sid();
  CHECK_THAT(s.get(path + "?lang=fr").body, Catch::Contains("<html lang=\"fr\">"));
  CHECK_THAT(s.get(path + "?lang=fr").body, Catch::Contains("19 mai 2022"));
  CHECK_THAT(s.get(path, "", {{"Cookie", "rapporteur_lang=fr"}}).body, Catch::Contains("Programme"));
  CHECK_THAT(s.get(path, "", {{"Accept-Language", "fr-FR,fr;q=0.9"}}).body, Catch::Contains("Programme"));
  CHECK_THAT(s.get(path + "?lang=xx").body, Catch::Contains("<html lang=\"en\">"));
}

TEST_CASE("the public page of an unknown session is 404", "[http][pages]") {
  TestServer s;
  auto r = s.get("/s/no-such-session");
  CHECK(r.status == 404);
  CHECK(error_code(r) == "not_found");
}

TEST_CASE("the preview renders safe Markdown for members only", "[http][pages]") {
  TestServer s;
  s.create_kisumu();
  const std::string path = s.path("/preview");
  const std::string writer = s.token("Rapporteur, Breakout 1");

  auto ok = s.post(path, {{"markdown", "## Conclusions\n\n<script>x</script> [a](javascript:alert(1))"}}, writer);
  REQUIRE(ok.status == 200);
  const std::string html = ok.json()["html"];
  CHECK_THAT(html, Catch::Contains("<h2>Conclusions</h2>"));
  CHECK(html.find("<script>") == std::string::npos);
  CHECK(html.find("javascript:") == std::string::npos);

  CHECK(s.post(path, {{"markdown", "x"}}).status == 401);
  CHECK(s.post(path, {{"markdown", 3}}, writer).status == 400);
  CHECK(s.post(path, nlohmann::json::object(), writer).status == 400);
  auto big = s.post(path, {{"markdown", std::string(64 * 1024 + 1, 'a')}}, writer);
  CHECK(big.status == 413);
  CHECK(error_code(big) == "too_large");
  CHECK(s.send("POST", path, "markdown=x", "text/plain", writer).status == 415);
}
