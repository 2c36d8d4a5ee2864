#include "rapporteur/person.h"

namespace rapporteur {

nlohmann::json person_to_json(const Person& p) {
  return {{"id", p.id},
          {"name", p.name},
          {"roles", p.roles},
          {"breakout", p.breakout.empty() ? nlohmann::json(nullptr) : nlohmann::json(p.breakout)},
          {"present", p.present_at != 0}};
}

}  // namespace rapporteur
