// The real `rapporteur serve` refuses to start with a weak admin or metrics
// token, saying which variable and which rule; the tokens the test suites
// use qualify.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <regex>

#include "crash/server_process.h"
#include "rapporteur/app.h"
#include "test_server.h"

using namespace rapporteur;
using namespace rapporteur::testing;

namespace {

std::string binary() {
  const char* v = std::getenv("RAPPORTEUR_CRASH_BINARY");
  return v && *v ? v : RAPPORTEUR_BINARY;
}

// Starts the binary with `admin_token`; null and the reason when it does not serve.
std::unique_ptr<crash::ServerProcess> serve(const TempDir& dir, const std::string& admin_token, std::string& error) {
  crash::ServeOptions o{binary(), dir.file("t.db"), dir.file("serve.log"), admin_token};
  o.threads = 4;
  return crash::ServerProcess::start(o, error);
}

// Sets an environment variable for one scope (the child inherits it).
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const std::string& value) : name_(name) { setenv(name, value.c_str(), 1); }
  ~ScopedEnv() { unsetenv(name_); }

 private:
  const char* name_;
};

}  // namespace

TEST_CASE("serve: a short admin token is refused at start, naming the variable and the rule", "[serve][tokens]") {
  TempDir dir;
  std::string error;
  auto p = serve(dir, "short-admin-token-23chr", error);  // 23 characters
  CHECK(p == nullptr);
  CHECK_THAT(error, Catch::Contains("RAPPORTEUR_ADMIN_TOKEN must be at least 24 characters long (it has 23)"));
  // Nothing was served and no database was made.
  CHECK(!std::filesystem::exists(dir.file("t.db")));

  auto spaced = serve(dir, "an admin token with spaces in it", error);
  CHECK(spaced == nullptr);
  CHECK_THAT(error, Catch::Contains("RAPPORTEUR_ADMIN_TOKEN must be printable ASCII without spaces"));
}

TEST_CASE("serve: a short metrics token is refused at start", "[serve][tokens][metrics]") {
  TempDir dir;
  ScopedEnv env("RAPPORTEUR_METRICS_TOKEN", "metrics");
  std::string error;
  auto p = serve(dir, kAdminToken, error);
  CHECK(p == nullptr);
  CHECK_THAT(error, Catch::Contains("RAPPORTEUR_METRICS_TOKEN must be at least 24 characters long (it has 7)"));
}

TEST_CASE("serve: the admin tokens of the test suites qualify", "[serve][tokens]") {
  CHECK(check_secret_token("kAdminToken", kAdminToken).is_ok());
  // The browser harness's token, read from its source.
  const std::string harness = read_text(std::string(RAPPORTEUR_SOURCE_DIR) + "/tests/browser/harness.mjs");
  std::smatch m;
  REQUIRE(std::regex_search(harness, m, std::regex("ADMIN_TOKEN = '([^']*)'")));
  CHECK(check_secret_token("ADMIN_TOKEN of tests/browser/harness.mjs", m[1].str()).is_ok());

  // And the real binary serves with the tests' token.
  TempDir dir;
  std::string error;
  auto p = serve(dir, kAdminToken, error);
  INFO(error);
  REQUIRE(p != nullptr);
  CHECK(p->terminate() == 0);
}
