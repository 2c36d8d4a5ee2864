// Test fixtures: a fresh database file in a temporary folder, the real HTTP
// server on a free loopback port, and a client. Time is a FakeClock set to
// the Kisumu adoption slot (2022-05-19 12:20 in Africa/Nairobi) unless moved.
#pragma once

#include <httplib.h>

#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "rapporteur/app.h"
#include "rapporteur/clock.h"
#include "rapporteur/server.h"
#include "test_database.h"

namespace rapporteur::testing {

inline constexpr const char* kAdminToken = "test-admin-token-0123456789abcdef";
// 2022-05-19T12:20:00+03:00
inline constexpr int64_t kKisumuAdoptionMs = 1652952000000;

// A temporary folder removed with its content at destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::filesystem::path& path() const { return path_; }
  std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

std::string read_text(const std::string& path);

// The executable `name` on PATH. When it is missing, a check that needs it
// cannot run: under CTest (RAPPORTEUR_CTEST set, SKIP_RETURN_CODE 77) the
// test process prints why and exits 77, which CTest reports as skipped;
// run directly, the test fails naming the missing tool. Never a silent pass.
std::string require_program(const std::string& name, const std::string& package);
// The same for a file a check needs (`how`: where it comes from).
std::string require_file(const std::string& path, const std::string& how);
// A check that does not apply to this build (a sanitizer's allocator, say):
// under CTest the test process prints why and exits 77 (reported as
// skipped); run directly, a warning. The caller returns after it.
void not_applicable(const std::string& why);
nlohmann::json kisumu_spec();  // samples/kisumu-2022/session.json

struct Response {
  int status = 0;
  std::string body;
  httplib::Headers headers;
  nlohmann::json json() const;
  std::string header(const std::string& name) const;
};

// What a test may configure beyond the defaults (AppOptions' meaning).
struct TestServerConfig {
  std::string public_url = "http://127.0.0.1:8080";
  std::string metrics_token;
};

class TestServer {
 public:
  explicit TestServer(int64_t now_ms = kKisumuAdoptionMs, const TestServerConfig& config = {});
  // The same, with the options changed by `configure` before the start
  // (converters, stream caps, threads, public URL).
  using Configure = std::function<void(AppOptions&, ServerOptions&)>;
  TestServer(int64_t now_ms, const Configure& configure);
  ~TestServer();

  App& app() { return *app_; }
  FakeClock& clock() { return *clock_; }
  int port() const { return server_->port(); }
  // The SQLite file (in the SQLite run): for checks of the file itself.
  const std::string& db_path() const { return db_path_; }
  // The database the server writes, whichever the backend.
  const TestDatabase& db() const { return *db_; }

  Response get(const std::string& path, const std::string& token = "", const httplib::Headers& headers = {});
  Response post(const std::string& path, const nlohmann::json& body, const std::string& token = "",
                const httplib::Headers& headers = {});
  Response put(const std::string& path, const nlohmann::json& body, const std::string& token = "",
               const httplib::Headers& headers = {});
  // Every answer is checked against the OpenAPI document (tests/contract/):
  // a JSON body that breaks its operation's response schema, or a status the
  // operation does not document, fails the test, naming the route, the
  // status and the schema error. Answers read on another thread are
  // reported when the server is destroyed (Catch2 asserts on one thread).
  Response send(const std::string& method, const std::string& path, const std::string& body,
                const std::string& content_type, const std::string& token = "", const httplib::Headers& headers = {});

  // Creates the Kisumu sample session; remembers each person's token by name.
  nlohmann::json create_kisumu();
  const std::string& token(const std::string& name) const { return tokens_.at(name); }
  int64_t person_id(const std::string& name) const { return ids_.at(name); }
  // The session id created by create_kisumu().
  std::string sid() const { return "kisumu-2022-partnerships"; }
  std::string path(const std::string& rest) const { return "/api/v1/sessions/" + sid() + rest; }

 private:
  TempDir dir_;
  std::string db_path_;
  std::unique_ptr<TestDatabase> db_;
  std::shared_ptr<FakeClock> clock_;
  std::unique_ptr<App> app_;
  std::unique_ptr<Server> server_;
  std::map<std::string, std::string> tokens_;
  std::map<std::string, int64_t> ids_;
  std::thread::id owner_ = std::this_thread::get_id();
  std::mutex contract_mutex_;
  std::vector<std::string> off_thread_violations_;

  void check_contract(const std::string& method, const std::string& path, const Response& response);
};

}  // namespace rapporteur::testing
