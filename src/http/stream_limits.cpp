#include "http/stream_limits.h"

namespace rapporteur::http {

std::shared_ptr<void> StreamLimits::try_acquire(const std::string& client) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (open_ >= total_) return nullptr;
    size_t& mine = by_client_[client];
    if (mine >= per_client_) return nullptr;
    ++mine;
    ++open_;
  }
  // The slot's "object" is this limiter; the deleter gives the slot back.
  return std::shared_ptr<void>(this, [this, client](void*) { release(client); });
}

size_t StreamLimits::open() const {
  std::lock_guard<std::mutex> lock(mu_);
  return open_;
}

void StreamLimits::release(const std::string& client) {
  std::lock_guard<std::mutex> lock(mu_);
  --open_;
  auto it = by_client_.find(client);
  if (it != by_client_.end() && --it->second == 0) by_client_.erase(it);
}

}  // namespace rapporteur::http
