#include <algorithm>
#include <iostream>

#include "cli/commands.h"

namespace rapporteur::cli {

const char* const kUsage =
    "usage: rapporteur <command> [options]\n"
    "\n"
    "commands:\n"
    "  serve   [--db FILE|URL] [--host ADDR] [--port N] [--web DIR] [--threads N]\n"
    "          [--public-url URL] [--sample FILE | --no-sample] [--quiet]\n"
    "  import  FILE.json [--db FILE|URL] [--public-url URL] [--today]\n"
    "  export  SESSION --format md|html|pdf|docx|json|csv [--out FILE] [--db FILE|URL]\n"
    "  verify  [SESSION] [--db FILE|URL]\n"
    "  backup  --out FILE [--db FILE|URL]\n"
    "\n"
    "Defaults: --db ./data/rapporteur.db --host 127.0.0.1 --port 8080.\n"
    "--db takes a SQLite file, or a postgresql:// URL for a PostgreSQL server.\n"
    "The admin token comes from RAPPORTEUR_ADMIN_TOKEN, or is generated and printed once.\n"
    "Run 'rapporteur <command> --help' for a command's options.\n";

Flags parse_flags(const std::vector<std::string>& args, const std::vector<std::string>& with_value,
                  const std::vector<std::string>& booleans) {
  Flags f;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--help" || a == "-h") {
      f.help = true;
      continue;
    }
    if (a.rfind("--", 0) != 0) {
      f.positional.push_back(a);
      continue;
    }
    std::string name = a.substr(2);
    std::string value;
    bool inline_value = false;
    if (auto eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
      inline_value = true;
    }
    if (std::find(booleans.begin(), booleans.end(), name) != booleans.end()) {
      f.values[name] = "1";
      continue;
    }
    if (std::find(with_value.begin(), with_value.end(), name) == with_value.end()) {
      f.error = "unknown option --" + name;
      return f;
    }
    if (!inline_value) {
      if (i + 1 >= args.size()) {
        f.error = "option --" + name + " needs a value";
        return f;
      }
      value = args[++i];
    }
    f.values[name] = value;
  }
  return f;
}

bool database_flag(const Flags& f, const std::string& command, StoreOptions& db) {
  const Status st = set_database(db, f.get("db", "data/rapporteur.db"));
  if (st.is_ok()) return true;
  std::cerr << "rapporteur " << command << ": " << st.message() << "\n";
  return false;
}

std::string database_name(const StoreOptions& db) { return database_shown(db); }

}  // namespace rapporteur::cli
