#include "bench_args.h"

#include <cstdlib>
#include <ctime>
#include <iostream>
#include <sstream>
#include <stdexcept>

namespace rapporteur::bench {

const char* const kUsage =
    "usage: rapporteur_bench --port N [--pid PID] [--admin-token T] [--db PATH] [--notes DIR]\n"
    "                        [--out FILE] [--only LIST] [--bursts V:C,...] [--quick] [--command TEXT]\n"
    "\n"
    "Runs the benchmarks against the server on 127.0.0.1:N (normally\n"
    "started by bench/run.sh). LIST is a comma-separated subset of\n"
    "burst,polling,fragments,merge,export,wrk (default: all; merge needs no\n"
    "server; wrk runs the load client and wrk side by side on GET /healthz)\n"
    "and ceiling (the /healthz ceiling alone, not in the default).\n"
    "--bursts replaces the vote burst configurations (default\n"
    "1000:64,1000:256,10000:64,10000:256; with --quick 500 and 2000 voters).\n"
    "--pid lets it read the server's CPU time and peak RSS from /proc, --db\n"
    "lets it count the stored ballots in the SQLite file. The admin token\n"
    "defaults to $RAPPORTEUR_ADMIN_TOKEN.\n";

namespace {

std::set<std::string> split_parts(const std::string& list) {
  std::set<std::string> parts;
  std::stringstream ss(list);
  std::string p;
  while (std::getline(ss, p, ',')) parts.insert(p);
  return parts;
}

// "V:C,V:C" into vote burst configurations.
std::vector<BurstConfig> parse_bursts(const std::string& flag) {
  std::vector<BurstConfig> configs;
  std::stringstream ss(flag);
  std::string item;
  while (std::getline(ss, item, ',')) {
    const size_t colon = item.find(':');
    if (colon == std::string::npos) throw std::runtime_error("--bursts: expected V:C, got " + item);
    configs.push_back({std::stoul(item.substr(0, colon)), std::stoul(item.substr(colon + 1))});
  }
  return configs;
}

}  // namespace

std::optional<BenchArgs> parse_args(int argc, char** argv, int& exit_code) {
  BenchArgs args;
  BenchOptions& o = args.options;
  std::string only = "burst,polling,fragments,merge,export,wrk";
  const char* env_token = std::getenv("RAPPORTEUR_ADMIN_TOKEN");
  o.admin_token = env_token ? env_token : "";
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) throw std::runtime_error(a + " needs a value");
      return argv[++i];
    };
    if (a == "--port") {
      o.port = std::stoi(value());
    } else if (a == "--pid") {
      o.server_pid = std::stoi(value());
    } else if (a == "--admin-token") {
      o.admin_token = value();
    } else if (a == "--db") {
      o.db_path = value();
    } else if (a == "--notes") {
      o.notes_dir = value();
    } else if (a == "--out") {
      args.out_path = value();
    } else if (a == "--only") {
      only = value();
    } else if (a == "--command") {
      args.command = value();
    } else if (a == "--bursts") {
      args.bursts = parse_bursts(value());
    } else if (a == "--quick") {
      o.quick = true;
    } else if (a == "--help" || a == "-h") {
      std::cout << kUsage;
      exit_code = 0;
      return std::nullopt;
    } else {
      std::cerr << "rapporteur_bench: unknown argument " << a << "\n\n" << kUsage;
      exit_code = 2;
      return std::nullopt;
    }
  }
  args.parts = split_parts(only);
  if (needs_server(args) && o.port <= 0) {
    std::cerr << "rapporteur_bench: --port is required\n\n" << kUsage;
    exit_code = 2;
    return std::nullopt;
  }
  if (o.quick) o.ceiling_requests = 3000;
  o.run_id = std::to_string(std::time(nullptr) % 100000000);
  return args;
}

bool needs_server(const BenchArgs& args) {
  for (const char* part : {"burst", "polling", "fragments", "export", "wrk", "ceiling"}) {
    if (args.parts.count(part)) return true;
  }
  return false;
}

}  // namespace rapporteur::bench
