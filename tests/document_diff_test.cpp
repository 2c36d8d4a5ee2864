#include "rapporteur/document_diff.h"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

using namespace rapporteur;

namespace {

Paragraph para(std::string pid, std::string section, std::string number, std::string markdown) {
  Paragraph p;
  p.pid = std::move(pid);
  p.section = std::move(section);
  p.number = std::move(number);
  p.kind = ParagraphKind::paragraph;
  p.markdown = std::move(markdown);
  return p;
}

std::vector<std::string> summary(const std::vector<ParagraphChange>& changes) {
  std::vector<std::string> out;
  for (const ParagraphChange& c : changes) out.push_back(c.pid + ":" + c.op);
  return out;
}

}  // namespace

TEST_CASE("diff_documents matches paragraphs by pid and keeps deletions in place", "[document_diff]") {
  Document from;
  from.paragraphs = {
      para("p1", "conclusions", "", "La session souligne l'importance de la coopération."),
      para("p2", "recommendations", "R1", "Renforcer les capacités statistiques."),
      para("p3", "recommendations", "R2", "Serikali zinapaswa kuwekeza katika elimu."),
      para("p4", "recommendations", "R3", "يجب تعزيز التعاون الإقليمي"),
  };
  Document to;
  to.paragraphs = {
      para("p1", "conclusions", "", "La session souligne l'importance de la coopération."),
      para("p3", "recommendations", "R1", "Serikali zinapaswa kuwekeza zaidi katika elimu."),
      para("p5", "recommendations", "R2", "Investir dans l'eau potable."),
      para("p4", "recommendations", "R3", "يجب تعزيز التعاون الإقليمي"),
  };

  const auto changes = diff_documents(from, to);
  CHECK(summary(changes) ==
        std::vector<std::string>{"p1:equal", "p2:deleted", "p3:changed", "p5:inserted", "p4:equal"});

  const ParagraphChange& deleted = changes[1];
  CHECK(deleted.section == "recommendations");
  CHECK(deleted.number_from == "R1");
  CHECK(deleted.number_to.empty());
  CHECK(deleted.hunks == std::vector<Hunk>{{DiffOp::del, "Renforcer les capacités statistiques."}});

  const ParagraphChange& changed = changes[2];
  CHECK(changed.number_from == "R2");
  CHECK(changed.number_to == "R1");
  CHECK(changed.hunks == std::vector<Hunk>{{DiffOp::equal, "Serikali zinapaswa kuwekeza "},
                                           {DiffOp::insert, "zaidi "},
                                           {DiffOp::equal, "katika elimu."}});

  const ParagraphChange& inserted = changes[3];
  CHECK(inserted.number_from.empty());
  CHECK(inserted.number_to == "R2");
  CHECK(inserted.hunks == std::vector<Hunk>{{DiffOp::insert, "Investir dans l'eau potable."}});

  CHECK(changes[0].hunks == std::vector<Hunk>{{DiffOp::equal, "La session souligne l'importance de la coopération."}});
  CHECK(changes[4].number_from == "R3");
  CHECK(changes[4].number_to == "R3");
}

TEST_CASE("diff_documents: deletions at the start, reordering, empty documents", "[document_diff]") {
  const Paragraph a = para("a", "preamble", "", "A");
  const Paragraph b = para("b", "conclusions", "", "B");
  const Paragraph c = para("c", "conclusions", "", "C");

  SECTION("deleted before every survivor") {
    CHECK(summary(diff_documents(Document{{a, b, c}}, Document{{c}})) ==
          std::vector<std::string>{"a:deleted", "b:deleted", "c:equal"});
  }
  SECTION("deleted after the last survivor") {
    CHECK(summary(diff_documents(Document{{a, b, c}}, Document{{a}})) ==
          std::vector<std::string>{"a:equal", "b:deleted", "c:deleted"});
  }
  SECTION("order follows the new draft") {
    CHECK(summary(diff_documents(Document{{a, b, c}}, Document{{c, a, b}})) ==
          std::vector<std::string>{"c:equal", "a:equal", "b:equal"});
  }
  SECTION("a paragraph moved to another section keeps its pid and is equal") {
    Paragraph moved = a;
    moved.section = "conclusions";
    const auto changes = diff_documents(Document{{a}}, Document{{moved}});
    REQUIRE(changes.size() == 1);
    CHECK(changes[0].op == "equal");
    CHECK(changes[0].section == "conclusions");
  }
  SECTION("empty documents") {
    CHECK(diff_documents(Document{}, Document{}).empty());
    CHECK(summary(diff_documents(Document{}, Document{{a, b}})) ==
          std::vector<std::string>{"a:inserted", "b:inserted"});
    CHECK(summary(diff_documents(Document{{a, b}}, Document{})) == std::vector<std::string>{"a:deleted", "b:deleted"});
  }
}

TEST_CASE("document_diff_to_json carries hunks and escaped html", "[document_diff]") {
  Document from{{para("p1", "recommendations", "R1", "Use <b>bold</b> text.")}};
  Document to{{para("p1", "recommendations", "R1", "Use <script>alert(1)</script> text."),
               para("p2", "conclusions", "", "New & improved.")}};
  const nlohmann::json json = document_diff_to_json(diff_documents(from, to));
  REQUIRE(json.size() == 2);

  CHECK(json[0]["pid"] == "p1");
  CHECK(json[0]["op"] == "changed");
  CHECK(json[0]["section"] == "recommendations");
  CHECK(json[0]["number_from"] == "R1");
  CHECK(json[0]["number_to"] == "R1");
  // The tag characters both texts share stay equal; the words around them change.
  CHECK(json[0]["html"] ==
        "Use &lt;<del>b</del><ins>script</ins>&gt;<del>bold</del><ins>alert(1)</ins>&lt;/"
        "<del>b</del><ins>script</ins>&gt; text.");
  CHECK(json[0]["hunks"].size() == 10);
  CHECK(json[0]["hunks"][1] == nlohmann::json{{"op", "delete"}, {"text", "b"}});
  CHECK(json[0]["hunks"][5] == nlohmann::json{{"op", "insert"}, {"text", "alert(1)"}});

  CHECK(json[1]["op"] == "inserted");
  CHECK(json[1]["number_from"].is_null());
  CHECK(json[1]["number_to"].is_null());
  CHECK(json[1]["html"] == "<ins>New &amp; improved.</ins>");
  CHECK(json[1]["hunks"] == nlohmann::json::parse(R"([{"op":"insert","text":"New & improved."}])"));
}
