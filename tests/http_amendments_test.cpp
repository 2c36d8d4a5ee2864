// Amendments over the real HTTP server: what a paragraph may be amended.
#include <catch2/catch.hpp>

#include "rehearsal.h"

using namespace rapporteur;
using namespace rapporteur::testing;

TEST_CASE("the preamble (title and date line) is not amendable", "[http][amendments]") {
  Rehearsal r;
  std::vector<std::string> preamble;
  std::string conclusion;
  for (const auto& p : r.draft["paragraphs"]) {
    if (p["section"] == "preamble") preamble.push_back(p["pid"]);
    if (p["section"] == "conclusions" && conclusion.empty()) conclusion = p["pid"];
  }
  REQUIRE(preamble.size() == 2);  // the title, then the date line
  REQUIRE(!conclusion.empty());
  const std::string participant = r.s.token("Participant 1");
  for (const std::string& pid : preamble) {
    for (const std::string kind : {"replace", "insert_after", "delete"}) {
      nlohmann::json body = {{"draft", r.draft["n"]}, {"target", pid}, {"kind", kind}};
      if (kind != "delete") body["text"] = "Another title";
      auto res = r.s.post(r.s.path("/amendments"), body, participant);
      CAPTURE(pid, kind, res.body);
      CHECK(res.status == 422);
      CHECK(code(res) == "validation_failed");
      CHECK(res.json()["error"]["field"] == "target");
      CHECK(res.json()["error"]["message"].get<std::string>().find("not amendable") != std::string::npos);
    }
  }
  CHECK(count(r.s, "SELECT COUNT(*) FROM amendments") == 0);
  // A conclusion is amendable as before.
  auto ok = r.amend("Participant 1", conclusion, "replace", "Cities act first, and need the means to.");
  CHECK(ok["target"] == conclusion);
  CHECK(count(r.s, "SELECT COUNT(*) FROM amendments") == 1);
}
