#include "rapporteur/diff.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdint>
#include <string>
#include <vector>

using namespace rapporteur;

namespace {

Hunk eq(std::string t) { return {DiffOp::equal, std::move(t)}; }
Hunk ins(std::string t) { return {DiffOp::insert, std::move(t)}; }
Hunk del(std::string t) { return {DiffOp::del, std::move(t)}; }

std::string side(const std::vector<Hunk>& hunks, DiffOp keep) {
  std::string out;
  for (const Hunk& h : hunks) {
    if (h.op == DiffOp::equal || h.op == keep) out += h.text;
  }
  return out;
}

// The contract of diff.h, checked on any result.
void check_contract(const std::vector<Hunk>& hunks, const std::string& a, const std::string& b) {
  CHECK(side(hunks, DiffOp::del) == a);
  CHECK(side(hunks, DiffOp::insert) == b);
  for (size_t i = 0; i < hunks.size(); ++i) {
    CHECK_FALSE(hunks[i].text.empty());
    if (i > 0) {
      CHECK(hunks[i].op != hunks[i - 1].op);
      CHECK_FALSE((hunks[i - 1].op == DiffOp::insert && hunks[i].op == DiffOp::del));
    }
  }
}

size_t changed_bytes(const std::vector<Hunk>& hunks) {
  size_t n = 0;
  for (const Hunk& h : hunks) {
    if (h.op != DiffOp::equal) n += h.text.size();
  }
  return n;
}

// Deterministic pseudo-random numbers (no std::rand state shared with others).
struct Lcg {
  uint64_t state;
  uint32_t next() {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<uint32_t>(state >> 33);
  }
  size_t below(size_t n) { return next() % n; }
};

const std::vector<std::string> kWords = {
    "the",         "session",   "recommends", "that",  "States", "strengthen",   "regional",
    "cooperation", "on",        "water",      "and",   "energy", "security",     "with",
    "particular",  "attention", "to",         "women", "youth",  "rural",        "communities",
    "Conference",  "welcomes",  "progress",   "made",  "in",     "implementing", "agenda"};

std::string prose(Lcg& rng, size_t min_bytes) {
  std::string out;
  while (out.size() < min_bytes) {
    const size_t words = 6 + rng.below(14);
    for (size_t i = 0; i < words; ++i) {
      if (i > 0) out += ' ';
      out += kWords[rng.below(kWords.size())];
      if (rng.below(9) == 0) out += ',';
    }
    out += rng.below(4) == 0 ? ".\n" : ". ";
  }
  return out;
}

// Length of the longest common subsequence of two token lists, by the
// textbook table; only used on small inputs to check minimality.
size_t lcs_length(const std::vector<std::string_view>& a, const std::vector<std::string_view>& b) {
  std::vector<std::vector<size_t>> t(a.size() + 1, std::vector<size_t>(b.size() + 1, 0));
  for (size_t i = 1; i <= a.size(); ++i) {
    for (size_t j = 1; j <= b.size(); ++j) {
      t[i][j] = a[i - 1] == b[j - 1] ? t[i - 1][j - 1] + 1 : std::max(t[i - 1][j], t[i][j - 1]);
    }
  }
  return t[a.size()][b.size()];
}

}  // namespace

TEST_CASE("split_words keeps words, spaces and punctuation apart", "[diff]") {
  const std::vector<std::string_view> expected = {"R1", ":", " ", "Les", " ", "États",
                                                  " ",  "l", "'", "eau", "!", "\n\t "};
  CHECK(split_words("R1: Les États l'eau!\n\t ") == expected);
  CHECK(split_words("").empty());
  // Every byte of a non-ASCII code point is a word character.
  CHECK(split_words("التعاون الإقليمي") == std::vector<std::string_view>{"التعاون", " ", "الإقليمي"});
  CHECK(split_words("snake_case2x") == std::vector<std::string_view>{"snake_case2x"});
}

TEST_CASE("split_lines keeps each newline with its line", "[diff]") {
  CHECK(split_lines("a\n\nb") == std::vector<std::string_view>{"a\n", "\n", "b"});
  CHECK(split_lines("a\n") == std::vector<std::string_view>{"a\n"});
  CHECK(split_lines("").empty());
}

TEST_CASE("diff_words on English: adjacent word changes read as one replacement", "[diff]") {
  const std::string a = "the quick brown fox";
  const std::string b = "the slow red fox";
  const auto hunks = diff_words(a, b);
  CHECK(hunks == std::vector<Hunk>{eq("the "), del("quick brown"), ins("slow red"), eq(" fox")});
  check_contract(hunks, a, b);
}

TEST_CASE("diff_words on French keeps accented words whole", "[diff]") {
  const std::string a = "Les États membres doivent renforcer la coopération régionale.";
  const std::string b = "Les États membres devraient renforcer la coopération sous-régionale.";
  const auto hunks = diff_words(a, b);
  CHECK(hunks == std::vector<Hunk>{eq("Les États membres "), del("doivent"), ins("devraient"),
                                   eq(" renforcer la coopération "), ins("sous-"), eq("régionale.")});
  check_contract(hunks, a, b);

  // An accent change replaces the whole word, never half a code point.
  CHECK(diff_words("coopération", "cooperation") == std::vector<Hunk>{del("coopération"), ins("cooperation")});
  CHECK(diff_words("élève", "élevé") == std::vector<Hunk>{del("élève"), ins("élevé")});
}

TEST_CASE("diff_words on Arabic (right-to-left) text", "[diff]") {
  const std::string a = "يجب تعزيز التعاون الإقليمي في مجال المياه";
  const std::string b = "يجب تعزيز التعاون الدولي في مجال المياه والطاقة";
  const auto hunks = diff_words(a, b);
  CHECK(hunks == std::vector<Hunk>{eq("يجب تعزيز التعاون "), del("الإقليمي"), ins("الدولي"), eq(" في مجال المياه"),
                                   ins(" والطاقة")});
  check_contract(hunks, a, b);
}

TEST_CASE("diff_words on Swahili: insertions in the middle and at the end", "[diff]") {
  const std::string a = "Serikali inapaswa kuwekeza katika elimu ya wasichana.";
  const std::string b = "Serikali inapaswa kuwekeza zaidi katika elimu ya wasichana na wavulana.";
  const auto hunks = diff_words(a, b);
  CHECK(hunks == std::vector<Hunk>{eq("Serikali inapaswa kuwekeza "), ins("zaidi "), eq("katika elimu ya wasichana"),
                                   ins(" na wavulana"), eq(".")});
  check_contract(hunks, a, b);
}

TEST_CASE("diff_words: whitespace-only changes", "[diff]") {
  CHECK(diff_words("hello  world", "hello world") == std::vector<Hunk>{eq("hello"), del("  "), ins(" "), eq("world")});
  CHECK(diff_words("one\ntwo", "one two") == std::vector<Hunk>{eq("one"), del("\n"), ins(" "), eq("two")});
  CHECK(diff_words("end", "end\n") == std::vector<Hunk>{eq("end"), ins("\n")});
  // A whitespace island next to an unchanged end stays equal.
  CHECK(diff_words("a b", "a c") == std::vector<Hunk>{eq("a "), del("b"), ins("c")});
}

TEST_CASE("diff_words: punctuation is its own token", "[diff]") {
  CHECK(diff_words("R1. Water, energy", "R1. Water; energy") ==
        std::vector<Hunk>{eq("R1. Water"), del(","), ins(";"), eq(" energy")});
}

TEST_CASE("diff on empty and identical inputs", "[diff]") {
  CHECK(diff_words("", "").empty());
  CHECK(diff_lines("", "").empty());
  CHECK(diff_words("", "abc def") == std::vector<Hunk>{ins("abc def")});
  CHECK(diff_words("abc def", "") == std::vector<Hunk>{del("abc def")});
  CHECK(diff_lines("", "x\ny") == std::vector<Hunk>{ins("x\ny")});
  const std::string s = "Même texte, same text, نفس النص.\n";
  CHECK(diff_words(s, s) == std::vector<Hunk>{eq(s)});
  CHECK(diff_lines(s, s) == std::vector<Hunk>{eq(s)});
}

TEST_CASE("diff_lines: moved, changed and unterminated lines", "[diff]") {
  SECTION("a moved line is a deletion and an insertion") {
    CHECK(diff_lines("a\nb\nc\n", "b\nc\na\n") == std::vector<Hunk>{del("a\n"), eq("b\nc\n"), ins("a\n")});
  }
  SECTION("a changed line in the middle") {
    CHECK(diff_lines("one\ntwo\nthree\n", "one\n2\nthree\n") ==
          std::vector<Hunk>{eq("one\n"), del("two\n"), ins("2\n"), eq("three\n")});
  }
  SECTION("a missing final newline makes the last line differ") {
    CHECK(diff_lines("a\nb", "a\nb\n") == std::vector<Hunk>{eq("a\n"), del("b"), ins("b\n")});
  }
  SECTION("blank lines are not folded into changes") {
    CHECK(diff_lines("x\n\ny\n", "X\n\nY\n") ==
          std::vector<Hunk>{del("x\n"), ins("X\n"), eq("\n"), del("y\n"), ins("Y\n")});
  }
}

TEST_CASE("diff_html escapes text and marks changes", "[diff]") {
  CHECK(diff_html({ins("<script>alert(1)</script>")}) == "<ins>&lt;script&gt;alert(1)&lt;/script&gt;</ins>");
  const auto hunks = diff_words("a <b>", "a <script>alert(1)</script>");
  CHECK(hunks == std::vector<Hunk>{eq("a <"), del("b"), ins("script>alert(1)</script"), eq(">")});
  const std::string html = diff_html(hunks);
  CHECK(html == "a &lt;<del>b</del><ins>script&gt;alert(1)&lt;/script</ins>&gt;");
  CHECK(html.find("<script") == std::string::npos);
  CHECK(diff_html(diff_words("Tom & \"Jerry\"", "Tom & 'Jerry'")) ==
        "Tom &amp; <del>&quot;</del><ins>&#39;</ins>Jerry<del>&quot;</del><ins>&#39;</ins>");
  CHECK(diff_html({}).empty());
}

TEST_CASE("hunks_to_json uses the wire names", "[diff]") {
  const auto json = hunks_to_json({eq("a "), del("b"), ins("c")});
  CHECK(json == nlohmann::json::parse(R"([{"op":"equal","text":"a "},{"op":"delete","text":"b"},
                                          {"op":"insert","text":"c"}])"));
  CHECK(hunks_to_json({}) == nlohmann::json::array());
  CHECK(std::string(diff_op_name(DiffOp::del)) == "delete");
}

TEST_CASE("diff of 64 KiB inputs with few changes stays small and exact", "[diff]") {
  Lcg rng{42};
  const std::string a = prose(rng, 64 * 1024);
  REQUIRE(a.size() >= 64 * 1024);

  std::string b = a;
  b.replace(100, 7, "REPLACED");                     // near the start
  b.insert(b.size() / 2, "An inserted sentence. ");  // in the middle
  b.erase(b.size() / 3, 40);                         // a deletion
  b.replace(b.size() - 50, 5, "zz");                 // near the end
  const std::vector<Hunk> words = diff_words(a, b);
  check_contract(words, a, b);
  CHECK(changed_bytes(words) < 400);

  const std::vector<Hunk> lines = diff_lines(a, b);
  check_contract(lines, a, b);
  CHECK(std::count_if(lines.begin(), lines.end(), [](const Hunk& h) { return h.op == DiffOp::equal; }) <= 5);
}

TEST_CASE("diff of unrelated 64 KiB inputs is still exact", "[diff]") {
  Lcg rng{7};
  const std::string a = prose(rng, 64 * 1024);
  const std::string b = prose(rng, 64 * 1024);
  check_contract(diff_words(a, b), a, b);
  check_contract(diff_lines(a, b), a, b);

  // Nothing in common at all (disjoint alphabets): one deletion, one insertion.
  const std::string x(64 * 1024, 'x');
  std::string y;
  for (int i = 0; i < 16 * 1024; ++i) y += "-.,;";
  CHECK(diff_words(x, y) == std::vector<Hunk>{del(x), ins(y)});
  const auto punct = diff_words(y, y.substr(1) + ";");
  check_contract(punct, y, y.substr(1) + ";");
}

TEST_CASE("diff_lines finds a shortest edit script", "[diff]") {
  // Small alphabet, so many equally good alignments exist.
  Lcg rng{2024};
  for (int round = 0; round < 300; ++round) {
    std::string a;
    std::string b;
    const size_t na = rng.below(30);
    const size_t nb = rng.below(30);
    for (size_t i = 0; i < na; ++i) a += std::string(1, static_cast<char>('a' + rng.below(4))) + "\n";
    for (size_t i = 0; i < nb; ++i) b += std::string(1, static_cast<char>('a' + rng.below(4))) + "\n";
    const auto hunks = diff_lines(a, b);
    check_contract(hunks, a, b);
    size_t kept = 0;
    for (const Hunk& h : hunks) {
      if (h.op == DiffOp::equal) kept += split_lines(h.text).size();
    }
    INFO("a=" << a << " b=" << b);
    CHECK(kept == lcs_length(split_lines(a), split_lines(b)));
  }
}

TEST_CASE("diff_words satisfies the contract on random multilingual text", "[diff]") {
  const std::vector<std::string> pieces = {"eau", "é", " ", "  ", "\n", ",", ".", "مياه", "maji", "<", "&", "R1"};
  Lcg rng{99};
  for (int round = 0; round < 300; ++round) {
    std::string a;
    std::string b;
    const size_t na = rng.below(40);
    for (size_t i = 0; i < na; ++i) a += pieces[rng.below(pieces.size())];
    b = a;
    const size_t edits = rng.below(5);
    for (size_t e = 0; e < edits && !b.empty(); ++e) {
      const size_t at = rng.below(b.size());
      b.insert(at, pieces[rng.below(pieces.size())]);
      b.erase(rng.below(b.size()), rng.below(3));
    }
    INFO("a=" << a << " b=" << b);
    check_contract(diff_words(a, b), a, b);
  }
}

TEST_CASE("diff stays exact when the search gives up early", "[diff]") {
  // Tiny limits force the cut at the furthest point and the final
  // deletion + insertion fallback on small inputs.
  Lcg rng{5};
  for (int round = 0; round < 300; ++round) {
    std::string a;
    std::string b;
    const size_t na = rng.below(60);
    const size_t nb = rng.below(60);
    for (size_t i = 0; i < na; ++i) a += std::string(1, static_cast<char>('a' + rng.below(3))) + "\n";
    for (size_t i = 0; i < nb; ++i) b += std::string(1, static_cast<char>('a' + rng.below(3))) + (i % 2 ? " " : "\n");
    DiffLimits limits;
    limits.min_cost_cap = 1 + static_cast<int64_t>(rng.below(4));
    limits.base_work_budget = static_cast<int64_t>(rng.below(200));
    limits.work_per_token = 0;
    INFO("a=" << a << " b=" << b);
    check_contract(diff_lines(a, b, limits), a, b);
    check_contract(diff_words(a, b, limits), a, b);
  }

  // No budget at all: whatever differs after the common ends is replaced whole.
  DiffLimits none;
  none.base_work_budget = 0;
  none.work_per_token = 0;
  CHECK(diff_lines("a\nb\nc\nd\n", "a\nx\nc\ny\n", none) ==
        std::vector<Hunk>{eq("a\n"), del("b\nc\nd\n"), ins("x\nc\ny\n")});
  CHECK(diff_lines("a\nb\nc\nd\n", "a\nx\nc\ny\n") ==
        std::vector<Hunk>{eq("a\n"), del("b\n"), ins("x\n"), eq("c\n"), del("d\n"), ins("y\n")});
}
