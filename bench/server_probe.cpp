#include "server_probe.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace rapporteur::bench {

namespace {

// utime + stime of a /proc/.../stat file, in seconds (0 when unreadable).
double stat_cpu_seconds(const std::string& path) {
  std::ifstream stat(path);
  std::string line;
  if (!std::getline(stat, line)) return 0;
  // Fields after the ")" that ends the command name: state is field 3,
  // utime and stime are fields 14 and 15.
  const size_t close = line.rfind(')');
  if (close == std::string::npos || close + 2 > line.size()) return 0;
  std::istringstream rest(line.substr(close + 2));
  std::string field;
  long utime = 0, stime = 0;
  for (int i = 3; i <= 15 && (rest >> field); ++i) {
    if (i == 14) utime = std::stol(field);
    if (i == 15) stime = std::stol(field);
  }
  return static_cast<double>(utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

}  // namespace

std::map<int, double> ServerProbe::thread_cpu() const {
  std::map<int, double> out;
  if (pid_ <= 0) return out;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator("/proc/" + std::to_string(pid_) + "/task", ec)) {
    const std::string name = e.path().filename().string();
    out[std::stoi(name)] = stat_cpu_seconds(e.path().string() + "/stat");
  }
  return out;
}

std::pair<int, double> busiest_thread(const std::map<int, double>& before, const std::map<int, double>& after) {
  std::pair<int, double> best{0, 0.0};
  for (const auto& [tid, cpu] : after) {
    const auto it = before.find(tid);
    const double used = cpu - (it == before.end() ? 0.0 : it->second);
    if (used > best.second) best = {tid, used};
  }
  return best;
}

ProcSample ServerProbe::sample() const {
  ProcSample s;
  if (pid_ <= 0) return s;
  const std::string dir = "/proc/" + std::to_string(pid_);
  s.cpu_s = stat_cpu_seconds(dir + "/stat");
  std::ifstream status(dir + "/status");
  std::string key;
  while (status >> key) {
    long value = 0;
    if (key == "VmHWM:" && (status >> value)) s.vm_hwm_kib = value;
    if (key == "VmRSS:" && (status >> value)) s.vm_rss_kib = value;
    if (key == "Threads:" && (status >> value)) s.threads = value;
    status.ignore(1 << 20, '\n');
  }
  return s;
}

bool ServerProbe::reset_peak() const {
  if (pid_ <= 0) return false;
  std::ofstream out("/proc/" + std::to_string(pid_) + "/clear_refs");
  out << "5";
  out.flush();
  return static_cast<bool>(out);
}

std::string cpu_model() {
  std::ifstream in("/proc/cpuinfo");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("model name", 0) == 0) {
      const size_t colon = line.find(':');
      if (colon != std::string::npos) return line.substr(colon + 2);
    }
  }
  return "unknown";
}

}  // namespace rapporteur::bench
