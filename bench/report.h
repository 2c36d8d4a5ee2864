// What one run of rapporteur_bench reports: the figures as JSON (written to
// bench/results/latest.json), the rows of the printed table, and the targets
// with whether each was met. Every benchmark step adds to one Report.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace rapporteur::bench {

// One line of the printed table; empty cells are left blank.
struct Row {
  std::string what, rate, p50, p99, max, note;
};

struct Report {
  nlohmann::json result = nlohmann::json::object();
  std::vector<Row> rows;
  nlohmann::json targets = nlohmann::json::array();
};

// "12.3" with `decimals` digits after the point.
std::string fmt(double v, int decimals = 1);
// "1234/s".
std::string fmt_rate(double v);

// A row from a latency summary ({p50_ms, p99_ms, max_ms}).
Row latency_row(const std::string& what, double rate, const nlohmann::json& lat, const std::string& note);

// A target: what is measured, its goal, the figure and whether it is met.
nlohmann::json target(const std::string& name, const std::string& goal, const std::string& measured, bool met);

// The heading (time, machine), the table and the targets, on stdout.
void print_report(const Report& report);

// The figures as JSON to `path`; false when the file cannot be written.
bool write_result(const Report& report, const std::string& path);

}  // namespace rapporteur::bench
