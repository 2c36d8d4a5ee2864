#include "cli/setup.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include "rapporteur/sessions.h"
#include "rapporteur/timezone.h"

namespace rapporteur::cli {
namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return "";
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

int import_file(App& app, const std::string& path, bool today, std::ostream& out) {
  const std::string text = read_file(path);
  if (text.empty()) {
    out << "rapporteur: cannot read " << path << "\n";
    return 1;
  }
  // A NUL byte would end nlohmann's parse early and drop the rest silently.
  nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded() || text.find('\0') != std::string::npos) {
    out << "rapporteur: " << path << " is not valid JSON\n";
    return 1;
  }
  if (today && j.is_object() && j.contains("timezone") && j["timezone"].is_string()) {
    if (auto tz = TimeZone::load(j["timezone"].get<std::string>())) j["date"] = tz->local_date(app.now_ms());
  }
  auto spec = parse_session_spec(j);
  if (!spec) {
    out << "rapporteur: " << path << ": " << spec.status().message() << "\n";
    return 1;
  }
  const int64_t now = app.now_ms();
  auto created = app.store().write<CreatedSession>(
      [&](Tx& tx) -> Result<CreatedSession> { return create_session(tx, *spec, now, "admin"); });
  if (!created) {
    out << "rapporteur: " << created.status().message() << "\n";
    return 1;
  }
  out << "Session \"" << created->session.id << "\" (" << created->session.date << ", " << created->session.timezone
      << "): " << created->people.size() << " people\n";
  // Columns as wide as their longest entry (a name wider than 40 bytes keeps
  // its line readable with two spaces after it).
  auto pad = [](const std::string& text, size_t width) {
    return text + std::string(text.size() < width ? width - text.size() + 2 : 2, ' ');
  };
  size_t name_width = 0, roles_width = 0;
  std::vector<std::string> roles(created->people.size());
  for (size_t i = 0; i < created->people.size(); ++i) {
    for (const auto& r : created->people[i].person.roles) roles[i] += (roles[i].empty() ? "" : ",") + r;
    name_width = std::max(name_width, std::min<size_t>(created->people[i].person.name.size(), 40));
    roles_width = std::max(roles_width, roles[i].size());
  }
  for (size_t i = 0; i < created->people.size(); ++i) {
    const auto& p = created->people[i];
    out << "  " << pad(p.person.name, name_width) << pad(roles[i], roles_width) << app.join_url(p.token) << "\n";
  }
  return 0;
}

int load_sample_if_empty(App& app, const std::string& path, std::ostream& out) {
  auto sessions = app.store().read<size_t>(
      [](Snapshot& snap) -> Result<size_t> { return rapporteur::list_sessions(snap).size(); });
  if (!sessions) {
    out << "rapporteur: " << sessions.status().message() << "\n";
    return 1;
  }
  if (*sessions > 0) return 0;
  out << "Empty database: importing the sample " << path << ", dated today.\n";
  return import_file(app, path, true, out);
}

}  // namespace rapporteur::cli
