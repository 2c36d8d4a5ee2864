// What /proc tells about the server process: CPU time and memory, and the
// reset of its peak-RSS mark (so a peak can be taken over one phase).
#pragma once

#include <map>
#include <string>

namespace rapporteur::bench {

struct ProcSample {
  double cpu_s = 0;     // user + system CPU time, all threads
  long vm_hwm_kib = 0;  // peak resident set since start or the last reset
  long vm_rss_kib = 0;
  long threads = 0;
};

class ServerProbe {
 public:
  explicit ServerProbe(int pid) : pid_(pid) {}
  bool valid() const { return pid_ > 0; }
  // Zeros when the process cannot be read (no pid given, or it is gone).
  ProcSample sample() const;
  // Resets VmHWM to the current RSS (Linux: "5" into /proc/PID/clear_refs).
  // False when that is not permitted; VmHWM is then the lifetime peak.
  bool reset_peak() const;
  // CPU seconds of each thread (by thread id); empty when unreadable.
  std::map<int, double> thread_cpu() const;

 private:
  int pid_;
};

// The thread that used the most CPU between two thread_cpu() snapshots:
// {thread id, CPU seconds}. In a burst of writes that is the writer thread.
std::pair<int, double> busiest_thread(const std::map<int, double>& before, const std::map<int, double>& after);

// "AMD EPYC ..." from /proc/cpuinfo, or "unknown".
std::string cpu_model();

}  // namespace rapporteur::bench
