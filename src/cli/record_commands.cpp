#include <SQLiteCpp/Database.h>

#include <iostream>

#include "cli/commands.h"
#include "rapporteur/app.h"
#include "rapporteur/record.h"
#include "rapporteur/sessions.h"

namespace rapporteur::cli {
namespace {

Result<std::unique_ptr<App>> open_app(const Flags& f) {
  AppOptions ao;
  ao.db.path = f.get("db", "data/rapporteur.db");
  ao.db.readers = 1;
  ao.admin_token = "-";  // commands never create the admin token
  ao.tick_ms = 0;
  return App::open(ao, std::make_shared<SystemClock>());
}

}  // namespace

int verify(const std::vector<std::string>& args) {
  Flags f = parse_flags(args, {"db"});
  const char* usage =
      "usage: rapporteur verify [SESSION] [--db PATH]\n"
      "Recomputes each session's event hash chain (and its final text's SHA-256 once\n"
      "adopted) and names the first bad event. Exit 0 when all verify, 1 otherwise.\n";
  if (f.help) {
    std::cout << usage;
    return 0;
  }
  if (!f.error.empty() || f.positional.size() > 1) {
    std::cerr << "rapporteur verify: " << (f.error.empty() ? "at most one SESSION" : f.error) << "\n\n" << usage;
    return 2;
  }
  auto app = open_app(f);
  if (!app) {
    std::cerr << "rapporteur verify: " << app.status().message() << "\n";
    return 1;
  }
  std::vector<std::string> ids;
  if (!f.positional.empty()) {
    ids.push_back(f.positional[0]);
  } else {
    auto all = (*app)->db().read<std::vector<Session>>(
        [](SQLite::Database& db) -> Result<std::vector<Session>> { return list_sessions(db); });
    if (!all) {
      std::cerr << "rapporteur verify: " << all.status().message() << "\n";
      return 1;
    }
    for (const auto& s : *all) ids.push_back(s.id);
  }
  bool all_ok = true;
  for (const auto& id : ids) {
    auto check = (*app)->db().read<RecordCheck>(
        [&](SQLite::Database& db) -> Result<RecordCheck> { return verify_record(db, id); });
    if (!check) {
      std::cerr << "rapporteur verify: " << check.status().message() << "\n";
      all_ok = false;
      continue;
    }
    if (check->ok()) {
      std::cout << id << ": ok, " << check->chain.events << " events, head " << check->chain.head << "\n";
    } else {
      std::cout << id << ": FAILED: " << check->problem << "\n";
      all_ok = false;
    }
  }
  return all_ok ? 0 : 1;
}

int backup(const std::vector<std::string>& args) {
  Flags f = parse_flags(args, {"db", "out"});
  const char* usage =
      "usage: rapporteur backup --out FILE [--db PATH]\n"
      "Copies the database with SQLite's online backup; safe while the server writes.\n";
  if (f.help) {
    std::cout << usage;
    return 0;
  }
  if (!f.error.empty() || !f.has("out") || !f.positional.empty()) {
    std::cerr << "rapporteur backup: " << (f.error.empty() ? "--out FILE is required" : f.error) << "\n\n" << usage;
    return 2;
  }
  auto app = open_app(f);
  if (!app) {
    std::cerr << "rapporteur backup: " << app.status().message() << "\n";
    return 1;
  }
  Status st = (*app)->db().backup(f.get("out"));
  if (!st.is_ok()) {
    std::cerr << "rapporteur backup: " << st.message() << "\n";
    return 1;
  }
  std::cout << "backup written to " << f.get("out") << "\n";
  return 0;
}

}  // namespace rapporteur::cli
