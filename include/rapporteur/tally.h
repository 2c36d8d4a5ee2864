// Counting a poll: DESIGN.md's majority table as one pure function.
//
// "Present and voting": abstentions are ballots cast (they count towards the
// quorum) but neither for nor against, so they never change whether a motion
// passes once the quorum is met. Thread-safe, no I/O.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace rapporteur {

// Majority rule, fixed when the poll is created.
enum class Rule { simple, two_thirds, absolute, consensus };
// How the votes are gathered.
enum class Method { electronic, show_of_hands, consensus };

// Wire names: "simple", "two_thirds", "absolute", "consensus";
// "electronic", "show_of_hands", "consensus". Parsing is exact
// (case-sensitive); an unknown name gives std::nullopt.
std::optional<Rule> parse_rule(std::string_view name);
const char* rule_name(Rule rule);
std::optional<Method> parse_method(std::string_view name);
const char* method_name(Method method);

// Counts are expected to be non-negative (validated at the HTTP edge); a
// negative count is treated as 0. Comparisons are written so that no count
// up to INT64_MAX can overflow them; `cast` saturates at INT64_MAX.
struct TallyInput {
  Method method = Method::electronic;
  Rule rule = Rule::simple;
  int64_t yes = 0, no = 0, abstain = 0;
  int64_t eligible = 0;           // people with a voting right (for `absolute`)
  std::optional<int64_t> quorum;  // minimum ballots cast, when set
  int64_t objections = 0;         // consensus method only
};

struct TallyResult {
  std::string outcome;  // "adopted", "rejected" or "no_quorum"
  int64_t yes = 0, no = 0, abstain = 0, cast = 0, eligible = 0;
};

// Outcome of a closed poll.
//
// Electronic and show-of-hands polls: when `quorum` is set and
// cast = yes + no + abstain is below it, "no_quorum". Otherwise "adopted" when
//   simple      yes > no
//   two_thirds  yes >= 2/3 (yes + no) and yes > 0   (exact integer test)
//   absolute    yes > eligible / 2                  (exact integer test)
//   consensus   no == 0  (so a poll with no "no" ballot, even an empty or
//               all-abstain one, is adopted unless the quorum fails)
// else "rejected".
//
// Consensus method: nobody votes, the chair asks for objections. "adopted"
// when objections == 0, else "rejected", whatever the rule. yes/no/abstain
// and cast are reported as 0 (input counts are ignored) and the quorum does
// not apply: there are no ballots to count against it, and the decision that
// the room was fit to decide is the chair's, before asking.
TallyResult tally(const TallyInput& in);

}  // namespace rapporteur
