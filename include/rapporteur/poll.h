// A poll on an amendment or on the adoption of a draft, as stored.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>

namespace rapporteur {

struct Poll {
  int64_t id = 0;
  std::string session;
  std::string subject_kind;  // amendment, adoption
  int64_t subject_id = 0;
  std::string method;
  std::string rule;
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
  // pending, open, closed; "cancelled" for a pending poll cancelled by the
  // president (kept as a record, never opened).
  std::string state = "pending";
  std::string created_by;
  int64_t created_at = 0;
  int64_t opened_at = 0;
  int64_t closed_at = 0;
  int64_t cancelled_at = 0;
  int64_t eligible = 0;
  std::optional<int64_t> hands_yes, hands_no, hands_abstain;
  nlohmann::json result;  // null until closed
};

}  // namespace rapporteur
