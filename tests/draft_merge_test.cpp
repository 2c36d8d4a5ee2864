#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "rapporteur/document_output.h"
#include "rapporteur/draft_merge.h"
#include "rapporteur/drafts.h"
#include "rapporteur/duplicates.h"
#include "rapporteur/markdown.h"
#include "rapporteur/text.h"

using namespace rapporteur;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

const fs::path kMergeData = fs::path(RAPPORTEUR_SOURCE_DIR) / "tests" / "data" / "merge";

std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  std::ostringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

void spit(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
}

json source_json(const Source& s) {
  json j = {{"kind", s.kind}, {"breakout", s.breakout}, {"fragment", s.fragment}, {"version", s.version}};
  if (s.kind == SourceKind::amendment) j["amendment"] = s.amendment;
  if (s.kind == SourceKind::edit) j["draft"] = s.draft;
  return j;
}

json document_json(const Document& doc) {
  json paragraphs = json::array();
  for (const Paragraph& p : doc.paragraphs) {
    paragraphs.push_back({{"pid", p.pid},
                          {"section", p.section},
                          {"number", p.number.empty() ? json(nullptr) : json(p.number)},
                          {"kind", p.kind},
                          {"markdown", p.markdown},
                          {"source", source_json(p.source)}});
  }
  json duplicates = json::array();
  for (const Duplicate& d : find_duplicates(doc)) duplicates.push_back({{"a", d.a}, {"b", d.b}, {"score", d.score}});
  return {{"paragraphs", paragraphs}, {"duplicates", duplicates}};
}

struct MergeCase {
  MergeHeader header;
  std::vector<FragmentInput> fragments;
};

MergeCase load_case(const fs::path& dir) {
  const json input = json::parse(slurp(dir / "input.json"));
  MergeCase c;
  c.header.title = input["header"].value("title", "");
  c.header.date = input["header"].value("date", "");
  c.header.place = input["header"].value("place", "");
  for (const json& f : input["fragments"]) {
    FragmentInput in;
    in.breakout = f.value("breakout", "");
    in.breakout_title = f.value("breakout_title", "");
    in.fragment = f.value("fragment", int64_t{0});
    in.version = f.value("version", 0);
    in.title = f.value("title", "");
    in.body = slurp(dir / f.at("file").get<std::string>());
    c.fragments.push_back(std::move(in));
  }
  return c;
}

size_t count_numbered(const Document& doc) {
  size_t n = 0;
  for (const Paragraph& p : doc.paragraphs) n += p.number.empty() ? 0 : 1;
  return n;
}

Paragraph para(std::string pid, std::string section, std::string kind, std::string markdown,
               std::string breakout = "complementarity") {
  Paragraph p;
  p.pid = std::move(pid);
  p.section = std::move(section);
  p.kind = parse_paragraph_kind(kind).value();
  p.markdown = std::move(markdown);
  p.source.kind = SourceKind::fragment;
  p.source.breakout = std::move(breakout);
  p.source.fragment = 1;
  p.source.version = 1;
  return p;
}

Document merged(const std::string& body, const std::string& breakout = "complementarity") {
  FragmentInput f;
  f.breakout = breakout;
  f.fragment = 1;
  f.version = 1;
  f.body = body;
  return merge_fragments(MergeHeader{}, {f});
}

std::vector<std::string> pids_of(const Document& doc) {
  std::vector<std::string> out;
  for (const Paragraph& p : doc.paragraphs) out.push_back(p.pid);
  return out;
}

const Paragraph* find_text(const Document& doc, const std::string& needle) {
  for (const Paragraph& p : doc.paragraphs) {
    if (p.markdown.find(needle) != std::string::npos) return &p;
  }
  return nullptr;
}

}  // namespace

TEST_CASE("merge: golden files", "[merge]") {
  const char* update_env = std::getenv("RAPPORTEUR_UPDATE_GOLDEN");
  const bool update = update_env != nullptr && std::string(update_env) == "1";
  std::vector<fs::path> cases;
  for (const auto& entry : fs::directory_iterator(kMergeData)) {
    if (entry.is_directory()) cases.push_back(entry.path());
  }
  std::sort(cases.begin(), cases.end());
  REQUIRE(cases.size() >= 8);

  for (const fs::path& dir : cases) {
    DYNAMIC_SECTION("case " << dir.filename().string()) {
      const MergeCase c = load_case(dir);
      Document doc = merge_fragments(c.header, c.fragments);
      int seq = 1;
      assign_pids(doc, nullptr, seq);
      const std::string markdown = document_markdown(doc);
      const json actual = document_json(doc);

      if (update) {
        spit(dir / "expected.md", markdown);
        spit(dir / "expected.json", actual.dump(2) + "\n");
        WARN("rewrote golden files of " << dir.filename().string() << ": review them before committing");
      } else {
        CHECK(markdown == slurp(dir / "expected.md"));
        CHECK(actual.dump(2) == json::parse(slurp(dir / "expected.json")).dump(2));
      }

      // Invariants that hold for every case.
      std::set<std::string> pids;
      for (const Paragraph& p : doc.paragraphs) {
        CHECK(pids.insert(p.pid).second);
        CHECK(valid_utf8(p.markdown));
        CHECK(markdown_is_closed(p.markdown));
        CHECK_FALSE(p.markdown.empty());
      }
      CHECK(static_cast<int>(doc.paragraphs.size()) + 1 == seq);
      // The document's own Markdown, merged again, has the same recommendations.
      FragmentInput again;
      again.breakout = "x";
      again.body = markdown;
      const Document round = merge_fragments(MergeHeader{}, {again});
      CHECK(count_numbered(round) == count_numbered(doc));
      // Merging is deterministic, and a second draft of the same fragments keeps every pid.
      Document second = merge_fragments(c.header, c.fragments);
      assign_pids(second, &doc, seq);
      CHECK(pids_of(second) == pids_of(doc));
    }
  }
}

TEST_CASE("merge: sections, kinds and sources", "[merge]") {
  MergeHeader header{"Session title", "2022-05-19", "Kisumu, Kenya"};
  FragmentInput a{"complementarity", "Complementarity", 11, 3, "A", "Intro.\n\n## Recommendations\n\n- One\n- Two\n"};
  FragmentInput b{"sustainability", "Sustainability", 12, 5, "B", "## Recommandations\n\nThree as a paragraph.\n"};
  const Document doc = merge_fragments(header, {a, b});
  REQUIRE(doc.paragraphs.size() == 6);
  CHECK(doc.paragraphs[0].markdown == "# Session title");
  CHECK(doc.paragraphs[0].section == "preamble");
  CHECK(doc.paragraphs[0].source.kind == SourceKind::preamble);
  CHECK(doc.paragraphs[1].markdown == "Kisumu, Kenya, 2022-05-19");
  CHECK(doc.paragraphs[2].section == "conclusions");
  CHECK(doc.paragraphs[2].markdown == "Intro.");
  CHECK(doc.paragraphs[3].number == "R1");
  CHECK(doc.paragraphs[3].kind == ParagraphKind::list_item);
  CHECK(doc.paragraphs[3].source.breakout == "complementarity");
  CHECK(doc.paragraphs[3].source.fragment == 11);
  CHECK(doc.paragraphs[3].source.version == 3);
  CHECK(doc.paragraphs[4].number == "R2");
  CHECK(doc.paragraphs[5].number == "R3");
  CHECK(doc.paragraphs[5].kind == ParagraphKind::paragraph);
  CHECK(doc.paragraphs[5].source.breakout == "sustainability");
  for (const Paragraph& p : doc.paragraphs) CHECK(p.pid.empty());
}

TEST_CASE("merge: heading recognition", "[merge]") {
  auto section_of = [](const std::string& heading) {
    const Document doc = merged(heading + "\n\nBody text.\n");
    REQUIRE(doc.paragraphs.size() == 1);
    return doc.paragraphs[0].section;
  };
  CHECK(section_of("## Recommendations") == "recommendations");
  CHECK(section_of("## recommendation") == "recommendations");
  CHECK(section_of("## Key recommendations:") == "recommendations");
  CHECK(section_of("## RECOMMANDATIONS :") == "recommendations");
  CHECK(section_of("## Recommandations clés") == "recommendations");
  CHECK(section_of("### Recommendations") == "recommendations");
  CHECK(section_of("## 3. Recommendations") == "recommendations");
  CHECK(section_of("## Main conclusions") == "conclusions");
  CHECK(section_of("## Conclusions and recommendations") == "conclusions");
  CHECK(section_of("## Why the 2018 conclusions still matter") == "Why the 2018 conclusions still matter");
  CHECK(section_of("## Good practices shared:") == "Good practices shared");
  CHECK(section_of("## preamble") == "Preamble");
}

TEST_CASE("merge: a lead-in paragraph before the recommendations is not numbered", "[merge]") {
  const Document doc = merged("## Recommendations\n\nWe recommend that cities:\n\n- do one thing;\n- do another.\n\n"
                              "A closing paragraph is a recommendation too.\n");
  REQUIRE(doc.paragraphs.size() == 4);
  CHECK(doc.paragraphs[0].kind == ParagraphKind::lead_in);
  CHECK(doc.paragraphs[0].number.empty());
  CHECK(doc.paragraphs[1].number == "R1");
  CHECK(doc.paragraphs[2].number == "R2");
  CHECK(doc.paragraphs[3].number == "R3");
}

TEST_CASE("merge: hostile fragments stay inert", "[merge]") {
  const Document doc = merged(
      "<script>alert(1)</script>\n\n## Recommendations\n\n- [click](javascript:alert(1))\n"
      "- ![x](data:image/png;base64,iVBORw0KGgo=)\n- <img src=x onerror=alert(1)>\n\n<!-- unclosed comment\n");
  const std::string html = document_html(doc);
  CHECK(html.find("<script") == std::string::npos);
  CHECK(html.find("javascript:") == std::string::npos);
  CHECK(html.find("data:") == std::string::npos);
  CHECK(html.find("<img src=x") == std::string::npos);
  for (const Paragraph& p : doc.paragraphs) CHECK(markdown_is_closed(p.markdown));
}

TEST_CASE("merge: invalid UTF-8 and NUL are replaced", "[merge]") {
  const Document doc = merged(std::string("Bad \xC3\x28 byte and NUL \0 here.\n", 28));
  REQUIRE(doc.paragraphs.size() == 1);
  CHECK(valid_utf8(doc.paragraphs[0].markdown));
  CHECK(doc.paragraphs[0].markdown.find('\0') == std::string::npos);
}

TEST_CASE("pids: first draft numbers paragraphs in order", "[merge]") {
  Document doc = merged("A.\n\nB.\n\n## Recommendations\n\n- C\n");
  int seq = 1;
  assign_pids(doc, nullptr, seq);
  CHECK(pids_of(doc) == std::vector<std::string>{"p1", "p2", "p3"});
  CHECK(seq == 4);
}

TEST_CASE("pids: stable across drafts", "[merge]") {
  const std::string r1 = "Establish a permanent coordination platform on migration in every intermediary city.";
  const std::string r2 = "Map the mandates and programmes of all partners before launching a new project.";
  const std::string r3 = "Involve migrant and refugee-led organisations from the design phase of projects.";
  const std::string c1 = "No single actor can respond alone to mixed migration in intermediary cities.";
  auto body = [](const std::string& conclusions, const std::vector<std::string>& recs) {
    std::string md = "## Conclusions\n\n" + conclusions + "\n\n## Recommendations\n\n";
    for (const std::string& r : recs) md += "- " + r + "\n";
    return md;
  };
  Document first = merged(body(c1, {r1, r2, r3}));
  int seq = 1;
  assign_pids(first, nullptr, seq);
  const std::string pid_c1 = find_text(first, c1)->pid;
  const std::string pid_r1 = find_text(first, r1)->pid;
  const std::string pid_r2 = find_text(first, r2)->pid;
  const std::string pid_r3 = find_text(first, r3)->pid;

  SECTION("reordering keeps pids and renumbers") {
    Document next = merged(body(c1, {r3, r1, r2}));
    assign_pids(next, &first, seq);
    CHECK(find_text(next, r3)->pid == pid_r3);
    CHECK(find_text(next, r3)->number == "R1");
    CHECK(find_text(next, r1)->pid == pid_r1);
    CHECK(find_text(next, r2)->pid == pid_r2);
    CHECK(seq == 5);
  }
  SECTION("an insertion gets a new pid, the others keep theirs") {
    const std::string added = "Create a shared data system on mobility at city level.";
    Document next = merged(body(c1, {r1, added, r2, r3}));
    assign_pids(next, &first, seq);
    CHECK(find_text(next, added)->pid == "p5");
    CHECK(find_text(next, r1)->pid == pid_r1);
    CHECK(find_text(next, r2)->pid == pid_r2);
    CHECK(find_text(next, r2)->number == "R3");
    CHECK(find_text(next, r3)->pid == pid_r3);
    CHECK(find_text(next, c1)->pid == pid_c1);
  }
  SECTION("a deletion retires the pid; it is never reused") {
    Document next = merged(body(c1, {r1, r3}));
    assign_pids(next, &first, seq);
    CHECK(find_text(next, r1)->pid == pid_r1);
    CHECK(find_text(next, r3)->pid == pid_r3);
    CHECK(find_text(next, r3)->number == "R2");
    const std::string added = "Set up a fund for intermediary cities.";
    Document third = merged(body(c1, {r1, r3, added}));
    assign_pids(third, &next, seq);
    CHECK(find_text(third, added)->pid == "p5");
    CHECK(find_text(third, added)->pid != pid_r2);
  }
  SECTION("a typo fix keeps the pid") {
    const std::string fixed = "Map the mandates and programmes of all partners before launching any new project.";
    const std::string typo = "Involve migrant and refugee-led organisations from the desing phase of projects.";
    Document next = merged(body(c1, {r1, fixed, typo}));
    assign_pids(next, &first, seq);
    CHECK(find_text(next, fixed)->pid == pid_r2);
    CHECK(find_text(next, typo)->pid == pid_r3);
  }
  SECTION("a small addition keeps the pid") {
    const std::string longer = r1.substr(0, r1.size() - 1) + ", chaired by the local government.";
    Document next = merged(body(c1, {longer, r2, r3}));
    assign_pids(next, &first, seq);
    CHECK(find_text(next, "chaired by")->pid == pid_r1);
  }
  SECTION("a big rewrite gets a new pid") {
    const std::string rewrite = "Cities should lead: give them the money and the staff to do it themselves.";
    Document next = merged(body(c1, {r1, rewrite, r3}));
    assign_pids(next, &first, seq);
    CHECK(find_text(next, rewrite)->pid == "p5");
    CHECK(find_text(next, r1)->pid == pid_r1);
    CHECK(find_text(next, r3)->pid == pid_r3);
  }
  SECTION("a paragraph moved to another section keeps its pid") {
    Document next = merged(body(c1 + "\n\n- " + r2, {r1, r3}));
    assign_pids(next, &first, seq);
    CHECK(find_text(next, r2)->pid == pid_r2);
    CHECK(find_text(next, r2)->section == "conclusions");
    CHECK(find_text(next, r2)->number.empty());
  }
}

TEST_CASE("pids: identical texts pair up in order; each pid is used once", "[merge]") {
  Document first = merged("Same.\n\nSame.\n\nOther text entirely.\n");
  int seq = 1;
  assign_pids(first, nullptr, seq);
  Document next = merged("Same.\n\nSame.\n\nSame.\n");
  assign_pids(next, &first, seq);
  CHECK(pids_of(next) == std::vector<std::string>{"p1", "p2", "p4"});
}

TEST_CASE("pids: the counter is raised above existing pids", "[merge]") {
  Document previous;
  previous.paragraphs.push_back(para("p40", "conclusions", "paragraph", "Old text that goes away completely."));
  Document next = merged("Brand new words here.\n");
  int seq = 3;
  assign_pids(next, &previous, seq);
  CHECK(next.paragraphs[0].pid == "p41");
  CHECK(seq == 42);
}

TEST_CASE("pids: paragraphs that already have a pid keep it", "[merge]") {
  Document previous;
  previous.paragraphs.push_back(para("p1", "conclusions", "paragraph", "Alpha beta gamma."));
  previous.paragraphs.push_back(para("p2", "conclusions", "paragraph", "Delta epsilon."));
  Document next;
  next.paragraphs.push_back(para("p2", "conclusions", "paragraph", "Alpha beta gamma."));
  next.paragraphs.push_back(para("", "conclusions", "paragraph", "Delta epsilon."));
  int seq = 1;
  assign_pids(next, &previous, seq);
  CHECK(next.paragraphs[0].pid == "p2");
  CHECK(next.paragraphs[1].pid == "p3");  // p2 is taken, so the exact match cannot hand it on
}

TEST_CASE("pids: a large draft is matched in bounded time", "[merge]") {
  std::string body = "## Recommendations\n\n";
  for (int i = 0; i < 1500; ++i) body += "- Recommendation number " + std::to_string(i * 7919) + " about cities.\n";
  Document first = merged(body);
  int seq = 1;
  assign_pids(first, nullptr, seq);
  std::string edited = "## Recommendations\n\n";
  for (int i = 0; i < 1500; ++i) edited += "- Recommendation number " + std::to_string(i * 7919) + " about towns.\n";
  Document next = merged(edited);
  assign_pids(next, &first, seq);
  CHECK(pids_of(next) == pids_of(first));
}

TEST_CASE("renumber: only list items and paragraphs of the recommendations", "[merge]") {
  Document doc;
  doc.paragraphs.push_back(para("p1", "conclusions", "list_item", "c"));
  doc.paragraphs.push_back(para("p2", "recommendations", "lead_in", "We recommend:"));
  doc.paragraphs.push_back(para("p3", "recommendations", "list_item", "a"));
  doc.paragraphs.push_back(para("p4", "recommendations", "heading", "### Sub"));
  doc.paragraphs.push_back(para("p5", "recommendations", "paragraph", "b"));
  doc.paragraphs.push_back(para("p6", "recommendations", "code", "```\nx\n```"));
  doc.paragraphs.push_back(para("p7", "Other", "list_item", "d"));
  doc.paragraphs[0].number = "R9";
  renumber(doc);
  std::vector<std::string> numbers;
  for (const Paragraph& p : doc.paragraphs) numbers.push_back(p.number);
  CHECK(numbers == std::vector<std::string>{"", "", "R1", "", "R2", "", ""});
}

TEST_CASE("apply_edits: replace, insert and delete", "[merge]") {
  Document base;
  base.paragraphs.push_back(para("p1", "conclusions", "paragraph", "A conclusion."));
  base.paragraphs.push_back(para("p2", "recommendations", "list_item", "First recommendation."));
  base.paragraphs.push_back(para("p3", "recommendations", "list_item", "Second recommendation.", "sustainability"));
  base.paragraphs.push_back(para("p4", "recommendations", "list_item", "Third recommendation."));
  renumber(base);
  Source src;
  src.kind = SourceKind::edit;
  src.draft = 2;
  int seq = 5;

  const Result<Document> r =
      apply_edits(base,
                  {{AmendmentKind::replace, "p3", "Second recommendation, corrected."},
                   {AmendmentKind::insert_after, "p2", "A new recommendation."},
                   {AmendmentKind::del, "p4", ""},
                   {AmendmentKind::insert_after, "p2", "- Another new one, written as a list item."},
                   {AmendmentKind::insert_after, "p1", "### A sub-heading"}},
                  src, seq);
  REQUIRE(r.ok());
  const Document& d = *r;
  REQUIRE(d.paragraphs.size() == 6);
  CHECK(pids_of(d) == std::vector<std::string>{"p1", "p7", "p2", "p5", "p6", "p3"});
  CHECK(seq == 8);
  CHECK(d.paragraphs[1].kind == ParagraphKind::heading);
  CHECK(d.paragraphs[1].section == "conclusions");
  CHECK(d.paragraphs[3].markdown == "A new recommendation.");
  CHECK(d.paragraphs[3].kind == ParagraphKind::list_item);
  CHECK(d.paragraphs[3].section == "recommendations");
  CHECK(d.paragraphs[3].source.kind == SourceKind::edit);
  CHECK(d.paragraphs[3].source.draft == 2);
  CHECK(d.paragraphs[3].source.breakout.empty());
  CHECK(d.paragraphs[4].markdown == "Another new one, written as a list item.");
  CHECK(d.paragraphs[5].markdown == "Second recommendation, corrected.");
  CHECK(d.paragraphs[5].source.kind == SourceKind::edit);
  CHECK(d.paragraphs[5].source.breakout == "sustainability");  // filled in from the target
  std::vector<std::string> numbers;
  for (const Paragraph& p : d.paragraphs) numbers.push_back(p.number);
  CHECK(numbers == std::vector<std::string>{"", "", "R1", "R2", "R3", "R4"});
  // The base is untouched.
  CHECK(base.paragraphs.size() == 4);
}

TEST_CASE("apply_edits: an amendment's source and text normalisation", "[merge]") {
  Document base;
  base.paragraphs.push_back(para("p1", "recommendations", "list_item", "Old."));
  Source src;
  src.kind = SourceKind::amendment;
  src.amendment = 12;
  int seq = 1;
  const Result<Document> r =
      apply_edits(base, {{AmendmentKind::replace, "p1", "\r\n\r\nNew text,\r\non two lines.  \r\n\r\n"}}, src, seq);
  REQUIRE(r.ok());
  CHECK(r->paragraphs[0].markdown == "New text,\non two lines.");
  CHECK(r->paragraphs[0].source.amendment == 12);
  CHECK(document_markdown(*r) ==
        "## Recommendations\n\n1. **R1** New text,\n   on two lines. *(Breakout: complementarity; amendment 12)*\n");
}

TEST_CASE("apply_edits: validation names the edit and the rule", "[merge]") {
  Document base;
  base.paragraphs.push_back(para("p1", "conclusions", "paragraph", "A."));
  base.paragraphs.push_back(para("p2", "recommendations", "list_item", "B."));
  Source src;
  src.kind = SourceKind::edit;
  int seq = 3;
  auto fails = [&](const std::vector<Edit>& edits, const std::string& message, const std::string& field) {
    const Result<Document> r = apply_edits(base, edits, src, seq);
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().code() == Code::validation_failed);
    CHECK(r.status().message() == message);
    CHECK(r.status().field() == field);
  };
  fails({}, "edits: at least one edit is required", "edits");
  fails({{AmendmentKind::replace, "p1", "ok"}, {AmendmentKind::replace, "p9", "x"}},
        "edit 1: pid \"p9\" is not a paragraph of the base draft", "edits[1].pid");
  fails({{AmendmentKind::del, "", ""}}, "edit 0: pid must not be empty", "edits[0].pid");
  fails({{AmendmentKind::replace, "p1", "  \n "}}, "edit 0: text must not be empty", "edits[0].text");
  fails({{AmendmentKind::insert_after, "p1", ""}}, "edit 0: text must not be empty", "edits[0].text");
  fails({{AmendmentKind::del, "p1", "why"}}, "edit 0: delete takes no text", "edits[0].text");
  fails({{AmendmentKind::replace, "p1", "bad \xC3\x28"}}, "edit 0: text is not valid UTF-8", "edits[0].text");
  fails({{AmendmentKind::replace, "p1", std::string("nul \0 byte", 10)}}, "edit 0: text must not contain NUL",
        "edits[0].text");
  fails({{AmendmentKind::replace, "p1", std::string(kMaxEditTextBytes + 1, 'a')}},
        "edit 0: text is longer than 65536 bytes", "edits[0].text");
  fails({{AmendmentKind::replace, "p1", "x"}, {AmendmentKind::del, "p1", ""}},
        "edit 1: paragraph p1 is already changed by edit 0", "edits[1].pid");
  fails({{AmendmentKind::replace, "p2", "```\nunclosed code"}}, "edit 0: text leaves a code fence or HTML block open",
        "edits[0].text");
  fails({{AmendmentKind::replace, "p2", "[ref]: https://example.org"}}, "edit 0: text has no visible content",
        "edits[0].text");
  CHECK(seq == 3);  // nothing allocated by failed calls
}

TEST_CASE("apply_edits: inserting after a deleted paragraph", "[merge]") {
  Document base;
  base.paragraphs.push_back(para("p1", "conclusions", "paragraph", "A."));
  base.paragraphs.push_back(para("p2", "conclusions", "paragraph", "B."));
  Source src;
  src.kind = SourceKind::edit;
  int seq = 1;
  const Result<Document> r =
      apply_edits(base, {{AmendmentKind::del, "p1", ""}, {AmendmentKind::insert_after, "p1", "C."}}, src, seq);
  REQUIRE(r.ok());
  CHECK(pids_of(*r) == std::vector<std::string>{"p3", "p2"});
}

TEST_CASE("document_markdown: layout of sections and items", "[merge]") {
  MergeHeader header{"Title with *stars* and #hash", "2022-05-19", "Kisumu"};
  FragmentInput f{"complementarity", "", 1, 1, "",
                  "Para.\n\n- bullet one\n- bullet two\n\n## Recommendations\n\n1. Short one.\n"
                  "2. Item with a nested list:\n   - a\n   - b\n3. ```\n   code first\n   ```\n\n"
                  "## Other: \n\n    indented code\n"};
  Document doc = merge_fragments(header, {f});
  const std::string md = document_markdown(doc);
  CHECK(md ==
        "# Title with \\*stars\\* and \\#hash\n"
        "\n"
        "Kisumu, 2022-05-19\n"
        "\n"
        "## Conclusions\n"
        "\n"
        "Para.\n"
        "\n"
        "- bullet one\n"
        "- bullet two\n"
        "\n"
        "## Recommendations\n"
        "\n"
        "1. **R1** Short one. *(Breakout: complementarity)*\n"
        "\n"
        "2. **R2** Item with a nested list:\n"
        "   - a\n"
        "   - b\n"
        "\n"
        "   *(Breakout: complementarity)*\n"
        "\n"
        "3. **R3**\n"
        "\n"
        "   ```\n"
        "   code first\n"
        "   ```\n"
        "\n"
        "   *(Breakout: complementarity)*\n"
        "\n"
        "## Other\n"
        "\n"
        "```\n"
        "indented code\n"
        "```\n");
}

TEST_CASE("document_markdown: an indented block after a list does not join it", "[merge]") {
  Document doc;
  doc.paragraphs.push_back(para("p1", "conclusions", "list_item", "item"));
  doc.paragraphs.push_back(para("p2", "conclusions", "code", "    indented code"));
  const std::string html = document_html(doc);
  CHECK(html.find("<li>item</li>\n</ul>") != std::string::npos);
  CHECK(html.find("<pre><code>indented code") != std::string::npos);
}

TEST_CASE("paragraph_html renders one paragraph", "[merge]") {
  const Paragraph p = para("p1", "conclusions", "paragraph", "Some **bold** text.");
  CHECK(paragraph_html(p) == "<p>Some <strong>bold</strong> text.</p>\n");
}

namespace {

// What document_html must always give.
std::string full_render(const Document& doc) { return render_markdown(document_markdown(doc)); }

Paragraph item_para(const std::string& section, const std::string& kind, const std::string& markdown,
               const std::string& breakout = "b1") {
  Paragraph p;
  p.section = section;
  p.kind = parse_paragraph_kind(kind).value();
  p.markdown = markdown;
  p.source.kind = SourceKind::fragment;
  p.source.breakout = breakout;
  return p;
}

}  // namespace

TEST_CASE("document_html: the golden drafts, joined, equal a full render", "[merge]") {
  for (const auto& entry : fs::directory_iterator(kMergeData)) {
    if (!entry.is_directory()) continue;
    DYNAMIC_SECTION("case " << entry.path().filename().string()) {
      const MergeCase c = load_case(entry.path());
      clear_markdown_cache();
      const Document doc = merge_fragments(c.header, c.fragments);
      const std::string joined = document_html(doc);
      clear_markdown_cache();
      CHECK(joined == full_render(doc));
      CHECK(document_html(doc) == joined);
    }
  }
}

TEST_CASE("merge: paragraphs carry their HTML, used only for the text it was made from", "[merge]") {
  const std::vector<FragmentInput> fragments = {
      {"b1", "Breakout one", 1, 1, "Notes",
       "Plain text.\n\n## Recommendations\n\n- Fund *cities*.\n- Train staff.\n\n### Sub\n"}};
  clear_markdown_cache();
  Document doc = merge_fragments({"Session", "2022-05-19", "Kisumu"}, fragments);
  size_t carried = 0;
  for (const Paragraph& p : doc.paragraphs) {
    if (p.rendered == nullptr) continue;
    ++carried;
    INFO(p.markdown);
    CHECK(p.rendered->markdown == p.markdown);
    CHECK(p.rendered->html == render_markdown(p.markdown));
  }
  CHECK(carried >= 4);  // the text, both items and the heading
  clear_markdown_cache();
  const std::string joined = document_html(doc);
  // Looked up: the two preamble paragraphs, two section headings and the
  // items' attribution, not the carried paragraphs.
  CHECK(markdown_cache_stats().misses == 5);
  CHECK(joined == full_render(doc));

  // A paragraph whose text changes keeps its old rendering, which no longer
  // applies: what is rendered is the new text.
  Paragraph* item = nullptr;
  for (Paragraph& p : doc.paragraphs) {
    if (p.markdown == "Fund *cities*.") item = &p;
  }
  REQUIRE(item != nullptr);
  REQUIRE(item->rendered != nullptr);
  item->markdown = "Fund **towns**.";
  CHECK(paragraph_html(*item) == "<p>Fund <strong>towns</strong>.</p>\n");
  const std::string html = document_html(doc);
  CHECK(html == full_render(doc));
  CHECK(html.find("<strong>towns</strong>") != std::string::npos);
  CHECK(html.find("cities") == std::string::npos);
}

TEST_CASE("document_html: corner cases equal a full render", "[merge]") {
  // Each case: paragraphs of one document, in order. Some take the joined
  // path, the others must fall back; the output is the same either way.
  const std::vector<std::vector<Paragraph>> cases = {
      // Plain paragraphs, items, numbered recommendations.
      {item_para("conclusions", "paragraph", "Intro *text*."), item_para("conclusions", "list_item", "one"),
       item_para("conclusions", "list_item", "two\nlines"), item_para("recommendations", "lead_in", "We recommend:"),
       item_para("recommendations", "list_item", "Act *now"), item_para("recommendations", "list_item", "Fund `it"),
       item_para("recommendations", "paragraph", "Closing with\\")},
      // A reference definition applies to the whole document.
      {item_para("conclusions", "paragraph", "See [ref]."), item_para("conclusions", "list_item", "[ref]: https://example.org")},
      {item_para("conclusions", "paragraph", "[ref]"), item_para("conclusions", "paragraph", "[ref]: /u")},
      // A list right after a list of the same kind merges with it.
      {item_para("conclusions", "list_item", "a"), item_para("conclusions", "list", "- b\n- c")},
      {item_para("conclusions", "list", "- a\n- b"), item_para("conclusions", "list", "- c")},
      {item_para("conclusions", "paragraph", "text\n\n- a"), item_para("conclusions", "list_item", "b")},
      // An indented block after a list, and after indented code.
      {item_para("conclusions", "list_item", "a"), item_para("conclusions", "code", "    code")},
      {item_para("conclusions", "code", "    one"), item_para("conclusions", "code", "    two")},
      // Items that are not one paragraph make the list loose or change it.
      {item_para("conclusions", "list_item", "a"), item_para("conclusions", "list_item", "b\n\nc")},
      {item_para("conclusions", "list_item", "a"), item_para("conclusions", "list_item", "```\ncode\n```")},
      {item_para("recommendations", "list_item", "> quoted"), item_para("recommendations", "list_item", "b")},
      // "- --" is a thematic break; "1." on the last line becomes an item once
      // the attribution follows it.
      {item_para("conclusions", "list_item", "--"), item_para("conclusions", "list_item", "x")},
      {item_para("conclusions", "list_item", "- -x"), item_para("conclusions", "list_item", "x")},
      {item_para("recommendations", "list_item", "text\n1.")},
      {item_para("recommendations", "list_item", "text\n*")},
      {item_para("recommendations", "list_item", "text\n1.", "")},
      // Attributions that could close something the text opened.
      {item_para("recommendations", "list_item", "a `b", "x`y")},
      {item_para("recommendations", "list_item", "[a](u \"t", "x\"")},
      {item_para("recommendations", "list_item", "<a title='x", "q'>")},
      {item_para("recommendations", "list_item", "*open", "b*c")},
      {item_para("recommendations", "list_item", "dash", "b-1.x \xC3\xA9")},
      // Tabs, a BOM, control characters, trailing blanks.
      {item_para("conclusions", "list_item", "a\n\t- b"), item_para("conclusions", "list_item", "c")},
      {item_para("conclusions", "paragraph", "x"), item_para("conclusions", "paragraph", "\xEF\xBB\xBFy")},
      {item_para("conclusions", "list_item", "a\x0c" "b")},
      {item_para("conclusions", "list_item", "a  ")},
      // Closed and unclosed code and HTML.
      {item_para("conclusions", "code", "```\ncode\n```"), item_para("conclusions", "paragraph", "after")},
      {item_para("conclusions", "code", "```\nopen"), item_para("conclusions", "paragraph", "after")},
      {item_para("conclusions", "html", "<!-- open"), item_para("conclusions", "paragraph", "after")},
      {item_para("conclusions", "html", "<div>\nx\n</div>"), item_para("conclusions", "paragraph", "after")},
      // Empty texts, a heading, a rule, an amendment.
      {item_para("conclusions", "list_item", ""), item_para("conclusions", "paragraph", "")},
      {item_para("Other", "heading", "### Sub"), item_para("Other", "rule", "***"), item_para("Other", "list_item", "z")},
  };
  for (size_t i = 0; i < cases.size(); ++i) {
    Document doc;
    doc.paragraphs = cases[i];
    renumber(doc);
    clear_markdown_cache();
    const std::string joined = document_html(doc);
    clear_markdown_cache();
    INFO("case " << i << ":\n" << document_markdown(doc));
    CHECK(joined == full_render(doc));
  }

  // Numbers that are not R1..Rn (an edited draft not yet renumbered), and a
  // list number cmark does not read.
  Document doc;
  doc.paragraphs = {item_para("recommendations", "list_item", "a"), item_para("recommendations", "list_item", "b"),
                    item_para("recommendations", "paragraph", "c")};
  renumber(doc);
  doc.paragraphs[0].number = "R7";
  doc.paragraphs[1].number = "R1234567890";
  doc.paragraphs[2].number = "R1";
  CHECK(document_html(doc) == full_render(doc));
  doc.paragraphs[0].source.kind = SourceKind::amendment;
  doc.paragraphs[0].source.amendment = 3;
  doc.paragraphs[1].source.breakout.clear();
  doc.paragraphs[1].source.kind = SourceKind::amendment;
  doc.paragraphs[1].source.amendment = 4;
  CHECK(document_html(doc) == full_render(doc));
}

TEST_CASE("document_html: generated documents equal a full render", "[merge]") {
  static const char* const kTexts[] = {
      "Plain text.", "Two\nlines", "*emph* and **strong**", "open *emph", "close emph*", "a `code` span", "open `tick",
      "[link](https://example.org)", "[ref]", "x\\", "trail\\", "<b>raw</b>", "&amp; &copy", "- a\n- b", "1. a\n2. b",
      "> quote", "```\ncode\n```", "    indented", "# Heading", "***", "--", "1.", "text\n-", "text\n+", "text\n==",
      "a\n\nb", "<!-- c -->", "<div>\nblock\n</div>", "\\- escaped", "2018\\. year", "x\n    - y", "x\n  1. y",
      "caf\xC3\xA9", "tab\there", "[ref]: /u"};
  static const char* const kKinds[] = {"paragraph", "list_item", "list_item", "heading", "code", "quote", "list"};
  static const char* const kSections[] = {"preamble", "conclusions", "recommendations", "recommendations", "Other"};
  static const char* const kBreakouts[] = {"b1", "", "sustainability", "x`y", "a b"};
  uint64_t state = 42;
  auto next = [&state](uint64_t n) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<size_t>((state >> 33) % n);
  };
  constexpr size_t kTextCount = sizeof kTexts / sizeof kTexts[0];
  size_t joined_count = 0;
  for (int round = 0; round < 400; ++round) {
    Document doc;
    const size_t n = 1 + next(8);
    size_t section = 0;
    for (size_t i = 0; i < n; ++i) {
      section = std::max(section, next(5));
      std::string text = kTexts[next(kTextCount)];
      // Mostly the shapes a merge makes: no definitions, one-paragraph items.
      if (next(3) != 0 && text.find("]:") != std::string::npos) text = "Plain text.";
      doc.paragraphs.push_back(item_para(kSections[section], kKinds[next(7)], text, kBreakouts[next(5)]));
    }
    renumber(doc);
    clear_markdown_cache();
    const std::string joined = document_html(doc);
    clear_markdown_cache();
    INFO(document_markdown(doc));
    CHECK(joined == full_render(doc));
    ++joined_count;
  }
  CHECK(joined_count == 400);
}

namespace {

// document_markdown's numbered item as the rule states it, decided from the
// text's rendering: the number joins the first paragraph, the attribution
// the last one, else each is a paragraph of its own.
std::string reference_numbered_item(const std::string& md, const std::string& attribution) {
  const std::string html = render_markdown(md);
  const bool first_is_paragraph = html.rfind("<p>", 0) == 0;
  const bool last_is_paragraph = html.size() >= 5 && html.compare(html.size() - 5, 5, "</p>\n") == 0;
  std::string body = "**R1**";
  if (!md.empty()) body += (first_is_paragraph ? " " : "\n\n") + md;
  body += ((last_is_paragraph || md.empty()) ? " " : "\n\n") + attribution;
  std::string out = "1. ";
  for (size_t i = 0; i < body.size(); ++i) {
    out += body[i];
    if (body[i] == '\n' && i + 1 < body.size() && body[i + 1] != '\n') out += "   ";
  }
  return out;
}

}  // namespace

TEST_CASE("document_markdown and document_html: texts that look like plain paragraphs", "[merge]") {
  // The fast paths read "paragraphs only" from the lines of a text; each of
  // these must give what the rendering-based rule gives.
  static const char* const kTexts[] = {
      "Plain", "a\nb", "a\n\nb", "a\n\n\nb", "a\n===", "a\n---", "a\n- b", "a\n* b", "a\n+ b", "a\n1. b", "a\n> q",
      "a\n    code", "a\n\tb", "a\tb", "a\n# h", "a\n<div>", "a\n<!-- x", "a\n```\nx", "a\n~~~\nx", "[x]: /u\na",
      "a\n[x]: /u", "a [x]: b", "\xC3\xA9t\xC3\xA9\nb", "\xEF\xBB\xBF" "a", "a\n\xEF\xBB\xBF" "b", "a\r\nb", "a\rb",
      "a\\", "a\n \nb", "a\n   b", "<b>x</b>", "a <div>", "a\n\x80" "b", "\x80", "a\n\n", "a\x0b" "b", "a\x7f",
      "Z\n_", "a\n***", "a\n\n    code", "a\n\n- b", "a\n2) b", "a\n|x|", "a <!-- c -->", "a\n\n<div>", "a&#10;b"};
  for (const char* text : kTexts) {
    INFO("text: " << text);
    Document doc;
    doc.paragraphs = {item_para("recommendations", "list_item", text)};
    renumber(doc);
    clear_markdown_cache();
    CHECK(document_markdown(doc) ==
          "## Recommendations\n\n" + reference_numbered_item(text, "*(Breakout: b1)*") + "\n");
    for (const char* kind : {"paragraph", "list_item"}) {
      for (const char* section : {"conclusions", "recommendations"}) {
        Document mixed;
        mixed.paragraphs = {item_para(section, "list_item", "before"), item_para(section, kind, text),
                            item_para(section, "paragraph", "after")};
        renumber(mixed);
        clear_markdown_cache();
        const std::string joined = document_html(mixed);
        clear_markdown_cache();
        INFO(document_markdown(mixed));
        CHECK(joined == full_render(mixed));
      }
    }
  }
}

TEST_CASE("swap(Paragraph&, Paragraph&) exchanges every member", "[merge]") {
  Paragraph a = item_para("conclusions", "paragraph", "Text a, long enough to be on the heap, not in the string.", "b1");
  a.pid = "p1";
  a.number = "";
  a.source.fragment = 7;
  a.source.version = 2;
  a.rendered = rendering_of(a.markdown);
  Paragraph b = item_para("recommendations", "list_item", "Text b", "b2");
  b.pid = "p2";
  b.number = "R1";
  b.source.kind = SourceKind::amendment;
  b.source.amendment = 9;
  b.source.draft = 3;
  const Paragraph a0 = a, b0 = b;
  swap(a, b);
  for (const auto& [now, was] : {std::pair<const Paragraph*, const Paragraph*>{&a, &b0}, {&b, &a0}}) {
    CHECK(paragraph_to_json(*now) == paragraph_to_json(*was));
    CHECK(now->source.fragment == was->source.fragment);
    CHECK(now->source.version == was->source.version);
    CHECK(now->source.amendment == was->source.amendment);
    CHECK(now->source.draft == was->source.draft);
    CHECK(now->rendered == was->rendered);
  }
}
