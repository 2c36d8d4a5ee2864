// An amendment to one paragraph of a draft, as stored.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace rapporteur {

// What an amendment does to its target paragraph: replaces it, inserts a new
// paragraph after it, or deletes it.
enum class AmendmentKind { replace, insert_after, del };  // del: "delete" (a keyword)
// proposed; then admitted or ruled_out by the president, or withdrawn by its
// proposer; voting while a poll on it is open; adopted or rejected by that
// poll; outdated when another amendment changed its paragraph first.
enum class AmendmentStatus { proposed, admitted, ruled_out, withdrawn, voting, adopted, rejected, outdated };

// Wire names, exact: "replace", "insert_after", "delete"; "proposed",
// "admitted", "ruled_out", "withdrawn", "voting", "adopted", "rejected",
// "outdated". An unknown name gives std::nullopt.
const char* amendment_kind_name(AmendmentKind k);
std::optional<AmendmentKind> parse_amendment_kind(std::string_view name);
const char* amendment_status_name(AmendmentStatus s);
std::optional<AmendmentStatus> parse_amendment_status(std::string_view name);

// A typed term in JSON is its wire name.
inline void to_json(nlohmann::json& j, AmendmentKind k) { j = amendment_kind_name(k); }
inline void to_json(nlohmann::json& j, AmendmentStatus s) { j = amendment_status_name(s); }

struct Amendment {
  int64_t id = 0;
  std::string session;
  int draft = 0;
  std::string target;  // pid
  AmendmentKind kind = AmendmentKind::replace;
  std::string text;
  std::string original;  // the target's Markdown when proposed
  std::string rationale;
  int64_t proposer = 0;
  AmendmentStatus status = AmendmentStatus::proposed;
  std::string decision_reason;
  int64_t created_at = 0;
  int64_t decided_at = 0;
  int result_draft = 0;
};

}  // namespace rapporteur
