#include "workloads.h"

#include <algorithm>
#include <cmath>

namespace rapporteur::bench {
namespace {

constexpr size_t kErrorSamples = 5;

double ms_between(Clock::time_point a, Clock::time_point b) { return std::chrono::duration<double, std::milli>(b - a).count(); }

void note_error(std::vector<std::string>& samples, const Response& r) {
  if (samples.size() < kErrorSamples) samples.push_back(std::to_string(r.status) + " " + r.body.substr(0, 300));
}

}  // namespace

LatencySummary summarize(std::vector<double> ms) {
  LatencySummary s;
  s.n = ms.size();
  if (ms.empty()) return s;
  std::sort(ms.begin(), ms.end());
  // Nearest-rank percentiles.
  auto rank = [&](double p) { return ms[std::min(ms.size() - 1, static_cast<size_t>(std::ceil(p * ms.size())) - 1)]; };
  double sum = 0;
  for (double v : ms) sum += v;
  s.mean_ms = sum / static_cast<double>(ms.size());
  s.p50_ms = rank(0.50);
  s.p90_ms = rank(0.90);
  s.p99_ms = rank(0.99);
  s.max_ms = ms.back();
  return s;
}

ClosedBurst::ClosedBurst(std::vector<std::string> requests, size_t count, Clock::time_point start_at)
    : requests_(std::move(requests)), count_(count), start_at_(start_at) {
  latencies_ms_.reserve(count);
}

const std::string* ClosedBurst::next(size_t, Clock::time_point now, uint64_t& tag, Clock::time_point& intended) {
  if (issued_ == count_ || now < start_at_) return nullptr;
  tag = issued_++;
  intended = now;
  if (now < first_sent_) first_sent_ = now;
  return &requests_[tag % requests_.size()];
}

Clock::time_point ClosedBurst::next_due() const {
  if (issued_ == count_) return Clock::time_point::max();
  return start_at_;
}

void ClosedBurst::complete(uint64_t, const Response& r, Clock::time_point, Clock::time_point sent, Clock::time_point done) {
  ++done_;
  latencies_ms_.push_back(ms_between(sent, done));
  ++statuses_[r.status];
  if (r.status < 200 || r.status >= 300) note_error(error_samples_, r);
  if (done > last_done_) last_done_ = done;
}

size_t ClosedBurst::ok() const {
  size_t n = 0;
  for (const auto& [status, count] : statuses_) n += status >= 200 && status < 300 ? count : 0;
  return n;
}

double ClosedBurst::span_s() const {
  if (done_ == 0) return 0;
  return std::chrono::duration<double>(last_done_ - first_sent_).count();
}

PerConnectionSequence::PerConnectionSequence(std::vector<std::vector<std::string>> sequences)
    : sequences_(std::move(sequences)), position_(sequences_.size(), 0) {
  for (const auto& s : sequences_) total_ += s.size();
  latencies_ms_.reserve(total_);
}

const std::string* PerConnectionSequence::next(size_t conn, Clock::time_point now, uint64_t& tag,
                                               Clock::time_point& intended) {
  if (conn >= sequences_.size() || position_[conn] == sequences_[conn].size()) return nullptr;
  tag = conn;
  intended = now;
  if (now < first_sent_) first_sent_ = now;
  return &sequences_[conn][position_[conn]++];
}

void PerConnectionSequence::complete(uint64_t, const Response& r, Clock::time_point, Clock::time_point sent,
                                     Clock::time_point done) {
  ++done_;
  latencies_ms_.push_back(ms_between(sent, done));
  ++statuses_[r.status];
  if (r.status < 200 || r.status >= 300) note_error(error_samples_, r);
  if (done > last_done_) last_done_ = done;
}

double PerConnectionSequence::span_s() const {
  if (done_ == 0) return 0;
  return std::chrono::duration<double>(last_done_ - first_sent_).count();
}

RoomPoller::RoomPoller(std::string path, std::vector<std::string> tokens, std::chrono::milliseconds period,
                       Clock::time_point start)
    : path_(std::move(path)),
      tokens_(std::move(tokens)),
      period_(period),
      start_(start),
      etags_(tokens_.size()),
      wire_(tokens_.size()),
      in_flight_(tokens_.size(), false),
      conditional_(tokens_.size(), false) {}

Clock::time_point RoomPoller::due(uint64_t k) const {
  // Poll k is phone k % n's (k / n)-th, at an even offset within the period.
  const auto n = static_cast<int64_t>(tokens_.size());
  return start_ + std::chrono::duration_cast<Clock::duration>(period_ * static_cast<int64_t>(k / n) +
                                                              period_ * static_cast<int64_t>(k % n) / n);
}

Clock::time_point RoomPoller::next_due() const { return tokens_.empty() ? Clock::time_point::max() : due(k_); }

const std::string* RoomPoller::next(size_t, Clock::time_point now, uint64_t& tag, Clock::time_point& intended) {
  while (!tokens_.empty() && due(k_) <= now) {
    const size_t phone = k_ % tokens_.size();
    intended = due(k_);
    ++k_;
    if (in_flight_[phone]) {
      ++skipped_;
      continue;
    }
    std::vector<std::string> extra;
    if (!etags_[phone].empty()) extra.push_back("If-None-Match: " + etags_[phone]);
    wire_[phone] = build_request("GET", path_, tokens_[phone], {}, extra);
    in_flight_[phone] = true;
    conditional_[phone] = !etags_[phone].empty();
    tag = phone;
    return &wire_[phone];
  }
  return nullptr;
}

void RoomPoller::complete(uint64_t tag, const Response& r, Clock::time_point intended, Clock::time_point,
                          Clock::time_point done) {
  in_flight_[tag] = false;
  if (r.status == 200) etags_[tag] = r.header("etag");
  samples_.push_back({intended, ms_between(intended, done), r.status, conditional_[tag]});
}

}  // namespace rapporteur::bench
