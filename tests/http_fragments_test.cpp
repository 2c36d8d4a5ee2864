// Breakout fragments over the real HTTP server: versions, history, diff, no
// lost update, safe retries, safe rendering, roles, phases and limits.
#include <SQLiteCpp/SQLiteCpp.h>
#include <catch2/catch.hpp>

#include <algorithm>
#include <latch>
#include <regex>
#include <thread>

#include "contract/answers.h"
#include "rapporteur/crypto.h"
#include "rapporteur/fragment.h"
#include "test_server.h"

using namespace rapporteur;
using namespace rapporteur::testing;

namespace {

const std::string kR1 = "Rapporteur, Breakout 1";  // complementarity
const std::string kR2 = "Rapporteur, Breakout 2";  // sustainability

std::string error_code(const Response& r) { return r.json()["error"]["code"].get<std::string>(); }

std::string fragments_of(const TestServer& s, const std::string& breakout) {
  return s.path("/breakouts/" + breakout + "/fragments");
}

std::string fragment(const TestServer& s, int64_t id, const std::string& rest = "") {
  return s.path("/fragments/" + std::to_string(id) + rest);
}

// Creates a fragment as `who`; returns the answer (version 1).
nlohmann::json create(TestServer& s, const std::string& who, const std::string& breakout, const std::string& body,
                      const std::string& title = "Notes") {
  auto r = s.post(fragments_of(s, breakout), {{"title", title}, {"body", body}}, s.token(who));
  INFO(r.body);
  REQUIRE(r.status == 201);
  return r.json();
}

// An answer collected on a worker thread (Catch2 assertions stay on the main one).
struct RawReply {
  int status = -1;
  std::string body;
  bool replayed = false;
  std::string contract;  // why the answer breaks the OpenAPI document, or ""
};

RawReply raw_put(int port, const std::string& path, const std::string& body, const std::string& token,
                 const std::string& idempotency_key = "") {
  httplib::Client cli("127.0.0.1", port);
  cli.set_read_timeout(30, 0);
  httplib::Headers h{{"Authorization", "Bearer " + token}};
  if (!idempotency_key.empty()) h.emplace("Idempotency-Key", idempotency_key);
  RawReply out;
  if (auto r = cli.Put(path.c_str(), h, body, "application/json")) {
    out.status = r->status;
    out.body = r->body;
    out.replayed = r->get_header_value("Idempotent-Replayed") == "true";
    out.contract = contract::check_answer("PUT", path, *r);
  }
  return out;
}

// Runs `n` identical-start PUTs at once, released together by a latch.
std::vector<RawReply> concurrent_puts(TestServer& s, const std::string& path, const std::vector<std::string>& bodies,
                                      const std::string& token, const std::string& key = "") {
  const int port = s.port();
  std::vector<RawReply> out(bodies.size());
  std::latch start(static_cast<std::ptrdiff_t>(bodies.size()));
  std::vector<std::thread> threads;
  for (size_t i = 0; i < bodies.size(); ++i) {
    threads.emplace_back([&, i] {
      start.arrive_and_wait();
      out[i] = raw_put(port, path, bodies[i], token, key);
    });
  }
  for (auto& t : threads) t.join();
  for (const RawReply& reply : out) CHECK(reply.contract == "");
  return out;
}

// Every href and src value of `html`.
std::vector<std::string> urls_in(const std::string& html) {
  static const std::regex attr(R"re((?:href|src)\s*=\s*"([^"]*)")re", std::regex::icase);
  std::vector<std::string> out;
  for (auto it = std::sregex_iterator(html.begin(), html.end(), attr); it != std::sregex_iterator(); ++it) {
    out.push_back((*it)[1].str());
  }
  return out;
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

}  // namespace

TEST_CASE("a rapporteur creates, revises and reads a fragment with its history and diffs",
          "[http][fragments]") {
  TestServer s;
  s.create_kisumu();
  const std::string r1 = s.token(kR1);
  const std::string body1 = "## Conclusions\n\nCities are partners in migration governance.\n";
  auto v1 = create(s, kR1, "complementarity", body1, "Complementarity");
  const int64_t id = v1["id"];
  CHECK(v1["version"] == 1);
  CHECK(v1["breakout"] == "complementarity");
  CHECK(v1["title"] == "Complementarity");
  CHECK(v1["body"] == body1);
  CHECK(v1["sha256"] == sha256_hex(body1));
  CHECK(v1["author"]["id"] == s.person_id(kR1));
  CHECK(v1["author"]["name"] == kR1);
  CHECK(v1["created_at"] == "2022-05-19T12:20:00+03:00");
  CHECK_THAT(v1["html"].get<std::string>(), Catch::Contains("<h2>Conclusions</h2>"));

  s.clock().advance_ms(90'000);
  const std::string body2 = "## Conclusions\n\nIntermediary cities are partners in migration governance.\n";
  auto put = s.put(fragment(s, id), {{"base_version", 1}, {"body", body2}, {"note", "named the cities"}}, r1);
  INFO(put.body);
  REQUIRE(put.status == 201);
  auto v2 = put.json();
  CHECK(v2["version"] == 2);
  CHECK(v2["title"] == "Complementarity");  // kept when not given
  CHECK(v2["note"] == "named the cities");
  CHECK(v2["created_at"] == "2022-05-19T12:21:30+03:00");
  CHECK(v2["sha256"] == sha256_hex(body2));

  // A secretariat member revises too, and renames it.
  auto v3 = s.put(fragment(s, id), {{"base_version", 2}, {"body", body2 + "\nMore.\n"}, {"title", "Renamed"}},
                  s.token("Moderator"));
  REQUIRE(v3.status == 201);
  CHECK(v3.json()["author"]["name"] == "Moderator");

  // Participants read the latest.
  const std::string reader = s.token("Participant 1");
  auto latest = s.get(fragment(s, id), reader);
  REQUIRE(latest.status == 200);
  CHECK(latest.json()["version"] == 3);
  CHECK(latest.json()["title"] == "Renamed");
  CHECK(latest.json()["body"] == body2 + "\nMore.\n");
  CHECK_THAT(latest.json()["html"].get<std::string>(), Catch::Contains("<p>More.</p>"));

  // The list of a breakout: latest version of each fragment.
  create(s, kR1, "complementarity", "Second fragment.\n", "Annex");
  auto list = s.get(fragments_of(s, "complementarity"), reader);
  REQUIRE(list.status == 200);
  REQUIRE(list.json().size() == 2);
  CHECK(list.json()[0]["id"] == id);
  CHECK(list.json()[0]["version"] == 3);
  CHECK(list.json()[0]["title"] == "Renamed");
  CHECK(list.json()[0]["updated_at"] == "2022-05-19T12:21:30+03:00");
  CHECK(list.json()[0]["author"]["name"] == "Moderator");
  CHECK_FALSE(list.json()[0].contains("body"));
  CHECK(list.json()[1]["title"] == "Annex");
  CHECK(s.get(fragments_of(s, "sustainability"), reader).json().empty());

  // History and any version.
  auto history = s.get(fragment(s, id, "/versions"), reader);
  REQUIRE(history.status == 200);
  REQUIRE(history.json().size() == 3);
  CHECK(history.json()[0]["version"] == 1);
  CHECK(history.json()[0]["size"] == body1.size());
  CHECK(history.json()[0]["sha256"] == sha256_hex(body1));
  CHECK(history.json()[1]["note"] == "named the cities");
  CHECK(history.json()[1]["author"]["id"] == s.person_id(kR1));
  CHECK(history.json()[2]["author"]["name"] == "Moderator");
  auto first = s.get(fragment(s, id, "/versions/1"), reader);
  REQUIRE(first.status == 200);
  CHECK(first.json()["body"] == body1);
  CHECK(first.json()["title"] == "Complementarity");
  CHECK_THAT(first.json()["html"].get<std::string>(), Catch::Contains("Cities are partners"));

  // Word-level diff between any two versions, both ways.
  auto diff = s.get(fragment(s, id, "/diff?from=1&to=2"), reader);
  REQUIRE(diff.status == 200);
  CHECK(diff.json()["from"] == 1);
  CHECK(diff.json()["to"] == 2);
  const nlohmann::json expected = {{{"op", "equal"}, {"text", "## Conclusions\n\n"}},
                                   {{"op", "delete"}, {"text", "Cities"}},
                                   {{"op", "insert"}, {"text", "Intermediary cities"}},
                                   {{"op", "equal"}, {"text", " are partners in migration governance.\n"}}};
  CHECK(diff.json()["hunks"] == expected);
  CHECK_THAT(diff.json()["html"].get<std::string>(),
             Catch::Contains("<del>Cities</del><ins>Intermediary cities</ins>"));
  auto back = s.get(fragment(s, id, "/diff?from=3&to=1"), reader);
  REQUIRE(back.status == 200);
  CHECK(back.json()["hunks"].size() >= 2);
  auto same = s.get(fragment(s, id, "/diff?from=2&to=2"), reader);
  REQUIRE(same.status == 200);
  CHECK(same.json()["hunks"].size() == 1);

  CHECK(s.db().count("SELECT COUNT(*) FROM fragment_versions WHERE fragment_id = " + std::to_string(id)) == 3);
}

TEST_CASE("a save on a stale base is refused with the latest, the diff and a merge", "[http][fragments]") {
  TestServer s;
  s.create_kisumu();
  const std::string r1 = s.token(kR1);
  const std::string base = "Para one.\n\nPara two.\n\nPara three.\n";
  const int64_t id = create(s, kR1, "complementarity", base)["id"];
  const std::string theirs = "Para one, amended.\n\nPara two.\n\nPara three.\n";
  REQUIRE(s.put(fragment(s, id), {{"base_version", 1}, {"body", theirs}}, s.token("Moderator")).status == 201);

  SECTION("edits elsewhere merge cleanly") {
    const std::string mine = "Para one.\n\nPara two.\n\nPara three, extended.\n";
    auto r = s.put(fragment(s, id), {{"base_version", 1}, {"body", mine}}, r1);
    REQUIRE(r.status == 409);
    const auto err = r.json()["error"];
    CHECK(err["code"] == "version_conflict");
    CHECK(err["message"] == "fragment " + std::to_string(id) + ": base_version 1 is not the latest (2)");
    CHECK(err["current"]["version"] == 2);
    CHECK(err["current"]["body"] == theirs);
    CHECK(err["current"]["author"]["name"] == "Moderator");
    CHECK_THAT(err["current"]["html"].get<std::string>(), Catch::Contains("Para one, amended."));
    const nlohmann::json diff = {{{"op", "equal"}, {"text", "Para one"}},
                                 {{"op", "insert"}, {"text", ", amended"}},
                                 {{"op", "equal"}, {"text", ".\n\nPara two.\n\nPara three.\n"}}};
    CHECK(err["diff"] == diff);
    CHECK(err["merge"]["clean"] == true);
    CHECK(err["merge"]["body"] == "Para one, amended.\n\nPara two.\n\nPara three, extended.\n");
    // The merge is a good next save.
    auto retry = s.put(fragment(s, id), {{"base_version", 2}, {"body", err["merge"]["body"]}}, r1);
    CHECK(retry.status == 201);
    CHECK(retry.json()["version"] == 3);
  }
  SECTION("edits of the same line conflict, and nothing is written") {
    const std::string mine = "Para one, rewritten.\n\nPara two.\n\nPara three.\n";
    auto r = s.put(fragment(s, id), {{"base_version", 1}, {"body", mine}}, r1);
    REQUIRE(r.status == 409);
    const auto err = r.json()["error"];
    CHECK(err["merge"]["clean"] == false);
    const std::string merged = err["merge"]["body"];
    CHECK_THAT(merged, Catch::Contains("<<<<<<< current") && Catch::Contains("Para one, amended.") &&
                           Catch::Contains("Para one, rewritten.") && Catch::Contains(">>>>>>> yours"));
    CHECK(s.db().count("SELECT COUNT(*) FROM fragment_versions") == 2);
    CHECK(s.get(fragment(s, id), r1).json()["version"] == 2);
  }
  SECTION("a base above the latest is invalid") {
    auto r = s.put(fragment(s, id), {{"base_version", 7}, {"body", "x"}}, r1);
    CHECK(r.status == 422);
    CHECK(r.json()["error"]["field"] == "base_version");
  }
}

TEST_CASE("of N concurrent saves on the same base exactly one wins", "[http][fragments][concurrency]") {
  TestServer s;
  s.create_kisumu();
  const int64_t id = create(s, kR1, "complementarity", "Start.\n")["id"];
  constexpr int kSavers = 16;
  std::vector<std::string> bodies;
  for (int i = 0; i < kSavers; ++i) {
    bodies.push_back(nlohmann::json{{"base_version", 1}, {"body", "Start, by saver " + std::to_string(i) + ".\n"}}.dump());
  }
  const auto replies = concurrent_puts(s, fragment(s, id), bodies, s.token(kR1));
  int won = 0, refused = 0;
  std::string winner;
  for (const RawReply& r : replies) {
    INFO(r.body);
    if (r.status == 201) {
      ++won;
      winner = nlohmann::json::parse(r.body)["body"];
    } else {
      CHECK(r.status == 409);
      const auto err = nlohmann::json::parse(r.body)["error"];
      CHECK(err["code"] == "version_conflict");
      CHECK(err["current"]["version"] == 2);
      ++refused;
    }
  }
  CHECK(won == 1);
  CHECK(refused == kSavers - 1);
  CHECK(s.db().count("SELECT COUNT(*) FROM fragment_versions WHERE fragment_id = " + std::to_string(id)) == 2);
  CHECK(s.get(fragment(s, id), s.token(kR1)).json()["body"] == winner);
}

TEST_CASE("retries with an Idempotency-Key create one version and get the first answer",
          "[http][fragments][idempotency]") {
  TestServer s;
  s.create_kisumu();
  const std::string r1 = s.token(kR1);

  SECTION("create, replayed in sequence") {
    const nlohmann::json body = {{"title", "Notes"}, {"body", "Hello.\n"}};
    auto a = s.post(fragments_of(s, "complementarity"), body, r1, {{"Idempotency-Key", "create-1"}});
    auto b = s.post(fragments_of(s, "complementarity"), body, r1, {{"Idempotency-Key", "create-1"}});
    REQUIRE(a.status == 201);
    CHECK(b.status == 201);
    CHECK(b.body == a.body);
    CHECK(b.header("Idempotent-Replayed") == "true");
    CHECK(s.db().count("SELECT COUNT(*) FROM fragments") == 1);
    // The same key for a different request is refused.
    auto other = s.post(fragments_of(s, "complementarity"), {{"title", "Notes"}, {"body", "Other.\n"}}, r1,
                        {{"Idempotency-Key", "create-1"}});
    CHECK(other.status == 422);
    CHECK(s.db().count("SELECT COUNT(*) FROM fragments") == 1);
  }
  SECTION("revise, replayed after the next save: still the first answer, not a conflict") {
    const int64_t id = create(s, kR1, "complementarity", "One.\n")["id"];
    const nlohmann::json body = {{"base_version", 1}, {"body", "Two.\n"}};
    auto a = s.put(fragment(s, id), body, r1, {{"Idempotency-Key", "rev-1"}});
    REQUIRE(a.status == 201);
    REQUIRE(s.put(fragment(s, id), {{"base_version", 2}, {"body", "Three.\n"}}, r1).status == 201);
    auto b = s.put(fragment(s, id), body, r1, {{"Idempotency-Key", "rev-1"}});
    CHECK(b.status == 201);
    CHECK(b.body == a.body);
    CHECK(s.db().count("SELECT COUNT(*) FROM fragment_versions") == 3);
  }
  SECTION("identical requests in flight at once: one version, the same answer for all") {
    const int64_t id = create(s, kR1, "complementarity", "One.\n")["id"];
    constexpr int kCopies = 8;
    const std::string body = nlohmann::json{{"base_version", 1}, {"body", "Two, sent on poor Wi-Fi.\n"}}.dump();
    const auto replies =
        concurrent_puts(s, fragment(s, id), std::vector<std::string>(kCopies, body), r1, "flaky-wifi-7");
    int replayed = 0;
    for (const RawReply& r : replies) {
      INFO(r.body);
      CHECK(r.status == 201);
      CHECK(r.body == replies[0].body);
      replayed += r.replayed ? 1 : 0;
    }
    CHECK(replayed == kCopies - 1);
    CHECK(nlohmann::json::parse(replies[0].body)["version"] == 2);
    CHECK(s.db().count("SELECT COUNT(*) FROM fragment_versions WHERE fragment_id = " + std::to_string(id)) ==
          2);
    CHECK(s.db().count("SELECT COUNT(*) FROM events WHERE type = 'fragment_revised'") == 1);
  }
}

TEST_CASE("rendered fragments are inert: no script, raw HTML or dangerous links", "[http][fragments][render]") {
  TestServer s;
  s.create_kisumu();
  const std::string body =
      "<script>alert('x')</script>\n\n"
      "<div onclick=\"alert(1)\">raw block</div>\n\n"
      "Inline <img src=x onerror=alert(1)> and <b onmouseover=alert(1)>bold</b>.\n\n"
      "[js](javascript:alert(1)) [JS](JaVaScRiPt:alert(1)) [spaced](<java\tscript:alert(1)>) "
      "[vb](vbscript:msgbox) [data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==) "
      "![img](data:image/svg+xml;base64,PHN2Zy8+) <javascript:alert(2)>\n\n"
      "[quote](<http://example.org/\" onmouseover=\"alert(1)>) "
      "[title](http://example.org/ \"t\\\" onmouseover=\\\"alert(1)\") "
      "![alt\" onerror=\"alert(1)](x.png)\n\n"
      "[fine](https://example.org/a?b=1&c=2) and [relative](#conclusions)\n";
  const int64_t id = create(s, kR1, "complementarity", body)["id"];
  auto r = s.get(fragment(s, id), s.token("Participant 1"));
  REQUIRE(r.status == 200);
  CHECK(r.json()["body"] == body);  // the source is kept as typed
  const std::string html = r.json()["html"];
  INFO(html);
  const std::string low = lower(html);
  CHECK(low.find("<script") == std::string::npos);
  CHECK(low.find("<div") == std::string::npos);
  CHECK(low.find("<img src=x") == std::string::npos);
  CHECK(low.find("<b ") == std::string::npos);
  CHECK_THAT(html, Catch::Contains("<!-- raw HTML omitted -->"));
  // No attribute was smuggled in: a quote never ends a value early.
  CHECK(html.find("\" on") == std::string::npos);
  CHECK(html.find("' on") == std::string::npos);
  for (const std::string& url : urls_in(html)) {
    INFO(url);
    std::string scheme = lower(url);
    scheme.erase(std::remove_if(scheme.begin(), scheme.end(), [](unsigned char c) { return std::isspace(c); }),
                 scheme.end());
    CHECK(scheme.rfind("javascript:", 0) == std::string::npos);
    CHECK(scheme.rfind("vbscript:", 0) == std::string::npos);
    CHECK(scheme.rfind("data:", 0) == std::string::npos);
  }
  CHECK_THAT(html, Catch::Contains("href=\"https://example.org/a?b=1&amp;c=2\""));
  CHECK_THAT(html, Catch::Contains("href=\"#conclusions\""));
}

TEST_CASE("the CVE-2023-22486 input at the size limit is stored and rendered", "[http][fragments][render]") {
  TestServer s;
  s.create_kisumu();
  std::string body;
  while (body.size() + 6 <= kMaxFragmentBodyBytes) body += "![[]()";
  const int64_t id = create(s, kR1, "complementarity", body)["id"];
  auto r = s.get(fragment(s, id), s.token(kR1));
  REQUIRE(r.status == 200);
  CHECK(r.json()["size"] == body.size());
  CHECK_THAT(r.json()["html"].get<std::string>(), Catch::StartsWith("<p>"));
}

TEST_CASE("who may read and write fragments", "[http][fragments][roles]") {
  TestServer s;
  s.create_kisumu();
  const int64_t id = create(s, kR1, "complementarity", "Ours.\n")["id"];
  const nlohmann::json next = {{"base_version", 1}, {"body", "Changed.\n"}};
  const nlohmann::json fresh = {{"title", "T"}, {"body", "B.\n"}};

  // The other breakout's rapporteur reads but may not write here.
  CHECK(s.get(fragment(s, id), s.token(kR2)).status == 200);
  auto other = s.put(fragment(s, id), next, s.token(kR2));
  CHECK(other.status == 403);
  CHECK_THAT(other.json()["error"]["message"].get<std::string>(), Catch::Contains("complementarity"));
  CHECK(s.post(fragments_of(s, "complementarity"), fresh, s.token(kR2)).status == 403);
  CHECK(s.post(fragments_of(s, "sustainability"), fresh, s.token(kR2)).status == 201);

  // Participants read, never write.
  const std::string participant = s.token("Participant 3");
  CHECK(s.get(fragment(s, id), participant).status == 200);
  CHECK(s.get(fragment(s, id, "/versions"), participant).status == 200);
  CHECK(s.put(fragment(s, id), next, participant).status == 403);
  CHECK(s.post(fragments_of(s, "complementarity"), fresh, participant).status == 403);

  // Observers see no fragments at all; anonymous callers need a token.
  const std::string observer = s.token("Observer");
  CHECK(s.get(fragment(s, id), observer).status == 403);
  CHECK(s.get(fragments_of(s, "complementarity"), observer).status == 403);
  CHECK(s.get(fragment(s, id, "/diff?from=1&to=1"), observer).status == 403);
  CHECK(s.get(fragment(s, id)).status == 401);
  CHECK(s.put(fragment(s, id), next).status == 401);

  // The president, the secretariat and the administrator write any breakout.
  auto president = s.put(fragment(s, id), next, s.token("President of the session"));
  CHECK(president.status == 201);
  auto admin = s.put(fragment(s, id), {{"base_version", 2}, {"body", "By the admin.\n"}}, kAdminToken);
  REQUIRE(admin.status == 201);
  CHECK(admin.json()["author"]["id"].is_null());
  CHECK(admin.json()["author"]["name"] == "administrator");
  CHECK(s.post(fragments_of(s, "sustainability"), fresh, s.token("Moderator")).status == 201);

  CHECK(s.db().count("SELECT COUNT(*) FROM fragment_versions WHERE fragment_id = " + std::to_string(id)) == 3);
}

TEST_CASE("fragments are read-only once the session leaves drafting", "[http][fragments]") {
  TestServer s;
  s.create_kisumu();
  const int64_t id = create(s, kR1, "complementarity", "Draft text.\n")["id"];
  auto moved = s.app().store().write<bool>([&](Tx& tx) -> Result<bool> {
    tx.sessions().set_phase(s.sid(), SessionPhase::amending);
    return true;
  });
  REQUIRE(moved.ok());
  auto put = s.put(fragment(s, id), {{"base_version", 1}, {"body", "Late.\n"}}, s.token(kR1));
  CHECK(put.status == 409);
  CHECK(error_code(put) == "conflict");
  CHECK_THAT(put.json()["error"]["message"].get<std::string>(), Catch::Contains("drafting"));
  auto post = s.post(fragments_of(s, "complementarity"), {{"title", "T"}, {"body", "B"}}, s.token("Moderator"));
  CHECK(post.status == 409);
  CHECK(error_code(post) == "conflict");
  // Still readable.
  CHECK(s.get(fragment(s, id), s.token("Participant 1")).json()["version"] == 1);
  CHECK(s.db().count("SELECT COUNT(*) FROM fragment_versions") == 1);
}

TEST_CASE("fragment limits: 64 KiB body, 200-character title, UTF-8 without NUL", "[http][fragments][bad_input]") {
  TestServer s;
  s.create_kisumu();
  const std::string r1 = s.token(kR1);
  const std::string path = fragments_of(s, "complementarity");

  // Exactly 64 KiB of "é", sent escaped (\u00e9: 6 bytes of JSON per 2 of text): accepted.
  auto escaped = [](size_t chars) {
    std::string j = R"({"title":"Accents","body":")";
    for (size_t i = 0; i < chars; ++i) j += "\\u00e9";
    return j + "\"}";
  };
  auto at_limit = s.send("POST", path, escaped(kMaxFragmentBodyBytes / 2), "application/json", r1);
  CHECK(at_limit.status == 201);
  CHECK(at_limit.json()["size"] == kMaxFragmentBodyBytes);
  // One character more is refused on the field, not as a request too large to read.
  auto over = s.send("POST", path, escaped(kMaxFragmentBodyBytes / 2 + 1), "application/json", r1);
  CHECK(over.status == 413);
  CHECK(error_code(over) == "too_large");
  CHECK(over.json()["error"]["field"] == "body");
  // A 64 KiB text of control characters is the worst case of escaping (6 to 1).
  std::string controls = R"({"title":"Controls","body":"x)";
  for (size_t i = 1; i < kMaxFragmentBodyBytes; ++i) controls += "\\u0001";
  auto worst = s.send("POST", path, controls + "\"}", "application/json", r1);
  CHECK(worst.status == 201);

  auto big = s.post(path, {{"title", "Big"}, {"body", std::string(kMaxFragmentBodyBytes + 1, 'a')}}, r1);
  CHECK(big.status == 413);
  CHECK(big.json()["error"]["field"] == "body");

  auto title = s.post(path, {{"title", std::string(201, 't')}, {"body", "b"}}, r1);
  CHECK(title.status == 422);
  CHECK(title.json()["error"]["field"] == "title");
  auto nul = s.send("POST", path, R"({"title":"T","body":"a\u0000b"})", "application/json", r1);
  CHECK(nul.status == 422);
  CHECK(nul.json()["error"]["field"] == "body");
  auto surrogate = s.send("POST", path, R"({"title":"T","body":"a\ud800b"})", "application/json", r1);
  CHECK((surrogate.status == 400 || surrogate.status == 422));
  auto bad_bytes = s.send("POST", path, "{\"title\":\"T\",\"body\":\"a\xC3\x28\"}", "application/json", r1);
  CHECK(bad_bytes.status == 422);
  CHECK(s.post(path, {{"title", "T"}}, r1).status == 422);
  CHECK(s.post(path, {{"title", "T"}, {"body", 5}}, r1).status == 400);
  CHECK(s.send("POST", path, "{\"title\":", "application/json", r1).status == 400);
  CHECK(s.send("POST", path, "title=T&body=B", "application/x-www-form-urlencoded", r1).status == 415);
  CHECK(s.send("POST", path, std::string(kMaxFragmentRequestBytes + 1, ' '), "application/json", r1).status == 413);

  const int64_t id = at_limit.json()["id"];
  auto put_big = s.put(fragment(s, id), {{"base_version", 1}, {"body", std::string(kMaxFragmentBodyBytes + 1, 'a')}},
                       r1);
  CHECK(put_big.status == 413);
  auto put_note = s.put(fragment(s, id), {{"base_version", 1}, {"body", "b"}, {"note", std::string(501, 'n')}}, r1);
  CHECK(put_note.status == 422);
  CHECK(put_note.json()["error"]["field"] == "note");
  CHECK(s.put(fragment(s, id), {{"body", "b"}}, r1).status == 422);

  CHECK(s.db().count("SELECT COUNT(*) FROM fragments") == 2);
  CHECK(s.db().count("SELECT COUNT(*) FROM fragment_versions") == 2);
}

TEST_CASE("unknown breakouts, fragments and versions are 404; bad diff bounds are 400",
          "[http][fragments][bad_input]") {
  TestServer s;
  s.create_kisumu();
  const std::string r1 = s.token(kR1);
  const int64_t id = create(s, kR1, "complementarity", "One.\n")["id"];
  REQUIRE(s.put(fragment(s, id), {{"base_version", 1}, {"body", "Two.\n"}}, r1).status == 201);

  CHECK(s.get(fragments_of(s, "nowhere"), r1).status == 404);
  CHECK(s.post(fragments_of(s, "nowhere"), {{"title", "T"}, {"body", "B"}}, r1).status == 404);
  CHECK(s.post(fragments_of(s, "nowhere"), {{"title", "T"}, {"body", "B"}}, kAdminToken).status == 404);
  CHECK(s.get(fragment(s, id + 100), r1).status == 404);
  CHECK(s.put(fragment(s, id + 100), {{"base_version", 1}, {"body", "B"}}, r1).status == 404);
  CHECK(s.get(fragment(s, id + 100, "/versions"), r1).status == 404);
  CHECK(s.get(fragment(s, id + 100, "/diff?from=1&to=2"), r1).status == 404);
  CHECK(s.get(s.path("/fragments/abc"), r1).status == 404);
  CHECK(s.get(s.path("/fragments/0"), r1).status == 404);

  CHECK(s.get(fragment(s, id, "/versions/2"), r1).status == 200);
  auto missing = s.get(fragment(s, id, "/versions/3"), r1);
  CHECK(missing.status == 404);
  CHECK_THAT(missing.json()["error"]["message"].get<std::string>(), Catch::Contains("latest is 2"));
  CHECK(s.get(fragment(s, id, "/versions/0"), r1).status == 404);
  CHECK(s.get(fragment(s, id, "/versions/-1"), r1).status == 404);
  CHECK(s.get(fragment(s, id, "/versions/99999999999"), r1).status == 404);

  CHECK(s.get(fragment(s, id, "/diff?from=1&to=3"), r1).status == 404);
  CHECK(s.get(fragment(s, id, "/diff?from=9&to=1"), r1).status == 404);
  auto no_from = s.get(fragment(s, id, "/diff?to=2"), r1);
  CHECK(no_from.status == 400);
  CHECK(no_from.json()["error"]["field"] == "from");
  CHECK(s.get(fragment(s, id, "/diff?from=1"), r1).status == 400);
  CHECK(s.get(fragment(s, id, "/diff?from=one&to=2"), r1).status == 400);
  CHECK(s.get(fragment(s, id, "/diff?from=1&to=-2"), r1).status == 400);
  CHECK(s.get(fragment(s, id, "/diff?from=0&to=2"), r1).status == 400);

  // A fragment is found only through its own session.
  nlohmann::json other = kisumu_spec();
  other["id"] = "other-session";
  auto created = s.post("/api/v1/sessions", other, kAdminToken);
  REQUIRE(created.status == 201);
  CHECK(s.get("/api/v1/sessions/other-session/fragments/" + std::to_string(id), kAdminToken).status == 404);
  CHECK(s.get("/api/v1/sessions/other-session/fragments/" + std::to_string(id), r1).status == 403);
}

TEST_CASE("every save appends an event naming the version and its hash, never the body",
          "[http][fragments][log]") {
  TestServer s;
  s.create_kisumu();
  const std::string r1 = s.token(kR1);
  const std::string secret_body = "Body text that must not be copied into the log.\n";
  const int64_t id = create(s, kR1, "complementarity", secret_body, "Logged")["id"];
  REQUIRE(s.put(fragment(s, id), {{"base_version", 1}, {"body", "Second.\n"}, {"note", "why"}}, r1).status == 201);
  // A refused save logs nothing.
  REQUIRE(s.put(fragment(s, id), {{"base_version", 1}, {"body", "Stale.\n"}}, r1).status == 409);

  auto log = s.get(s.path("/log"), s.token("Moderator"));
  REQUIRE(log.status == 200);
  std::vector<nlohmann::json> saves;
  for (const auto& e : log.json()) {
    if (e["type"] == "fragment_created" || e["type"] == "fragment_revised") saves.push_back(e);
  }
  REQUIRE(saves.size() == 2);
  CHECK(saves[0]["type"] == "fragment_created");
  CHECK(saves[0]["actor"] == "person:" + std::to_string(s.person_id(kR1)));
  CHECK(saves[0]["data"]["fragment"] == id);
  CHECK(saves[0]["data"]["version"] == 1);
  CHECK(saves[0]["data"]["breakout"] == "complementarity");
  CHECK(saves[0]["data"]["title"] == "Logged");
  CHECK(saves[0]["data"]["sha256"] == sha256_hex(secret_body));
  CHECK(saves[0]["data"]["author"]["id"] == s.person_id(kR1));
  CHECK(saves[1]["type"] == "fragment_revised");
  CHECK(saves[1]["data"]["version"] == 2);
  CHECK(saves[1]["data"]["sha256"] == sha256_hex("Second.\n"));
  CHECK(saves[1]["data"]["note"] == "why");
  CHECK(log.body.find("must not be copied") == std::string::npos);

  auto verify = s.get(s.path("/log/verify"));
  REQUIRE(verify.status == 200);
  CHECK(verify.json()["ok"] == true);
}
