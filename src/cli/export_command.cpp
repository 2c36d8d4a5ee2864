#include <iostream>

#include "cli/commands.h"

namespace rapporteur::cli {

int export_session(const std::vector<std::string>&) {
  std::cerr << "rapporteur export: not available in this build yet\n";
  return 1;
}

}  // namespace rapporteur::cli
