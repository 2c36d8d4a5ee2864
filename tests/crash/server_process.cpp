#include "crash/server_process.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <fstream>
#include <regex>
#include <sstream>
#include <thread>
#include <vector>

extern char** environ;

namespace rapporteur::crash {
namespace {

std::string read_all(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// The parent's environment with RAPPORTEUR_ADMIN_TOKEN set to `token`.
std::vector<std::string> child_environment(const std::string& token) {
  std::vector<std::string> env;
  for (char** e = environ; e && *e; ++e) {
    if (std::strncmp(*e, "RAPPORTEUR_ADMIN_TOKEN=", 23) != 0) env.emplace_back(*e);
  }
  env.push_back("RAPPORTEUR_ADMIN_TOKEN=" + token);
  return env;
}

std::vector<char*> pointers(std::vector<std::string>& strings) {
  std::vector<char*> out;
  for (auto& s : strings) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

}  // namespace

std::unique_ptr<ServerProcess> ServerProcess::start(const ServeOptions& o, std::string& error) {
  std::vector<std::string> argv = {o.binary,   "serve",    "--db",      o.db, "--port", "0", "--no-sample",
                                   "--quiet", "--threads", std::to_string(o.threads)};
  std::vector<std::string> env = child_environment(o.admin_token);
  std::vector<char*> argv_p = pointers(argv), env_p = pointers(env);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, o.output.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
  pid_t pid = 0;
  const int rc = posix_spawn(&pid, o.binary.c_str(), &actions, nullptr, argv_p.data(), env_p.data());
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) {
    error = "cannot start " + o.binary + ": " + std::strerror(rc);
    return nullptr;
  }
  std::unique_ptr<ServerProcess> p(new ServerProcess(pid, o.output));

  static const std::regex serving(R"(serving on http://[^:/]+:(\d+)/)");
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(o.start_timeout_ms);
  while (std::chrono::steady_clock::now() < deadline) {
    std::smatch m;
    const std::string text = read_all(o.output);
    if (std::regex_search(text, m, serving)) {
      p->port_ = std::stoi(m[1].str());
      return p;
    }
    int status = 0;
    if (waitpid(pid, &status, WNOHANG) == pid) {
      p->reaped_ = true;
      p->exit_status_ = status;
      error = "rapporteur serve exited before serving:\n" + read_all(o.output);
      return nullptr;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  error = "rapporteur serve did not announce its port within " + std::to_string(o.start_timeout_ms) + " ms:\n" +
          read_all(o.output);
  return nullptr;  // the destructor kills it
}

ServerProcess::~ServerProcess() { kill_now(); }

int ServerProcess::reap() {
  if (!reaped_.exchange(true)) {
    int status = 0;
    while (waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
    exit_status_ = status;
  }
  if (WIFEXITED(exit_status_)) return WEXITSTATUS(exit_status_);
  if (WIFSIGNALED(exit_status_)) return 128 + WTERMSIG(exit_status_);
  return -1;
}

void ServerProcess::kill_now() {
  if (reaped_) return;
  ::kill(pid_, SIGKILL);
  reap();
}

int ServerProcess::terminate() {
  if (!reaped_) ::kill(pid_, SIGTERM);
  return reap();
}

std::string ServerProcess::output() const { return read_all(output_path_); }

}  // namespace rapporteur::crash
