#include "test_server.h"

#include <catch2/catch.hpp>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>

#include "contract/openapi_contract.h"
#include "rapporteur/export.h"
#include "rapporteur/log.h"

namespace rapporteur::testing {

TempDir::TempDir() {
  std::random_device rd;
  path_ = std::filesystem::temp_directory_path() / ("rapporteur-test-" + std::to_string(rd()) + std::to_string(rd()));
  std::filesystem::create_directories(path_);
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

namespace {

// Exits 77 under CTest, which reports the test as skipped.
void skip_under_ctest(const std::string& why) {
  if (std::getenv("RAPPORTEUR_CTEST") == nullptr) return;
  std::fprintf(stderr, "SKIP: %s\n", why.c_str());
  std::fflush(stderr);
  std::_Exit(77);
}

// A check whose tool is missing: skipped under CTest (exit 77, reported as
// skipped, never as passed), a failure when the binary is run by hand.
void missing_tool(const std::string& why) {
  skip_under_ctest(why);
  FAIL(why);
}

}  // namespace

void not_applicable(const std::string& why) {
  skip_under_ctest(why);
  WARN("not run: " << why);
}

std::string require_program(const std::string& name, const std::string& package) {
  const char* path = std::getenv("PATH");
  auto found = find_program(name, path != nullptr ? path : "/usr/bin:/bin");
  if (found) return *found;
  missing_tool(name + " is not installed (Debian package " + package + "): this check cannot run");
  return "";
}

std::string require_file(const std::string& path, const std::string& how) {
  if (std::ifstream(path)) return path;
  missing_tool(path + " is missing (" + how + "): this check cannot run");
  return "";
}

nlohmann::json kisumu_spec() {
  return nlohmann::json::parse(read_text(std::string(RAPPORTEUR_SOURCE_DIR) + "/samples/kisumu-2022/session.json"));
}

nlohmann::json Response::json() const {
  auto j = nlohmann::json::parse(body, nullptr, false);
  if (j.is_discarded()) FAIL("response is not JSON: " << body.substr(0, 300));
  return j;
}

std::string Response::header(const std::string& name) const {
  auto it = headers.find(name);
  return it == headers.end() ? "" : it->second;
}

TestServer::TestServer(int64_t now_ms, const TestServerConfig& config)
    : TestServer(now_ms, Configure([config](AppOptions& ao, ServerOptions&) {
        ao.public_url = config.public_url;
        ao.metrics_token = config.metrics_token;
      })) {}

TestServer::TestServer(int64_t now_ms, const Configure& configure) : clock_(std::make_shared<FakeClock>(now_ms)) {
  set_log_level(LogLevel::warn);
  db_path_ = dir_.file("rapporteur.db");
  db_ = std::make_unique<TestDatabase>(db_path_);
  AppOptions ao;
  ao.db = db_->options();
  ao.admin_token = kAdminToken;
  ao.public_url = TestServerConfig{}.public_url;
  ao.heartbeat_ms = 200;  // streams heartbeat quickly when idle
  ServerOptions so;
  so.port = 0;
  so.threads = 32;
  so.access_log = false;
  // Every test client comes from 127.0.0.1: only the total cap applies
  // unless a test sets its own (a stream's slot returns at its next
  // heartbeat, and some tests open streams as several people at once).
  so.max_streams_per_client = so.max_streams;
  if (configure) configure(ao, so);
  auto app = App::open(ao, clock_);
  REQUIRE(app.ok());
  app_ = std::move(*app);
  server_ = std::make_unique<Server>(*app_, so);
  REQUIRE(server_->start().is_ok());
}

TestServer::~TestServer() {
  server_->stop();
  app_->stop();
  std::lock_guard<std::mutex> lock(contract_mutex_);
  for (const auto& v : off_thread_violations_) FAIL_CHECK("OpenAPI contract broken: " << v);
}

void TestServer::check_contract(const std::string& method, const std::string& path, const Response& response) {
  const std::string violation =
      contract::check_response(method, path, response.status, response.header("Content-Type"),
                               response.header("Content-Encoding"), response.body);
  if (violation.empty()) return;
  if (std::this_thread::get_id() == owner_) {
    FAIL_CHECK("OpenAPI contract broken: " << violation);
  } else {
    std::lock_guard<std::mutex> lock(contract_mutex_);
    off_thread_violations_.push_back(violation);
  }
}

Response TestServer::send(const std::string& method, const std::string& path, const std::string& body,
                          const std::string& content_type, const std::string& token, const httplib::Headers& headers) {
  httplib::Client cli("127.0.0.1", port());
  cli.set_read_timeout(30, 0);
  httplib::Headers h = headers;
  if (!token.empty()) h.emplace("Authorization", "Bearer " + token);
  httplib::Result r = method == "GET"    ? cli.Get(path.c_str(), h)
                      : method == "POST" ? cli.Post(path.c_str(), h, body, content_type.c_str())
                      : method == "PUT"  ? cli.Put(path.c_str(), h, body, content_type.c_str())
                      : method == "DELETE" ? cli.Delete(path.c_str(), h)
                                           : cli.Patch(path.c_str(), h, body, content_type.c_str());
  REQUIRE(r);
  Response response{r->status, r->body, r->headers};
  check_contract(method, path, response);
  return response;
}

Response TestServer::get(const std::string& path, const std::string& token, const httplib::Headers& headers) {
  return send("GET", path, "", "", token, headers);
}

Response TestServer::post(const std::string& path, const nlohmann::json& body, const std::string& token,
                          const httplib::Headers& headers) {
  return send("POST", path, body.dump(), "application/json", token, headers);
}

Response TestServer::put(const std::string& path, const nlohmann::json& body, const std::string& token,
                         const httplib::Headers& headers) {
  return send("PUT", path, body.dump(), "application/json", token, headers);
}

nlohmann::json TestServer::create_kisumu() {
  Response r = post("/api/v1/sessions", kisumu_spec(), kAdminToken);
  REQUIRE(r.status == 201);
  nlohmann::json j = r.json();
  for (const auto& p : j["people"]) {
    tokens_[p["name"].get<std::string>()] = p["token"].get<std::string>();
    ids_[p["name"].get<std::string>()] = p["id"].get<int64_t>();
  }
  return j;
}

}  // namespace rapporteur::testing
