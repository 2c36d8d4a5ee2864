// Drafts over the real HTTP server with the sample's breakout notes: the merge
// equals the golden file, near-duplicates are listed, each draft carries its
// Markdown, per-paragraph HTML and SHA-256, and every draft is logged.
#include <catch2/catch.hpp>

#include <set>

#include "rapporteur/crypto.h"
#include "rehearsal.h"

using namespace rapporteur;
using namespace rapporteur::testing;

namespace {

const std::string kSamples = RAPPORTEUR_SOURCE_DIR "/samples/kisumu-2022/notes/";
const std::string kGolden = RAPPORTEUR_SOURCE_DIR "/tests/data/merge/kisumu-sample/";

// Saves the sample notes of both breakouts and merges them into draft 1.
nlohmann::json merge_sample(TestServer& s) {
  s.create_kisumu();
  const std::pair<const char*, const char*> notes[] = {{"complementarity", "Rapporteur, Breakout 1"},
                                                       {"sustainability", "Rapporteur, Breakout 2"}};
  for (const auto& [breakout, who] : notes) {
    auto f = s.post(s.path(std::string("/breakouts/") + breakout + "/fragments"),
                    {{"title", "Breakout notes"}, {"body", read_text(kSamples + breakout + ".md")}}, s.token(who));
    REQUIRE(f.status == 201);
  }
  auto d = s.post(s.path("/drafts"), {{"merge", true}}, s.token("Moderator"));
  REQUIRE(d.status == 201);
  return d.json();
}

}  // namespace

TEST_CASE("merging the sample notes over HTTP gives the golden draft", "[http][drafts]") {
  TestServer s;
  const nlohmann::json d = merge_sample(s);
  CHECK(d["n"] == 1);
  CHECK(d["kind"] == "merge");
  CHECK(d["markdown"] == read_text(kGolden + "expected.md"));
  CHECK(d["sha256"] == sha256_hex(d["markdown"].get<std::string>()));

  const auto golden = nlohmann::json::parse(read_text(kGolden + "expected.json"));
  REQUIRE(d["paragraphs"].size() == golden["paragraphs"].size());
  for (size_t i = 0; i < d["paragraphs"].size(); ++i) {
    const auto& p = d["paragraphs"][i];
    CHECK(p["pid"] == golden["paragraphs"][i]["pid"]);
    CHECK(p["number"] == golden["paragraphs"][i]["number"]);
    CHECK_FALSE(p["html"].get<std::string>().empty());
  }
  // The near-duplicate pair of the golden file, with its score.
  REQUIRE(d["duplicates"].size() == golden["duplicates"].size());
  CHECK(d["duplicates"][0]["a"] == golden["duplicates"][0]["a"]);
  CHECK(d["duplicates"][0]["b"] == golden["duplicates"][0]["b"]);

  // The same draft read back, and the list.
  CHECK(s.get(s.path("/drafts/1")).json()["sha256"] == d["sha256"]);
  auto list = s.get(s.path("/drafts"), s.token("Participant 1"));
  REQUIRE(list.status == 200);
  REQUIRE(list.json().size() == 1);
  CHECK(list.json()[0]["sha256"] == d["sha256"]);
}

TEST_CASE("a second merge after a revision keeps pids and logs every draft", "[http][drafts]") {
  TestServer s;
  const nlohmann::json d1 = merge_sample(s);
  // The rapporteur of breakout 2 adds a recommendation at the top.
  auto frags = s.get(s.path("/breakouts/sustainability/fragments"), s.token("Moderator")).json();
  REQUIRE(frags.size() == 1);
  const int64_t fid = frags[0]["id"];
  auto latest = s.get(s.path("/fragments/" + std::to_string(fid)), s.token("Moderator")).json();
  std::string body = latest["body"];
  const std::string heading = "## Recommandations\n\n";  // the notes use the French heading
  const size_t at = body.find(heading);
  REQUIRE(at != std::string::npos);
  body.insert(at + heading.size(), "- Give every intermediary city a migration focal point.\n");
  auto saved = s.put(s.path("/fragments/" + std::to_string(fid)), {{"base_version", latest["version"]}, {"body", body}},
                     s.token("Rapporteur, Breakout 2"));
  REQUIRE(saved.status == 201);
  auto second = s.post(s.path("/drafts"), {{"merge", true}}, s.token("Moderator"));
  REQUIRE(second.status == 201);
  const nlohmann::json d2 = second.json();
  CHECK(d2["n"] == 2);
  // Every paragraph of draft 1 lives on under its pid.
  std::set<std::string> pids2;
  for (const auto& p : d2["paragraphs"]) pids2.insert(p["pid"].get<std::string>());
  for (const auto& p : d1["paragraphs"]) CHECK(pids2.count(p["pid"].get<std::string>()) == 1);
  CHECK(d2["paragraphs"].size() == d1["paragraphs"].size() + 1);

  auto diff = s.get(s.path("/drafts/1/diff?to=2"), s.token("Moderator"));
  REQUIRE(diff.status == 200);
  CHECK(diff.body.find("focal point") != std::string::npos);

  auto log = s.get(s.path("/log"), s.token("Moderator")).json();
  std::vector<int> drafts;
  for (const auto& e : log) {
    if (e["type"] == "draft_created") drafts.push_back(e["data"]["n"]);
  }
  CHECK(drafts == std::vector<int>{1, 2});
  CHECK(s.get(s.path("/log/verify")).json()["ok"] == true);
}
