#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <tuple>

#include "rapporteur/draft_merge.h"
#include "rapporteur/duplicates.h"

using namespace rapporteur;

namespace {

Paragraph rec(std::string pid, std::string breakout, std::string text) {
  Paragraph p;
  p.pid = std::move(pid);
  p.section = "recommendations";
  p.kind = ParagraphKind::list_item;
  p.markdown = std::move(text);
  p.source.kind = SourceKind::fragment;
  p.source.breakout = std::move(breakout);
  return p;
}

// A pair of recommendations from two breakouts, among a few unrelated ones
// (so that the weights look like those of a real session).
std::vector<Duplicate> pair_duplicates(const std::string& a, const std::string& b) {
  Document doc;
  doc.paragraphs.push_back(rec("p1", "complementarity", a));
  doc.paragraphs.push_back(rec("p2", "complementarity", "Use the African Local Migration Charter as a common reference."));
  doc.paragraphs.push_back(rec("p3", "sustainability", b));
  doc.paragraphs.push_back(rec("p4", "sustainability", "Plan the exit strategy of every project from the start."));
  renumber(doc);
  return find_duplicates(doc);
}

}  // namespace

TEST_CASE("fold_text folds case and Latin accents", "[duplicates]") {
  CHECK(fold_text("Élaborer une STRATÉGIE") == "elaborer une strategie");
  CHECK(fold_text("Œuvre, cœur, Æsir, straße") == "oeuvre, coeur, aesir, strasse");
  CHECK(fold_text("Łódź, Kraków, İstanbul, ŽŸ") == "lodz, krakow, istanbul, zy");
  CHECK(fold_text("naïve façade où ÀÉÎÕÜ ñ ÿ") == "naive facade ou aeiou n y");
  CHECK(fold_text("Ελλάδα") == "Ελλάδα");  // other scripts pass through
  CHECK(fold_text("a\xFF b") == "a\xFF b");
}

TEST_CASE("similarity_terms: stop words, plurals, stems", "[duplicates]") {
  CHECK(similarity_terms("The cities and their partners") == std::vector<std::string>{"city", "partne"});
  CHECK(similarity_terms("Les collectivités locales, les locaux") ==
        std::vector<std::string>{"collec", "locale", "local"});
  CHECK(similarity_terms("organisations / organization") == std::vector<std::string>{"organi", "organi"});
  CHECK(similarity_terms("**Financing** [finance](https://example.org)") ==
        std::vector<std::string>{"financ", "financ", "exampl"});
  CHECK(similarity_terms("l’inclusion – «migrants»") == std::vector<std::string>{"inclus", "migran"});
  CHECK(similarity_terms("").empty());
}

TEST_CASE("text_similarity is symmetric and in [0, 1]", "[duplicates]") {
  const std::string a = "Create a joint fund for intermediary cities.";
  const std::string b = "Set up a common fund for intermediary cities.";
  CHECK(text_similarity(a, a) == 1.0);
  CHECK(text_similarity(a, b) == text_similarity(b, a));
  CHECK(text_similarity(a, b) > 0.0);
  CHECK(text_similarity(a, b) < 1.0);
  CHECK(text_similarity("", a) == 0.0);
  CHECK(text_similarity("the of and", "the of and") == 0.0);
}

TEST_CASE("duplicates: paraphrases across breakouts are flagged", "[duplicates]") {
  const std::vector<std::pair<std::string, std::string>> paraphrases = {
      {"Create a joint fund for intermediary cities to finance migrant inclusion.",
       "Establish a common fund that finances the inclusion of migrants in intermediary cities."},
      {"Strengthen the capacities of municipal staff on migration governance through regular training.",
       "Build the capacity of municipal staff in migration governance with regular trainings."},
      {"Involve migrant-led organisations in the design of partnership projects.",
       "Migrant-led organizations should be involved in designing partnership projects."},
      {"Share good practices between intermediary cities through city networks.",
       "Good practices should be shared among intermediary cities via city networks."},
      {"Créer un fonds commun pour les villes intermédiaires.",
       "Créer un fonds commun destiné aux villes intermédiaires africaines."},
      {"Establish in each intermediary city a permanent platform for dialogue and coordination on migration.",
       "Set up in every city a permanent platform for dialogue and coordination on migration."},
  };
  for (const auto& [a, b] : paraphrases) {
    INFO(a << " / " << b);
    const std::vector<Duplicate> d = pair_duplicates(a, b);
    REQUIRE(d.size() == 1);
    CHECK(d[0].a == "p1");
    CHECK(d[0].b == "p3");
    CHECK(d[0].score >= kDuplicateThreshold);
    CHECK(d[0].score <= 1.0);
  }
}

TEST_CASE("duplicates: related but different recommendations are not flagged", "[duplicates]") {
  const std::vector<std::pair<std::string, std::string>> different = {
      {"Strengthen the capacities of local governments to collect data on migration.",
       "Strengthen the capacities of national governments to fund migration programmes."},
      {"Create a joint fund for intermediary cities to finance migrant inclusion.",
       "Create a regional observatory on migration in intermediary cities."},
      {"Involve migrant-led organisations in the design of partnership projects.",
       "Give migrant-led organisations a permanent seat in the governance of partnerships."},
      {"Share good practices between intermediary cities through city networks.",
       "Train the staff of intermediary cities through city networks and universities."},
      {"Clarify the competences of local governments in the reception of migrants.",
       "Transfer resources to local governments for the reception of migrants."},
  };
  for (const auto& [a, b] : different) {
    INFO(a << " / " << b);
    CHECK(pair_duplicates(a, b).empty());
  }
}

TEST_CASE("duplicates: only recommendations from different known breakouts", "[duplicates]") {
  const std::string text = "Create a joint fund for intermediary cities.";
  Document doc;
  doc.paragraphs.push_back(rec("p1", "complementarity", text));
  doc.paragraphs.push_back(rec("p2", "complementarity", text));  // same breakout
  doc.paragraphs.push_back(rec("p3", "", text));                 // unknown breakout (e.g. an amendment)
  Paragraph conclusion = rec("p4", "sustainability", text);
  conclusion.section = "conclusions";  // not a recommendation
  doc.paragraphs.push_back(conclusion);
  Paragraph lead = rec("p5", "sustainability", text);
  lead.kind = ParagraphKind::lead_in;  // not numbered
  doc.paragraphs.push_back(lead);
  renumber(doc);
  CHECK(find_duplicates(doc).empty());

  doc.paragraphs.push_back(rec("p6", "sustainability", text));
  renumber(doc);
  const std::vector<Duplicate> d = find_duplicates(doc);
  REQUIRE(d.size() == 2);
  CHECK(d[0].a == "p1");
  CHECK(d[0].b == "p6");
  CHECK(d[0].score == 1.0);
  CHECK(d[1].a == "p2");
  CHECK(d[1].b == "p6");
}

TEST_CASE("duplicates: the threshold is a parameter", "[duplicates]") {
  Document doc;
  doc.paragraphs.push_back(rec("p1", "complementarity", "Create a joint fund for intermediary cities."));
  doc.paragraphs.push_back(rec("p2", "sustainability", "Create a regional observatory on migration."));
  renumber(doc);
  CHECK(find_duplicates(doc).empty());
  CHECK(find_duplicates(doc, 0.0).size() == 1);
  CHECK(find_duplicates(doc, -3.0).size() == 1);  // clamped to 0
  CHECK(find_duplicates(doc, 7.0).empty());      // clamped to 1
}

TEST_CASE("duplicates: the Kisumu sample flags its near-duplicate platform recommendation", "[duplicates]") {
  // Same texts as samples/kisumu-2022/notes/*.md (the golden case checks the files themselves).
  Document doc;
  doc.paragraphs.push_back(rec("p1", "complementarity",
                               "Establish in each intermediary city a permanent multi-stakeholder platform\n"
                               "for dialogue and coordination on migration, chaired by the local government\n"
                               "and including national authorities, international organisations, civil\n"
                               "society and migrant and refugee-led organisations."));
  doc.paragraphs.push_back(rec("p2", "complementarity",
                               "Involve migrant and refugee-led organisations from the design phase of\n"
                               "projects, not only in their implementation, and budget for their\n"
                               "participation."));
  doc.paragraphs.push_back(rec("p3", "sustainability",
                               "Set up in every city a permanent platform for dialogue and coordination on\n"
                               "migration, led by the municipality and bringing together the national\n"
                               "government, international organisations, civil society and organisations of\n"
                               "migrants and refugees."));
  doc.paragraphs.push_back(rec("p4", "sustainability",
                               "Give migrant and refugee-led organisations a permanent seat in the governance\n"
                               "of partnerships and support their institutional development."));
  renumber(doc);
  const std::vector<Duplicate> d = find_duplicates(doc);
  REQUIRE(d.size() == 1);
  CHECK(d[0].a == "p1");
  CHECK(d[0].b == "p3");
}

TEST_CASE("duplicates: a text copied into many breakouts flags each copy with its closest matches only", "[duplicates]") {
  // Eight breakouts recommend the same thing: 28 pairs score 1.0. Each copy is
  // flagged with its three nearest copies, not with all seven.
  const std::string text = "Create a joint fund for intermediary cities and their migrant communities.";
  Document doc;
  for (int i = 1; i <= 8; ++i) doc.paragraphs.push_back(rec("c" + std::to_string(i), "b" + std::to_string(i), text));
  doc.paragraphs.push_back(rec("u1", "b1", "Use the African Local Migration Charter as a common reference."));
  renumber(doc);
  const std::vector<Duplicate> d = find_duplicates(doc);
  std::map<std::string, int> flagged;
  for (const Duplicate& x : d) {
    CHECK(x.score == 1.0);
    const int a = std::stoi(x.a.substr(1)), b = std::stoi(x.b.substr(1));
    CHECK(a < b);         // document order
    CHECK(b - a <= 3);    // the nearest copies
    ++flagged[x.a];
    ++flagged[x.b];
  }
  CHECK(d.size() < 28);  // not every pair
  CHECK(flagged.size() == 8);    // every copy flagged, the unrelated text not
  for (const auto& [pid, count] : flagged) CHECK(count >= static_cast<int>(kMaxDuplicatesPerRecommendation));

  // A copy with a closer paraphrase elsewhere keeps the best-scoring match
  // first: lower scores give way.
  Document two;
  two.paragraphs.push_back(rec("x1", "b1", "Create a joint fund for intermediary cities."));
  for (int i = 2; i <= 6; ++i) {
    two.paragraphs.push_back(rec("x" + std::to_string(i), "b" + std::to_string(i),
                                 "Create a joint fund for intermediary cities and towns, with a board."));
  }
  two.paragraphs.push_back(rec("x7", "b7", "Create a joint fund for intermediary cities."));
  renumber(two);
  bool exact_pair = false;
  for (const Duplicate& x : find_duplicates(two, 0.3)) exact_pair = exact_pair || (x.a == "x1" && x.b == "x7");
  CHECK(exact_pair);  // the farthest in the document, but the only score of 1.0 for both
}

namespace {

struct Expected {
  std::vector<std::tuple<std::string, std::string, double>> pairs;
  int most_per_recommendation = 0;
};

// The reference: idf weights over the recommendations, every pair of
// different breakouts tried, as the header describes it.
Expected all_pairs(const std::vector<std::string>& texts, const std::vector<std::string>& breakouts, double threshold) {
  std::vector<std::vector<std::string>> terms;
  std::map<std::string, int> df;
  for (const auto& t : texts) {
    auto v = similarity_terms(t);
    std::sort(v.begin(), v.end());
    v.erase(std::unique(v.begin(), v.end()), v.end());
    for (const auto& w : v) ++df[w];
    terms.push_back(v);
  }
  const double n = static_cast<double>(texts.size());
  Expected out;
  std::map<size_t, int> per_rec;
  for (size_t i = 0; i < texts.size(); ++i) {
    for (size_t j = i + 1; j < texts.size(); ++j) {
      if (breakouts[i] == breakouts[j]) continue;
      double common = 0, all = 0;
      std::set<std::string> u(terms[i].begin(), terms[i].end());
      u.insert(terms[j].begin(), terms[j].end());
      for (const auto& w : u) {
        const double wt = std::log((1 + n) / (1 + df[w])) + 1;
        all += wt;
        if (std::binary_search(terms[i].begin(), terms[i].end(), w) &&
            std::binary_search(terms[j].begin(), terms[j].end(), w)) {
          common += wt;
        }
      }
      const double score = all > 0 ? common / all : 0;
      if (score >= threshold) {
        out.pairs.emplace_back("p" + std::to_string(i), "p" + std::to_string(j), score);
        out.most_per_recommendation = std::max({out.most_per_recommendation, ++per_rec[i], ++per_rec[j]});
      }
    }
  }
  return out;
}

void check_against_all_pairs(const std::vector<std::string>& texts, const std::vector<std::string>& breakouts,
                             double threshold) {
  Document doc;
  for (size_t i = 0; i < texts.size(); ++i) doc.paragraphs.push_back(rec("p" + std::to_string(i), breakouts[i], texts[i]));
  renumber(doc);
  const std::vector<Duplicate> got = find_duplicates(doc, threshold);
  const Expected want = all_pairs(texts, breakouts, threshold);
  INFO("threshold " << threshold << ", " << want.pairs.size() << " pairs expected");
  // Not more than 3 matches per recommendation: nothing is capped.
  REQUIRE(want.most_per_recommendation <= static_cast<int>(kMaxDuplicatesPerRecommendation));
  CHECK_FALSE(want.pairs.empty());  // the case tests something
  REQUIRE(got.size() == want.pairs.size());
  for (size_t k = 0; k < got.size(); ++k) {
    CHECK(got[k].a == std::get<0>(want.pairs[k]));
    CHECK(got[k].b == std::get<1>(want.pairs[k]));
    CHECK(got[k].score == Approx(std::get<2>(want.pairs[k])).margin(0.0006));
  }
}

}  // namespace

TEST_CASE("duplicates: the pairs found equal those of comparing every pair", "[duplicates]") {
  // The indexed search (prefix filtering) must find exactly the pairs and
  // scores of the plain all-pairs comparison.
  const std::vector<std::string> texts = {
      "Create a joint fund for intermediary cities.",
      "Establish a shared fund for intermediary cities and towns.",
      "Train municipal staff on the rights of migrants.",
      "Train local government staff on migrants' rights and services.",
      "Publish open data on migration flows every year.",
      "Open the data of migration observatories to researchers.",
      "Créer un fonds commun pour les villes intermédiaires.",
      "Adopt the African Local Migration Charter.",
  };
  std::vector<std::string> breakouts;
  for (size_t i = 0; i < texts.size(); ++i) breakouts.push_back("b" + std::to_string(i % 3));
  for (double threshold : {0.2, 0.3, kDuplicateThreshold}) check_against_all_pairs(texts, breakouts, threshold);

  // 120 recommendations drawn from a vocabulary of common and rare words,
  // some of them rewordings of others, over 5 breakouts.
  const char* const common[] = {"cities", "local", "migration", "support", "partners", "plan"};
  uint64_t x = 12345;
  auto next = [&] { return (x = x * 6364136223846793005ULL + 1442695040888963407ULL) >> 33; };
  std::vector<std::string> many, many_breakouts;
  for (int i = 0; i < 120; ++i) {
    std::string t;
    if (i % 6 == 5) {  // a rewording of the one before: its words, the first replaced
      t = many.back();
      t.replace(0, t.find(' '), "word" + std::to_string(next() % 900));
    } else {
      for (int w = 0; w < 9; ++w) {
        t += (w ? " " : "") + (next() % 3 == 0 ? std::string(common[next() % 6]) : "word" + std::to_string(next() % 900));
      }
    }
    many.push_back(t);
    many_breakouts.push_back("b" + std::to_string(next() % 5));
  }
  for (double threshold : {0.3, kDuplicateThreshold, 0.6, 0.7}) check_against_all_pairs(many, many_breakouts, threshold);
}
