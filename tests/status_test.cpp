#include <catch2/catch.hpp>

#include "rapporteur/status.h"

using namespace rapporteur;

TEST_CASE("Result holds a value or a status") {
  Result<int> good = 4;
  REQUIRE(good.ok());
  CHECK(*good == 4);
  CHECK(good.status().is_ok());

  Result<int> bad = Status::not_found("fragment 7: no such fragment");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.status().code() == Code::not_found);
  CHECK(bad.status().message() == "fragment 7: no such fragment");
  CHECK(std::string(code_name(Code::version_conflict)) == "version_conflict");
}
