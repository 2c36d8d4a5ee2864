#include "load_engine.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace rapporteur::bench {
namespace {

double cpu_seconds() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
         static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

// A connected TCP socket to 127.0.0.1:port with TCP_NODELAY, or -1.
int connect_loopback(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return -1;
  }
  int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  return fd;
}

void set_nonblocking(int fd) { ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK); }

}  // namespace

struct Conn {
  int fd = -1;
  size_t index = 0;  // in its pool
  Workload* workload = nullptr;
  bool primary = true;
  bool busy = false;       // a request is in flight
  bool want_write = false;  // EPOLLOUT registered
  const std::string* out = nullptr;
  size_t out_off = 0;
  uint64_t tag = 0;
  Clock::time_point intended, sent;
  bool got_bytes = false;  // some of the answer arrived
  std::string in;
  ResponseParser parser;
  Response response;
};

struct Pool {
  std::vector<std::unique_ptr<Conn>> conns;
};

struct Engine::Impl {
  int port;
  int epfd = -1;
  std::vector<std::unique_ptr<Pool>> pools;
  RunStats* stats = nullptr;
  size_t in_flight = 0;

  bool attach(Conn& c) {
    c.fd = connect_loopback(port);
    if (c.fd < 0) return false;
    set_nonblocking(c.fd);
    epoll_event ev{};
    ev.events = EPOLLIN | EPOLLRDHUP;
    ev.data.ptr = &c;
    ::epoll_ctl(epfd, EPOLL_CTL_ADD, c.fd, &ev);
    c.want_write = false;
    c.in.clear();
    c.parser.reset();
    return true;
  }

  void detach(Conn& c) {
    if (c.fd >= 0) {
      ::epoll_ctl(epfd, EPOLL_CTL_DEL, c.fd, nullptr);
      ::close(c.fd);
    }
    c.fd = -1;
  }

  void set_write_interest(Conn& c, bool on) {
    if (c.want_write == on) return;
    epoll_event ev{};
    ev.events = EPOLLIN | EPOLLRDHUP | (on ? EPOLLOUT : 0u);
    ev.data.ptr = &c;
    ::epoll_ctl(epfd, EPOLL_CTL_MOD, c.fd, &ev);
    c.want_write = on;
  }

  // Writes what the socket takes; false when the connection is broken.
  bool flush(Conn& c) {
    while (c.out_off < c.out->size()) {
      const ssize_t n = ::send(c.fd, c.out->data() + c.out_off, c.out->size() - c.out_off, MSG_NOSIGNAL);
      if (n > 0) {
        c.out_off += static_cast<size_t>(n);
        continue;
      }
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        set_write_interest(c, true);
        return true;
      }
      if (n < 0 && errno == EINTR) continue;
      return false;
    }
    set_write_interest(c, false);
    return true;
  }

  // (Re)sends the connection's current request, reconnecting as needed.
  bool start_send(Conn& c) {
    if (c.fd < 0) {
      if (!attach(c)) return false;
      if (stats) ++stats->reconnects;
    }
    c.out_off = 0;
    c.got_bytes = false;
    c.sent = Clock::now();
    if (flush(c)) return true;
    // Broken while idle: the server closed it. One fresh connection, once.
    detach(c);
    if (!attach(c)) return false;
    if (stats) ++stats->reconnects;
    c.sent = Clock::now();
    return flush(c);
  }

  // Asks the connection's workload for a request; false when none is due.
  bool dispatch(Conn& c, Clock::time_point now) {
    uint64_t tag = 0;
    Clock::time_point intended = now;
    const std::string* req = c.workload->next(c.index, now, tag, intended);
    if (req == nullptr) return false;
    c.busy = true;
    ++in_flight;
    c.out = req;
    c.tag = tag;
    c.intended = intended;
    if (!start_send(c)) fail(c);
    return true;
  }

  // The request in flight is lost: reported with status 0.
  void fail(Conn& c) {
    if (stats) ++stats->io_errors;
    detach(c);
    c.busy = false;
    --in_flight;
    Response r;
    r.status = 0;
    c.workload->complete(c.tag, r, c.intended, c.sent, Clock::now());
  }

  // Reads what arrived; delivers complete answers. Returns true when an
  // answer completed.
  bool on_readable(Conn& c) {
    char buf[65536];
    bool eof = false;
    for (;;) {
      const ssize_t n = ::recv(c.fd, buf, sizeof buf, 0);
      if (n > 0) {
        c.in.append(buf, static_cast<size_t>(n));
        c.got_bytes = true;
        if (static_cast<size_t>(n) < sizeof buf) break;
        continue;
      }
      if (n < 0 && errno == EINTR) continue;
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
      eof = true;
      break;
    }
    bool completed = false;
    if (c.busy && !c.in.empty()) {
      const auto r = c.parser.parse(c.in, c.response);
      if (r == ResponseParser::Result::done) {
        const Clock::time_point done = Clock::now();
        c.busy = false;
        --in_flight;
        completed = true;
        const bool close = c.response.close;
        c.workload->complete(c.tag, c.response, c.intended, c.sent, done);
        if (close) detach(c);
      } else if (r == ResponseParser::Result::error) {
        fail(c);
        return true;
      }
    }
    if (eof && c.fd >= 0) {
      if (c.busy && !c.got_bytes) {
        // Closed by the server before answering (idle timeout race): resend.
        detach(c);
        if (!start_send(c)) fail(c);
      } else if (c.busy) {
        fail(c);
        completed = true;
      } else {
        detach(c);
      }
    }
    return completed;
  }
};

Engine::Engine(int port) : impl_(std::make_unique<Impl>()) {
  impl_->port = port;
  impl_->epfd = ::epoll_create1(EPOLL_CLOEXEC);
  if (impl_->epfd < 0) throw std::runtime_error(std::string("epoll_create1: ") + std::strerror(errno));
}

Engine::~Engine() {
  for (auto& p : impl_->pools) {
    for (auto& c : p->conns) impl_->detach(*c);
  }
  ::close(impl_->epfd);
}

Pool* Engine::open_pool(size_t n) {
  auto pool = std::make_unique<Pool>();
  for (size_t i = 0; i < n; ++i) {
    auto c = std::make_unique<Conn>();
    c->index = i;
    if (!impl_->attach(*c)) {
      throw std::runtime_error("cannot connect to 127.0.0.1:" + std::to_string(impl_->port) + " (connection " +
                               std::to_string(i + 1) + " of " + std::to_string(n) + "): " + std::strerror(errno));
    }
    pool->conns.push_back(std::move(c));
  }
  impl_->pools.push_back(std::move(pool));
  return impl_->pools.back().get();
}

void Engine::close_pool(Pool* pool) {
  for (auto& c : pool->conns) impl_->detach(*c);
  auto& pools = impl_->pools;
  pools.erase(std::remove_if(pools.begin(), pools.end(), [&](const auto& p) { return p.get() == pool; }), pools.end());
}

RunStats Engine::run(const std::vector<Part>& parts, std::chrono::milliseconds stall_timeout) {
  RunStats stats;
  impl_->stats = &stats;
  std::vector<Conn*> conns;
  for (const Part& part : parts) {
    for (auto& c : part.pool->conns) {
      c->workload = part.workload;
      c->primary = part.primary;
      c->busy = false;
      c->in.clear();
      c->parser.reset();
      conns.push_back(c.get());
    }
  }
  impl_->in_flight = 0;
  auto primaries_done = [&] {
    for (const Part& p : parts) {
      if (p.primary && !p.workload->finished()) return false;
    }
    return true;
  };
  const double cpu0 = cpu_seconds();
  const Clock::time_point t0 = Clock::now();
  Clock::time_point last_progress = t0;
  Clock::time_point end = t0;
  bool stopping = false;
  bool sweep = true;  // idle connections should ask their workloads
  Clock::time_point due = Clock::time_point::max();
  std::vector<epoll_event> events(conns.size() + 1);

  for (;;) {
    Clock::time_point now = Clock::now();
    if (!stopping && primaries_done()) {
      stopping = true;
      end = now;
    }
    if (!stopping && (sweep || now >= due)) {
      // Idle connections take whatever is due (start of the run, timers).
      for (Conn* c : conns) {
        if (!c->busy) impl_->dispatch(*c, now);
      }
      sweep = false;
      due = Clock::time_point::max();
      for (const Part& p : parts) due = std::min(due, p.workload->next_due());
    }
    const size_t in_flight = impl_->in_flight;
    if (stopping && in_flight == 0) break;
    if (in_flight == 0) last_progress = now;
    if (now - last_progress > stall_timeout) {
      impl_->stats = nullptr;
      throw std::runtime_error("no answer from the server for " + std::to_string(stall_timeout.count()) + " ms (" +
                               std::to_string(in_flight) + " requests in flight)");
    }
    int timeout_ms = 100;
    if (!stopping && due != Clock::time_point::max()) {
      const auto wait = std::chrono::duration_cast<std::chrono::microseconds>(due - now).count();
      timeout_ms = wait <= 0 ? 0 : static_cast<int>(std::min<long long>(100, (wait + 999) / 1000));
    }
    const int n = ::epoll_wait(impl_->epfd, events.data(), static_cast<int>(events.size()), timeout_ms);
    if (n < 0 && errno != EINTR) throw std::runtime_error(std::string("epoll_wait: ") + std::strerror(errno));
    for (int i = 0; i < n; ++i) {
      Conn& c = *static_cast<Conn*>(events[i].data.ptr);
      if (c.fd < 0) continue;
      if ((events[i].events & EPOLLOUT) && c.busy && c.out_off < c.out->size()) {
        if (!impl_->flush(c)) {
          impl_->fail(c);
          continue;
        }
      }
      if (events[i].events & (EPOLLIN | EPOLLERR | EPOLLHUP | EPOLLRDHUP)) {
        if (impl_->on_readable(c)) {
          last_progress = Clock::now();
          // Keep the pipe full: the freed connection takes the next request now.
          if (!stopping && !c.busy && !(c.primary && c.workload->finished())) impl_->dispatch(c, last_progress);
        }
      }
    }
  }
  if (end == t0) end = Clock::now();
  stats.wall_s = std::chrono::duration<double>(end - t0).count();
  stats.client_cpu_s = cpu_seconds() - cpu0;
  impl_->stats = nullptr;
  return stats;
}

Response http_call(int port, const std::string& request_bytes, std::chrono::milliseconds timeout) {
  const int fd = connect_loopback(port);
  if (fd < 0) throw std::runtime_error("cannot connect to 127.0.0.1:" + std::to_string(port) + ": " + std::strerror(errno));
  size_t off = 0;
  while (off < request_bytes.size()) {
    const ssize_t n = ::send(fd, request_bytes.data() + off, request_bytes.size() - off, MSG_NOSIGNAL);
    if (n <= 0) {
      ::close(fd);
      throw std::runtime_error("send to 127.0.0.1:" + std::to_string(port) + " failed: " + std::strerror(errno));
    }
    off += static_cast<size_t>(n);
  }
  const Clock::time_point deadline = Clock::now() + timeout;
  std::string in;
  ResponseParser parser;
  Response out;
  char buf[65536];
  for (;;) {
    pollfd p{fd, POLLIN, 0};
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0 || ::poll(&p, 1, static_cast<int>(left)) <= 0) {
      ::close(fd);
      throw std::runtime_error("no answer from 127.0.0.1:" + std::to_string(port) + " within " +
                               std::to_string(timeout.count()) + " ms");
    }
    const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) {
      ::close(fd);
      throw std::runtime_error("connection to 127.0.0.1:" + std::to_string(port) + " closed before the answer");
    }
    in.append(buf, static_cast<size_t>(n));
    const auto r = parser.parse(in, out);
    if (r == ResponseParser::Result::done) break;
    if (r == ResponseParser::Result::error) {
      ::close(fd);
      throw std::runtime_error("unparsable answer from 127.0.0.1:" + std::to_string(port));
    }
  }
  ::close(fd);
  return out;
}

}  // namespace rapporteur::bench
