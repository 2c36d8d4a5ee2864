// GET /api/v1/sessions/{sid}/export over the real server, and the
// `rapporteur export` command on the same database.
#include <catch2/catch.hpp>

#include "rapporteur/crypto.h"
#include "rapporteur/subprocess.h"
#include "test_server.h"

using namespace rapporteur;
using namespace rapporteur::testing;

namespace {

const char* const kBreakout1 =
    "## Conclusions\n\nLes villes intermédiaires agissent en premier lorsque les personnes arrivent.\n\n"
    "## Recommandations\n\n- Créer un dialogue permanent entre les villes intermédiaires et les ministères.\n";
const char* const kBreakout2 =
    "## Recommendations\n\n- إنشاء حوار دائم بين المدن الوسيطة والوزارات الوطنية.\n"
    "- Secure multi-year funding for local migration partnerships.\n";

std::string export_path(const TestServer& s, const std::string& format) {
  return s.path("/export?format=" + format);
}

// Both breakouts' notes merged into draft 1.
void make_draft(TestServer& s) {
  REQUIRE(s.post(s.path("/breakouts/complementarity/fragments"), {{"title", "Atelier 1"}, {"body", kBreakout1}},
                 s.token("Rapporteur, Breakout 1"))
              .status == 201);
  REQUIRE(s.post(s.path("/breakouts/sustainability/fragments"), {{"title", "Breakout 2"}, {"body", kBreakout2}},
                 s.token("Rapporteur, Breakout 2"))
              .status == 201);
  REQUIRE(s.post(s.path("/drafts"), {{"merge", true}}, s.token("Moderator")).status == 201);
}

}  // namespace

TEST_CASE("GET export: the current draft marked DRAFT, then the adopted text", "[export][http]") {
  TestServer s;
  s.create_kisumu();
  // No draft yet: nothing to export.
  auto none = s.get(export_path(s, "md"));
  CHECK(none.status == 404);
  CHECK(none.json()["error"]["code"] == "not_found");

  make_draft(s);
  // Anyone with the public link (observer) may export.
  auto md = s.get(export_path(s, "md"));
  REQUIRE(md.status == 200);
  CHECK(md.header("Content-Type").rfind("text/markdown", 0) == 0);
  CHECK(md.header("Content-Disposition") == "attachment; filename=\"kisumu-2022-partnerships-draft-1.md\"");
  CHECK(md.body.rfind("> **DRAFT 1 — NOT ADOPTED.**", 0) == 0);
  CHECK(md.body.find("## DRAFT — Recommendations") != std::string::npos);
  CHECK(md.body.find("**R1** Créer un dialogue permanent") != std::string::npos);
  CHECK(md.body.find("**R2** إنشاء حوار دائم بين المدن الوسيطة والوزارات الوطنية.") != std::string::npos);

  // Bad formats are refused, naming the allowed ones.
  for (const std::string bad : {"xlsx", "MD", ""}) {
    auto r = s.get(bad.empty() ? s.path("/export") : export_path(s, bad));
    CHECK(r.status == 422);
    CHECK(r.json()["error"]["field"] == "format");
    CHECK(r.json()["error"]["message"].get<std::string>().find("md, html, pdf, docx, json, csv") != std::string::npos);
  }
  CHECK(s.get("/api/v1/sessions/no-such-session/export?format=md").status == 404);

  auto html = s.get(export_path(s, "html"));
  REQUIRE(html.status == 200);
  CHECK(html.header("Content-Type").rfind("text/html", 0) == 0);
  CHECK(html.body.find("<div class=\"watermark\" aria-hidden=\"true\">DRAFT</div>") != std::string::npos);

  // Adoption of draft 1 by a named electronic vote.
  const std::string president = s.token("President of the session");
  REQUIRE(s.post(s.path("/phase"), {{"phase", "amending"}}, president).status == 200);
  auto created = s.post(s.path("/polls"), {{"subject", {{"adoption", 1}}}}, president);
  REQUIRE(created.status == 201);
  const std::string poll = std::to_string(created.json()["id"].get<int64_t>());
  REQUIRE(s.post(s.path("/polls/" + poll + "/open"), nlohmann::json::object(), president).status == 200);
  for (int i = 1; i <= 4; ++i) {
    REQUIRE(s.post(s.path("/polls/" + poll + "/ballots"), {{"choice", i <= 3 ? "yes" : "no"}},
                   s.token("Participant " + std::to_string(i)))
                .status == 200);
  }
  auto closed = s.post(s.path("/polls/" + poll + "/close"), nlohmann::json::object(), president);
  REQUIRE(closed.status == 200);
  REQUIRE(closed.json()["result"]["outcome"] == "adopted");
  const auto final_draft = s.get(s.path("/drafts/final")).json();

  auto json = s.get(export_path(s, "json"));
  REQUIRE(json.status == 200);
  CHECK(json.header("Content-Disposition") == "attachment; filename=\"kisumu-2022-partnerships-final.json\"");
  const auto j = json.json();
  CHECK(j["status"] == "final");
  CHECK(j["draft"] == 1);
  CHECK(j["adopted_at"] == closed.json()["closed_at"]);
  CHECK(j["text"]["sha256"] == final_draft["sha256"]);
  CHECK(j["text"]["sha256"] == sha256_hex(j["text"]["markdown"].get<std::string>()));
  CHECK(j["paragraphs"].size() == final_draft["paragraphs"].size());
  REQUIRE(j["polls"].size() == 1);
  CHECK(j["polls"][0]["subject_text"] == "Adoption of draft 1");
  CHECK(j["polls"][0]["counts"]["yes"] == 3);
  CHECK(j["polls"][0]["ballots"].size() == 4);
  CHECK(j["polls"][0]["ballots"][0]["person"] == "Participant 1");
  CHECK(j["log"]["head"] == s.get(s.path("/log/verify")).json()["head"]);

  auto final_md = s.get(export_path(s, "md"));
  REQUIRE(final_md.status == 200);
  CHECK(final_md.body.find("DRAFT") == std::string::npos);
  CHECK(final_md.body.find("- **Adopted at:** " + j["adopted_at"].get<std::string>() + " (draft 1)") != std::string::npos);
  CHECK(final_md.body.find("- **SHA-256 of the final text:** `" + final_draft["sha256"].get<std::string>() + "`") !=
        std::string::npos);
  CHECK(final_md.body.find(final_draft["markdown"].get<std::string>()) != std::string::npos);

  auto csv = s.get(export_path(s, "csv"));
  REQUIRE(csv.status == 200);
  CHECK(csv.header("Content-Type").rfind("text/csv", 0) == 0);
  CHECK(csv.header("Content-Disposition") == "attachment; filename=\"kisumu-2022-partnerships-final.csv\"");
  size_t rows = 0;
  for (size_t at = csv.body.find("\r\n"); at != std::string::npos; at = csv.body.find("\r\n", at + 2)) ++rows;
  CHECK(rows == 1 + 4);  // header and one row per ballot
  CHECK(csv.body.find(",Participant 4,no\r\n") != std::string::npos);

  // The command line writes the same export from the database file.
  TempDir out;
  SubprocessOptions so;
  so.timeout_ms = 60'000;
  auto cli = run_subprocess({RAPPORTEUR_BINARY, "export", s.sid(), "--format", "md", "--out", out.file("final.md"),
                             "--db", s.db().db_flag()},
                            so);
  REQUIRE(cli.ok());
  INFO(cli->output);
  CHECK(cli->exit_code == 0);
  CHECK(read_text(out.file("final.md")) == final_md.body);
  auto bad = run_subprocess({RAPPORTEUR_BINARY, "export", s.sid(), "--format", "xlsx", "--db", s.db().db_flag()}, so);
  REQUIRE(bad.ok());
  CHECK(bad->exit_code == 2);
  CHECK(bad->output.find("md, html, pdf, docx, json, csv") != std::string::npos);
  auto missing = run_subprocess({RAPPORTEUR_BINARY, "export", s.sid(), "--format", "md", "--db", out.file("nope.db")}, so);
  REQUIRE(missing.ok());
  CHECK(missing->exit_code == 1);
  CHECK(missing->output.find("no database at") != std::string::npos);
}
