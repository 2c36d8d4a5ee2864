#include "server_probe.h"

#include <unistd.h>

#include <fstream>
#include <sstream>

namespace rapporteur::bench {

ProcSample ServerProbe::sample() const {
  ProcSample s;
  if (pid_ <= 0) return s;
  const std::string dir = "/proc/" + std::to_string(pid_);
  {
    std::ifstream stat(dir + "/stat");
    std::string line;
    if (std::getline(stat, line)) {
      // Fields after the ")" that ends the command name: state is field 3,
      // utime and stime are fields 14 and 15.
      const size_t close = line.rfind(')');
      std::istringstream rest(line.substr(close + 2));
      std::string field;
      long utime = 0, stime = 0;
      for (int i = 3; i <= 15 && (rest >> field); ++i) {
        if (i == 14) utime = std::stol(field);
        if (i == 15) stime = std::stol(field);
      }
      s.cpu_s = static_cast<double>(utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
    }
  }
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
