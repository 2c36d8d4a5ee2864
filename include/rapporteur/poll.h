// A poll on an amendment or on the adoption of a draft, as stored.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "rapporteur/tally.h"

namespace rapporteur {

// pending, open, closed; cancelled: a pending poll the president cancelled,
// kept as a record, never opened.
enum class PollState { pending, open, closed, cancelled };
// What a poll decides: an amendment, or the adoption of a whole draft.
enum class PollSubject { amendment, adoption };

// Wire names, exact: "pending", "open", "closed", "cancelled"; "amendment",
// "adoption". An unknown name gives std::nullopt.
const char* poll_state_name(PollState s);
std::optional<PollState> parse_poll_state(std::string_view name);
const char* poll_subject_name(PollSubject s);
std::optional<PollSubject> parse_poll_subject(std::string_view name);

// A typed state in JSON is its wire name.
inline void to_json(nlohmann::json& j, PollState s) { j = poll_state_name(s); }
inline void to_json(nlohmann::json& j, PollSubject s) { j = poll_subject_name(s); }
inline void to_json(nlohmann::json& j, Method m) { j = method_name(m); }
inline void to_json(nlohmann::json& j, Rule r) { j = rule_name(r); }

struct Poll {
  int64_t id = 0;
  std::string session;
  PollSubject subject_kind = PollSubject::amendment;
  int64_t subject_id = 0;  // the amendment's id, or the draft's number
  Method method = Method::electronic;
  Rule rule = Rule::simple;
  std::optional<int64_t> quorum;
  bool secret = false;
  std::optional<int64_t> closes_at;  // UTC ms
  // Set at creation instead of closes_at: the poll closes this many seconds
  // after it opens (closes_at is set then).
  std::optional<int64_t> duration_seconds;
  // While open, no one sees the counts, only how many ballots were cast.
  // Always true for secret polls; electronic polls only.
  bool hide_results = false;
  bool override_slot = false;
  std::string reason;
  PollState state = PollState::pending;
  std::string created_by;
  int64_t created_at = 0;
  int64_t opened_at = 0;
  int64_t closed_at = 0;
  int64_t cancelled_at = 0;
  int64_t eligible = 0;
  std::optional<int64_t> hands_yes, hands_no, hands_abstain;
  nlohmann::json result;  // null until closed
};

// "poll 3", as messages name a poll.
std::string poll_name(int64_t id);
// {"amendment": 4} or {"adoption": 2}, as the API and the log write a subject.
nlohmann::json poll_subject_json(const Poll& p);

}  // namespace rapporteur
