// The parsed-draft cache (src/domain/draft_cache.h): it answers only for the
// exact stored text it parsed, so a rolled-back draft whose number is reused
// never shows through, and a draft read twice is parsed once.
#include <catch2/catch.hpp>

#include "domain/drafting/draft_cache.h"
#include "rapporteur/drafts.h"
#include "rapporteur/sessions.h"
#include "rapporteur/store.h"
#include "rehearsal.h"
#include "store_fixture.h"

using namespace rapporteur;
using namespace rapporteur::testing;

namespace {

const std::string kSamples = RAPPORTEUR_SOURCE_DIR "/samples/kisumu-2022/notes/";

void save_sample_notes(TestServer& s) {
  const std::pair<const char*, const char*> notes[] = {{"complementarity", "Rapporteur, Breakout 1"},
                                                       {"sustainability", "Rapporteur, Breakout 2"}};
  for (const auto& [breakout, who] : notes) {
    auto f = s.post(s.path(std::string("/breakouts/") + breakout + "/fragments"),
                    {{"title", "Breakout notes"}, {"body", read_text(kSamples + breakout + ".md")}}, s.token(who));
    REQUIRE(f.status == 201);
  }
}

bool has_paragraph(const nlohmann::json& draft, const std::string& text) {
  for (const auto& p : draft["paragraphs"]) {
    if (p["markdown"].get<std::string>().find(text) != std::string::npos) return true;
  }
  return false;
}

}  // namespace

TEST_CASE("draft cache: entries answer only for the text they were parsed from", "[drafts][cache]") {
  draft_cache::clear();
  auto parsed = std::make_shared<draft_cache::Parsed>();
  parsed->paragraphs_json = R"([{"pid":"p1"}])";
  parsed->duplicates_json = "[]";
  parsed->paragraphs.resize(1);
  draft_cache::put("s", 1, parsed);
  CHECK(draft_cache::find("s", 1, R"([{"pid":"p1"}])", "[]") == parsed);
  CHECK(draft_cache::find("s", 1, R"([{"pid":"p2"}])", "[]") == nullptr);  // other text
  CHECK(draft_cache::find("s", 1, R"([{"pid":"p1"}])", "[{}]") == nullptr);
  CHECK(draft_cache::find("s", 2, R"([{"pid":"p1"}])", "[]") == nullptr);  // other draft
  CHECK(draft_cache::find("t", 1, R"([{"pid":"p1"}])", "[]") == nullptr);  // other session
  const auto st = draft_cache::stats();
  CHECK(st.hits == 1);
  CHECK(st.misses == 4);

  // Bounded: the least recently used entries go first.
  for (int n = 2; n <= static_cast<int>(draft_cache::kMaxEntries) + 1; ++n) {
    auto p = std::make_shared<draft_cache::Parsed>();
    p->paragraphs_json = "[" + std::to_string(n) + "]";
    draft_cache::put("s", n, p);
  }
  CHECK(draft_cache::stats().entries == draft_cache::kMaxEntries);
  CHECK(draft_cache::find("s", 1, R"([{"pid":"p1"}])", "[]") == nullptr);  // the oldest, evicted
  CHECK(draft_cache::find("s", 3, "[3]", "") != nullptr);
  draft_cache::clear();
}

TEST_CASE("draft cache: a draft rolled back and its number reused reads as committed", "[drafts][cache]") {
  draft_cache::clear();
  TestServer s;
  s.create_kisumu();
  save_sample_notes(s);

  // Another writer on the same file merges draft 1, reads it (so it is parsed
  // and cached), then fails: the transaction rolls back.
  {
    auto other = rapporteur::testing::open_test_store(s.db());
    auto r = other->write<int>([&](Tx& tx) -> Result<int> {
      auto session = load_session(tx, s.sid());
      REQUIRE(session.ok());
      auto d = create_merged_draft(tx, *session, 1653000000, "test");
      REQUIRE(d.ok());
      auto again = load_draft(tx, s.sid(), "1");
      REQUIRE(again.ok());
      return Status::conflict("rolled back on purpose");
    });
    CHECK_FALSE(r.ok());
  }
  CHECK(draft_cache::stats().entries == 1);  // the rolled-back draft 1 is cached

  // The rapporteur of breakout 2 adds a recommendation; the real draft 1 is
  // merged from the new text.
  auto frags = s.get(s.path("/breakouts/sustainability/fragments"), s.token("Moderator")).json();
  const int64_t fid = frags.at(0)["id"];
  auto latest = s.get(s.path("/fragments/" + std::to_string(fid)), s.token("Moderator")).json();
  std::string body = latest["body"];
  const std::string heading = "## Recommandations\n\n";
  const size_t at = body.find(heading);
  REQUIRE(at != std::string::npos);
  const std::string added = "Give every intermediary city a migration focal point.";
  body.insert(at + heading.size(), "- " + added + "\n");
  REQUIRE(s.put(s.path("/fragments/" + std::to_string(fid)), {{"base_version", latest["version"]}, {"body", body}},
                s.token("Rapporteur, Breakout 2"))
              .status == 201);
  auto merged = s.post(s.path("/drafts"), {{"merge", true}}, s.token("Moderator"));
  REQUIRE(merged.status == 201);
  REQUIRE(merged.json()["n"] == 1);

  // Read twice: the committed text both times, the second from the cache.
  for (int i = 0; i < 2; ++i) {
    auto d = s.get(s.path("/drafts/1"));
    REQUIRE(d.status == 200);
    CHECK(has_paragraph(d.json(), added));
    CHECK(d.json()["markdown"].get<std::string>().find(added) != std::string::npos);
    CHECK(d.json()["paragraphs"].size() == merged.json()["paragraphs"].size());
  }
  CHECK(draft_cache::stats().hits >= 1);
  draft_cache::clear();
}
