// The real `rapporteur serve` binary as a child process, for the crash test:
// started on a database file and a port the kernel picks, stopped cleanly
// (SIGTERM) or killed without warning (SIGKILL).
//
// Thread safety: one owner; kill_now() may be called from another thread
// while the owner waits for nothing else on it (the crash test's killer).
#pragma once

#include <sys/types.h>

#include <atomic>
#include <memory>
#include <string>

namespace rapporteur::crash {

struct ServeOptions {
  std::string binary;       // absolute path of the rapporteur executable
  std::string db;           // --db
  std::string output;       // stdout and stderr go to this file
  std::string admin_token;  // RAPPORTEUR_ADMIN_TOKEN
  int threads = 64;         // --threads: one per keep-alive connection and more
  int start_timeout_ms = 30'000;
};

class ServerProcess {
 public:
  // Spawns `binary serve --db DB --port 0 --no-sample --quiet --threads N`
  // and waits for its "serving on http://HOST:PORT/" line. On failure returns
  // null with the reason (and the child's output) in `error`; no child is
  // left running.
  static std::unique_ptr<ServerProcess> start(const ServeOptions& options, std::string& error);

  ~ServerProcess();  // SIGKILL and reap when still running: never leaves a child behind
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  int port() const { return port_; }
  pid_t pid() const { return pid_; }

  // SIGKILL, then reaps the child. Idempotent.
  void kill_now();
  // SIGTERM and waits; the exit code, or 128 + signal when a signal ended it.
  int terminate();
  // What the child wrote so far (stdout and stderr), for failure messages.
  std::string output() const;

 private:
  ServerProcess(pid_t pid, std::string output) : pid_(pid), output_path_(std::move(output)) {}
  int reap();

  pid_t pid_;
  std::string output_path_;
  int port_ = 0;
  std::atomic<bool> reaped_{false};
  int exit_status_ = -1;
};

}  // namespace rapporteur::crash
