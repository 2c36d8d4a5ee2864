// The export formats on a hand-built ExportDocument with French and Arabic
// text: Markdown, CSV and JSON checked directly, HTML by the Nu HTML Checker,
// PDF by pdftotext, DOCX by unzipping it; a missing converter answers 501.
#include <catch2/catch.hpp>

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <regex>
#include <sstream>

#include "rapporteur/crypto.h"
#include "rapporteur/document_output.h"
#include "rapporteur/export.h"
#include "rapporteur/subprocess.h"
#include "test_server.h"

using namespace rapporteur;
using rapporteur::testing::require_file;
using rapporteur::testing::require_program;
using rapporteur::testing::TempDir;

namespace {

const char* const kArabicRec = "إنشاء حوار دائم بين المدن الوسيطة والوزارات الوطنية.";
const char* const kFrenchRec = "Créer un dialogue permanent entre les villes intermédiaires et les ministères.";
const char* const kThirdRec = "Financer directement les organisations de migrants « sans intermédiaire » | <script>alert(1)</script>";
// R3 as it reads once rendered (the raw HTML is dropped by the safe renderer).
const char* const kThirdRecVisible = "Financer directement les organisations de migrants « sans intermédiaire »";

Paragraph para(std::string pid, std::string section, std::string number, std::string kind, std::string md,
               std::string breakout = "") {
  Paragraph p;
  p.pid = std::move(pid);
  p.section = std::move(section);
  p.number = std::move(number);
  p.kind = parse_paragraph_kind(kind).value();
  p.markdown = std::move(md);
  p.source.kind = breakout.empty() ? SourceKind::preamble : SourceKind::fragment;
  p.source.breakout = std::move(breakout);
  p.source.fragment = p.source.breakout.empty() ? 0 : 1;
  p.source.version = p.source.breakout.empty() ? 0 : 2;
  return p;
}

ExportDocument sample(bool final_text) {
  ExportDocument d;
  d.session = "kisumu-2022-partnerships";
  d.title = "Partenariats multi-acteurs – villes intermédiaires africaines";
  d.date = "2022-05-19";
  d.place = "Kisumu, Kenya";
  d.timezone = "Africa/Nairobi";
  d.final = final_text;
  d.draft = 3;
  d.adopted_at = final_text ? "2022-05-19T12:29:10+03:00" : "";
  d.paragraphs = {
      para("p1", "preamble", "", "heading", "# Partenariats multi-acteurs – villes intermédiaires africaines"),
      para("p2", "preamble", "", "paragraph", "Kisumu, Kenya, 2022-05-19"),
      para("p3", "conclusions", "", "paragraph", "Les villes intermédiaires agissent en premier lorsque les personnes arrivent.", "complementarity"),
      para("p4", "recommendations", "R1", "list_item", kFrenchRec, "complementarity"),
      para("p5", "recommendations", "R2", "list_item", kArabicRec, "sustainability"),
      para("p6", "recommendations", "R3", "list_item", kThirdRec, "sustainability"),
  };
  d.breakouts = {{"complementarity", "Complémentarité des acteurs"}, {"sustainability", "Durabilité des partenariats"}};
  Document doc;
  doc.paragraphs = d.paragraphs;
  d.markdown = document_markdown(doc);
  d.sha256 = sha256_hex(d.markdown);

  ExportAmendment a1;
  a1.id = 1;
  a1.draft = 1;
  a1.target = "p5";
  a1.target_number = "R2";
  a1.kind = AmendmentKind::replace;
  a1.original = "إنشاء حوار بين المدن الوسيطة.";
  a1.text = kArabicRec;
  a1.proposer_role = "participant";
  a1.status = AmendmentStatus::adopted;
  a1.poll = 1;
  a1.outcome = "adopted";
  a1.method = Method::electronic;
  a1.counts = {2, 1, 1, 4, 30, 0};
  ExportAmendment a2;
  a2.id = 2;
  a2.draft = 2;
  a2.target = "p6";
  a2.target_number = "R3";
  a2.kind = AmendmentKind::del;
  a2.original = kThirdRec;
  a2.proposer_role = "rapporteur";
  a2.status = AmendmentStatus::rejected;
  a2.poll = 2;
  a2.outcome = "rejected";
  a2.method = Method::show_of_hands;
  a2.counts = {5, 20, 2, 27, 30, 0};
  ExportAmendment a3;
  a3.id = 3;
  a3.draft = 2;
  a3.target = "p3";
  a3.kind = AmendmentKind::insert_after;
  a3.original = "Les villes intermédiaires agissent en premier lorsque les personnes arrivent.";
  a3.text = "Les réseaux de villes partagent leurs données.";
  a3.proposer_role = "participant";
  a3.status = AmendmentStatus::ruled_out;
  d.amendments = {a1, a2, a3};

  ExportPoll p1;
  p1.id = 1;
  p1.subject_kind = PollSubject::amendment;
  p1.subject_id = 1;
  p1.subject = "Amendment 1 (R2)";
  p1.method = Method::electronic;
  p1.rule = Rule::simple;
  p1.state = PollState::closed;
  p1.opened_at = "2022-05-19T12:16:00+03:00";
  p1.closed_at = "2022-05-19T12:18:00+03:00";
  p1.has_counts = true;
  p1.counts = {2, 1, 1, 4, 30, 0};
  p1.outcome = "adopted";
  p1.ballots = {{"Élodie Durand", "yes"}, {"محمد علي", "no"}, {"=cmd|' /C calc'!A0", "yes"}, {"Smith, \"Jo\"", "abstain"}};
  ExportPoll p2 = p1;
  p2.id = 2;
  p2.subject_id = 2;
  p2.subject = "Amendment 2 (R3)";
  p2.method = Method::show_of_hands;
  p2.counts = {5, 20, 2, 27, 30, 0};
  p2.outcome = "rejected";
  p2.ballots.clear();
  ExportPoll p3 = p1;
  p3.id = 3;
  p3.subject_kind = PollSubject::adoption;
  p3.subject_id = 3;
  p3.subject = "Adoption of draft 3";
  p3.rule = Rule::two_thirds;
  p3.quorum = 20;
  p3.secret = true;
  p3.counts = {22, 4, 4, 30, 30, 0};
  p3.ballots.clear();
  p3.receipts = {"rcpt-aaa", "rcpt-bbb"};
  p3.closed_at = "2022-05-19T12:29:10+03:00";
  ExportPoll p4;
  p4.id = 4;
  p4.subject_kind = PollSubject::adoption;
  p4.subject_id = 3;
  p4.subject = "Adoption of draft 3";
  p4.method = Method::consensus;
  p4.rule = Rule::consensus;
  p4.state = PollState::pending;
  d.polls = {p1, p2, p3, p4};
  d.log_head = std::string(64, 'a');
  d.log_events = 42;
  return d;
}

std::vector<std::string> lines_of(const std::string& s) {
  std::vector<std::string> out;
  std::istringstream in(s);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

void write_file(const std::string& path, const std::string& content) {
  std::ofstream out(path, std::ios::binary);
  out << content;
}

std::string path_env() {
  const char* p = std::getenv("PATH");
  return p != nullptr ? p : "/usr/local/bin:/usr/bin:/bin";
}

// Text without white space and bidirectional controls (pdftotext wraps
// lines and marks right-to-left runs).
std::string squeeze(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f') continue;
    // U+200E/200F (E2 80 8E/8F), U+202A..202E (E2 80 AA..AE), U+2066..2069 (E2 81 A6..A9)
    if (c == 0xE2 && i + 2 < s.size()) {
      const unsigned char b = static_cast<unsigned char>(s[i + 1]), d = static_cast<unsigned char>(s[i + 2]);
      if ((b == 0x80 && (d == 0x8E || d == 0x8F || (d >= 0xAA && d <= 0xAE))) || (b == 0x81 && d >= 0xA6 && d <= 0xA9)) {
        i += 2;
        continue;
      }
    }
    out += static_cast<char>(c);
  }
  return out;
}

std::string xml_text(const std::string& xml) {
  std::string out;
  bool tag = false;
  for (char c : xml) {
    if (c == '<') tag = true;
    else if (c == '>') tag = false;
    else if (!tag) out += c;
  }
  for (auto [from, to] : std::vector<std::pair<std::string, std::string>>{
           {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&apos;", "'"}, {"&amp;", "&"}}) {
    for (size_t at = out.find(from); at != std::string::npos; at = out.find(from, at + to.size())) {
      out.replace(at, from.size(), to);
    }
  }
  return out;
}

}  // namespace

TEST_CASE("export formats: names, content types, file names", "[export]") {
  for (const char* name : {"md", "html", "pdf", "docx", "json", "csv"}) {
    auto f = parse_export_format(name);
    REQUIRE(f);
    CHECK(std::string(export_format_name(*f)) == name);
  }
  CHECK_FALSE(parse_export_format("MD"));
  CHECK_FALSE(parse_export_format("xlsx"));
  CHECK_FALSE(parse_export_format(""));
  CHECK(std::string(export_content_type(ExportFormat::pdf)) == "application/pdf");
  CHECK(std::string(export_content_type(ExportFormat::csv)).rfind("text/csv", 0) == 0);
  CHECK(export_filename(sample(true), ExportFormat::pdf) == "kisumu-2022-partnerships-final.pdf");
  CHECK(export_filename(sample(false), ExportFormat::md) == "kisumu-2022-partnerships-draft-3.md");
}

// tests/data/export/: the exports of the sample document. Rewrite them with
// RAPPORTEUR_UPDATE_GOLDEN=1 after an intended change, and review the diff.
TEST_CASE("export: golden files", "[export]") {
  const char* update_env = std::getenv("RAPPORTEUR_UPDATE_GOLDEN");
  const bool update = update_env != nullptr && std::string(update_env) == "1";
  const std::string dir = std::string(RAPPORTEUR_SOURCE_DIR) + "/tests/data/export/";
  const std::vector<std::pair<std::string, std::string>> files = {
      {"final.md", export_markdown(sample(true))},
      {"draft.md", export_markdown(sample(false))},
      {"final.csv", export_csv(sample(true))},
      {"final.json", *render_export(sample(true), ExportFormat::json)},
      {"draft.html", export_html(sample(false))},
  };
  for (const auto& [name, content] : files) {
    if (update) {
      std::filesystem::create_directories(dir);
      write_file(dir + name, content);
      WARN("rewrote " << dir << name << ": review it before committing");
    } else {
      INFO(name);
      CHECK(content == testing::read_text(dir + name));
    }
  }
}

TEST_CASE("export md: header, verbatim final text, annex", "[export]") {
  const ExportDocument d = sample(true);
  const std::string md = export_markdown(d);
  CHECK(md.find("DRAFT") == std::string::npos);
  CHECK(md.find("- **Session:** Partenariats multi-acteurs – villes intermédiaires africaines\n") != std::string::npos);
  CHECK(md.find("- **Date:** 2022-05-19\n") != std::string::npos);
  CHECK(md.find("- **Place:** Kisumu, Kenya\n") != std::string::npos);
  CHECK(md.find("- **Adopted at:** 2022-05-19T12:29:10+03:00 (draft 3)\n") != std::string::npos);
  CHECK(md.find("- **SHA-256 of the final text:** `" + d.sha256 + "`") != std::string::npos);
  // The final text verbatim: it still hashes to the SHA-256 shown.
  CHECK(md.find(d.markdown) != std::string::npos);
  CHECK(md.find("**R2** " + std::string(kArabicRec)) != std::string::npos);
  // The amendments table: number, paragraph, the change as a word diff, role, outcome with counts.
  CHECK(md.find("| No. | Paragraph | Change | Text of the amendment | Proposed by | Outcome |") != std::string::npos);
  CHECK(md.find("| 1 | R2 (p5) | replace | إنشاء حوار <ins>دائم</ins> بين المدن الوسيطة <ins>والوزارات الوطنية</ins>. | "
                "participant | adopted: poll 1, 2 yes, 1 no, 1 abstain (4 cast of 30) |") != std::string::npos);
  // A pipe inside a cell is escaped; the row keeps its six cells; raw HTML is not part of the words.
  CHECK(md.find("| 2 | R3 (p6) | delete | <del>Financer directement les organisations de migrants « sans intermédiaire » \\| alert(1)</del> | "
                "rapporteur | rejected: poll 2, 5 yes, 20 no, 2 abstain (27 cast of 30) |") != std::string::npos);
  CHECK(md.find("| 3 | p3 | insert after |") != std::string::npos);
  CHECK(md.find("| participant | ruled out |") != std::string::npos);
  // Every poll: subject, method, rule, counts, outcome.
  CHECK(md.find("| 1 | Amendment 1 (R2) | electronic vote | simple majority | none | 2 yes, 1 no, 1 abstain (4 cast of 30) | adopted |") !=
        std::string::npos);
  CHECK(md.find("| 2 | Amendment 2 (R3) | show of hands | simple majority |") != std::string::npos);
  CHECK(md.find("| 3 | Adoption of draft 3 | electronic vote (secret) | two-thirds majority | 20 | 22 yes, 4 no, 4 abstain (30 cast of 30) | adopted |") !=
        std::string::npos);
  CHECK(md.find("| 4 | Adoption of draft 3 | consensus | consensus | none | not counted yet | pending |") != std::string::npos);
}

TEST_CASE("export md: a draft says DRAFT at the top and in every section heading", "[export]") {
  const ExportDocument d = sample(false);
  const std::string md = export_markdown(d);
  REQUIRE_FALSE(md.empty());
  CHECK(lines_of(md).front() == "> **DRAFT 3 — NOT ADOPTED.** This text may still change; only the adopted text is final.");
  int headings = 0;
  for (const std::string& line : lines_of(md)) {
    if (line.rfind("## ", 0) == 0) {
      ++headings;
      CHECK(line.find("DRAFT") != std::string::npos);
    }
  }
  CHECK(headings == 4);  // Conclusions, Recommendations, two annexes
  CHECK(md.find("## DRAFT — Recommendations") != std::string::npos);
  CHECK(md.find("Adopted at") == std::string::npos);
  // Every recommendation is there, numbered.
  CHECK(md.find("1. **R1** " + std::string(kFrenchRec)) != std::string::npos);
  CHECK(md.find("2. **R2** " + std::string(kArabicRec)) != std::string::npos);
  CHECK(md.find("3. **R3** " + std::string(kThirdRec)) != std::string::npos);
}

TEST_CASE("export csv: the voting record, RFC 4180", "[export]") {
  const std::string csv = export_csv(sample(true));
  // CRLF only.
  for (size_t i = 0; i < csv.size(); ++i) {
    if (csv[i] == '\n') REQUIRE((i > 0 && csv[i - 1] == '\r'));
  }
  REQUIRE(csv.size() >= 2);
  CHECK(csv.substr(csv.size() - 2) == "\r\n");
  std::vector<std::string> rows;
  for (size_t at = 0; at < csv.size();) {
    const size_t end = csv.find("\r\n", at);
    rows.push_back(csv.substr(at, end - at));
    at = end + 2;
  }
  REQUIRE(rows.size() == 1 + 4 + 3);  // header, four ballots of poll 1, one row each for polls 2-4
  CHECK(rows[0] ==
        "poll,subject_kind,subject_id,subject,method,rule,quorum,secret,state,closed_at,outcome,yes,no,abstain,cast,"
        "eligible,objections,voter,choice");
  CHECK(rows[1] ==
        "1,amendment,1,Amendment 1 (R2),electronic,simple,,no,closed,2022-05-19T12:18:00+03:00,adopted,2,1,1,4,30,,"
        "Élodie Durand,yes");
  CHECK(rows[2].substr(rows[2].size() - std::string("محمد علي,no").size()) == "محمد علي,no");
  // A name that a spreadsheet would run as a formula is defused; quotes doubled, commas quoted.
  CHECK(rows[3].find(",'=cmd|' /C calc'!A0,yes") != std::string::npos);
  CHECK(rows[4].find(",\"Smith, \"\"Jo\"\"\",abstain") != std::string::npos);
  CHECK(rows[5] ==
        "2,amendment,2,Amendment 2 (R3),show_of_hands,simple,,no,closed,2022-05-19T12:18:00+03:00,rejected,5,20,2,27,"
        "30,,,");
  CHECK(rows[6] ==
        "3,adoption,3,Adoption of draft 3,electronic,two_thirds,20,yes,closed,2022-05-19T12:29:10+03:00,adopted,22,4,4,"
        "30,30,,,");
  CHECK(rows[7] == "4,adoption,3,Adoption of draft 3,consensus,consensus,,no,pending,,,,,,,,,,");
}

TEST_CASE("export json: enough to re-verify the adoption", "[export]") {
  const ExportDocument d = sample(true);
  auto bytes = render_export(d, ExportFormat::json);
  REQUIRE(bytes.ok());
  const auto j = nlohmann::json::parse(*bytes);
  CHECK(j["format"] == "rapporteur-export");
  CHECK(j["status"] == "final");
  CHECK(j["draft"] == 3);
  CHECK(j["adopted_at"] == "2022-05-19T12:29:10+03:00");
  CHECK(j["session"]["title"] == d.title);
  // A third party recomputes the hash of the text.
  CHECK(j["text"]["sha256"] == sha256_hex(j["text"]["markdown"].get<std::string>()));
  CHECK(j["text"]["markdown"] == d.markdown);
  REQUIRE(j["paragraphs"].size() == 6);
  CHECK(j["paragraphs"][4]["pid"] == "p5");
  CHECK(j["paragraphs"][4]["number"] == "R2");
  CHECK(j["paragraphs"][4]["markdown"] == kArabicRec);
  CHECK(j["paragraphs"][4]["source"] == nlohmann::json{{"kind", "fragment"}, {"breakout", "sustainability"}, {"fragment", 1}, {"version", 2}});
  REQUIRE(j["amendments"].size() == 3);
  CHECK(j["amendments"][0]["target_number"] == "R2");
  CHECK(j["amendments"][0]["counts"]["yes"] == 2);
  CHECK(j["amendments"][1]["text"].is_null());
  CHECK(j["amendments"][2]["poll"].is_null());
  REQUIRE(j["polls"].size() == 4);
  CHECK(j["polls"][0]["ballots"].size() == 4);
  CHECK(j["polls"][0]["ballots"][1] == nlohmann::json{{"person", "محمد علي"}, {"choice", "no"}});
  CHECK_FALSE(j["polls"][0].contains("receipts"));
  CHECK(j["polls"][1]["counts"] == nlohmann::json{{"yes", 5}, {"no", 20}, {"abstain", 2}, {"cast", 27}, {"eligible", 30}});
  CHECK_FALSE(j["polls"][1].contains("ballots"));
  CHECK(j["polls"][2]["receipts"] == nlohmann::json::array({"rcpt-aaa", "rcpt-bbb"}));
  CHECK_FALSE(j["polls"][2].contains("ballots"));
  CHECK(j["polls"][3]["counts"].is_null());
  CHECK(j["log"] == nlohmann::json{{"head", std::string(64, 'a')}, {"events", 42}});
}

TEST_CASE("export html: standalone, escaped, right-to-left aware, DRAFT watermark", "[export]") {
  const std::string final_html = export_html(sample(true));
  const std::string draft_html = export_html(sample(false));
  for (const std::string* h : {&final_html, &draft_html}) {
    CHECK(h->rfind("<!DOCTYPE html>\n<html lang=\"en\">", 0) == 0);
    CHECK(h->find("<script") == std::string::npos);  // the paragraph's raw HTML was dropped
    CHECK(h->find("&lt;script&gt;") == std::string::npos);
    CHECK(h->find("Content-Security-Policy") != std::string::npos);
    CHECK(h->find(" src=") == std::string::npos);
    CHECK(h->find("<link") == std::string::npos);
    CHECK(h->find("@page") != std::string::npos);
    CHECK(h->find("counter(page)") != std::string::npos);
    CHECK(h->find("tr { break-inside: avoid; }") != std::string::npos);
    CHECK(h->find("thead { display: table-header-group; }") != std::string::npos);
    CHECK(h->find("<div class=\"rec-text\" dir=\"auto\">\n<p>" + std::string(kArabicRec) + "</p>") != std::string::npos);
    CHECK(h->find("<p class=\"rec-num\">R3</p>") != std::string::npos);
    CHECK(h->find("<td class=\"diff\" dir=\"auto\">إنشاء حوار <ins>دائم </ins>بين المدن الوسيطة<ins> والوزارات الوطنية</ins>.</td>") !=
          std::string::npos);
    CHECK(h->find("Élodie") == std::string::npos);  // ballots are in json and csv, not in the text
  }
  CHECK(final_html.find("watermark\"") == std::string::npos);
  CHECK(final_html.find("DRAFT") == std::string::npos);
  CHECK(draft_html.find("<div class=\"watermark\" aria-hidden=\"true\">DRAFT</div>") != std::string::npos);
  CHECK(draft_html.find("<body class=\"draft\">") != std::string::npos);
  // Every section heading of a draft says DRAFT.
  static const std::regex h2(R"(<h2[^>]*>(.*?)</h2>)");
  int headings = 0;
  for (auto it = std::sregex_iterator(draft_html.begin(), draft_html.end(), h2); it != std::sregex_iterator(); ++it) {
    ++headings;
    CHECK((*it)[1].str().find("DRAFT") != std::string::npos);
  }
  CHECK(headings == 4);
  // Non-paragraph text is escaped.
  ExportDocument evil = sample(true);
  evil.title = "<img src=x onerror=alert(1)> & \"quotes\"";
  evil.amendments[0].proposer_role = "<b>role</b>";
  const std::string h = export_html(evil);
  CHECK(h.find("<img") == std::string::npos);
  CHECK(h.find("&lt;img src=x onerror=alert(1)&gt; &amp; &quot;quotes&quot;") != std::string::npos);
  CHECK(h.find("&lt;b&gt;role&lt;/b&gt;") != std::string::npos);
}

TEST_CASE("export: sources name each breakout by its title, in every format", "[export]") {
  for (const bool final_text : {true, false}) {
    const ExportDocument d = sample(final_text);
    INFO((final_text ? "final" : "draft"));
    const std::string html = export_html(d);
    CHECK(html.find("<p class=\"source\" dir=\"auto\">Breakout: Complémentarité des acteurs</p>") != std::string::npos);
    CHECK(html.find("<p class=\"source\" dir=\"auto\">Breakout: Durabilité des partenariats</p>") != std::string::npos);
    CHECK(html.find("Breakout: sustainability") == std::string::npos);
    const auto j = nlohmann::json::parse(*render_export(d, ExportFormat::json));
    CHECK(j["session"]["breakouts"] ==
          nlohmann::json::parse(R"([{"id": "complementarity", "title": "Complémentarité des acteurs"},
                                    {"id": "sustainability", "title": "Durabilité des partenariats"}])"));
  }
  // A draft's Markdown names them by title.
  const std::string draft_md = export_markdown(sample(false));
  CHECK(draft_md.find("1. **R1** " + std::string(kFrenchRec) + " *(Breakout: Complémentarité des acteurs)*") !=
        std::string::npos);
  CHECK(draft_md.find("Breakout: sustainability") == std::string::npos);
  // The final text stays verbatim (it is what was hashed), so the header says
  // which breakout each id in it is.
  const ExportDocument f = sample(true);
  const std::string final_md = export_markdown(f);
  CHECK(final_md.find(f.markdown) != std::string::npos);
  CHECK(final_md.find("- **Breakouts:** `complementarity`: Complémentarité des acteurs; `sustainability`: Durabilité des "
                      "partenariats\n") != std::string::npos);
  // A breakout the session does not list keeps its id.
  ExportDocument unknown = sample(false);
  unknown.breakouts.pop_back();
  CHECK(export_html(unknown).find("<p class=\"source\" dir=\"auto\">Breakout: sustainability</p>") != std::string::npos);
}

TEST_CASE("export: the amendments annex shows each change as a word diff, struck and underlined", "[export]") {
  ExportDocument d = sample(false);
  d.amendments[0].target = "p4";
  d.amendments[0].target_number = "R1";
  d.amendments[0].original = "Créer un dialogue entre les villes et les **ministères**.";
  d.amendments[0].text = "Créer un dialogue permanent entre les villes intermédiaires et les **ministères**.";
  const std::string html = export_html(d);
  // One column holds the change; the original and the amended paragraph are no longer printed side by side.
  CHECK(html.find("<th scope=\"col\">Original text</th>") == std::string::npos);
  CHECK(html.find("<th scope=\"col\">Text of the amendment</th>") != std::string::npos);
  CHECK(html.find("deleted words are <del>struck through</del>, inserted words <ins>underlined</ins>") != std::string::npos);
  static const std::regex change(
      R"(<td class="diff" dir="auto">Créer un dialogue ?<ins> ?permanent ?</ins> ?entre les villes ?<ins> ?intermédiaires ?</ins> ?et les ministères\.</td>)");
  CHECK(std::regex_search(html, change));
  CHECK(html.find("<td class=\"diff\" dir=\"auto\"><del>Financer directement les organisations de migrants « sans "
                  "intermédiaire » | alert(1)</del></td>") != std::string::npos);
  CHECK(html.find("<td class=\"diff\" dir=\"auto\"><ins>Les réseaux de villes partagent leurs données.</ins></td>") !=
        std::string::npos);
  CHECK(html.find("del { text-decoration: line-through;") != std::string::npos);
  CHECK(html.find("ins { text-decoration: underline;") != std::string::npos);
  const std::string md = export_markdown(d);
  CHECK(md.find("| 1 | R1 (p4) | replace | Créer un dialogue <ins>permanent</ins> entre les villes <ins>intermédiaires</ins> "
                "et les ministères. |") != std::string::npos);
  CHECK(md.find("| 3 | p3 | insert after | <ins>Les réseaux de villes partagent leurs données.</ins> |") != std::string::npos);
}

TEST_CASE("export html passes the Nu HTML Checker", "[export][vnu]") {
  const std::string java = require_program("java", "default-jre-headless");
  const std::string jar = require_file(std::string(RAPPORTEUR_SOURCE_DIR) + "/tests/browser/node_modules/vnu-jar/build/dist/vnu.jar",
                                       "npm package vnu-jar: ./run.sh test installs it");
  TempDir dir;
  write_file(dir.file("final.html"), export_html(sample(true)));
  write_file(dir.file("draft.html"), export_html(sample(false)));
  ExportDocument empty = sample(false);
  empty.paragraphs.clear();
  empty.amendments.clear();
  empty.polls.clear();
  write_file(dir.file("empty.html"), export_html(empty));
  SubprocessOptions so;
  so.timeout_ms = 120'000;
  auto run = run_subprocess({java, "-jar", jar, "--errors-only", dir.file("final.html"), dir.file("draft.html"),
                             dir.file("empty.html")},
                            so);
  REQUIRE(run.ok());
  INFO(run->output);
  CHECK_FALSE(run->timed_out);
  CHECK(run->exit_code == 0);
  CHECK(run->output.find("error") == std::string::npos);
}

TEST_CASE("export pdf: chromium prints every recommendation, DRAFT on every page (slow)", "[export][pdf]") {
  const auto pdftotext = find_program("pdftotext", path_env());
  REQUIRE(pdftotext);  // poppler-utils, in run.sh's test packages
  ConverterOptions options;
  options.use_cache = false;
  auto pdf = export_pdf(sample(false), options);
  REQUIRE(pdf.ok());
  CHECK(pdf->rfind("%PDF-", 0) == 0);
  TempDir dir;
  write_file(dir.file("draft.pdf"), *pdf);
  auto run = run_subprocess({*pdftotext, "-enc", "UTF-8", dir.file("draft.pdf"), dir.file("draft.txt")}, {});
  REQUIRE(run.ok());
  REQUIRE(run->ok());
  const std::string text = testing::read_text(dir.file("draft.txt"));
  const std::string flat = squeeze(text);
  INFO("pdftotext: " << text);
  for (const char* number : {"R1", "R2", "R3"}) CHECK(flat.find(number) != std::string::npos);
  CHECK(flat.find(squeeze(kFrenchRec)) != std::string::npos);
  // pdftotext gives the right-to-left run in logical order, but the final
  // full stop, a neutral at the run's visual end, comes first.
  std::string arabic = kArabicRec;
  arabic.pop_back();
  CHECK(flat.find(squeeze(arabic)) != std::string::npos);
  CHECK(flat.find(squeeze(kThirdRecVisible)) != std::string::npos);
  CHECK(flat.find(squeeze("Partenariats multi-acteurs – villes intermédiaires africaines")) != std::string::npos);
  // Sources by breakout title; the annex prints changes, not both paragraphs.
  CHECK(flat.find(squeeze("Breakout: Durabilité des partenariats")) != std::string::npos);
  CHECK(flat.find("Breakout:sustainability") == std::string::npos);
  CHECK(flat.find(squeeze("deleted words are struck through, inserted words underlined")) != std::string::npos);
  CHECK(flat.find("Originaltext") == std::string::npos);
  // pdftotext ends every page with a form feed; each page says DRAFT in its top margin and is numbered.
  size_t pages = 0;
  size_t start = 0;
  for (size_t ff = text.find('\f'); ff != std::string::npos; ff = text.find('\f', start)) {
    const std::string page = text.substr(start, ff - start);
    ++pages;
    CHECK(page.find("DRAFT - not adopted") != std::string::npos);
    CHECK(page.find("Page " + std::to_string(pages) + " of ") != std::string::npos);
    start = ff + 1;
  }
  CHECK(pages >= 1);
}

TEST_CASE("export docx: pandoc keeps every recommendation, fetches no image (slow)", "[export][docx]") {
  const auto unzip = find_program("unzip", path_env());
  REQUIRE(unzip);  // in run.sh's test packages
  ExportDocument d = sample(true);
  // Pandoc would embed local files and fetch URLs given as images.
  d.amendments[2].text = "![secret](/etc/hostname) ![remote](http://192.0.2.1/x.png) Les réseaux.";
  ConverterOptions options;
  options.use_cache = false;
  auto docx = export_docx(d, options);
  REQUIRE(docx.ok());
  CHECK(docx->rfind("PK", 0) == 0);
  TempDir dir;
  write_file(dir.file("final.docx"), *docx);
  auto listing = run_subprocess({*unzip, "-l", dir.file("final.docx")}, {});
  REQUIRE(listing.ok());
  CHECK(listing->output.find("word/media") == std::string::npos);
  SubprocessOptions so;
  so.max_output = 4 << 20;
  auto xml = run_subprocess({*unzip, "-p", dir.file("final.docx"), "word/document.xml"}, so);
  REQUIRE(xml.ok());
  REQUIRE(xml->ok());
  const std::string text = xml_text(xml->output);
  for (const char* number : {"R1", "R2", "R3"}) CHECK(text.find(number) != std::string::npos);
  CHECK(text.find(kFrenchRec) != std::string::npos);
  CHECK(text.find(kArabicRec) != std::string::npos);
  CHECK(text.find(kThirdRecVisible) != std::string::npos);
  CHECK(text.find(d.sha256) != std::string::npos);
  CHECK(text.find("Annex 1: Amendments") != std::string::npos);
  CHECK(text.find("secret") != std::string::npos);  // the image's description stays
  // The text's attributions name breakouts by title.
  CHECK(text.find("Breakout: Complémentarité des acteurs") != std::string::npos);
  CHECK(text.find("Breakout: sustainability") == std::string::npos);
  // The annex: deleted words in a struck run, inserted words in an underlined one.
  static const std::regex struck(R"(<w:rPr>(?:(?!</w:rPr>).)*<w:strike ?/>(?:(?!</w:r>).)*Financer directement)");
  static const std::regex underlined(R"(<w:rPr>(?:(?!</w:rPr>).)*<w:u w:val="single" ?/>(?:(?!</w:r>).)*دائم)");
  CHECK(std::regex_search(xml->output, struck));
  CHECK(std::regex_search(xml->output, underlined));
}

TEST_CASE("export: a missing converter answers 501 naming the Debian package", "[export]") {
  TempDir empty;
  ConverterOptions options;
  options.search_path = empty.path().string();
  auto pdf = export_pdf(sample(true), options);
  REQUIRE_FALSE(pdf.ok());
  CHECK(pdf.status().code() == Code::not_implemented);
  CHECK(pdf.status().message().find("install the Debian package \"chromium\"") != std::string::npos);
  auto docx = render_export(sample(true), ExportFormat::docx, options);
  REQUIRE_FALSE(docx.ok());
  CHECK(docx.status().code() == Code::not_implemented);
  CHECK(docx.status().message().find("\"pandoc\"") != std::string::npos);
  // The in-process formats need nothing.
  for (auto f : {ExportFormat::md, ExportFormat::html, ExportFormat::json, ExportFormat::csv}) {
    CHECK(render_export(sample(true), f, options).ok());
  }
}

TEST_CASE("find_program searches absolute PATH entries only", "[export]") {
  TempDir dir;
  const std::string tool = dir.file("tool");
  write_file(tool, "#!/bin/sh\nexit 0\n");
  CHECK_FALSE(find_program("tool", dir.path().string()));  // not executable yet
  std::filesystem::permissions(tool, std::filesystem::perms::owner_all);
  CHECK(find_program("tool", dir.path().string()) == tool);
  CHECK(find_program("tool", "::relative/bin:" + dir.path().string()) == tool);
  CHECK_FALSE(find_program("tool", ""));
  CHECK_FALSE(find_program("../tool", dir.path().string()));
  CHECK(find_program("sh", "/nonexistent:/bin:/usr/bin").has_value());
}

TEST_CASE("run_subprocess: argv, exit code, output, timeout kills the group", "[export][subprocess]") {
  auto r = run_subprocess({"/bin/sh", "-c", "echo out; echo err >&2; exit 3", "ignored"}, {});
  REQUIRE(r.ok());
  CHECK(r->exit_code == 3);
  CHECK_FALSE(r->ok());
  CHECK(r->output == "out\nerr\n");
  // Arguments are never interpreted by a shell.
  auto e = run_subprocess({"/bin/echo", "a; rm -rf /tmp/nothing", "$(id)"}, {});
  REQUIRE(e.ok());
  CHECK(e->output == "a; rm -rf /tmp/nothing $(id)\n");
  CHECK(e->ok());
  // The environment is exactly the one given.
  SubprocessOptions env;
  env.env = {"ONLY=this"};
  auto v = run_subprocess({"/usr/bin/env"}, env);
  REQUIRE(v.ok());
  CHECK(v->output == "ONLY=this\n");
  SubprocessOptions in_root;
  in_root.cwd = "/";
  auto w = run_subprocess({"/bin/pwd"}, in_root);
  REQUIRE(w.ok());
  CHECK(w->output == "/\n");
  // A program that outlives its timeout is killed with what it started.
  SubprocessOptions quick;
  quick.timeout_ms = 300;
  const auto t0 = std::chrono::steady_clock::now();
  auto slow = run_subprocess({"/bin/sh", "-c", "sleep 30 & sleep 30; wait"}, quick);
  const auto elapsed = std::chrono::steady_clock::now() - t0;
  REQUIRE(slow.ok());
  CHECK(slow->timed_out);
  CHECK(slow->signal == SIGKILL);
  CHECK(elapsed < std::chrono::seconds(10));
  CHECK_FALSE(run_subprocess({"relative/program"}, {}).ok());
  CHECK_FALSE(run_subprocess({"/nonexistent/program"}, {}).ok());
}

TEST_CASE("export: converter faults, a clean environment, the temporary folder removed, the cache", "[export]") {
  TempDir bin, tmp;
  // Small fakes of chromium, one folder each, found through the search path.
  auto fake = [&](const std::string& name, const std::string& body) {
    std::filesystem::create_directories(bin.file(name));
    const std::string path = bin.file(name) + "/chromium";
    write_file(path,
               "#!/bin/sh\n"
               "for a in \"$@\"; do case \"$a\" in --print-to-pdf=*) out=\"${a#--print-to-pdf=}\";; esac; done\n" +
                   body);
    std::filesystem::permissions(path, std::filesystem::perms::owner_all);
    ConverterOptions o;
    o.search_path = bin.file(name);
    o.temp_root = tmp.path().string();
    o.use_cache = false;
    return o;
  };
  auto temp_left = [&] { return std::distance(std::filesystem::directory_iterator(tmp.path()), {}); };
  ExportDocument d = sample(true);
  d.title = "converter faults " + random_token(8);  // an input no other test converts

  ::setenv("RAPPORTEUR_EXPORT_TEST_SECRET", "do-not-leak", 1);
  auto ok = export_pdf(d, fake("ok", "{ printf '%%PDF-1.4 fake\\n'; /usr/bin/env; pwd; } > \"$out\"\n"));
  ::unsetenv("RAPPORTEUR_EXPORT_TEST_SECRET");
  REQUIRE(ok.ok());
  INFO(*ok);
  CHECK(ok->rfind("%PDF-1.4 fake\n", 0) == 0);
  CHECK(ok->find("do-not-leak") == std::string::npos);
  CHECK(ok->find("HOME=" + tmp.path().string() + "/rapporteur-export-") != std::string::npos);
  CHECK(ok->find("\n" + tmp.path().string() + "/rapporteur-export-") != std::string::npos);  // its working folder
  CHECK(temp_left() == 0);

  auto failed = export_pdf(d, fake("fail", "echo boom >&2\nexit 4\n"));
  REQUIRE_FALSE(failed.ok());
  CHECK(failed.status().code() == Code::converter_failed);
  CHECK(failed.status().message().find("exited with 4") != std::string::npos);
  CHECK(failed.status().message().find("boom") == std::string::npos);  // its output is logged, not sent

  auto nothing = export_pdf(d, fake("nothing", "exit 0\n"));
  REQUIRE_FALSE(nothing.ok());
  CHECK(nothing.status().code() == Code::converter_failed);
  CHECK(nothing.status().message().find("wrote no pdf file") != std::string::npos);

  ConverterOptions slow = fake("slow", "/bin/sleep 20\n");
  slow.timeout_ms = 300;
  auto timed_out = export_pdf(d, slow);
  REQUIRE_FALSE(timed_out.ok());
  INFO(timed_out.status().message());
  CHECK(timed_out.status().code() == Code::converter_timeout);
  CHECK(timed_out.status().message().find("did not finish") != std::string::npos);
  CHECK(temp_left() == 0);

  // The same input is converted once; later requests come from the cache.
  const std::string counter = tmp.file("runs");
  ConverterOptions cached = fake("counted", "echo run >> '" + counter + "'\nprintf '%%PDF-1.4\\n' > \"$out\"\n");
  cached.use_cache = true;
  REQUIRE(export_pdf(d, cached).ok());
  REQUIRE(export_pdf(d, cached).ok());
  CHECK(testing::read_text(counter) == "run\n");
}
