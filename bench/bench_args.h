// The command line of rapporteur_bench.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "scenarios.h"

namespace rapporteur::bench {

extern const char* const kUsage;

struct BenchArgs {
  BenchOptions options;
  std::string out_path = "bench/results/latest.json";
  std::set<std::string> parts;  // burst, polling, fragments, merge, export, wrk, ceiling
  std::string command = "./run.sh bench";
  std::vector<BurstConfig> bursts;  // empty: the default configurations
};

// The arguments, or nullopt with `exit_code` set: 0 after --help (usage
// printed), 2 for a wrong argument (the reason and the usage on stderr).
// Throws std::runtime_error for a flag without its value or a bad --bursts.
std::optional<BenchArgs> parse_args(int argc, char** argv, int& exit_code);

// Whether any selected part talks to a server (all but merge do).
bool needs_server(const BenchArgs& args);

}  // namespace rapporteur::bench
