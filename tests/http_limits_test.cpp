// Resource exhaustion by anonymous requests, performed for real: a Range
// header of hundreds of parts, hundreds of idle event streams. Against the
// real `rapporteur serve` binary (default thread count) where the number of
// worker threads matters, else the in-process server.
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include <chrono>
#include <cstdlib>
#include <memory>
#include <string>
#include <map>
#include <thread>
#include <vector>

#include "contract/answers.h"
#include "crash/server_process.h"
#include "test_server.h"

using namespace rapporteur;
using namespace rapporteur::testing;

namespace {

std::string binary() {
  const char* v = std::getenv("RAPPORTEUR_TEST_BINARY");
  return v && *v ? v : RAPPORTEUR_BINARY;
}

// The real binary on a fresh database, with `threads` workers (256 is the
// default of `rapporteur serve`).
std::unique_ptr<crash::ServerProcess> start_binary(const TempDir& dir, int threads) {
  crash::ServeOptions o{binary(), dir.file("limits.db"), dir.file("serve.log"), kAdminToken};
  o.threads = threads;
  std::string error;
  auto server = crash::ServerProcess::start(o, error);
  INFO(error);
  REQUIRE(server);
  return server;
}

struct Answer {
  int status = 0;  // 0: no answer in time
  std::string body;
  httplib::Headers headers;
  double seconds = 0;
};

Answer call(int port, const std::string& method, const std::string& path, const std::string& body = "",
            const httplib::Headers& headers = {}, int timeout_s = 5) {
  httplib::Client cli("127.0.0.1", port);
  cli.set_connection_timeout(timeout_s, 0);
  cli.set_read_timeout(timeout_s, 0);
  const auto t0 = std::chrono::steady_clock::now();
  httplib::Result r = method == "GET" ? cli.Get(path.c_str(), headers)
                                      : cli.Post(path.c_str(), headers, body, "application/json");
  Answer a;
  a.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (r) {
    a.status = r->status;
    a.body = r->body;
    a.headers = r->headers;
    CHECK(contract::check_answer(method, path, *r) == "");
  }
  return a;
}

httplib::Headers bearer(const std::string& token) { return {{"Authorization", "Bearer " + token}}; }

// A raw connection that sends `request` and then only listens.
class RawConnection {
 public:
  RawConnection(int port, const std::string& request) {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<uint16_t>(port));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ok_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0 &&
          ::send(fd_, request.data(), request.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(request.size());
  }
  ~RawConnection() { ::close(fd_); }
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;
  bool ok() const { return ok_; }
  // What has arrived within `ms` (appended to what came before).
  const std::string& received(int ms) {
    pollfd p{fd_, POLLIN, 0};
    const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
    while (::poll(&p, 1, static_cast<int>(std::max<int64_t>(
                                 0, std::chrono::duration_cast<std::chrono::milliseconds>(
                                        until - std::chrono::steady_clock::now())
                                        .count()))) > 0) {
      char buf[4096];
      const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
      if (n <= 0) {
        closed_ = true;
        break;
      }
      got_.append(buf, static_cast<size_t>(n));
      if (got_.find("\r\n\r\n") != std::string::npos) break;
    }
    return got_;
  }
  bool closed() const { return closed_; }

 private:
  int fd_ = -1;
  bool ok_ = false;
  bool closed_ = false;
  std::string got_;
};

std::string stream_request(const std::string& path, const std::string& forwarded_for) {
  std::string r = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n";
  if (!forwarded_for.empty()) r += "X-Forwarded-For: " + forwarded_for + "\r\n";
  return r + "\r\n";
}

// A session in amending with an open electronic poll (the real clock is not
// in the sample's adoption slot: the president's override, with a reason).
struct Voting {
  std::string sid = "kisumu-2022-partnerships";
  std::string voter;
  int64_t poll = 0;
};

Voting open_poll(int port) {
  Voting v;
  auto created = call(port, "POST", "/api/v1/sessions", kisumu_spec().dump(), bearer(kAdminToken), 30);
  REQUIRE(created.status == 201);
  std::map<std::string, std::string> token;
  const nlohmann::json people = nlohmann::json::parse(created.body)["people"];
  for (const auto& p : people) token[p["name"].get<std::string>()] = p["token"].get<std::string>();
  v.voter = token.at("Participant 1");
  const std::string base = "/api/v1/sessions/" + v.sid;
  auto post = [&](const std::string& rest, const nlohmann::json& body, const std::string& who, int want) {
    auto a = call(port, "POST", base + rest, body.dump(), bearer(token.at(who)), 30);
    INFO(rest << ": " << a.body);
    REQUIRE(a.status == want);
    return nlohmann::json::parse(a.body);
  };
  post("/breakouts/complementarity/fragments", {{"title", "B1"}, {"body", "## Recommendations\n\n- Fund them.\n"}},
       "Rapporteur, Breakout 1", 201);
  post("/drafts", {{"merge", true}}, "Moderator", 201);
  post("/phase", {{"phase", "amending"}}, "President of the session", 200);
  v.poll = post("/polls",
                {{"subject", {{"adoption", 1}}}, {"override_slot", true}, {"reason", "limits test on the real clock"}},
                "President of the session", 201)["id"];
  post("/polls/" + std::to_string(v.poll) + "/open", nlohmann::json::object(), "President of the session", 200);
  return v;
}

}  // namespace

TEST_CASE("a Range of 400 parts gets 416, not hundreds of megabytes", "[hostile][http][limits]") {
  TempDir dir;
  auto server = start_binary(dir, 64);
  const auto whole = call(server->port(), "GET", "/api/v1/openapi.json");
  REQUIRE(whole.status == 200);
  std::string ranges = "bytes=0-";
  for (int i = 1; i < 400; ++i) ranges += ",0-";
  auto many = call(server->port(), "GET", "/api/v1/openapi.json", "", {{"Range", ranges}}, 30);
  INFO("status " << many.status << ", " << many.body.size() << " bytes (the document is " << whole.body.size() << ")");
  CHECK(many.status == 416);
  CHECK(many.body.size() < 1024);
  CHECK(many.body.find("\"range_not_satisfiable\"") != std::string::npos);
  CHECK(many.body.find("400 byte ranges") != std::string::npos);
  // Two ranges are refused as well; an API answer ignores a single one.
  CHECK(call(server->port(), "GET", "/healthz", "", {{"Range", "bytes=0-1,2-3"}}).status == 416);
  auto one = call(server->port(), "GET", "/api/v1/openapi.json", "", {{"Range", "bytes=0-9"}});
  CHECK(one.status == 200);
  CHECK(one.body == whole.body);
  // A page too: one range is ignored, the answer is whole.
  auto page = call(server->port(), "GET", "/", "", {{"Range", "bytes=0-14"}});
  CHECK(page.status == 200);
  CHECK(page.body.size() > 15);
}

TEST_CASE("a request target over the server's limit gets 414 bad_request and one under it is routed", "[hostile][http][limits]") {
  TempDir dir;
  auto server = start_binary(dir, 16);
  // httplib refuses a request line whose target is over 8,192 bytes.
  auto over = call(server->port(), "GET", "/api/v1/sessions/" + std::string(9000, 'a'));
  CHECK(over.status == 414);
  CHECK(over.body.find("\"bad_request\"") != std::string::npos);
  CHECK(over.body.find("request URI is too long") != std::string::npos);
  auto under = call(server->port(), "GET", "/api/v1/sessions/" + std::string(4000, 'a'));
  CHECK(under.status == 404);
  CHECK(call(server->port(), "GET", "/healthz").status == 200);
}

TEST_CASE("300 idle event streams leave /healthz and a ballot answered (slow)", "[hostile][http][limits][stream]") {
  TempDir dir;
  auto server = start_binary(dir, 256);  // the default of `rapporteur serve`
  const int port = server->port();
  const Voting v = open_poll(port);
  const std::string stream = "/api/v1/sessions/" + v.sid + "/stream";
  // Anonymous, each from its own address as nginx would report it.
  std::vector<std::unique_ptr<RawConnection>> idle;
  for (int i = 0; i < 300; ++i) {
    idle.push_back(std::make_unique<RawConnection>(
        port, stream_request(stream, "10.1." + std::to_string(i / 250) + "." + std::to_string(i % 250 + 1))));
    REQUIRE(idle.back()->ok());
  }
  // The server has taken every one of them in (a stream's first event, or a refusal).
  int streaming = 0;
  int refused = 0;
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(8);
  for (auto& c : idle) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - std::chrono::steady_clock::now());
    const std::string& got = c->received(static_cast<int>(std::max<int64_t>(0, left.count())));
    if (got.rfind("HTTP/1.1 200", 0) == 0) ++streaming;
    if (got.rfind("HTTP/1.1 503", 0) == 0) {
      ++refused;
      CHECK(got.find("Retry-After: ") != std::string::npos);
    }
  }
  INFO(streaming << " streams open, " << refused << " refused");
  const auto health = call(port, "GET", "/healthz", "", {}, 5);
  CHECK(health.status == 200);
  CHECK(health.seconds < 2.0);
  const auto ballot = call(port, "POST", "/api/v1/sessions/" + v.sid + "/polls/" + std::to_string(v.poll) + "/ballots",
                           nlohmann::json{{"choice", "yes"}}.dump(), bearer(v.voter), 5);
  INFO(ballot.body);
  CHECK(ballot.status == 200);
  CHECK(ballot.seconds < 2.0);
  CHECK(streaming + refused == 300);
  CHECK(streaming <= 64);
}

TEST_CASE("streams over the cap per address and in all get 503 too_many_streams, and a closed connection",
          "[hostile][http][limits][stream]") {
  TestServer s(kKisumuAdoptionMs, [](AppOptions&, ServerOptions& so) {
    so.threads = 64;
    so.max_streams = 6;
    so.max_streams_per_client = 3;
  });
  s.create_kisumu();
  const std::string stream = s.path("/stream");
  std::vector<std::unique_ptr<RawConnection>> held;
  auto open = [&](const std::string& from) {
    held.push_back(std::make_unique<RawConnection>(s.port(), stream_request(stream, from)));
    REQUIRE(held.back()->ok());
    return held.back()->received(3000);
  };
  // Three from one address; the fourth is refused.
  for (int i = 0; i < 3; ++i) CHECK(open("").rfind("HTTP/1.1 200", 0) == 0);
  const std::string fourth = open("");
  CHECK(fourth.rfind("HTTP/1.1 503", 0) == 0);
  CHECK(fourth.find("Retry-After: 30") != std::string::npos);
  CHECK(fourth.find("Connection: close") != std::string::npos);
  // Its body names the code and the way out; then the server hangs up.
  std::string rest = fourth;
  for (int i = 0; i < 20 && !held.back()->closed(); ++i) rest = held.back()->received(100);
  CHECK(rest.find("\"too_many_streams\"") != std::string::npos);
  CHECK(held.back()->closed());
  CHECK(contract::check_raw_answer("GET", stream, rest) == "");
  // Others up to the total of six; the seventh is refused.
  for (int i = 0; i < 3; ++i) CHECK(open("192.0.2." + std::to_string(i + 1)).rfind("HTTP/1.1 200", 0) == 0);
  CHECK(open("192.0.2.9").rfind("HTTP/1.1 503", 0) == 0);
  // The rest of the server answers meanwhile; /live is the way out.
  CHECK(s.get("/healthz").status == 200);
  CHECK(s.get(s.path("/live")).status == 200);
  // Streams that end give their slot back (the next heartbeat finds them gone).
  held.clear();
  std::string again;
  for (int i = 0; i < 50 && again.rfind("HTTP/1.1 200", 0) != 0; ++i) {
    held.clear();
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    again = open("");
  }
  CHECK(again.rfind("HTTP/1.1 200", 0) == 0);
}
