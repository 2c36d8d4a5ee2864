// rapporteur_bench: the benchmarks against a running server
// (bench/run.sh starts it), plus the in-process merge/render benchmark.
// Prints a table and writes the figures as JSON. Each benchmark is one step
// (steps.h); this file only runs the selected ones in order.
#include <iostream>

#include "bench_args.h"
#include "report.h"
#include "steps.h"

namespace rapporteur::bench {

int bench_main(int argc, char** argv) {
  int exit_code = 0;
  const auto args = parse_args(argc, argv, exit_code);
  if (!args) return exit_code;
  const BenchOptions& o = args->options;
  auto selected = [&](const char* part) { return args->parts.count(part) > 0; };

  Report report;
  describe_machine(report, args->command, o.quick);
  // The ceiling alone (also measured inside every burst).
  if (selected("ceiling")) step_ceiling(o, report);
  if (selected("burst")) step_vote_bursts(o, args->bursts, report);
  if (selected("polling")) step_room_polling(o, report);
  if (selected("fragments")) step_fragment_saves(o, report);
  if (selected("merge")) step_merge_render(o, report);
  if (selected("export")) step_export(o, report);
  if (selected("wrk")) step_wrk_cross_check(o, report);
  step_server_end(o, report);
  report.result["targets"] = report.targets;

  print_report(report);
  if (!args->out_path.empty()) {
    if (!write_result(report, args->out_path)) {
      std::cerr << "rapporteur_bench: cannot write " << args->out_path << "\n";
      return 1;
    }
    std::cout << "\nwrote " << args->out_path << "\n";
  }
  return 0;
}

}  // namespace rapporteur::bench

int main(int argc, char** argv) {
  try {
    return rapporteur::bench::bench_main(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "rapporteur_bench: " << e.what() << "\n";
    return 1;
  }
}
