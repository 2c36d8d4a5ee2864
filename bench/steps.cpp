#include "steps.h"

#include <sys/utsname.h>
#include <unistd.h>

#include <ctime>
#include <fstream>
#include <iostream>

#include "server_probe.h"
#include "wrk_check.h"

namespace rapporteur::bench {

using nlohmann::json;

namespace {

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

size_t big_poll(const BenchOptions& o) { return o.quick ? 2000 : 10000; }
size_t small_poll(const BenchOptions& o) { return o.quick ? 500 : 1000; }

// The table rows of one vote burst: its ceiling, then the burst itself.
void burst_rows(const json& b, Report& report) {
  const std::string what = "ballots V=" + std::to_string(b["voters"].get<size_t>()) +
                           " C=" + std::to_string(b["connections"].get<size_t>());
  const json& c = b["ceiling_before"];
  report.rows.push_back(latency_row("  ceiling GET /healthz C=" + std::to_string(b["connections"].get<size_t>()),
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
  report.rows.push_back(latency_row(what, bu["per_s"].get<double>(), bu["latency"], note));
}

// The targets of one vote burst, by its size and connection count.
void burst_targets(const BenchOptions& o, const json& b, Report& report) {
  const size_t v = b["voters"], c = b["connections"];
  const json& bu = b["burst"];
  const std::string label = "V=" + std::to_string(v) + " C=" + std::to_string(c);
  json& targets = report.targets;
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
  if (v == big_poll(o)) {
    // The goal on PostgreSQL is the one set for the replicated cluster, whose
    // every commit waits for a standby's flush: 5 s on the same two cores.
    const bool postgres = o.db_path.rfind("postgres", 0) == 0;
    const double span = bu["span_s"], goal = postgres ? 5.0 : 2.0;
    targets.push_back(target("poll of " + std::to_string(v) + " fully cast " + label, "<= " + fmt(goal, 0) + " s",
                             fmt(span, 2) + " s", span <= goal));
    if (b.contains("memory")) {
      const double mb = b["memory"]["peak_rss_mib"].get<double>() * 1048576.0 / 1e6;
      targets.push_back(target("server peak RSS during burst " + label, "<= 150 MB", fmt(mb, 1) + " MB", mb <= 150));
    }
  }
}

// The table cell of one export format: its time and size, or its failure.
std::string export_cell(const json& f) {
  std::string cell;
  if (f["status"] != 200) {
    cell = "status " + f["status"].dump() + ": " + f.value("error", std::string());
  } else if (f.contains("cold_ms")) {
    cell = fmt(f["cold_ms"].get<double>(), 0) + " ms converting, " +
           (f["cached_ms"].is_null() ? std::string("-") : fmt(f["cached_ms"].get<double>(), 0)) + " ms cached";
  } else {
    cell = fmt(f["median_ms"].get<double>(), 0) + " ms (median of " + f["rounds"].dump() + ")";
  }
  return cell + ", " + fmt(f["bytes"].get<double>() / 1024.0, 0) + " KiB";
}

}  // namespace

void describe_machine(Report& report, const std::string& command, bool quick) {
  utsname un{};
  uname(&un);
  report.result = {{"started_at", now_rfc3339()},
                   {"command", command},
                   {"quick", quick},
                   {"machine",
                    {{"nproc", sysconf(_SC_NPROCESSORS_ONLN)},
                     {"cpu_model", cpu_model()},
                     {"kernel", std::string(un.sysname) + " " + un.release},
                     {"loadavg_before", read_first_line("/proc/loadavg")}}}};
}

void step_ceiling(const BenchOptions& o, Report& report) {
  json ceilings = json::array();
  for (size_t c : {size_t{64}, size_t{256}}) {
    json j = run_ceiling(o, c, o.quick ? 5000 : 30000);
    report.rows.push_back(latency_row(
        "ceiling GET /healthz C=" + std::to_string(c), j["per_s"].get<double>(), j["latency"],
        "client CPU " + fmt(100.0 * j["client_cpu_s"].get<double>() / j["wall_s"].get<double>(), 0) + "% of one core"));
    ceilings.push_back(j);
  }
  report.result["ceilings"] = ceilings;
}

void step_vote_bursts(const BenchOptions& o, std::vector<BurstConfig> configs, Report& report) {
  if (configs.empty()) {
    configs = {{small_poll(o), 64}, {small_poll(o), 256}, {big_poll(o), 64}, {big_poll(o), 256}};
  }
  json bursts = run_vote_bursts(o, configs);
  report.result["vote_bursts"] = bursts;
  for (const json& b : bursts) burst_rows(b, report);
  for (const json& b : bursts) burst_targets(o, b, report);
}

void step_room_polling(const BenchOptions& o, Report& report) {
  const size_t big = big_poll(o);
  json p = run_room_polling(o, {big, 256}, o.quick ? 500 : 2000, 32);
  report.result["room_polling"] = p;
  const json& bu = p["burst"];
  const json& during = p["polls_during_burst"];
  report.rows.push_back(latency_row("ballots V=" + std::to_string(big) + " C=256 + polling", bu["per_s"].get<double>(),
                                    bu["latency"], "all cast in " + fmt(bu["span_s"].get<double>(), 2) + " s"));
  report.rows.push_back(latency_row(
      "  " + std::to_string(p["phones"].get<size_t>()) + " phones GET /live (during burst)", during["per_s"].get<double>(),
      during["latency"],
      "304 rate " + fmt(100.0 * during["rate_304"].get<double>(), 1) + "% (before burst " +
          (p["polls_before_burst"]["polls"].get<size_t>() == 0
               ? std::string("n/a: no poll answered before it")
               : fmt(100.0 * p["polls_before_burst"]["rate_304"].get<double>(), 1) + "%") +
          "), " + during["statuses"].dump()));
  report.rows.push_back({"  one unchanged GET /live (304), alone", "", "", "", "",
                         "server CPU " + fmt(p["live_cost_no_ballots"].value("server_cpu_ms_per_request", 0.0), 2) +
                             " ms with no ballot, " +
                             fmt(p["live_cost_after_burst"].value("server_cpu_ms_per_request", 0.0), 2) + " ms with " +
                             std::to_string(big) + " ballots in the open poll"});
  const double p99 = bu["latency"]["p99_ms"], mx = bu["latency"]["max_ms"];
  json& targets = report.targets;
  targets.push_back(target("ballot p99 with room polling V=" + std::to_string(big) + " C=256", "<= 25 ms",
                           fmt(p99, 1) + " ms", p99 <= 25));
  targets.push_back(target("ballot max with room polling", "<= 1000 ms", fmt(mx, 1) + " ms", mx <= 1000));
  targets.push_back(target("stored ballots with room polling", "exactly V", p["check"].dump(), p["check"]["ok"].get<bool>()));
}

void step_fragment_saves(const BenchOptions& o, Report& report) {
  json f = run_fragment_saves(o, 50, o.quick ? 4 : 20, 10 * 1024);
  report.result["fragment_saves"] = f;
  report.rows.push_back(latency_row("fragment saves 50 x 10 KiB", f["per_s"].get<double>(), f["latency"],
                                    "statuses " + f["statuses"].dump()));
}

void step_merge_render(const BenchOptions& o, Report& report) {
  json m = run_merge_render(o, 1000);
  report.result["merge_render"] = m;
  const double ratio = m["ratio_to_cmark"];
  report.rows.push_back({"merge+render 1000 fragments", "", "", "", "",
                         fmt(m["pipeline_ms"].get<double>(), 0) + " ms (merge " + fmt(m["merge_ms"].get<double>(), 0) +
                             ", markdown " + fmt(m["document_markdown_ms"].get<double>(), 0) + ", render " +
                             fmt(m["render_ms"].get<double>(), 0) + "; warm cache " +
                             fmt(m["pipeline_warm_cache_ms"].get<double>(), 0) + ")"});
  report.rows.push_back({"  plain cmark, same text", "", "", "", "",
                         fmt(m["cmark_input_ms"].get<double>(), 0) + " ms; ratio " + fmt(ratio, 2) + "x"});
  report.targets.push_back(target("merge and render vs plain cmark", "<= 1.5x", fmt(ratio, 2) + "x", ratio <= 1.5));
}

void step_export(const BenchOptions& o, Report& report) {
  json e;
  try {
    e = run_export(o, o.quick ? 200 : 1000, o.quick ? 40 : 200);
  } catch (const std::exception& ex) {
    // Recorded, not fatal: the other scenarios' figures are still written.
    std::cerr << "bench: export failed: " << ex.what() << "\n";
    e = {{"error", ex.what()}, {"formats", json::object()}};
    report.rows.push_back({"export", "", "", "", "", std::string("failed: ") + ex.what()});
  }
  report.result["export"] = e;
  for (const auto& [name, f] : e["formats"].items()) {
    report.rows.push_back({"export " + name + ", " + e["fragments"].dump() + " fragments, " + e["amendments"].dump() +
                               " amendments",
                           "", "", "", "", export_cell(f)});
  }
}

void step_wrk_cross_check(const BenchOptions& o, Report& report) {
  const size_t connections = 64;
  const int seconds = o.quick ? 3 : 10;
  std::cerr << "bench: load client and wrk on GET /healthz, C=" << connections << "\n";
  // The load client counts requests, wrk runs for a duration: the client
  // is given about as many requests as it answers in that time at the
  // ceiling measured first.
  json probe = run_ceiling(o, connections, o.quick ? 3000 : 10000);
  const size_t requests = static_cast<size_t>(probe["per_s"].get<double>() * seconds);
  json client = run_ceiling(o, connections, std::max<size_t>(requests, 1000));
  json wrk = run_wrk(o.port, "/healthz", connections, seconds);
  report.result["wrk_cross_check"] = {{"route", "GET /healthz"}, {"connections", connections}, {"client", client}, {"wrk", wrk}};
  report.rows.push_back(latency_row("cross-check GET /healthz C=" + std::to_string(connections) + ": load client",
                                    client["per_s"].get<double>(), client["latency"],
                                    std::to_string(client["requests"].get<size_t>()) + " requests in " +
                                        fmt(client["wall_s"].get<double>(), 1) + " s, one client thread"));
  if (!wrk["available"].get<bool>()) {
    report.rows.push_back({"  the same with wrk", "", "", "", "", "not run: " + wrk["error"].get<std::string>()});
    return;
  }
  const double ratio = wrk["per_s"].get<double>() / client["per_s"].get<double>();
  report.rows.push_back(latency_row("  the same with wrk", wrk["per_s"].get<double>(), wrk["latency"],
                                    std::to_string(wrk["requests"].get<size_t>()) + " requests in " +
                                        std::to_string(seconds) + " s, " + std::to_string(wrk["threads"].get<int>()) +
                                        " wrk threads; wrk/client rate " + fmt(ratio, 2) + "x"));
  report.result["wrk_cross_check"]["rate_ratio_wrk_to_client"] = ratio;
}

void step_server_end(const BenchOptions& o, Report& report) {
  const ServerProbe probe(o.server_pid);
  if (probe.valid()) {
    const ProcSample s = probe.sample();
    report.result["server_end"] = {{"vm_hwm_mib_since_last_reset", s.vm_hwm_kib / 1024.0},
                                   {"vm_rss_mib", s.vm_rss_kib / 1024.0},
                                   {"threads", s.threads},
                                   {"cpu_s", s.cpu_s}};
  }
  report.result["machine"]["loadavg_after"] = read_first_line("/proc/loadavg");
}

}  // namespace rapporteur::bench
