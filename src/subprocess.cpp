#include "rapporteur/subprocess.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
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

// Makes sure `fd` is not 0, 1 or 2 (a server started with a standard stream
// closed gets them back from pipe()), keeping it close-on-exec.
int above_stdio(int fd) {
  if (fd < 0 || fd > 2) return fd;
  const int moved = ::fcntl(fd, F_DUPFD_CLOEXEC, 3);
  ::close(fd);
  return moved;
}

// Everything the child needs, prepared before fork: after it, the child may
// only make system calls (another thread may hold the allocator's lock).
struct ChildPlan {
  const char* program = nullptr;
  char* const* argv = nullptr;
  char* const* envp = nullptr;
  const char* cwd = nullptr;  // null: stay
  int out_fd = -1;            // becomes 1 and 2
  int err_fd = -1;            // reports a failed exec to the parent
  int max_fd = 1024;          // for closing without close_range
  size_t memory_limit = 0;
};

// What failed in the child, sent on err_fd: a step and its errno.
struct ChildFailure {
  int step;
  int error;
};
constexpr const char* kChildSteps[] = {"/dev/null", "dup2", "chdir", "setrlimit", "exec"};

[[noreturn]] void run_child(const ChildPlan& plan) {
  auto fail = [&](int step) {
    ChildFailure f{step, errno};
    [[maybe_unused]] ssize_t n = ::write(plan.err_fd, &f, sizeof f);
    ::_exit(127);
  };
  ::setpgid(0, 0);
  sigset_t none;
  sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);
  // The server may ignore SIGPIPE; ignored signals survive exec, defaults do not.
  struct sigaction dfl {};
  dfl.sa_handler = SIG_DFL;
  for (int sig : {SIGPIPE, SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGCHLD}) ::sigaction(sig, &dfl, nullptr);
  const int in = ::open("/dev/null", O_RDONLY);
  if (in < 0) fail(0);
  if (::dup2(in, 0) < 0 || ::dup2(plan.out_fd, 1) < 0 || ::dup2(plan.out_fd, 2) < 0) fail(1);
  if (plan.cwd != nullptr && ::chdir(plan.cwd) != 0) fail(2);
  // No descriptor of the server reaches the program but err_fd, which is
  // close-on-exec: client sockets it would otherwise keep open, the database.
  if (plan.err_fd > 3) ::close_range(3, static_cast<unsigned>(plan.err_fd - 1), 0);
  if (::close_range(static_cast<unsigned>(plan.err_fd + 1), ~0u, 0) != 0) {
    for (int fd = 3; fd < plan.max_fd; ++fd) {
      if (fd != plan.err_fd) ::close(fd);
    }
  }
  if (plan.memory_limit > 0) {
    const rlimit lim{plan.memory_limit, plan.memory_limit};
    if (::setrlimit(RLIMIT_DATA, &lim) != 0) fail(3);
  }
  ::execve(plan.program, plan.argv, plan.envp);
  fail(4);
  ::_exit(127);  // not reached: fail() exits
}

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
  Fd read_end(above_stdio(fds[0]));
  Fd write_end(above_stdio(fds[1]));
  int errs[2];
  if (pipe2(errs, O_CLOEXEC) != 0) return Status::internal(std::string("pipe: ") + std::strerror(errno));
  Fd err_read(above_stdio(errs[0]));
  Fd err_write(above_stdio(errs[1]));
  if (read_end.get() < 0 || write_end.get() < 0 || err_read.get() < 0 || err_write.get() < 0) {
    return Status::internal(std::string("pipe: ") + std::strerror(errno));
  }

  std::vector<char*> cargv;
  for (const auto& a : argv) cargv.push_back(const_cast<char*>(a.c_str()));
  cargv.push_back(nullptr);
  std::vector<char*> cenv;
  for (const auto& e : options.env) cenv.push_back(const_cast<char*>(e.c_str()));
  cenv.push_back(nullptr);
  ChildPlan plan;
  plan.program = argv[0].c_str();
  plan.argv = cargv.data();
  plan.envp = options.env.empty() ? environ : cenv.data();
  plan.cwd = options.cwd.empty() ? nullptr : options.cwd.c_str();
  plan.out_fd = write_end.get();
  plan.err_fd = err_write.get();
  rlimit files{};
  if (::getrlimit(RLIMIT_NOFILE, &files) == 0) plan.max_fd = static_cast<int>(std::min<rlim_t>(files.rlim_cur, 65536));
  plan.memory_limit = options.memory_limit_bytes;

  const pid_t pid = ::fork();
  if (pid < 0) return Status::internal("cannot start " + argv[0] + ": fork: " + std::strerror(errno));
  if (pid == 0) run_child(plan);
  write_end.reset();
  err_write.reset();
  // The child's report: nothing (end of file) once exec succeeded.
  ChildFailure failure{};
  ssize_t got = 0;
  do {
    got = ::read(err_read.get(), &failure, sizeof failure);
  } while (got < 0 && errno == EINTR);
  if (got == static_cast<ssize_t>(sizeof failure)) {
    int ignored = 0;
    while (::waitpid(pid, &ignored, 0) < 0 && errno == EINTR) {
    }
    const int step = failure.step >= 0 && failure.step < 5 ? failure.step : 4;
    return Status::internal("cannot start " + argv[0] + ": " + kChildSteps[step] + ": " + std::strerror(failure.error));
  }

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
