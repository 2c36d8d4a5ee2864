// The application: database, clock and the live-update hub, shared by the
// HTTP server, the command line and the tests. Domain operations take the
// App (or a Tx inside one of its writes).
//
// Thread safety: all members may be used from any thread.
#pragma once

#include <atomic>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "rapporteur/clock.h"
#include "rapporteur/store.h"
#include "rapporteur/export.h"
#include "rapporteur/status.h"

namespace rapporteur {

// Per-session change counters, bumped after every commit that touched the
// session. Live views compare them (ETag) and wait on them (SSE).
class LiveHub {
 public:
  uint64_t version(const std::string& session) const;
  void bump(const std::vector<std::string>& sessions);
  // Waits until the session's version differs from `seen` or `timeout_ms`
  // passes or shutdown() is called; returns the current version.
  uint64_t wait(const std::string& session, uint64_t seen, int timeout_ms) const;
  void shutdown();
  bool is_shut_down() const { return shut_down_; }

 private:
  mutable std::mutex mu_;
  mutable std::condition_variable cv_;
  std::map<std::string, uint64_t> versions_;
  std::atomic<bool> shut_down_{false};
};

// The shortest admin or metrics token accepted. Either one is a long-lived
// secret that a person chooses and that unlocks a whole server, so it must
// resist guessing as well as the generated ones (32 characters) do.
inline constexpr size_t kMinSecretTokenLength = 24;

// ok when `token` may serve as the admin or metrics token: at least
// kMinSecretTokenLength characters of printable ASCII without spaces (it
// travels in an Authorization header). invalid otherwise, the message naming
// `name` (say, the environment variable it came from) and the rule.
Status check_secret_token(const std::string& name, const std::string& token);

struct AppOptions {
  StoreOptions db;
  // Base of join links: "http://127.0.0.1:8080".
  std::string public_url = "http://127.0.0.1:8080";
  // The admin token; empty means: use the stored one, or generate one.
  // Taken from the environment, it must pass check_secret_token.
  std::string admin_token;
  // The token that reads /metrics (the admin token does too); empty: none.
  std::string metrics_token;
  // How often polls past their closes_at are closed; 0: never (commands).
  int tick_ms = 200;
  // Idle time after which /stream sends a heartbeat comment.
  int heartbeat_ms = 10'000;
  // Where and how the PDF and DOCX converters run (search path, timeout,
  // memory limit).
  ConverterOptions converters;
};

class App {
 public:
  // Opens the database. When no admin token is configured and none is stored,
  // generates one; generated_admin_token() returns it this once. The tokens
  // are not checked here (commands that never serve pass a placeholder):
  // `serve` and `import` check what the environment gives them.
  static Result<std::unique_ptr<App>> open(const AppOptions& options, std::shared_ptr<Clock> clock);

  Store& store() { return *store_; }
  const Clock& clock() const { return *clock_; }
  int64_t now_ms() const { return clock_->now_ms(); }
  LiveHub& live() { return live_; }
  const AppOptions& options() const { return options_; }

  bool is_admin_token(const std::string& token) const;
  bool is_metrics_token(const std::string& token) const;
  // The public URL is https: the login cookie is then Secure and __Host-.
  bool is_https() const { return options_.public_url.rfind("https://", 0) == 0; }
  const std::string& generated_admin_token() const { return generated_admin_token_; }
  std::string join_url(const std::string& token) const { return options_.public_url + "/join/" + token; }

  // Stops the ticker, then the writer after committing what is queued.
  // Idempotent; also done by the destructor.
  void stop();
  ~App();

 private:
  App() = default;
  AppOptions options_;
  std::shared_ptr<Clock> clock_;
  std::unique_ptr<Store> store_;
  LiveHub live_;
  std::string admin_token_hash_;
  std::string metrics_token_hash_;
  std::string generated_admin_token_;
  std::thread ticker_;
  std::mutex tick_mu_;
  std::condition_variable tick_cv_;
  bool stopping_ = false;
};

}  // namespace rapporteur
