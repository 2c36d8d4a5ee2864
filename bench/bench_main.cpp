// rapporteur_bench: the benchmarks against a running server
// (bench/run.sh starts it), plus the in-process merge/render benchmark.
// Prints a table and writes the figures as JSON.
#include <sys/utsname.h>
#include <unistd.h>

#include <cstdio>
#include <ctime>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>

#include "scenarios.h"
#include "server_probe.h"

namespace rapporteur::bench {
namespace {

using nlohmann::json;

const char* const kUsage =
    "usage: rapporteur_bench --port N [--pid PID] [--admin-token T] [--db PATH] [--notes DIR]\n"
    "                        [--out FILE] [--only LIST] [--bursts V:C,...] [--quick] [--command TEXT]\n"
    "\n"
    "Runs the benchmarks against the server on 127.0.0.1:N (normally\n"
    "started by bench/run.sh). LIST is a comma-separated subset of\n"
    "burst,polling,fragments,merge,export (default: all; merge needs no server)\n"
    "and ceiling (the /healthz ceiling alone, not in the default).\n"
    "--bursts replaces the vote burst configurations (default\n"
    "1000:64,1000:256,10000:64,10000:256; with --quick 500 and 2000 voters).\n"
    "--pid lets it read the server's CPU time and peak RSS from /proc, --db\n"
    "lets it count the stored ballots in the SQLite file. The admin token\n"
    "defaults to $RAPPORTEUR_ADMIN_TOKEN.\n";

std::string read_first_line(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  return line;
}

std::string now_rfc3339() {
  const std::time_t t = std::time(nullptr);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&t));
  return buf;
}

std::string fmt(double v, int decimals = 1) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

std::string fmt_rate(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.0f/s", v);
  return buf;
}

struct Row {
  std::string what, rate, p50, p99, max, note;
};

void print_table(const std::vector<Row>& rows) {
  std::vector<size_t> w = {10, 8, 8, 8, 8, 4};
  auto cells = [](const Row& r) { return std::vector<std::string>{r.what, r.rate, r.p50, r.p99, r.max, r.note}; };
  const Row head{"scenario", "rate", "p50 ms", "p99 ms", "max ms", "notes"};
  for (const Row& r : rows) {
    auto c = cells(r);
    for (size_t i = 0; i < c.size(); ++i) w[i] = std::max(w[i], c[i].size());
  }
  auto line = [&](const Row& r) {
    auto c = cells(r);
    std::string s;
    for (size_t i = 0; i < c.size(); ++i) {
      std::string cell = c[i];
      if (i >= 1 && i <= 4) {
        cell = std::string(w[i] - cell.size(), ' ') + cell;
      } else if (i + 1 < c.size()) {
        cell += std::string(w[i] - cell.size(), ' ');
      }
      s += (i ? "  " : "") + cell;
    }
    std::cout << s << "\n";
  };
  line(head);
  size_t total = 0;
  for (size_t x : w) total += x + 2;
  std::cout << std::string(total - 2, '-') << "\n";
  for (const Row& r : rows) line(r);
}

Row latency_row(const std::string& what, double rate, const json& lat, const std::string& note) {
  return {what, fmt_rate(rate), fmt(lat["p50_ms"].get<double>(), 2), fmt(lat["p99_ms"].get<double>(), 2),
          fmt(lat["max_ms"].get<double>(), 1), note};
}

json target(const std::string& name, const std::string& goal, const std::string& measured, bool met) {
  return {{"target", name}, {"goal", goal}, {"measured", measured}, {"met", met}};
}

}  // namespace

int bench_main(int argc, char** argv) {
  BenchOptions o;
  std::string out_path = "bench/results/latest.json";
  std::string only = "burst,polling,fragments,merge,export";
  std::string command = "./run.sh bench";
  std::string bursts_flag;  // "V:C,V:C": other vote burst configurations
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
      out_path = value();
    } else if (a == "--only") {
      only = value();
    } else if (a == "--command") {
      command = value();
    } else if (a == "--bursts") {
      bursts_flag = value();
    } else if (a == "--quick") {
      o.quick = true;
    } else if (a == "--help" || a == "-h") {
      std::cout << kUsage;
      return 0;
    } else {
      std::cerr << "rapporteur_bench: unknown argument " << a << "\n\n" << kUsage;
      return 2;
    }
  }
  std::set<std::string> parts;
  {
    std::stringstream ss(only);
    std::string p;
    while (std::getline(ss, p, ',')) parts.insert(p);
  }
  const bool needs_server =
      parts.count("burst") || parts.count("polling") || parts.count("fragments") || parts.count("export");
  if (needs_server && o.port <= 0) {
    std::cerr << "rapporteur_bench: --port is required\n\n" << kUsage;
    return 2;
  }
  if (o.quick) o.ceiling_requests = 3000;
  o.run_id = std::to_string(std::time(nullptr) % 100000000);

  utsname un{};
  uname(&un);
  json result = {{"started_at", now_rfc3339()},
                 {"command", command},
                 {"quick", o.quick},
                 {"machine",
                  {{"nproc", sysconf(_SC_NPROCESSORS_ONLN)},
                   {"cpu_model", cpu_model()},
                   {"kernel", std::string(un.sysname) + " " + un.release},
                   {"loadavg_before", read_first_line("/proc/loadavg")}}}};
  const ServerProbe probe(o.server_pid);
  std::vector<Row> rows;
  json targets = json::array();

  const size_t big = o.quick ? 2000 : 10000;
  const size_t small = o.quick ? 500 : 1000;
  if (parts.count("ceiling")) {
    // The ceiling alone (also measured inside every burst), e.g. to compare
    // this client with wrk on the same server.
    json ceilings = json::array();
    for (size_t c : {size_t{64}, size_t{256}}) {
      json j = run_ceiling(o, c, o.quick ? 5000 : 30000);
      rows.push_back(latency_row("ceiling GET /healthz C=" + std::to_string(c), j["per_s"].get<double>(), j["latency"],
                                 "client CPU " + fmt(100.0 * j["client_cpu_s"].get<double>() / j["wall_s"].get<double>(), 0) +
                                     "% of one core"));
      ceilings.push_back(j);
    }
    result["ceilings"] = ceilings;
  }
  if (parts.count("burst")) {
    std::vector<BurstConfig> configs = {{small, 64}, {small, 256}, {big, 64}, {big, 256}};
    if (!bursts_flag.empty()) {
      configs.clear();
      std::stringstream ss(bursts_flag);
      std::string item;
      while (std::getline(ss, item, ',')) {
        const size_t colon = item.find(':');
        if (colon == std::string::npos) throw std::runtime_error("--bursts: expected V:C, got " + item);
        configs.push_back({std::stoul(item.substr(0, colon)), std::stoul(item.substr(colon + 1))});
      }
    }
    json bursts = run_vote_bursts(o, configs);
    result["vote_bursts"] = bursts;
    for (const json& b : bursts) {
      const std::string what = "ballots V=" + std::to_string(b["voters"].get<size_t>()) +
                               " C=" + std::to_string(b["connections"].get<size_t>());
      const json& c = b["ceiling_before"];
      rows.push_back(latency_row("  ceiling GET /healthz C=" + std::to_string(b["connections"].get<size_t>()),
                                 b["ceiling_per_s"].get<double>(), c["latency"],
                                 "before " + fmt(c["per_s"].get<double>(), 0) + "/s, after " +
                                     fmt(b["ceiling_after"]["per_s"].get<double>(), 0) + "/s"));
      const json& bu = b["burst"];
      std::string note = fmt(b["ratio_to_ceiling"].get<double>(), 2) + "x ceiling; all cast in " +
                         fmt(bu["span_s"].get<double>(), 2) + " s; stored " +
                         (b["check"]["api_cast"].is_number() ? b["check"]["api_cast"].dump() : std::string("?")) + "/" +
                         std::to_string(b["voters"].get<size_t>()) + (b["check"]["ok"].get<bool>() ? " ok" : " MISMATCH");
      if (bu.contains("mean_batch")) note += "; " + fmt(bu["mean_batch"].get<double>(), 1) + " per commit";
      if (bu.contains("server_cpu_s") && c.contains("server_cpu_s")) {
        // Server CPU per request, ballot against the ceiling's GET.
        note += "; server CPU " + fmt(1000.0 * bu["server_cpu_s"].get<double>() / bu["ballots"].get<double>(), 3) +
                " ms/ballot vs " + fmt(1000.0 * c["server_cpu_s"].get<double>() / c["requests"].get<double>(), 3) +
                " ms/GET";
      }
      if (bu["ok"].get<size_t>() != bu["ballots"].get<size_t>()) note += "; non-2xx: " + bu["statuses"].dump();
      rows.push_back(latency_row(what, bu["per_s"].get<double>(), bu["latency"], note));
    }
    for (const json& b : bursts) {
      const size_t v = b["voters"], c = b["connections"];
      const json& bu = b["burst"];
      const std::string label = "V=" + std::to_string(v) + " C=" + std::to_string(c);
      targets.push_back(target("stored ballots " + label, "exactly V", b["check"].dump(), b["check"]["ok"].get<bool>()));
      if (c == 64) {
        const double r = b["ratio_to_ceiling"];
        targets.push_back(target("durable ballots vs ceiling " + label, ">= 0.80x", fmt(r, 2) + "x", r >= 0.8));
      }
      if (c == 256) {
        const double p99 = bu["latency"]["p99_ms"], mx = bu["latency"]["max_ms"];
        targets.push_back(target("ballot p99 " + label, "<= 25 ms", fmt(p99, 1) + " ms", p99 <= 25));
        targets.push_back(target("ballot max " + label, "<= 1000 ms", fmt(mx, 1) + " ms", mx <= 1000));
      }
      if (v == big) {
        const double span = bu["span_s"];
        targets.push_back(target("poll of " + std::to_string(v) + " fully cast " + label, "<= 2 s", fmt(span, 2) + " s",
                                 span <= 2.0));
        if (b.contains("memory")) {
          const double mb = b["memory"]["peak_rss_mib"].get<double>() * 1048576.0 / 1e6;
          targets.push_back(target("server peak RSS during burst " + label, "<= 150 MB", fmt(mb, 1) + " MB", mb <= 150));
        }
      }
    }
  }
  if (parts.count("polling")) {
    json p = run_room_polling(o, {big, 256}, o.quick ? 500 : 2000, 32);
    result["room_polling"] = p;
    const json& bu = p["burst"];
    const json& during = p["polls_during_burst"];
    rows.push_back(latency_row("ballots V=" + std::to_string(big) + " C=256 + polling", bu["per_s"].get<double>(),
                               bu["latency"], "all cast in " + fmt(bu["span_s"].get<double>(), 2) + " s"));
    rows.push_back(latency_row("  " + std::to_string(p["phones"].get<size_t>()) + " phones GET /live (during burst)",
                               during["per_s"].get<double>(), during["latency"],
                               "304 rate " + fmt(100.0 * during["rate_304"].get<double>(), 1) + "% (before burst " +
                                   (p["polls_before_burst"]["polls"].get<size_t>() == 0
                                        ? std::string("n/a: no poll answered before it")
                                        : fmt(100.0 * p["polls_before_burst"]["rate_304"].get<double>(), 1) + "%") +
                                   "), " + during["statuses"].dump()));
    rows.push_back({"  one unchanged GET /live (304), alone", "", "", "", "",
                    "server CPU " + fmt(p["live_cost_no_ballots"].value("server_cpu_ms_per_request", 0.0), 2) +
                        " ms with no ballot, " + fmt(p["live_cost_after_burst"].value("server_cpu_ms_per_request", 0.0), 2) +
                        " ms with " + std::to_string(big) + " ballots in the open poll"});
    const double p99 = bu["latency"]["p99_ms"], mx = bu["latency"]["max_ms"];
    targets.push_back(target("ballot p99 with room polling V=" + std::to_string(big) + " C=256", "<= 25 ms",
                             fmt(p99, 1) + " ms", p99 <= 25));
    targets.push_back(target("ballot max with room polling", "<= 1000 ms", fmt(mx, 1) + " ms", mx <= 1000));
    targets.push_back(target("stored ballots with room polling", "exactly V", p["check"].dump(), p["check"]["ok"].get<bool>()));
  }
  if (parts.count("fragments")) {
    json f = run_fragment_saves(o, 50, o.quick ? 4 : 20, 10 * 1024);
    result["fragment_saves"] = f;
    rows.push_back(latency_row("fragment saves 50 x 10 KiB", f["per_s"].get<double>(), f["latency"],
                               "statuses " + f["statuses"].dump()));
  }
  if (parts.count("merge")) {
    json m = run_merge_render(o, 1000);
    result["merge_render"] = m;
    const double ratio = m["ratio_to_cmark"];
    rows.push_back({"merge+render 1000 fragments", "", "", "", "",
                    fmt(m["pipeline_ms"].get<double>(), 0) + " ms (merge " + fmt(m["merge_ms"].get<double>(), 0) +
                        ", markdown " + fmt(m["document_markdown_ms"].get<double>(), 0) + ", render " +
                        fmt(m["render_ms"].get<double>(), 0) + "; warm cache " +
                        fmt(m["pipeline_warm_cache_ms"].get<double>(), 0) + ")"});
    rows.push_back({"  plain cmark, same text", "", "", "", "",
                    fmt(m["cmark_input_ms"].get<double>(), 0) + " ms; ratio " + fmt(ratio, 2) + "x"});
    targets.push_back(target("merge and render vs plain cmark", "<= 1.5x", fmt(ratio, 2) + "x", ratio <= 1.5));
  }
  if (parts.count("export")) {
    json e;
    try {
      e = run_export(o, o.quick ? 200 : 1000, o.quick ? 40 : 200);
    } catch (const std::exception& ex) {
      // Recorded, not fatal: the other scenarios' figures are still written.
      std::cerr << "bench: export failed: " << ex.what() << "\n";
      e = {{"error", ex.what()}, {"formats", json::object()}};
      rows.push_back({"export", "", "", "", "", std::string("failed: ") + ex.what()});
    }
    result["export"] = e;
    for (const auto& [name, f] : e["formats"].items()) {
      std::string cell;
      if (f["status"] != 200) {
        cell = "status " + f["status"].dump() + ": " + f.value("error", std::string());
      } else if (f.contains("cold_ms")) {
        cell = fmt(f["cold_ms"].get<double>(), 0) + " ms converting, " +
               (f["cached_ms"].is_null() ? std::string("-") : fmt(f["cached_ms"].get<double>(), 0)) + " ms cached";
      } else {
        cell = fmt(f["median_ms"].get<double>(), 0) + " ms (median of " + f["rounds"].dump() + ")";
      }
      rows.push_back({"export " + name + ", " + e["fragments"].dump() + " fragments, " + e["amendments"].dump() +
                          " amendments",
                      "", "", "", "", cell + ", " + fmt(f["bytes"].get<double>() / 1024.0, 0) + " KiB"});
    }
  }
  if (probe.valid()) {
    const ProcSample s = probe.sample();
    result["server_end"] = {{"vm_hwm_mib_since_last_reset", s.vm_hwm_kib / 1024.0},
                            {"vm_rss_mib", s.vm_rss_kib / 1024.0},
                            {"threads", s.threads},
                            {"cpu_s", s.cpu_s}};
  }
  result["machine"]["loadavg_after"] = read_first_line("/proc/loadavg");
  result["targets"] = targets;

  std::cout << "\nRapporteur benchmarks, " << result["started_at"].get<std::string>() << ", "
            << result["machine"]["nproc"] << " CPUs (" << result["machine"]["cpu_model"].get<std::string>()
            << "), load " << result["machine"]["loadavg_before"].get<std::string>() << "\n\n";
  print_table(rows);
  std::cout << "\ntargets:\n";
  for (const json& t : targets) {
    std::cout << "  [" << (t["met"].get<bool>() ? "met   " : "MISSED") << "] " << t["target"].get<std::string>() << ": "
              << t["measured"].get<std::string>() << " (goal " << t["goal"].get<std::string>() << ")\n";
  }
  if (!out_path.empty()) {
    std::ofstream out(out_path);
    out << result.dump(2) << "\n";
    if (!out) {
      std::cerr << "rapporteur_bench: cannot write " << out_path << "\n";
      return 1;
    }
    std::cout << "\nwrote " << out_path << "\n";
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
