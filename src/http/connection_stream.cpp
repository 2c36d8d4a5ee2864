#include "http/connection_stream.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace rapporteur::http {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

thread_local bool t_request_over_limit = false;
thread_local bool t_close_requested = false;

void address_of(const sockaddr_storage& addr, socklen_t len, std::string& ip, int& port) {
  char host[NI_MAXHOST] = {0};
  char serv[NI_MAXSERV] = {0};
  if (getnameinfo(reinterpret_cast<const sockaddr*>(&addr), len, host, sizeof host, serv, sizeof serv,
                  NI_NUMERICHOST | NI_NUMERICSERV) == 0) {
    ip = host;
    port = std::atoi(serv);
  }
}

}  // namespace

ConnectionStream::ConnectionStream(int sock, const ConnectionLimits& limits)
    : sock_(sock), limits_(limits), deadline_(Clock::now() + limits.request_timeout) {}

bool ConnectionStream::current_request_over_limit() { return t_request_over_limit; }
void ConnectionStream::close_after_response() { t_close_requested = true; }
bool ConnectionStream::current_close_requested() { return t_close_requested; }

bool ConnectionStream::wait(short events, milliseconds timeout) const {
  pollfd p{sock_, events, 0};
  const auto until = Clock::now() + timeout;
  for (;;) {
    const auto left = std::chrono::duration_cast<milliseconds>(until - Clock::now());
    const int rc = ::poll(&p, 1, static_cast<int>(std::max<int64_t>(0, left.count())));
    if (rc > 0) return true;
    if (rc == 0 || errno != EINTR) return false;
  }
}

bool ConnectionStream::wait_for_request(const std::atomic<int>& listening) {
  if (buf_off_ < buf_len_) return true;
  const auto until = Clock::now() + limits_.keep_alive_timeout;
  // Short slices, so that a stopping server does not wait out idle clients.
  while (listening.load() >= 0) {
    const auto left = std::chrono::duration_cast<milliseconds>(until - Clock::now());
    if (left.count() <= 0) return false;
    if (wait(POLLIN, std::min(left, milliseconds(100)))) return true;
  }
  return false;
}

void ConnectionStream::begin_request() {
  deadline_ = Clock::now() + limits_.request_timeout;
  request_bytes_ = 0;
  timed_out_ = false;
  over_limit_ = false;
  t_request_over_limit = false;
  t_close_requested = false;
}

bool ConnectionStream::is_readable() const {
  if (buf_off_ < buf_len_) return true;
  const auto left = std::chrono::duration_cast<milliseconds>(deadline_ - Clock::now());
  if (left.count() <= 0) {
    timed_out_ = true;
    return false;
  }
  if (wait(POLLIN, std::min(left, limits_.read_timeout))) return true;
  if (Clock::now() >= deadline_) timed_out_ = true;
  return false;
}

bool ConnectionStream::is_writable() const { return wait(POLLOUT, limits_.write_timeout); }

ssize_t ConnectionStream::read(char* ptr, size_t size) {
  if (request_bytes_ >= limits_.max_request_bytes) {
    over_limit_ = true;
    t_request_over_limit = true;
    return -1;
  }
  size = std::min(size, limits_.max_request_bytes - request_bytes_);
  if (buf_off_ >= buf_len_) {
    if (!is_readable()) return -1;
    ssize_t n;
    // Small reads (cpp-httplib reads headers a byte at a time) go through
    // the buffer; large ones straight into the caller's memory.
    char* into = size < buf_.size() ? buf_.data() : ptr;
    const size_t want = size < buf_.size() ? buf_.size() : size;
    do {
      n = ::recv(sock_, into, want, 0);
    } while (n < 0 && errno == EINTR);
    if (n <= 0) return n;
    if (into == ptr) {
      request_bytes_ += static_cast<size_t>(n);
      return n;
    }
    buf_off_ = 0;
    buf_len_ = static_cast<size_t>(n);
  }
  const size_t n = std::min(size, buf_len_ - buf_off_);
  std::memcpy(ptr, buf_.data() + buf_off_, n);
  buf_off_ += n;
  request_bytes_ += n;
  return static_cast<ssize_t>(n);
}

ssize_t ConnectionStream::write(const char* ptr, size_t size) {
  if (!is_writable()) return -1;
  ssize_t n;
  do {
    n = ::send(sock_, ptr, size, MSG_NOSIGNAL);
  } while (n < 0 && errno == EINTR);
  return n;
}

void ConnectionStream::get_remote_ip_and_port(std::string& ip, int& port) const {
  sockaddr_storage addr{};
  socklen_t len = sizeof addr;
  if (::getpeername(sock_, reinterpret_cast<sockaddr*>(&addr), &len) == 0) address_of(addr, len, ip, port);
}

void ConnectionStream::get_local_ip_and_port(std::string& ip, int& port) const {
  sockaddr_storage addr{};
  socklen_t len = sizeof addr;
  if (::getsockname(sock_, reinterpret_cast<sockaddr*>(&addr), &len) == 0) address_of(addr, len, ip, port);
}

}  // namespace rapporteur::http
