#include "rapporteur/app.h"

#include "rapporteur/crypto.h"
#include "rapporteur/log.h"
#include "rapporteur/memory.h"
#include "rapporteur/polls.h"

namespace rapporteur {
namespace {
// Free heap kept for reuse before the rest goes back to the system.
constexpr size_t kReleaseThreshold = size_t{32} << 20;

int64_t steady_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}
}  // namespace

Status check_secret_token(const std::string& name, const std::string& token) {
  if (token.size() < kMinSecretTokenLength) {
    return Status::invalid(name + " must be at least " + std::to_string(kMinSecretTokenLength) + " characters long (it has " +
                           std::to_string(token.size()) + ")");
  }
  for (char c : token) {
    if (c < 0x21 || c > 0x7E) return Status::invalid(name + " must be printable ASCII without spaces");
  }
  return Status::ok();
}

uint64_t LiveHub::version(const std::string& session) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = versions_.find(session);
  return it == versions_.end() ? 0 : it->second;
}

void LiveHub::bump(const std::vector<std::string>& sessions) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (const auto& s : sessions) ++versions_[s];
  }
  cv_.notify_all();
}

uint64_t LiveHub::wait(const std::string& session, uint64_t seen, int timeout_ms) const {
  std::unique_lock<std::mutex> lock(mu_);
  auto current = [&] {
    auto it = versions_.find(session);
    return it == versions_.end() ? uint64_t{0} : it->second;
  };
  cv_.wait_for(lock, std::chrono::milliseconds(timeout_ms), [&] { return current() != seen || shut_down_; });
  return current();
}

void LiveHub::shutdown() {
  shut_down_ = true;
  cv_.notify_all();
}

Result<std::unique_ptr<App>> App::open(const AppOptions& options, std::shared_ptr<Clock> clock) {
  std::unique_ptr<App> app(new App());
  app->options_ = options;
  if (!options.metrics_token.empty()) app->metrics_token_hash_ = sha256_hex(options.metrics_token);
  app->clock_ = std::move(clock);
  RAPPORTEUR_ASSIGN_OR_RETURN(auto store, open_store(options.db));
  app->store_ = std::move(store);
  App* raw = app.get();
  app->store_->on_commit([raw](const std::vector<std::string>& sessions) { raw->live_.bump(sessions); });

  if (options.tick_ms > 0) {
    // Polls with a closing time close themselves even when no request arrives;
    // about once a second, memory freed by large requests (exports, merges)
    // goes back to the system.
    app->ticker_ = std::thread([raw] {
      std::unique_lock<std::mutex> lock(raw->tick_mu_);
      int64_t last_release = 0;
      while (!raw->stopping_) {
        raw->tick_cv_.wait_for(lock, std::chrono::milliseconds(raw->options_.tick_ms));
        if (raw->stopping_) break;
        lock.unlock();
        try {
          close_due_polls(*raw->store_, raw->now_ms());
        } catch (const std::exception& e) {
          log_error(std::string("closing due polls failed: ") + e.what());
        }
        const int64_t now = steady_ms();
        if (now - last_release >= 1000) {
          last_release = now;
          release_free_memory(kReleaseThreshold);
        }
        lock.lock();
      }
    });
  }
  if (!options.admin_token.empty()) {
    app->admin_token_hash_ = sha256_hex(options.admin_token);
    return app;
  }
  // No configured token: use the stored hash, or make one and show it once.
  RAPPORTEUR_ASSIGN_OR_RETURN(auto stored, app->store_->write<std::string>([&](Tx& tx) -> Result<std::string> {
    if (auto hash = tx.settings().get("admin_token_hash")) return *hash;
    const std::string token = random_token(24);
    raw->generated_admin_token_ = token;
    tx.settings().insert("admin_token_hash", sha256_hex(token));
    return sha256_hex(token);
  }));
  app->admin_token_hash_ = stored;
  return app;
}

bool App::is_admin_token(const std::string& token) const {
  return !token.empty() && sha256_hex(token) == admin_token_hash_;
}

bool App::is_metrics_token(const std::string& token) const {
  return !token.empty() && !metrics_token_hash_.empty() && sha256_hex(token) == metrics_token_hash_;
}

void App::stop() {
  {
    std::lock_guard<std::mutex> lock(tick_mu_);
    stopping_ = true;
  }
  tick_cv_.notify_all();
  if (ticker_.joinable()) ticker_.join();
  live_.shutdown();
  if (store_) store_->stop();
}

App::~App() { stop(); }

}  // namespace rapporteur
