// Prometheus counters for requests (by route and status) and a latency
// histogram. Thread-safe.
#pragma once

#include <string>

#include "rapporteur/store.h"

namespace rapporteur::http {

class Metrics {
 public:
  void observe(const std::string& route, int status, double ms);
  // The text exposition format, with the writer's commit statistics.
  std::string render(const WriterStats& writer) const;
};

Metrics& metrics();

}  // namespace rapporteur::http
