#include "cli/setup.h"

#include <SQLiteCpp/Database.h>

#include <filesystem>
#include <fstream>
#include <iomanip>
#include <sstream>

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
  nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded()) {
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
  auto created = app.db().write<CreatedSession>(
      [&](Tx& tx) -> Result<CreatedSession> { return create_session(tx, *spec, now, "admin"); });
  if (!created) {
    out << "rapporteur: " << created.status().message() << "\n";
    return 1;
  }
  out << "Session \"" << created->session.id << "\" (" << created->session.date << ", " << created->session.timezone
      << "): " << created->people.size() << " people\n";
  for (const auto& p : created->people) {
    std::string roles;
    for (const auto& r : p.person.roles) roles += (roles.empty() ? "" : ",") + r;
    out << "  " << std::left << std::setw(36) << p.person.name << std::setw(28) << roles << app.join_url(p.token)
        << "\n";
  }
  return 0;
}

int load_sample_if_empty(App& app, const std::string& path, std::ostream& out) {
  auto sessions = app.db().read<size_t>(
      [](SQLite::Database& db) -> Result<size_t> { return rapporteur::list_sessions(db).size(); });
  if (!sessions) {
    out << "rapporteur: " << sessions.status().message() << "\n";
    return 1;
  }
  if (*sessions > 0) return 0;
  out << "Empty database: importing the sample " << path << ", dated today.\n";
  return import_file(app, path, true, out);
}

}  // namespace rapporteur::cli
