#include "http/metrics.h"

#include <array>
#include <map>
#include <mutex>
#include <sstream>

namespace rapporteur::http {
namespace {

constexpr std::array<double, 12> kBucketsMs = {1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000};

struct State {
  std::mutex mu;
  std::map<std::pair<std::string, int>, uint64_t> requests;
  std::array<uint64_t, kBucketsMs.size()> buckets{};
  uint64_t count = 0;
  double sum_ms = 0;
};

State& state() {
  static State s;
  return s;
}

std::string label(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

}  // namespace

void Metrics::observe(const std::string& route, int status, double ms) {
  State& s = state();
  std::lock_guard<std::mutex> lock(s.mu);
  ++s.requests[{route, status}];
  for (size_t i = 0; i < kBucketsMs.size(); ++i) {
    if (ms <= kBucketsMs[i]) ++s.buckets[i];
  }
  ++s.count;
  s.sum_ms += ms;
}

std::string Metrics::render(const WriterStats& writer) const {
  State& s = state();
  std::ostringstream out;
  std::lock_guard<std::mutex> lock(s.mu);
  out << "# HELP rapporteur_requests_total HTTP requests by route and status.\n"
      << "# TYPE rapporteur_requests_total counter\n";
  for (const auto& [key, n] : s.requests) {
    out << "rapporteur_requests_total{route=\"" << label(key.first) << "\",status=\"" << key.second << "\"} " << n
        << "\n";
  }
  out << "# HELP rapporteur_request_duration_seconds Request latency.\n"
      << "# TYPE rapporteur_request_duration_seconds histogram\n";
  for (size_t i = 0; i < kBucketsMs.size(); ++i) {
    out << "rapporteur_request_duration_seconds_bucket{le=\"" << kBucketsMs[i] / 1000.0 << "\"} " << s.buckets[i]
        << "\n";
  }
  out << "rapporteur_request_duration_seconds_bucket{le=\"+Inf\"} " << s.count << "\n"
      << "rapporteur_request_duration_seconds_sum " << s.sum_ms / 1000.0 << "\n"
      << "rapporteur_request_duration_seconds_count " << s.count << "\n";
  uint64_t ballots = 0;
  for (const auto& [key, n] : s.requests) {
    if (key.first.find("/ballots") != std::string::npos && key.second < 300) ballots += n;
  }
  out << "# HELP rapporteur_ballots_total Ballots accepted.\n# TYPE rapporteur_ballots_total counter\n"
      << "rapporteur_ballots_total " << ballots << "\n"
      << "# HELP rapporteur_commits_total Group commits.\n# TYPE rapporteur_commits_total counter\n"
      << "rapporteur_commits_total " << writer.commits.load() << "\n"
      << "# HELP rapporteur_writes_total Writes committed or refused.\n# TYPE rapporteur_writes_total counter\n"
      << "rapporteur_writes_total " << writer.writes.load() << "\n"
      << "# HELP rapporteur_batch_size_max Largest group commit.\n# TYPE rapporteur_batch_size_max gauge\n"
      << "rapporteur_batch_size_max " << writer.max_batch.load() << "\n";
  return out.str();
}

Metrics& metrics() {
  static Metrics m;
  return m;
}

}  // namespace rapporteur::http
