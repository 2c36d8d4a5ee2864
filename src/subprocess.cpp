#include "rapporteur/subprocess.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>

extern char** environ;

namespace rapporteur {
namespace {

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() { reset(); }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  void reset() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_;
};

// posix_spawn's attribute and file-action objects, destroyed on every path.
struct SpawnSetup {
  posix_spawn_file_actions_t actions;
  posix_spawnattr_t attr;
  bool actions_ok = false;
  bool attr_ok = false;
  SpawnSetup() {
    actions_ok = posix_spawn_file_actions_init(&actions) == 0;
    attr_ok = posix_spawnattr_init(&attr) == 0;
  }
  ~SpawnSetup() {
    if (actions_ok) posix_spawn_file_actions_destroy(&actions);
    if (attr_ok) posix_spawnattr_destroy(&attr);
  }
  SpawnSetup(const SpawnSetup&) = delete;
  SpawnSetup& operator=(const SpawnSetup&) = delete;
};

int64_t steady_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}

// Whether `pid` has exited, without reaping it: while it is a zombie its
// process group id cannot be handed to another process, so killing the group
// afterwards reaches only what it left behind.
bool has_exited(pid_t pid) {
  siginfo_t info;
  std::memset(&info, 0, sizeof info);
  if (waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOHANG | WNOWAIT) != 0) return errno != EINTR;
  return info.si_pid == pid;
}

void append_tail(std::string& out, const char* data, size_t n, size_t max) {
  out.append(data, n);
  if (out.size() > 2 * max + 8192) out.erase(0, out.size() - max);
}

}  // namespace

Result<SubprocessResult> run_subprocess(const std::vector<std::string>& argv, const SubprocessOptions& options) {
  if (argv.empty() || argv[0].empty() || argv[0][0] != '/') {
    return Status::internal("run_subprocess: the program must be given by an absolute path");
  }
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) return Status::internal(std::string("pipe: ") + std::strerror(errno));
  Fd read_end(fds[0]);
  Fd write_end(fds[1]);

  SpawnSetup setup;
  if (!setup.actions_ok || !setup.attr_ok) return Status::internal("posix_spawn: cannot initialise");
  // The pipe's ends are close-on-exec; dup2 onto 1 and 2 clears that flag
  // for the child's copies only.
  int rc = posix_spawn_file_actions_addopen(&setup.actions, 0, "/dev/null", O_RDONLY, 0);
  if (rc == 0) rc = posix_spawn_file_actions_adddup2(&setup.actions, write_end.get(), 1);
  if (rc == 0) rc = posix_spawn_file_actions_adddup2(&setup.actions, write_end.get(), 2);
  if (rc == 0 && !options.cwd.empty()) rc = posix_spawn_file_actions_addchdir_np(&setup.actions, options.cwd.c_str());
  if (rc == 0) {
    rc = posix_spawnattr_setflags(&setup.attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  }
  if (rc == 0) rc = posix_spawnattr_setpgroup(&setup.attr, 0);
  sigset_t mask;
  sigemptyset(&mask);
  if (rc == 0) rc = posix_spawnattr_setsigmask(&setup.attr, &mask);
  // The server may ignore SIGPIPE; ignored signals survive exec, defaults do not.
  sigset_t defaults;
  sigemptyset(&defaults);
  for (int sig : {SIGPIPE, SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGCHLD}) sigaddset(&defaults, sig);
  if (rc == 0) rc = posix_spawnattr_setsigdefault(&setup.attr, &defaults);
  if (rc != 0) return Status::internal(std::string("posix_spawn setup: ") + std::strerror(rc));

  std::vector<char*> cargv;
  for (const auto& a : argv) cargv.push_back(const_cast<char*>(a.c_str()));
  cargv.push_back(nullptr);
  std::vector<char*> cenv;
  for (const auto& e : options.env) cenv.push_back(const_cast<char*>(e.c_str()));
  cenv.push_back(nullptr);
  char** envp = options.env.empty() ? environ : cenv.data();

  pid_t pid = 0;
  rc = posix_spawn(&pid, argv[0].c_str(), &setup.actions, &setup.attr, cargv.data(), envp);
  write_end.reset();
  if (rc != 0) return Status::internal("cannot start " + argv[0] + ": " + std::strerror(rc));

  SubprocessResult out;
  const int64_t deadline = steady_ms() + std::max(0, options.timeout_ms);
  bool eof = false;
  char buf[8192];
  auto read_some = [&]() {
    const ssize_t n = ::read(read_end.get(), buf, sizeof buf);
    if (n > 0) {
      append_tail(out.output, buf, static_cast<size_t>(n), options.max_output);
    } else if (n == 0 || (errno != EINTR && errno != EAGAIN)) {
      eof = true;
    }
  };
  while (true) {
    if (has_exited(pid)) {
      // Whatever is already in the pipe, without waiting for processes the
      // program may have left holding it.
      while (!eof) {
        pollfd p{read_end.get(), POLLIN, 0};
        if (::poll(&p, 1, 0) <= 0) break;
        read_some();
      }
      break;
    }
    const int64_t remaining = deadline - steady_ms();
    if (remaining <= 0) {
      out.timed_out = true;
      break;
    }
    const int slice = static_cast<int>(std::min<int64_t>(remaining, eof ? 20 : 100));
    if (eof) {
      ::poll(nullptr, 0, slice);
      continue;
    }
    pollfd p{read_end.get(), POLLIN, 0};
    const int ready = ::poll(&p, 1, slice);
    if (ready > 0) read_some();
  }
  // The whole group: the program after a timeout, or what it left behind.
  ::kill(-pid, SIGKILL);
  int status = 0;
  pid_t reaped = -1;
  do {
    reaped = ::waitpid(pid, &status, 0);
  } while (reaped < 0 && errno == EINTR);
  // reaped < 0 only if someone else reaped it (SIGCHLD ignored): exit code unknown (-1).
  if (reaped == pid && WIFEXITED(status)) out.exit_code = WEXITSTATUS(status);
  if (reaped == pid && WIFSIGNALED(status)) out.signal = WTERMSIG(status);
  if (out.output.size() > options.max_output) out.output.erase(0, out.output.size() - options.max_output);
  return out;
}

}  // namespace rapporteur
