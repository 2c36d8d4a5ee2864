#include <algorithm>
#include <set>

#include "domain/sessions/fields.h"
#include "rapporteur/session.h"
#include "rapporteur/text.h"
#include "rapporteur/timezone.h"

namespace rapporteur {
namespace {

constexpr const char* kSlotKinds[] = {"opening", "panel", "break", "presentation", "breakout", "adoption", "other"};

bool known_slot_kind(const std::string& k) {
  return std::any_of(std::begin(kSlotKinds), std::end(kSlotKinds), [&](const char* s) { return k == s; });
}

bool known_role(const std::string& r) {
  return std::any_of(std::begin(kRoles), std::end(kRoles), [&](const char* s) { return r == s; });
}

Result<std::string> slug_field(const nlohmann::json& obj, const std::string& field, const std::string& path) {
  const std::string name = path.empty() ? field : path + "." + field;
  auto it = obj.find(field);
  if (it == obj.end() || it->is_null()) return Status::invalid(name + ": is required", name);
  if (!it->is_string()) return Status::bad_request(name + ": must be a string", name);
  std::string v = it->get<std::string>();
  if (!is_slug(v)) return Status::invalid(name + ": must be a slug of 1 to 64 characters [a-z0-9-]", name);
  return v;
}

Result<Slot> parse_slot(const nlohmann::json& j, const std::string& path) {
  RAPPORTEUR_RETURN_IF_ERROR(fields::require_object(j, path));
  RAPPORTEUR_RETURN_IF_ERROR(fields::only_members(j, {"id", "start", "end", "title", "kind", "detail"}, path));
  Slot s;
  RAPPORTEUR_ASSIGN_OR_RETURN(auto id, slug_field(j, "id", path));
  s.id = id;
  for (const char* f : {"start", "end"}) {
    RAPPORTEUR_ASSIGN_OR_RETURN(auto t, fields::required_string(j, f, 5, path));
    if (!valid_hhmm(t)) return Status::invalid(path + "." + f + ": must be a time HH:MM", path + "." + f);
    (std::string(f) == "start" ? s.start : s.end) = t;
  }
  if (s.start >= s.end) return Status::invalid(path + ": ends at " + s.end + ", not after its start " + s.start, path + ".end");
  RAPPORTEUR_ASSIGN_OR_RETURN(auto title, fields::required_string(j, "title", kMaxTitleChars, path));
  s.title = title;
  RAPPORTEUR_ASSIGN_OR_RETURN(auto kind, fields::required_string(j, "kind", 32, path));
  if (!known_slot_kind(kind)) {
    return Status::invalid(
        path + ".kind: \"" + kind + "\" is not one of opening, panel, break, presentation, breakout, adoption, other",
        path + ".kind");
  }
  s.kind = kind;
  RAPPORTEUR_ASSIGN_OR_RETURN(auto detail, fields::optional_string(j, "detail", kMaxDescriptionChars, "", path));
  s.detail = detail;
  return s;
}

}  // namespace

const Slot* Session::adoption_slot() const {
  for (const Slot& s : agenda) {
    if (s.kind == "adoption") return &s;
  }
  return nullptr;
}

bool Session::has_breakout(const std::string& id) const {
  return std::any_of(breakouts.begin(), breakouts.end(), [&](const Breakout& b) { return b.id == id; });
}

Result<PersonSpec> parse_person_spec(const nlohmann::json& j, const Session& session, const std::string& path) {
  const std::string where = path.empty() ? "person" : path;
  RAPPORTEUR_RETURN_IF_ERROR(fields::require_object(j, where));
  RAPPORTEUR_RETURN_IF_ERROR(fields::only_members(j, {"name", "roles", "breakout"}, path));
  PersonSpec p;
  RAPPORTEUR_ASSIGN_OR_RETURN(auto name, fields::required_string(j, "name", kMaxNameChars, path));
  p.name = std::string(trim(name));
  const std::string roles_field = path.empty() ? "roles" : path + ".roles";
  auto roles = j.find("roles");
  if (roles == j.end() || !roles->is_array()) return Status::bad_request(roles_field + ": must be an array of role names", roles_field);
  if (roles->empty()) return Status::invalid(roles_field + ": must name at least one role", roles_field);
  for (const auto& r : *roles) {
    if (!r.is_string() || !known_role(r.get<std::string>())) {
      return Status::invalid(roles_field + ": " + (r.is_string() ? "\"" + r.get<std::string>() + "\"" : r.dump()) +
                                 " is not one of president, secretariat, rapporteur, participant, observer",
                             roles_field);
    }
    const std::string role = r.get<std::string>();
    if (std::find(p.roles.begin(), p.roles.end(), role) != p.roles.end()) {
      return Status::invalid(roles_field + ": \"" + role + "\" is listed twice", roles_field);
    }
    p.roles.push_back(role);
  }
  const std::string breakout_field = path.empty() ? "breakout" : path + ".breakout";
  RAPPORTEUR_ASSIGN_OR_RETURN(auto breakout, fields::optional_string(j, "breakout", 64, "", path));
  p.breakout = breakout;
  const bool rapporteur = std::find(p.roles.begin(), p.roles.end(), "rapporteur") != p.roles.end();
  if (!p.breakout.empty() && !session.has_breakout(p.breakout)) {
    return Status::invalid(breakout_field + ": \"" + p.breakout + "\" is not a breakout of this session", breakout_field);
  }
  if (rapporteur && p.breakout.empty()) {
    return Status::invalid(breakout_field + ": a rapporteur needs the breakout they report for", breakout_field);
  }
  return p;
}

Result<SessionSpec> parse_session_spec(const nlohmann::json& j) {
  RAPPORTEUR_RETURN_IF_ERROR(fields::require_object(j, "the session"));
  RAPPORTEUR_RETURN_IF_ERROR(fields::only_members(
      j, {"id", "title", "date", "timezone", "place", "description", "agenda", "breakouts", "people"}));
  SessionSpec spec;
  Session& s = spec.session;
  RAPPORTEUR_ASSIGN_OR_RETURN(auto id, slug_field(j, "id", ""));
  s.id = id;
  RAPPORTEUR_ASSIGN_OR_RETURN(auto title, fields::required_string(j, "title", kMaxTitleChars));
  s.title = title;
  RAPPORTEUR_ASSIGN_OR_RETURN(auto date, fields::required_string(j, "date", 10));
  if (!valid_date(date)) return Status::invalid("date: \"" + date + "\" is not a date YYYY-MM-DD", "date");
  s.date = date;
  RAPPORTEUR_ASSIGN_OR_RETURN(auto tz_name, fields::required_string(j, "timezone", 64));
  RAPPORTEUR_ASSIGN_OR_RETURN(auto tz, TimeZone::load(tz_name));
  s.timezone = tz_name;
  RAPPORTEUR_ASSIGN_OR_RETURN(auto place, fields::optional_string(j, "place", kMaxTitleChars));
  s.place = place;
  RAPPORTEUR_ASSIGN_OR_RETURN(auto description, fields::optional_string(j, "description", kMaxDescriptionChars));
  s.description = description;

  auto agenda = j.find("agenda");
  if (agenda == j.end() || !agenda->is_array()) return Status::bad_request("agenda: must be an array of slots", "agenda");
  if (agenda->size() > kMaxSlots) return Status::invalid("agenda: at most " + std::to_string(kMaxSlots) + " slots", "agenda");
  std::set<std::string> slot_ids;
  int adoption = 0;
  for (size_t i = 0; i < agenda->size(); ++i) {
    RAPPORTEUR_ASSIGN_OR_RETURN(auto slot, parse_slot((*agenda)[i], "agenda[" + std::to_string(i) + "]"));
    if (!slot_ids.insert(slot.id).second) {
      return Status::invalid("agenda[" + std::to_string(i) + "].id: \"" + slot.id + "\" is used twice", "agenda");
    }
    adoption += slot.kind == "adoption" ? 1 : 0;
    s.agenda.push_back(slot);
  }
  if (adoption != 1) {
    return Status::invalid("agenda: needs exactly one slot of kind adoption, found " + std::to_string(adoption), "agenda");
  }
  std::vector<Slot> sorted = s.agenda;
  std::sort(sorted.begin(), sorted.end(), [](const Slot& a, const Slot& b) { return a.start < b.start; });
  for (size_t i = 1; i < sorted.size(); ++i) {
    if (sorted[i].start < sorted[i - 1].end) {
      return Status::invalid("agenda: slot \"" + sorted[i].id + "\" (" + sorted[i].start + "-" + sorted[i].end +
                                 ") overlaps slot \"" + sorted[i - 1].id + "\" (" + sorted[i - 1].start + "-" +
                                 sorted[i - 1].end + ")",
                             "agenda");
    }
  }
  s.agenda = sorted;

  auto breakouts = j.find("breakouts");
  if (breakouts != j.end() && !breakouts->is_null()) {
    if (!breakouts->is_array()) return Status::bad_request("breakouts: must be an array", "breakouts");
    if (breakouts->size() > kMaxBreakouts) return Status::invalid("breakouts: at most " + std::to_string(kMaxBreakouts), "breakouts");
    for (size_t i = 0; i < breakouts->size(); ++i) {
      const std::string path = "breakouts[" + std::to_string(i) + "]";
      const auto& b = (*breakouts)[i];
      RAPPORTEUR_RETURN_IF_ERROR(fields::require_object(b, path));
      RAPPORTEUR_RETURN_IF_ERROR(fields::only_members(b, {"id", "title"}, path));
      RAPPORTEUR_ASSIGN_OR_RETURN(auto bid, slug_field(b, "id", path));
      if (s.has_breakout(bid)) return Status::invalid(path + ".id: \"" + bid + "\" is used twice", path + ".id");
      RAPPORTEUR_ASSIGN_OR_RETURN(auto btitle, fields::required_string(b, "title", kMaxTitleChars, path));
      s.breakouts.push_back({bid, btitle});
    }
  }

  auto people = j.find("people");
  if (people != j.end() && !people->is_null()) {
    if (!people->is_array()) return Status::bad_request("people: must be an array", "people");
    if (people->size() > kMaxPeople) return Status::invalid("people: at most " + std::to_string(kMaxPeople), "people");
    int presidents = 0;
    for (size_t i = 0; i < people->size(); ++i) {
      RAPPORTEUR_ASSIGN_OR_RETURN(auto p, parse_person_spec((*people)[i], s, "people[" + std::to_string(i) + "]"));
      presidents += std::count(p.roles.begin(), p.roles.end(), "president");
      if (presidents > 1) return Status::invalid("people[" + std::to_string(i) + "]: a session has at most one president", "people");
      spec.people.push_back(std::move(p));
    }
  }
  return spec;
}

nlohmann::json session_to_json(const Session& s) {
  nlohmann::json agenda = nlohmann::json::array();
  for (const Slot& sl : s.agenda) {
    nlohmann::json o = {{"id", sl.id}, {"start", sl.start}, {"end", sl.end}, {"title", sl.title}, {"kind", sl.kind}};
    if (!sl.detail.empty()) o["detail"] = sl.detail;
    agenda.push_back(std::move(o));
  }
  nlohmann::json breakouts = nlohmann::json::array();
  for (const Breakout& b : s.breakouts) breakouts.push_back({{"id", b.id}, {"title", b.title}});
  return {{"id", s.id},     {"title", s.title},         {"date", s.date},     {"timezone", s.timezone},
          {"place", s.place}, {"description", s.description}, {"phase", s.phase}, {"agenda", agenda},
          {"breakouts", breakouts}};
}

}  // namespace rapporteur
