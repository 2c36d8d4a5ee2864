// What participants write must not make the export converters fetch,
// read or fail: each attack performed for real over the real server, with
// the real pandoc and chromium, or a fake converter for faults and time.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include <chrono>
#include <filesystem>
#include <fstream>

#include "test_server.h"

using namespace rapporteur;
using namespace rapporteur::testing;

namespace {

// A listening socket on a free loopback port that counts who connects.
class Listener {
 public:
  Listener() {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
    REQUIRE(::listen(fd_, 16) == 0);
    socklen_t len = sizeof a;
    REQUIRE(::getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len) == 0);
    port_ = ntohs(a.sin_port);
  }
  ~Listener() { ::close(fd_); }
  int port() const { return port_; }
  // Connections waiting to be accepted (each accepted and closed).
  int connections() {
    int n = 0;
    pollfd p{fd_, POLLIN, 0};
    while (::poll(&p, 1, 0) > 0) {
      const int c = ::accept(fd_, nullptr, nullptr);
      if (c < 0) break;
      ::close(c);
      ++n;
    }
    return n;
  }

 private:
  int fd_ = -1;
  int port_ = 0;
};

const std::string kPresident = "President of the session";

// Draft 1 from a fragment holding `fragment_text`, amending open, and an
// amendment proposing `amendment_text` by a participant.
void draft_with(TestServer& s, const std::string& fragment_text, const std::string& amendment_text) {
  s.create_kisumu();
  const std::string body = "## Recommendations\n\n- Fund the partnerships. " + fragment_text + "\n";
  REQUIRE(s.post(s.path("/breakouts/complementarity/fragments"), {{"title", "Breakout 1"}, {"body", body}},
                 s.token("Rapporteur, Breakout 1"))
              .status == 201);
  REQUIRE(s.post(s.path("/drafts"), {{"merge", true}}, s.token("Moderator")).status == 201);
  REQUIRE(s.post(s.path("/phase"), {{"phase", "amending"}}, s.token(kPresident)).status == 200);
  auto draft = s.get(s.path("/drafts/current"));
  REQUIRE(draft.status == 200);
  const nlohmann::json paragraphs = draft.json()["paragraphs"];
  std::string target;
  for (const auto& p : paragraphs) {
    if (p["number"].is_string() && !p["number"].get<std::string>().empty()) target = p["pid"];
  }
  REQUIRE_FALSE(target.empty());
  auto a = s.post(s.path("/amendments"),
                  {{"draft", 1}, {"target", target}, {"kind", "replace"}, {"text", amendment_text}, {"rationale", "x"}},
                  s.token("Participant 1"));
  INFO(a.body);
  REQUIRE(a.status == 201);
}

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// A fake converter: a shell script named `name` in its own folder.
ConverterOptions fake_converter(const TempDir& dir, const std::string& name, const std::string& body) {
  const std::string path = dir.file(name);
  std::ofstream(path) << "#!/bin/sh\n" << body;
  std::filesystem::permissions(path, std::filesystem::perms::owner_all);
  ConverterOptions o;
  o.search_path = dir.path().string();
  o.use_cache = false;
  return o;
}

}  // namespace

TEST_CASE("an image in an amendment or a fragment makes no converter connect anywhere (slow)",
          "[hostile][export][convert]") {
  require_program("pandoc", "pandoc");
  require_program("chromium", "chromium");
  Listener trap;
  const std::string url = "http://127.0.0.1:" + std::to_string(trap.port());
  TestServer s(kKisumuAdoptionMs, [](AppOptions& ao, ServerOptions&) { ao.converters.use_cache = false; });
  draft_with(s, "![seen](" + url + "/fragment.png) <img src=\"" + url + "/raw.png\">",
             "Fund them. ![amended](" + url + "/amendment.png)");
  for (const std::string format : {"docx", "pdf"}) {
    INFO(format);
    auto r = s.get(s.path("/export?format=" + format));  // anonymous, as in the report
    INFO(r.body.substr(0, 300));
    CHECK(r.status == 200);
    CHECK(trap.connections() == 0);
  }
}

TEST_CASE("images of /nonexistent and /dev/zero: exports answer 200, in bounded time (slow)",
          "[hostile][export][convert]") {
  require_program("pandoc", "pandoc");
  require_program("chromium", "chromium");
  TestServer s(kKisumuAdoptionMs, [](AppOptions& ao, ServerOptions&) {
    ao.converters.use_cache = false;
    ao.converters.timeout_ms = 60'000;
  });
  draft_with(s, "![missing](/nonexistent/file.png)", "![zero](/dev/zero) Fund them. ![missing](/nonexistent/file.png)");
  for (const std::string format : {"docx", "pdf"}) {
    INFO(format);
    const auto t0 = std::chrono::steady_clock::now();
    auto r = s.get(s.path("/export?format=" + format));
    INFO(r.body.substr(0, 300));
    CHECK(r.status == 200);
    CHECK(seconds_since(t0) < 60);
  }
}

TEST_CASE("a converter that fails, runs out of time or of memory answers 503 with Retry-After",
          "[hostile][export][convert]") {
  TempDir bin;
  struct Case {
    std::string name, format, program, script, code;
    int timeout_ms;
  };
  const std::vector<Case> cases = {
      {"fails", "docx", "pandoc", "echo 'pandoc: /tmp/secret/path: boom' >&2\nexit 1\n", "converter_failed", 30'000},
      {"writes nothing", "pdf", "chromium", "exit 0\n", "converter_failed", 30'000},
      {"hangs", "pdf", "chromium", "exec /bin/sleep 30\n", "converter_timeout", 400},
      // Doubles a string until the memory limit stops it.
      {"eats memory", "docx", "pandoc", "exec /usr/bin/awk 'BEGIN { s = \"x\"; while (1) s = s s }'\n",
       "converter_failed", 30'000},
  };
  for (const Case& c : cases) {
    SECTION(c.name) {
      TempDir dir;
      ConverterOptions o = fake_converter(dir, c.program, c.script);
      o.timeout_ms = c.timeout_ms;
      o.memory_limit_bytes = 64u << 20;
      TestServer s(kKisumuAdoptionMs, [&](AppOptions& ao, ServerOptions&) { ao.converters = o; });
      draft_with(s, "", "Fund them.");
      const auto t0 = std::chrono::steady_clock::now();
      auto r = s.get(s.path("/export?format=" + c.format));
      INFO(r.body);
      CHECK(r.status == 503);
      CHECK(r.json()["error"]["code"] == c.code);
      CHECK(std::atoi(r.header("Retry-After").c_str()) > 0);
      // Names the format and the converter, never its output or a path.
      CHECK(r.body.find(c.program) != std::string::npos);
      CHECK(r.body.find("/tmp") == std::string::npos);
      CHECK(seconds_since(t0) < 20);
    }
  }
}
