#include "rapporteur/tally.h"

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

std::optional<Rule> parse_rule(std::string_view name) {
  if (name == "simple") return Rule::simple;
  if (name == "two_thirds") return Rule::two_thirds;
  if (name == "absolute") return Rule::absolute;
  if (name == "consensus") return Rule::consensus;
  return std::nullopt;
}

const char* rule_name(Rule rule) {
  switch (rule) {
    case Rule::simple:
      return "simple";
    case Rule::two_thirds:
      return "two_thirds";
    case Rule::absolute:
      return "absolute";
    case Rule::consensus:
      return "consensus";
  }
  return "unknown";
}

std::optional<Method> parse_method(std::string_view name) {
  if (name == "electronic") return Method::electronic;
  if (name == "show_of_hands") return Method::show_of_hands;
  if (name == "consensus") return Method::consensus;
  return std::nullopt;
}

const char* method_name(Method method) {
  switch (method) {
    case Method::electronic:
      return "electronic";
    case Method::show_of_hands:
      return "show_of_hands";
    case Method::consensus:
      return "consensus";
  }
  return "unknown";
}

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
