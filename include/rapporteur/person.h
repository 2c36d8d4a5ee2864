// A person in a session: roles and, for rapporteurs, their breakout.
// Tokens are never held here: only their SHA-256 lives in the store.
#pragma once

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

namespace rapporteur {

struct Person {
  int64_t id = 0;
  std::string session;
  std::string name;
  std::vector<std::string> roles;
  std::string breakout;
  int64_t present_at = 0;  // 0 when never seen

  bool has(const std::string& role) const { return std::find(roles.begin(), roles.end(), role) != roles.end(); }
  bool is_secretariat() const { return has("secretariat") || has("president"); }
  // May read everything in the session (participant+).
  bool is_member() const { return is_secretariat() || has("participant") || has("rapporteur"); }
  // Rapporteur of this breakout, or secretariat+.
  bool may_write_breakout(const std::string& breakout_id) const {
    return is_secretariat() || (has("rapporteur") && breakout == breakout_id);
  }
};

nlohmann::json person_to_json(const Person& p);

}  // namespace rapporteur
