// The command-line commands. Each returns the process exit code:
// 0 success, 1 failure, 2 bad usage.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "rapporteur/store.h"

namespace rapporteur::cli {

extern const char* const kUsage;

// Parses "--name value" flags (and "--flag" booleans listed in `booleans`).
// Unknown flags and missing values give an error message.
struct Flags {
  std::map<std::string, std::string> values;
  std::vector<std::string> positional;
  std::string error;
  bool help = false;
  std::string get(const std::string& name, const std::string& fallback = "") const {
    auto it = values.find(name);
    return it == values.end() ? fallback : it->second;
  }
  bool has(const std::string& name) const { return values.count(name) > 0; }
};
Flags parse_flags(const std::vector<std::string>& args, const std::vector<std::string>& with_value,
                  const std::vector<std::string>& booleans = {});

// Sets `db` from --db (default data/rapporteur.db); on a value that names no
// database Rapporteur can use, prints "rapporteur COMMAND: <why>" and
// returns false (the command then exits with 2).
bool database_flag(const Flags& f, const std::string& command, StoreOptions& db);

// Where `db` points, for messages: the file path, or the PostgreSQL URL
// without its password.
std::string database_name(const StoreOptions& db);

int serve(const std::vector<std::string>& args);
int import_session(const std::vector<std::string>& args);
int export_session(const std::vector<std::string>& args);
int verify(const std::vector<std::string>& args);
int backup(const std::vector<std::string>& args);

}  // namespace rapporteur::cli
