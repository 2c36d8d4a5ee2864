// The terms of a new poll, as the POST /polls body gives them.
#include "domain/sessions/fields.h"
#include "rapporteur/polls.h"
#include "rapporteur/text.h"
#include "rapporteur/timezone.h"

namespace rapporteur {
namespace {

constexpr int64_t kMaxQuorum = 1'000'000;
constexpr int64_t kMaxDurationSeconds = 24 * 3600;

}  // namespace

Result<Poll> parse_poll(const nlohmann::json& j) {
  RAPPORTEUR_RETURN_IF_ERROR(fields::only_members(
      j, {"subject", "method", "rule", "quorum", "secret", "closes_at", "duration_seconds", "hide_results",
          "override_slot", "reason"}));
  Poll p;
  auto subject = j.find("subject");
  if (subject == j.end() || !subject->is_object() || subject->size() != 1) {
    return Status::invalid("subject: must be {\"amendment\": id} or {\"adoption\": draft number}", "subject");
  }
  const std::string kind = subject->begin().key();
  const auto subject_kind = parse_poll_subject(kind);
  if (!subject_kind) {
    return Status::invalid("subject: \"" + kind.substr(0, 40) + "\" is not amendment or adoption", "subject");
  }
  RAPPORTEUR_ASSIGN_OR_RETURN(auto id, fields::required_int(*subject, kind, 1, INT32_MAX, "subject"));
  p.subject_kind = *subject_kind;
  p.subject_id = id;
  RAPPORTEUR_ASSIGN_OR_RETURN(auto method, fields::optional_string(j, "method", 32, method_name(Method::electronic)));
  const auto parsed_method = parse_method(method);
  if (!parsed_method) {
    return Status::invalid("method: \"" + method + "\" is not one of electronic, show_of_hands, consensus", "method");
  }
  p.method = *parsed_method;
  RAPPORTEUR_ASSIGN_OR_RETURN(
      auto rule, fields::optional_string(j, "rule", 32,
                                         rule_name(p.method == Method::consensus ? Rule::consensus : Rule::simple)));
  const auto parsed_rule = parse_rule(rule);
  if (!parsed_rule) {
    return Status::invalid("rule: \"" + rule + "\" is not one of simple, two_thirds, absolute, consensus", "rule");
  }
  p.rule = *parsed_rule;
  if (p.method == Method::consensus && p.rule != Rule::consensus) {
    return Status::invalid("rule: the consensus method takes the consensus rule", "rule");
  }
  RAPPORTEUR_ASSIGN_OR_RETURN(auto quorum, fields::optional_int(j, "quorum", 1, kMaxQuorum));
  p.quorum = quorum;
  RAPPORTEUR_ASSIGN_OR_RETURN(auto secret, fields::optional_bool(j, "secret", false));
  p.secret = secret;
  if (p.secret && p.method != Method::electronic) return Status::invalid("secret: only electronic polls can be secret", "secret");
  RAPPORTEUR_ASSIGN_OR_RETURN(auto closes, fields::optional_string(j, "closes_at", 64));
  if (!closes.empty()) {
    auto t = parse_rfc3339(closes);
    if (!t) return Status::invalid("closes_at: " + t.status().message(), "closes_at");
    p.closes_at = *t;
  }
  RAPPORTEUR_ASSIGN_OR_RETURN(auto duration, fields::optional_int(j, "duration_seconds", 1, kMaxDurationSeconds));
  p.duration_seconds = duration;
  if (p.duration_seconds && p.closes_at) {
    return Status::invalid("duration_seconds: give a duration or a closing time (closes_at), not both", "duration_seconds");
  }
  RAPPORTEUR_ASSIGN_OR_RETURN(auto hide, fields::optional_bool(j, "hide_results", p.secret));
  p.hide_results = hide;
  if (p.secret && !p.hide_results) {
    // A running tally of a secret poll, watched as people vote, would pair
    // voters with choices.
    return Status::invalid("hide_results: a secret poll never shows its counts before the close", "hide_results");
  }
  if (p.hide_results && p.method != Method::electronic) {
    return Status::invalid("hide_results: only electronic polls hide their counts (show-of-hands counts and consensus "
                           "objections are made in the room)",
                           "hide_results");
  }
  RAPPORTEUR_ASSIGN_OR_RETURN(auto override_slot, fields::optional_bool(j, "override_slot", false));
  p.override_slot = override_slot;
  RAPPORTEUR_ASSIGN_OR_RETURN(auto reason, fields::optional_string(j, "reason", 1000));
  p.reason = std::string(trim(reason));
  if (p.override_slot && p.reason.empty()) {
    return Status::invalid("reason: overriding the slot guard needs a reason, which the log keeps", "reason");
  }
  return p;
}

}  // namespace rapporteur
