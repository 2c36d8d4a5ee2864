// The exported record as a reader gets it from the real server: sources name
// each breakout by its title, and the amendments annex shows each change as
// a word diff (deleted words struck, inserted words underlined) in HTML,
// Markdown, PDF (pdftotext) and DOCX (its document.xml).
#include <catch2/catch.hpp>

#include <fstream>
#include <regex>

#include "rapporteur/subprocess.h"
#include "test_server.h"

using namespace rapporteur;
using namespace rapporteur::testing;

namespace {

const char* const kComplementarity = "Complementarity in partnership approaches";
const char* const kSustainability = "Sustainability in partnership approaches";

const char* const kBreakout1 =
    "## Conclusions\n\nIntermediary cities are the first responders to mixed migration.\n\n"
    "## Recommendations\n\n- Give local governments a seat where migration policy is made.\n";
const char* const kBreakout2 = "## Recommendations\n\n- Secure multi-year funding for local migration partnerships.\n";

std::string squeeze(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c != ' ' && c != '\n' && c != '\r' && c != '\t' && c != '\f') out += c;
  }
  return out;
}

// The session's Draft 1, in amending, with an amendment of R1 (replace) and
// one of R2 (delete), both proposed.
void make_record(TestServer& s) {
  s.create_kisumu();
  REQUIRE(s.post(s.path("/breakouts/complementarity/fragments"), {{"title", "Atelier 1"}, {"body", kBreakout1}},
                 s.token("Rapporteur, Breakout 1"))
              .status == 201);
  REQUIRE(s.post(s.path("/breakouts/sustainability/fragments"), {{"title", "Breakout 2"}, {"body", kBreakout2}},
                 s.token("Rapporteur, Breakout 2"))
              .status == 201);
  auto draft = s.post(s.path("/drafts"), {{"merge", true}}, s.token("Moderator"));
  REQUIRE(draft.status == 201);
  std::string r1, r2;
  const nlohmann::json merged = draft.json();  // kept: the loop reads into it
  for (const auto& p : merged["paragraphs"]) {
    if (p["number"] == "R1") r1 = p["pid"].get<std::string>();
    if (p["number"] == "R2") r2 = p["pid"].get<std::string>();
  }
  REQUIRE(s.post(s.path("/phase"), {{"phase", "amending"}}, s.token("President of the session")).status == 200);
  nlohmann::json replace = {{"draft", 1}, {"target", r1}, {"kind", "replace"}, {"rationale", "stronger"}};
  replace["text"] = "- Give local governments a decisive seat where national migration policy is made.";
  auto amended = s.post(s.path("/amendments"), replace, s.token("Participant 1"));
  INFO(amended.body);
  REQUIRE(amended.status == 201);
  REQUIRE(s.post(s.path("/amendments"), {{"draft", 1}, {"target", r2}, {"kind", "delete"}, {"rationale", "covered"}},
                 s.token("Participant 2"))
              .status == 201);
}

}  // namespace

TEST_CASE("export record: sources by breakout title, amendments as word diffs (html, md)", "[export][http]") {
  TestServer s;
  make_record(s);
  auto html = s.get(s.path("/export?format=html"));
  REQUIRE(html.status == 200);
  CHECK(html.body.find("Breakout: " + std::string(kComplementarity)) != std::string::npos);
  CHECK(html.body.find("Breakout: " + std::string(kSustainability)) != std::string::npos);
  CHECK(html.body.find("Breakout: complementarity") == std::string::npos);
  // Where the spaces fall around an insertion is diff_words' choice.
  static const std::regex change(R"(Give local governments a ?<ins> ?decisive ?</ins> ?seat where ?<ins> ?national ?</ins> ?migration policy is made\.)");
  CHECK(std::regex_search(html.body, change));
  CHECK(html.body.find("<del>Secure multi-year funding for local migration partnerships.</del>") != std::string::npos);

  auto md = s.get(s.path("/export?format=md"));
  REQUIRE(md.status == 200);
  CHECK(md.body.find("*(Breakout: " + std::string(kComplementarity) + ")*") != std::string::npos);
  CHECK(md.body.find("Breakout: complementarity") == std::string::npos);
  CHECK(md.body.find("Give local governments a <ins>decisive</ins> seat where <ins>national</ins> migration policy is "
                     "made.") != std::string::npos);
}

TEST_CASE("export record: the PDF and the DOCX print sources by title and struck and underlined words (slow)",
          "[export][http][pdf][docx]") {
  const std::string pdftotext = require_program("pdftotext", "poppler-utils");
  const std::string unzip = require_program("unzip", "unzip");
  TestServer s;
  make_record(s);
  TempDir dir;

  auto pdf = s.get(s.path("/export?format=pdf"));
  REQUIRE(pdf.status == 200);
  std::ofstream(dir.file("record.pdf"), std::ios::binary) << pdf.body;
  auto run = run_subprocess({pdftotext, "-enc", "UTF-8", dir.file("record.pdf"), dir.file("record.txt")}, {});
  REQUIRE(run.ok());
  REQUIRE(run->ok());
  const std::string text = squeeze(read_text(dir.file("record.txt")));
  INFO("pdftotext: " << text);
  CHECK(text.find(squeeze("Breakout: " + std::string(kComplementarity))) != std::string::npos);
  CHECK(text.find(squeeze("deleted words are struck through, inserted words underlined")) != std::string::npos);
  // The amended paragraph is printed once, as a change, not beside its original.
  size_t copies = 0;
  for (size_t at = text.find("Givelocalgovernments"); at != std::string::npos; at = text.find("Givelocalgovernments", at + 1)) {
    ++copies;
  }
  CHECK(copies == 2);  // R1 in the text, then its change in the annex

  auto docx = s.get(s.path("/export?format=docx"));
  REQUIRE(docx.status == 200);
  std::ofstream(dir.file("record.docx"), std::ios::binary) << docx.body;
  SubprocessOptions so;
  so.max_output = 4 << 20;
  auto xml = run_subprocess({unzip, "-p", dir.file("record.docx"), "word/document.xml"}, so);
  REQUIRE(xml.ok());
  REQUIRE(xml->ok());
  INFO("document.xml: " << xml->output.substr(0, 20000));
  CHECK(xml->output.find("Breakout: " + std::string(kComplementarity)) != std::string::npos);
  CHECK(xml->output.find("Breakout: complementarity") == std::string::npos);
  // A run struck through holds the deleted words, one underlined the inserted.
  static const std::regex struck(R"(<w:rPr>(?:(?!</w:rPr>).)*<w:strike ?/>(?:(?!</w:r>).)*Secure multi-year funding)");
  static const std::regex underlined(R"(<w:rPr>(?:(?!</w:rPr>).)*<w:u w:val="single" ?/>(?:(?!</w:r>).)*decisive)");
  CHECK(std::regex_search(xml->output, struck));
  CHECK(std::regex_search(xml->output, underlined));
}
