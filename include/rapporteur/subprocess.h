// Running an external program (the export converters) safely from a
// multi-threaded server: fork and exec with an argv vector (never a shell),
// no PATH search, stdin from /dev/null, stdout and stderr captured together,
// no other file descriptor of the server (client sockets, the database), a
// process group of its own so that a timeout kills the program and every
// child it started, and an optional memory limit set in the child before
// exec (so it binds the program from its first instruction).
//
// Thread safety: may be called from any thread; between fork and exec the
// child makes system calls only (no allocation, no lock).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "rapporteur/status.h"

namespace rapporteur {

struct SubprocessOptions {
  int timeout_ms = 60'000;
  // The working folder; empty: the server's own.
  std::string cwd;
  // The whole environment ("NAME=value"); empty: the server's own.
  std::vector<std::string> env;
  // At most this many bytes of output are kept (the last ones).
  size_t max_output = 64 * 1024;
  // RLIMIT_DATA of the program and of every process it starts (0: none):
  // its heap and other private writable memory. Past it, allocations fail
  // and the program exits or crashes. Not RLIMIT_AS: Chromium reserves tens
  // of gigabytes of address space it never uses and aborts under any
  // address-space limit it can live with.
  size_t memory_limit_bytes = 0;
};

struct SubprocessResult {
  int exit_code = -1;   // when it exited
  int signal = 0;       // when a signal ended it (SIGKILL after a timeout)
  bool timed_out = false;
  std::string output;   // stdout and stderr, interleaved, the tail only
  bool ok() const { return !timed_out && signal == 0 && exit_code == 0; }
};

// Runs argv[0] (an absolute path) with `argv` and waits for it, at most
// `timeout_ms`; then the whole process group is killed. When the program has
// exited, what is left of its process group is killed as well (a converter
// must not leave processes behind). internal when it cannot be started.
Result<SubprocessResult> run_subprocess(const std::vector<std::string>& argv, const SubprocessOptions& options);

}  // namespace rapporteur
