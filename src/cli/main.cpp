// rapporteur: serve, import, export, verify, backup.
#include <pthread.h>
#include <signal.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <thread>

#include "cli/commands.h"

using namespace rapporteur;

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    std::cout << cli::kUsage;
    return args.empty() ? 2 : 0;
  }
  const std::string command = args[0];
  args.erase(args.begin());
  if (command == "serve") return cli::serve(args);
  if (command == "import") return cli::import_session(args);
  if (command == "export") return cli::export_session(args);
  if (command == "verify") return cli::verify(args);
  if (command == "backup") return cli::backup(args);
  if (command == "--version" || command == "version") {
    std::cout << "rapporteur " << RAPPORTEUR_VERSION << "\n";
    return 0;
  }
  std::cerr << "rapporteur: unknown command \"" << command << "\"\n\n" << cli::kUsage;
  return 2;
}
