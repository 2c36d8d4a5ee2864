#include "report.h"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iostream>

namespace rapporteur::bench {

using nlohmann::json;

namespace {

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

}  // namespace

std::string fmt(double v, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

std::string fmt_rate(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.0f/s", v);
  return buf;
}

Row latency_row(const std::string& what, double rate, const json& lat, const std::string& note) {
  return {what, fmt_rate(rate), fmt(lat["p50_ms"].get<double>(), 2), fmt(lat["p99_ms"].get<double>(), 2),
          fmt(lat["max_ms"].get<double>(), 1), note};
}

json target(const std::string& name, const std::string& goal, const std::string& measured, bool met) {
  return {{"target", name}, {"goal", goal}, {"measured", measured}, {"met", met}};
}

void print_report(const Report& report) {
  const json& result = report.result;
  std::cout << "\nRapporteur benchmarks, " << result["started_at"].get<std::string>() << ", "
            << result["machine"]["nproc"] << " CPUs (" << result["machine"]["cpu_model"].get<std::string>()
            << "), load " << result["machine"]["loadavg_before"].get<std::string>() << "\n\n";
  print_table(report.rows);
  std::cout << "\ntargets:\n";
  for (const json& t : report.targets) {
    std::cout << "  [" << (t["met"].get<bool>() ? "met   " : "MISSED") << "] " << t["target"].get<std::string>() << ": "
              << t["measured"].get<std::string>() << " (goal " << t["goal"].get<std::string>() << ")\n";
  }
}

bool write_result(const Report& report, const std::string& path) {
  std::ofstream out(path);
  out << report.result.dump(2) << "\n";
  return static_cast<bool>(out);
}

}  // namespace rapporteur::bench
