// A conference session: its agenda, breakouts and people, and the rules a
// session description must follow to be accepted.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rapporteur/status.h"

namespace rapporteur {

// drafting: breakouts write fragments, merged into drafts; amending: the
// participants amend the current draft and polls decide; adopted: a poll
// adopted a draft as the final text, and nothing in the session changes.
enum class SessionPhase { drafting, amending, adopted };

// Wire names, exact: "drafting", "amending", "adopted". An unknown name gives
// std::nullopt.
const char* session_phase_name(SessionPhase p);
std::optional<SessionPhase> parse_session_phase(std::string_view name);

// A typed term in JSON is its wire name.
inline void to_json(nlohmann::json& j, SessionPhase p) { j = session_phase_name(p); }

struct Slot {
  std::string id;
  std::string start;  // "HH:MM", session time zone
  std::string end;
  std::string title;
  std::string kind;  // opening, panel, break, presentation, breakout, adoption, other
  std::string detail;
};

struct Breakout {
  std::string id;
  std::string title;
};

struct Session {
  std::string id;
  std::string title;
  std::string date;  // YYYY-MM-DD
  std::string timezone;
  std::string place;
  std::string description;
  SessionPhase phase = SessionPhase::drafting;
  std::vector<Slot> agenda;
  std::vector<Breakout> breakouts;
  int64_t created_at = 0;

  const Slot* adoption_slot() const;
  bool has_breakout(const std::string& id) const;
};

inline constexpr const char* kRoles[] = {"president", "secretariat", "rapporteur", "participant", "observer"};

struct PersonSpec {
  std::string name;
  std::vector<std::string> roles;
  std::string breakout;  // empty when none
};

struct SessionSpec {
  Session session;
  std::vector<PersonSpec> people;
};

// Limits on a session description.
inline constexpr size_t kMaxTitleChars = 200;
inline constexpr size_t kMaxNameChars = 100;
inline constexpr size_t kMaxDescriptionChars = 4000;
inline constexpr size_t kMaxSlots = 50;
inline constexpr size_t kMaxBreakouts = 50;
inline constexpr size_t kMaxPeople = 20000;

// Validates a whole session description (API.md "Sessions and people").
// The first problem is returned, naming the field path ("agenda[2].end").
Result<SessionSpec> parse_session_spec(const nlohmann::json& j);

// Validates one person ({name, roles, breakout?}) against `session`.
Result<PersonSpec> parse_person_spec(const nlohmann::json& j, const Session& session, const std::string& field_prefix);

nlohmann::json session_to_json(const Session& s);

}  // namespace rapporteur
