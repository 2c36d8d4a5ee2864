#include <catch2/catch.hpp>

#include "rapporteur/tally.h"

#include <limits>

using namespace rapporteur;

namespace {

TallyResult vote(Rule rule, int64_t yes, int64_t no, int64_t abstain, int64_t eligible = 100,
                 std::optional<int64_t> quorum = std::nullopt) {
  TallyInput in;
  in.method = Method::electronic;
  in.rule = rule;
  in.yes = yes;
  in.no = no;
  in.abstain = abstain;
  in.eligible = eligible;
  in.quorum = quorum;
  return tally(in);
}

std::string outcome(Rule rule, int64_t yes, int64_t no, int64_t abstain, int64_t eligible = 100,
                    std::optional<int64_t> quorum = std::nullopt) {
  return vote(rule, yes, no, abstain, eligible, quorum).outcome;
}

}  // namespace

TEST_CASE("rule and method names round-trip", "[tally]") {
  for (Rule r : {Rule::simple, Rule::two_thirds, Rule::absolute, Rule::consensus}) {
    CHECK(parse_rule(rule_name(r)) == r);
  }
  for (Method m : {Method::electronic, Method::show_of_hands, Method::consensus}) {
    CHECK(parse_method(method_name(m)) == m);
  }
  CHECK(std::string(rule_name(Rule::two_thirds)) == "two_thirds");
  CHECK(std::string(method_name(Method::show_of_hands)) == "show_of_hands");
  CHECK_FALSE(parse_rule("Simple"));
  CHECK_FALSE(parse_rule("majority"));
  CHECK_FALSE(parse_rule(""));
  CHECK_FALSE(parse_method("hands"));
  CHECK_FALSE(parse_method("electronic "));
}

TEST_CASE("simple majority: yes > no, abstentions ignored", "[tally]") {
  CHECK(outcome(Rule::simple, 10, 9, 50) == "adopted");
  CHECK(outcome(Rule::simple, 10, 10, 0) == "rejected");  // tie
  CHECK(outcome(Rule::simple, 0, 0, 0) == "rejected");    // no votes
  CHECK(outcome(Rule::simple, 0, 0, 30) == "rejected");   // all abstain
  CHECK(outcome(Rule::simple, 1, 0, 30) == "adopted");
}

TEST_CASE("two-thirds majority of those present and voting", "[tally]") {
  CHECK(outcome(Rule::two_thirds, 30, 15, 20) == "adopted");  // 30 >= 30 (DESIGN.md)
  CHECK(outcome(Rule::two_thirds, 29, 15, 20) == "rejected");  // 29 < 29.33
  CHECK(outcome(Rule::two_thirds, 2, 1, 0) == "adopted");
  CHECK(outcome(Rule::two_thirds, 1, 1, 0) == "rejected");
  CHECK(outcome(Rule::two_thirds, 0, 0, 0) == "rejected");   // yes > 0 required
  CHECK(outcome(Rule::two_thirds, 0, 0, 12) == "rejected");  // all abstain
  CHECK(outcome(Rule::two_thirds, 1, 0, 0) == "adopted");
  CHECK(outcome(Rule::two_thirds, 20, 10, 0) == "adopted");  // exactly 2/3
  CHECK(outcome(Rule::two_thirds, 19, 10, 0) == "rejected");
  CHECK(outcome(Rule::two_thirds, 21, 11, 0) == "rejected");  // 21 < 21.33

  // Agrees with 3 yes >= 2 (yes + no) everywhere on a small grid.
  for (int64_t y = 0; y < 40; ++y) {
    for (int64_t n = 0; n < 40; ++n) {
      const bool expected = y > 0 && 3 * y >= 2 * (y + n);
      CHECK((outcome(Rule::two_thirds, y, n, 0) == "adopted") == expected);
    }
  }
}

TEST_CASE("absolute majority: more than half of the eligible voters", "[tally]") {
  // Even electorate: 50 eligible needs 26.
  CHECK(outcome(Rule::absolute, 26, 0, 0, 50) == "adopted");
  CHECK(outcome(Rule::absolute, 25, 0, 0, 50) == "rejected");
  // Odd electorate: 51 eligible needs 26 too.
  CHECK(outcome(Rule::absolute, 26, 25, 0, 51) == "adopted");
  CHECK(outcome(Rule::absolute, 25, 0, 26, 51) == "rejected");
  // More yes than no is not enough without half the room.
  CHECK(outcome(Rule::absolute, 20, 1, 0, 50) == "rejected");
  CHECK(outcome(Rule::absolute, 0, 0, 0, 0) == "rejected");
  CHECK(outcome(Rule::absolute, 1, 0, 0, 1) == "adopted");
}

TEST_CASE("consensus rule on a counted poll: no 'no' at all", "[tally]") {
  CHECK(outcome(Rule::consensus, 40, 0, 5) == "adopted");
  CHECK(outcome(Rule::consensus, 40, 1, 5) == "rejected");
  CHECK(outcome(Rule::consensus, 0, 0, 10) == "adopted");  // documented: no objection
  CHECK(outcome(Rule::consensus, 0, 0, 10, 100, 11) == "no_quorum");
}

TEST_CASE("quorum counts ballots cast, abstentions included", "[tally]") {
  // Quorum 20: 19 ballots miss it by one, 20 meet it exactly.
  auto missed = vote(Rule::simple, 10, 5, 4, 40, 20);
  CHECK(missed.outcome == "no_quorum");
  CHECK(missed.cast == 19);
  auto met = vote(Rule::simple, 10, 5, 5, 40, 20);
  CHECK(met.outcome == "adopted");
  CHECK(met.cast == 20);
  CHECK(outcome(Rule::simple, 5, 10, 5, 40, 20) == "rejected");  // met, then counted
  CHECK(outcome(Rule::simple, 0, 0, 20, 40, 20) == "rejected");
  CHECK(outcome(Rule::simple, 1, 0, 0, 40, 0) == "adopted");  // quorum 0 is always met
  CHECK(outcome(Rule::two_thirds, 30, 15, 20, 100, 66) == "no_quorum");
  CHECK(outcome(Rule::two_thirds, 30, 15, 20, 100, 65) == "adopted");
}

TEST_CASE("the result echoes the counts", "[tally]") {
  auto r = vote(Rule::two_thirds, 30, 15, 20, 70);
  CHECK(r.outcome == "adopted");
  CHECK(r.yes == 30);
  CHECK(r.no == 15);
  CHECK(r.abstain == 20);
  CHECK(r.cast == 65);
  CHECK(r.eligible == 70);
}

TEST_CASE("show of hands follows the same rules", "[tally]") {
  TallyInput in;
  in.method = Method::show_of_hands;
  in.rule = Rule::two_thirds;
  in.yes = 29;
  in.no = 15;
  in.abstain = 20;
  in.eligible = 80;
  CHECK(tally(in).outcome == "rejected");
  in.yes = 30;
  CHECK(tally(in).outcome == "adopted");
}

TEST_CASE("consensus method: adopted unless someone objects", "[tally]") {
  TallyInput in;
  in.method = Method::consensus;
  in.rule = Rule::simple;  // ignored for this method
  in.eligible = 35;
  in.quorum = 30;          // not applied: there are no ballots
  auto r = tally(in);
  CHECK(r.outcome == "adopted");
  CHECK(r.cast == 0);
  CHECK(r.yes == 0);
  CHECK(r.eligible == 35);

  in.objections = 1;
  CHECK(tally(in).outcome == "rejected");

  in.objections = 0;
  in.yes = 3;  // stray counts are ignored and not reported
  in.no = 2;
  r = tally(in);
  CHECK(r.outcome == "adopted");
  CHECK(r.yes == 0);
  CHECK(r.no == 0);
  for (Rule rule : {Rule::two_thirds, Rule::absolute, Rule::consensus}) {
    in.rule = rule;
    in.objections = 1;
    CHECK(tally(in).outcome == "rejected");
    in.objections = 0;
    CHECK(tally(in).outcome == "adopted");
  }
}

TEST_CASE("tally never overflows and treats negative counts as zero", "[tally]") {
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  CHECK(outcome(Rule::two_thirds, kMax, kMax / 2, 0) == "adopted");
  CHECK(outcome(Rule::two_thirds, kMax - 2, kMax / 2, 0) == "rejected");
  CHECK(outcome(Rule::absolute, kMax / 2 + 1, 0, 0, kMax) == "adopted");
  CHECK(vote(Rule::simple, kMax, kMax, kMax).cast == kMax);
  auto r = vote(Rule::simple, -5, -1, -3);
  CHECK(r.yes == 0);
  CHECK(r.cast == 0);
  CHECK(r.outcome == "rejected");
}
