#include "rapporteur/tally.h"

#include "rapporteur/wire_names.h"

#include <algorithm>
#include <limits>

namespace rapporteur {
namespace {

int64_t non_negative(int64_t v) { return std::max<int64_t>(v, 0); }

int64_t saturating_add(int64_t a, int64_t b) {  // both non-negative
  return a > std::numeric_limits<int64_t>::max() - b ? std::numeric_limits<int64_t>::max() : a + b;
}

bool passes(Rule rule, int64_t yes, int64_t no, int64_t eligible) {
  switch (rule) {
    case Rule::simple:
      return yes > no;
    case Rule::two_thirds:
      // 3 yes >= 2 (yes + no)  <=>  yes >= 2 no  <=>  no <= floor(yes / 2)
      return yes > 0 && no <= yes / 2;
    case Rule::absolute:
      // 2 yes > eligible  <=>  yes > floor(eligible / 2)
      return yes > eligible / 2;
    case Rule::consensus:
      return no == 0;
  }
  return false;
}

}  // namespace

namespace {

const WireName<Rule> kRuleNames[] = {
    {Rule::simple, "simple"}, {Rule::two_thirds, "two_thirds"}, {Rule::absolute, "absolute"}, {Rule::consensus, "consensus"}};
const WireName<Method> kMethodNames[] = {
    {Method::electronic, "electronic"}, {Method::show_of_hands, "show_of_hands"}, {Method::consensus, "consensus"}};

}  // namespace

std::optional<Rule> parse_rule(std::string_view name) { return parse_wire_in(kRuleNames, name); }
const char* rule_name(Rule rule) { return wire_name_in(kRuleNames, rule); }
std::optional<Method> parse_method(std::string_view name) { return parse_wire_in(kMethodNames, name); }
const char* method_name(Method method) { return wire_name_in(kMethodNames, method); }

TallyResult tally(const TallyInput& in) {
  TallyResult r;
  r.eligible = non_negative(in.eligible);
  if (in.method == Method::consensus) {
    r.outcome = non_negative(in.objections) > 0 ? "rejected" : "adopted";
    return r;
  }
  r.yes = non_negative(in.yes);
  r.no = non_negative(in.no);
  r.abstain = non_negative(in.abstain);
  r.cast = saturating_add(saturating_add(r.yes, r.no), r.abstain);
  if (in.quorum && r.cast < *in.quorum) {
    r.outcome = "no_quorum";
  } else {
    r.outcome = passes(in.rule, r.yes, r.no, r.eligible) ? "adopted" : "rejected";
  }
  return r;
}

}  // namespace rapporteur
