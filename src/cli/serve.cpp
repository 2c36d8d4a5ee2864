#include <pthread.h>
#include <signal.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <thread>

#include "cli/commands.h"
#include "cli/setup.h"
#include "http/origin.h"
#include "rapporteur/app.h"
#include "rapporteur/log.h"
#include "rapporteur/memory.h"
#include "rapporteur/server.h"
#include "rapporteur/sessions.h"

namespace rapporteur::cli {
namespace {

const char* const kServeUsage =
    "usage: rapporteur serve [--db FILE|URL] [--host ADDR] [--port N] [--web DIR] [--threads N]\n"
    "                        [--public-url URL] [--sample FILE | --no-sample] [--quiet]\n"
    "\n"
    "Environment: RAPPORTEUR_ADMIN_TOKEN (at least 24 characters; generated once when\n"
    "unset) and RAPPORTEUR_METRICS_TOKEN (optional, at least 24 characters): GET /metrics\n"
    "needs one of them as Authorization: Bearer.\n"
    "\n"
    "Serves the API and the web pages. On an empty database it imports the sample\n"
    "session (default: the source tree's samples/kisumu-2022/session.json), dated\n"
    "today, and prints each person's join link. SIGINT or SIGTERM stop it cleanly:\n"
    "queued writes are committed and the database is closed.\n";

bool parse_int(const std::string& s, int min, int max, int& out) {
  try {
    size_t used = 0;
    const long v = std::stol(s, &used);
    if (used != s.size() || v < min || v > max) return false;
    out = static_cast<int>(v);
    return true;
  } catch (const std::exception&) {
    return false;
  }
}

// The secret in environment variable `name` (empty when unset) into `out`;
// false, after saying why on stderr, when it is set but too weak.
bool secret_from_env(const char* command, const char* name, std::string& out) {
  const char* value = std::getenv(name);
  out = value ? value : "";
  if (out.empty()) return true;
  const Status st = check_secret_token(name, out);
  if (st.is_ok()) return true;
  std::cerr << "rapporteur " << command << ": " << st.message()
            << "; make one with: openssl rand -base64 32 | tr '+/' '-_' | tr -d '='\n";
  return false;
}

}  // namespace

int serve(const std::vector<std::string>& args) {
  Flags f = parse_flags(args, {"db", "host", "port", "web", "threads", "public-url", "sample"}, {"no-sample", "quiet"});
  if (f.help) {
    std::cout << kServeUsage;
    return 0;
  }
  if (!f.error.empty() || !f.positional.empty()) {
    std::cerr << "rapporteur serve: " << (f.error.empty() ? "unexpected argument " + f.positional[0] : f.error)
              << "\n\n"
              << kServeUsage;
    return 2;
  }
  ServerOptions so;
  so.host = f.get("host", "127.0.0.1");
  if (f.has("port") && !parse_int(f.get("port"), 0, 65535, so.port)) {
    std::cerr << "rapporteur serve: --port must be a number from 0 to 65535\n";
    return 2;
  }
  if (f.has("threads") && !parse_int(f.get("threads"), 2, 4096, so.threads)) {
    std::cerr << "rapporteur serve: --threads must be a number from 2 to 4096\n";
    return 2;
  }
  so.web_dir = f.get("web");
  so.access_log = !f.has("quiet");
  if (f.has("quiet")) set_log_level(LogLevel::warn);

  limit_allocator_arenas();  // before any thread starts (include/rapporteur/memory.h)

  // Signals go to one thread that stops the server; block them everywhere else
  // before any thread starts.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  AppOptions ao;
  if (!database_flag(f, "serve", ao.db)) return 2;
  ao.db.readers = 8;
  if (!secret_from_env("serve", "RAPPORTEUR_ADMIN_TOKEN", ao.admin_token) ||
      !secret_from_env("serve", "RAPPORTEUR_METRICS_TOKEN", ao.metrics_token)) {
    return 2;
  }
  ao.public_url = f.get("public-url", "http://" + (so.host == "0.0.0.0" ? std::string("127.0.0.1") : so.host) + ":" +
                                          std::to_string(so.port));
  // Its origin is the one browser requests must come from (http/origin.h).
  if (http::url_origin(ao.public_url).empty()) {
    std::cerr << "rapporteur serve: --public-url must be an absolute http:// or https:// URL with a host, "
                 "such as https://rapporteur.example.org\n";
    return 2;
  }
  auto app = App::open(ao, std::make_shared<SystemClock>());
  if (!app) {
    std::cerr << "rapporteur serve: " << app.status().message() << "\n";
    return 1;
  }
  if (!(*app)->generated_admin_token().empty()) {
    std::cout << "Admin token (shown once, keep it): " << (*app)->generated_admin_token() << "\n";
  }
  if (!f.has("no-sample")) {
    const std::string sample = f.get("sample", std::string(RAPPORTEUR_SOURCE_DIR) + "/samples/kisumu-2022/session.json");
    if (std::filesystem::exists(sample) || f.has("sample")) {
      const int rc = load_sample_if_empty(**app, sample, std::cout);
      if (rc != 0) return rc;
    }
  }
  Server server(**app, so);
  Status st = server.start();
  if (!st.is_ok()) {
    std::cerr << "rapporteur serve: " << st.message() << "\n";
    return 1;
  }
  std::cout << "Rapporteur serving on http://" << so.host << ":" << server.port() << "/" << std::endl;

  std::thread waiter([&] {
    int sig = 0;
    sigwait(&signals, &sig);
    log_info(std::string("received ") + (sig == SIGINT ? "SIGINT" : "SIGTERM") + ", shutting down");
    server.stop();
  });
  server.wait();
  // The server stopped by itself (it could not keep listening): release the waiter.
  pthread_kill(waiter.native_handle(), SIGTERM);
  waiter.join();
  server.stop();
  (*app)->stop();
  log_info("stopped: writes committed, database closed");
  return 0;
}

int import_session(const std::vector<std::string>& args) {
  Flags f = parse_flags(args, {"db", "public-url"}, {"today"});
  const char* usage =
      "usage: rapporteur import FILE.json [--db FILE|URL] [--public-url URL] [--today]\n"
      "Creates the session described by FILE.json (the body of POST /api/v1/sessions)\n"
      "and prints each person's join link. --today dates it today.\n";
  if (f.help) {
    std::cout << usage;
    return 0;
  }
  if (!f.error.empty() || f.positional.size() != 1) {
    std::cerr << "rapporteur import: " << (f.error.empty() ? "needs exactly one FILE.json" : f.error) << "\n\n" << usage;
    return 2;
  }
  AppOptions ao;
  if (!database_flag(f, "import", ao.db)) return 2;
  ao.db.readers = 1;
  ao.tick_ms = 0;
  if (!secret_from_env("import", "RAPPORTEUR_ADMIN_TOKEN", ao.admin_token)) return 2;
  ao.public_url = f.get("public-url", "http://127.0.0.1:8080");
  auto app = App::open(ao, std::make_shared<SystemClock>());
  if (!app) {
    std::cerr << "rapporteur import: " << app.status().message() << "\n";
    return 1;
  }
  if (!(*app)->generated_admin_token().empty()) {
    std::cout << "Admin token (shown once, keep it): " << (*app)->generated_admin_token() << "\n";
  }
  return import_file(**app, f.positional[0], f.has("today"), std::cout);
}

}  // namespace rapporteur::cli
