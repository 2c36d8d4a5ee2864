#include "rapporteur/merge3.h"

#include <catch2/catch.hpp>
#include <cstdint>
#include <string>
#include <vector>

using namespace rapporteur;

namespace {

const std::string kBase = "a\nb\nc\nd\ne\n";

struct Lcg {
  uint64_t state;
  uint32_t next() {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<uint32_t>(state >> 33);
  }
  size_t below(size_t n) { return next() % n; }
};

// A random edit of a few lines of `text` drawn from a small alphabet, with or
// without a final newline.
std::string mutate(Lcg& rng, const std::string& text) {
  std::vector<std::string> lines;
  size_t i = 0;
  while (i < text.size()) {
    const size_t nl = text.find('\n', i);
    const size_t end = nl == std::string::npos ? text.size() : nl + 1;
    std::string line = text.substr(i, end - i);
    if (line.back() == '\n') line.pop_back();
    lines.push_back(line);
    i = end;
  }
  const size_t edits = rng.below(3);
  for (size_t e = 0; e < edits; ++e) {
    const size_t at = rng.below(lines.size() + 1);
    switch (rng.below(3)) {
      case 0:
        lines.insert(lines.begin() + static_cast<long>(at), std::string(1, static_cast<char>('p' + rng.below(4))));
        break;
      case 1:
        if (at < lines.size()) lines.erase(lines.begin() + static_cast<long>(at));
        break;
      default:
        if (at < lines.size()) lines[at] = std::string(1, static_cast<char>('p' + rng.below(4)));
    }
  }
  std::string out;
  for (const std::string& line : lines) out += line + "\n";
  if (!out.empty() && rng.below(4) == 0) out.pop_back();
  return out;
}

std::string random_text(Lcg& rng) {
  std::string out;
  const size_t n = rng.below(8);
  for (size_t i = 0; i < n; ++i) out += std::string(1, static_cast<char>('a' + rng.below(5))) + "\n";
  if (!out.empty() && rng.below(4) == 0) out.pop_back();
  return out;
}

}  // namespace

TEST_CASE("merge3: edits to different lines merge cleanly", "[merge3]") {
  SECTION("lines apart") {
    const auto r = merge3(kBase, "a\nB\nc\nd\ne\n", "a\nb\nc\nD\ne\n");
    CHECK(r.clean);
    CHECK(r.conflicts == 0);
    CHECK(r.body == "a\nB\nc\nD\ne\n");
  }
  SECTION("adjacent lines") {
    const auto r = merge3(kBase, "a\nB\nc\nd\ne\n", "a\nb\nC\nd\ne\n");
    CHECK(r.clean);
    CHECK(r.body == "a\nB\nC\nd\ne\n");
  }
  SECTION("a deletion on one side, an insertion elsewhere on the other") {
    const auto r = merge3(kBase, "a\nc\nd\ne\n", "a\nb\nc\nd\nnew\ne\n");
    CHECK(r.clean);
    CHECK(r.body == "a\nc\nd\nnew\ne\n");
  }
  SECTION("an insertion right before a line the other side replaced") {
    const auto r = merge3(kBase, "a\nb\nnew\nc\nd\ne\n", "a\nb\nC\nd\ne\n");
    CHECK(r.clean);
    CHECK(r.body == "a\nb\nnew\nC\nd\ne\n");
  }
}

TEST_CASE("merge3: the same edit on both sides is taken once", "[merge3]") {
  const auto r = merge3(kBase, "a\nb\nC\nd\ne\nf\n", "a\nb\nC\nd\ne\nf\n");
  CHECK(r.clean);
  CHECK(r.body == "a\nb\nC\nd\ne\nf\n");

  // Overlapping but identical changes, plus an independent one.
  const auto r2 = merge3(kBase, "A\nb\nX\nd\ne\n", "a\nb\nX\nd\nE\n");
  CHECK(r2.clean);
  CHECK(r2.body == "A\nb\nX\nd\nE\n");
}

TEST_CASE("merge3: conflicting edits are marked", "[merge3]") {
  SECTION("both sides change the same line") {
    const auto r = merge3(kBase, "a\nb\nmine is current\nd\ne\n", "a\nb\nyours\nd\ne\n");
    CHECK_FALSE(r.clean);
    CHECK(r.conflicts == 1);
    CHECK(r.body == "a\nb\n<<<<<<< current\nmine is current\n=======\nyours\n>>>>>>> yours\nd\ne\n");
  }
  SECTION("labels are parameters") {
    const auto r = merge3("x\n", "y\n", "z\n", "version 4", "your edit");
    CHECK(r.body == "<<<<<<< version 4\ny\n=======\nz\n>>>>>>> your edit\n");
  }
  SECTION("deletion against edit") {
    const auto r = merge3(kBase, "a\nb\nd\ne\n", "a\nb\nC\nd\ne\n");
    CHECK_FALSE(r.clean);
    CHECK(r.body == "a\nb\n<<<<<<< current\n=======\nC\n>>>>>>> yours\nd\ne\n");
  }
  SECTION("an insertion inside a run the other side replaced") {
    const auto r = merge3("a\nb\nc\n", "a\nB\nC\n", "a\nb\nx\nc\n");
    CHECK_FALSE(r.clean);
    CHECK(r.body == "a\n<<<<<<< current\nB\nC\n=======\nb\nx\nc\n>>>>>>> yours\n");
  }
  SECTION("lines shared at the ends of a conflict stay outside the markers") {
    const auto r = merge3("a\n", "p\nq\nz\n", "p\nr\nz\n");
    CHECK_FALSE(r.clean);
    CHECK(r.body == "p\n<<<<<<< current\nq\n=======\nr\n>>>>>>> yours\nz\n");
  }
  SECTION("two separate conflicts") {
    const auto r = merge3(kBase, "A1\nb\nc\nd\nE1\n", "A2\nb\nc\nd\nE2\n");
    CHECK(r.conflicts == 2);
    CHECK(r.body ==
          "<<<<<<< current\nA1\n=======\nA2\n>>>>>>> yours\nb\nc\nd\n"
          "<<<<<<< current\nE1\n=======\nE2\n>>>>>>> yours\n");
  }
}

TEST_CASE("merge3: additions at the end", "[merge3]") {
  SECTION("one side appends, the other edits earlier") {
    const auto r = merge3(kBase, kBase + "f\n", "A\nb\nc\nd\ne\n");
    CHECK(r.clean);
    CHECK(r.body == "A\nb\nc\nd\ne\nf\n");
  }
  SECTION("both append the same") {
    const auto r = merge3(kBase, kBase + "f\n", kBase + "f\n");
    CHECK(r.clean);
    CHECK(r.body == kBase + "f\n");
  }
  SECTION("both append different lines") {
    const auto r = merge3(kBase, kBase + "f\n", kBase + "g\nh\n");
    CHECK_FALSE(r.clean);
    CHECK(r.body == kBase + "<<<<<<< current\nf\n=======\ng\nh\n>>>>>>> yours\n");
  }
  SECTION("to an empty base") {
    CHECK(merge3("", "x\n", "").body == "x\n");
    CHECK(merge3("", "", "y").body == "y");
    CHECK(merge3("", "x\n", "y\n").body == "<<<<<<< current\nx\n=======\ny\n>>>>>>> yours\n");
  }
}

TEST_CASE("merge3: missing final newline", "[merge3]") {
  CHECK(merge3("a\nb", "a\nb\nc", "x\nb").body == "x\nb\nc");
  CHECK(merge3("a\nb", "A\nb", "a\nb").body == "A\nb");
  CHECK(merge3("a\nb\n", "a\nb", "A\nb\n").body == "A\nb");  // current dropped it
  CHECK(merge3("a\nb", "a\nb", "a\nb\n").body == "a\nb\n");  // mine added it
  const auto r = merge3("a", "b", "c");
  CHECK_FALSE(r.clean);
  CHECK(r.body == "<<<<<<< current\nb\n=======\nc\n>>>>>>> yours\n");
  CHECK(merge3("a\nz", "b\nz", "c\nz").body == "<<<<<<< current\nb\n=======\nc\n>>>>>>> yours\nz");
}

TEST_CASE("merge3: Markdown fragment edited by two rapporteurs", "[merge3]") {
  const std::string base =
      "## Conclusions\n\n"
      "La session souligne l'importance de la coopération régionale.\n\n"
      "## Recommendations\n\n"
      "- Renforcer les capacités statistiques.\n"
      "- Investir dans l'eau potable.\n";
  const std::string current =
      "## Conclusions\n\n"
      "La session souligne l'importance de la coopération régionale et sous-régionale.\n\n"
      "## Recommendations\n\n"
      "- Renforcer les capacités statistiques.\n"
      "- Investir dans l'eau potable.\n";
  const std::string mine =
      "## Conclusions\n\n"
      "La session souligne l'importance de la coopération régionale.\n\n"
      "## Recommendations\n\n"
      "- Renforcer les capacités statistiques nationales.\n"
      "- Investir dans l'eau potable.\n"
      "- Serikali zinapaswa kuwekeza katika elimu.\n";
  const auto r = merge3(base, current, mine);
  CHECK(r.clean);
  CHECK(r.body ==
        "## Conclusions\n\n"
        "La session souligne l'importance de la coopération régionale et sous-régionale.\n\n"
        "## Recommendations\n\n"
        "- Renforcer les capacités statistiques nationales.\n"
        "- Investir dans l'eau potable.\n"
        "- Serikali zinapaswa kuwekeza katika elimu.\n");
}

TEST_CASE("merge3: identities and symmetry on random edits", "[merge3]") {
  Lcg rng{31337};
  for (int round = 0; round < 500; ++round) {
    const std::string base = random_text(rng);
    const std::string current = mutate(rng, base);
    const std::string mine = mutate(rng, base);
    INFO("base=" << base << "| current=" << current << "| mine=" << mine);

    const auto keep_mine = merge3(base, base, mine);
    CHECK(keep_mine.clean);
    CHECK(keep_mine.body == mine);
    const auto keep_current = merge3(base, current, base);
    CHECK(keep_current.clean);
    CHECK(keep_current.body == current);
    const auto same = merge3(base, mine, mine);
    CHECK(same.clean);
    CHECK(same.body == mine);

    const auto ab = merge3(base, current, mine);
    const auto ba = merge3(base, mine, current);
    CHECK(ab.clean == ba.clean);
    CHECK(ab.conflicts == ba.conflicts);
    if (ab.clean) CHECK(ab.body == ba.body);
  }
}
