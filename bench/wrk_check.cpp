#include "wrk_check.h"

#include <cstdio>
#include <regex>
#include <sstream>

namespace rapporteur::bench {

using nlohmann::json;

namespace {

// wrk prints durations as "812.00us", "1.23ms", "2.01s" or "1.50m".
double to_ms(double value, const std::string& unit) {
  if (unit == "us") return value / 1000.0;
  if (unit == "ms") return value;
  if (unit == "s") return value * 1000.0;
  if (unit == "m") return value * 60000.0;
  return value;
}

json unavailable(const std::string& why) { return {{"available", false}, {"error", why}}; }

}  // namespace

json parse_wrk_output(const std::string& output) {
  static const std::regex rate(R"(Requests/sec:\s+([0-9.]+))");
  static const std::regex total(R"((\d+) requests in)");
  // "Latency   1.10ms  502.05us  12.34ms   90.12%": average, spread, maximum.
  static const std::regex thread_latency(R"(Latency\s+[0-9.]+\w+\s+[0-9.]+\w+\s+([0-9.]+)(us|ms|s|m)\s)");
  static const std::regex p50(R"(\s50%\s+([0-9.]+)(us|ms|s|m))");
  static const std::regex p99(R"(\s99%\s+([0-9.]+)(us|ms|s|m))");
  static const std::regex non_2xx(R"(Non-2xx or 3xx responses:\s+(\d+))");
  std::smatch m_rate, m_total, m_max, m_p50, m_p99, m_non;
  if (!std::regex_search(output, m_rate, rate) || !std::regex_search(output, m_total, total) ||
      !std::regex_search(output, m_max, thread_latency) || !std::regex_search(output, m_p50, p50) ||
      !std::regex_search(output, m_p99, p99)) {
    return unavailable("wrk's report lacks a figure: " + output.substr(0, 300));
  }
  return {{"available", true},
          {"requests", std::stoul(m_total[1])},
          {"per_s", std::stod(m_rate[1])},
          {"latency",
           {{"p50_ms", to_ms(std::stod(m_p50[1]), m_p50[2])},
            {"p99_ms", to_ms(std::stod(m_p99[1]), m_p99[2])},
            {"max_ms", to_ms(std::stod(m_max[1]), m_max[2])}}},
          {"non_2xx", std::regex_search(output, m_non, non_2xx) ? std::stoul(m_non[1]) : 0ul}};
}

json run_wrk(int port, const std::string& path, size_t connections, int seconds) {
  // Two threads: as many as the load client's machine usually spares it;
  // wrk needs at least one connection per thread.
  const int threads = connections >= 2 ? 2 : 1;
  std::ostringstream cmd;
  cmd << "wrk --latency -t" << threads << " -c" << connections << " -d" << seconds << "s http://127.0.0.1:" << port
      << path << " 2>&1";
  FILE* pipe = ::popen(cmd.str().c_str(), "r");
  if (pipe == nullptr) return unavailable("cannot start wrk");
  std::string output;
  char buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, pipe)) > 0) output.append(buf, n);
  const int status = ::pclose(pipe);
  if (status != 0) {
    return unavailable(output.find("not found") != std::string::npos
                           ? std::string("wrk is not installed (Debian package wrk)")
                           : "wrk failed: " + output.substr(0, 300));
  }
  json j = parse_wrk_output(output);
  if (j["available"].get<bool>()) j["threads"] = threads;
  return j;
}

}  // namespace rapporteur::bench
