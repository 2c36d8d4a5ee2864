// The contract checker of tests/contract/ itself: it must refuse what breaks
// the OpenAPI document, or the check every HTTP test answer passes through
// would prove nothing.
#include <zlib.h>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "contract/answers.h"
#include "contract/openapi_contract.h"

using nlohmann::json;
using namespace rapporteur::testing;

namespace {

const json& schema(const std::string& name) { return contract::document()["components"]["schemas"][name]; }

const std::string kJson = "application/json; charset=utf-8";

// `text` as one gzip member, packed by zlib.
std::string gzip(const std::string& text) {
  z_stream z{};
  REQUIRE(deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) == Z_OK);
  std::string out(deflateBound(&z, static_cast<uLong>(text.size())), '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  z.avail_in = static_cast<uInt>(text.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  REQUIRE(deflate(&z, Z_FINISH) == Z_STREAM_END);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

httplib::Response answer(int status, const std::string& encoding, const std::string& body) {
  httplib::Response r;
  r.status = status;
  r.set_header("Content-Type", "application/json");
  if (!encoding.empty()) r.set_header("Content-Encoding", encoding);
  r.body = body;
  return r;
}

const std::string kGood = R"({"error":{"code":"not_found","message":"no such session"}})";
const std::string kBad = R"({"error":"gone"})";

}  // namespace

TEST_CASE("concrete paths match their template, the most literal one first", "[contract]") {
  CHECK(contract::match_path("/api/v1/sessions/kisumu/polls/3/open?x=1") == "/api/v1/sessions/{sid}/polls/{poll}/open");
  CHECK(contract::match_path("/api/v1/sessions") == "/api/v1/sessions");
  CHECK(contract::match_path("/api/v1/sessions/kisumu") == "/api/v1/sessions/{sid}");
  CHECK(contract::match_path("/api/v1/nothing/here") == std::nullopt);
  CHECK(contract::match_path("/api/v1/sessions//polls") == std::nullopt);
}

TEST_CASE("the validator refuses a body that breaks its schema", "[contract]") {
  const json good = {{"error", {{"code", "not_found"}, {"message", "no such session"}}}};
  CHECK(contract::schema_errors(schema("Error"), good) == "");

  SECTION("a required member missing") {
    const std::string errors = contract::schema_errors(schema("Error"), json::object());
    CHECK_THAT(errors, Catch::Contains("error"));
  }
  SECTION("a member of the wrong type, found through a $ref") {
    json bad = good;
    bad["error"]["code"] = 404;
    CHECK(contract::schema_errors(schema("Error"), bad) != "");
  }
  SECTION("a member the schema does not allow") {
    json bad = good;
    bad["stack"] = "handlers.cpp:12";
    CHECK(contract::schema_errors(schema("Error"), bad) != "");
  }
}

TEST_CASE("an answer is checked against its operation, status and schema", "[contract]") {
  const std::string error = R"({"error":{"code":"not_found","message":"no such session"}})";
  CHECK(contract::check_response("GET", "/api/v1/sessions/x", 404, kJson, "", error) == "");

  SECTION("a body that breaks the schema names the route, the status and the error") {
    const std::string v = contract::check_response("GET", "/api/v1/sessions/x", 404, kJson, "", R"({"error":"gone"})");
    CHECK_THAT(v, Catch::Contains("GET /api/v1/sessions/{sid}"));
    CHECK_THAT(v, Catch::Contains("404"));
    CHECK_THAT(v, Catch::Contains("breaks its schema"));
  }
  SECTION("a status the operation does not document") {
    CHECK_THAT(contract::check_response("GET", "/api/v1/sessions/x", 418, kJson, "", error),
               Catch::Contains("not documented"));
  }
  SECTION("a JSON content type on a body that is no JSON") {
    CHECK_THAT(contract::check_response("GET", "/api/v1/sessions/x", 404, kJson, "", "<html>"),
               Catch::Contains("not JSON"));
  }
  SECTION("what the document does not describe is left alone") {
    CHECK(contract::check_response("GET", "/api/v1/sessions/x", 404, "text/html", "", "<html>") == "");
    CHECK(contract::check_response("GET", "/static/app.js", 404, kJson, "", "{}") == "");
    CHECK(contract::check_response("GET", "/api/v1/sessions/x", 404, kJson, "gzip", "\x1f\x8b") == "");
  }
}

TEST_CASE("an answer read with another client is checked too, a gzip body once unpacked", "[contract]") {
  const std::string path = "/api/v1/sessions/x";
  CHECK(contract::check_answer("GET", path, answer(404, "", kGood)) == "");
  CHECK(contract::check_answer("GET", path, answer(404, "gzip", gzip(kGood))) == "");
  CHECK_THAT(contract::check_answer("GET", path, answer(404, "", kBad)), Catch::Contains("breaks its schema"));
  CHECK_THAT(contract::check_answer("GET", path, answer(404, "gzip", gzip(kBad))),
             Catch::Contains("breaks its schema"));
  CHECK_THAT(contract::check_answer("GET", path, answer(404, "gzip", "\x1f\x8b")), Catch::Contains("does not unpack"));
}

TEST_CASE("an answer read as raw bytes is taken apart, then checked", "[contract]") {
  const std::string path = "/api/v1/sessions/x";
  auto raw = [](const std::string& body) {
    return "HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: " +
           std::to_string(body.size()) + "\r\n\r\n" + body;
  };
  CHECK(contract::check_raw_answer("GET", path, raw(kGood)) == "");
  CHECK_THAT(contract::check_raw_answer("GET", path, raw(kBad)), Catch::Contains("breaks its schema"));
  // A second, pipelined answer after the first is not read as part of it.
  CHECK(contract::check_raw_answer("GET", path, raw(kGood) + raw(kBad)) == "");
  SECTION("a chunked body") {
    const std::string chunked =
        "HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
        "5\r\n{\"err\r\nb\r\nor\":\"gone\"}\r\n0\r\n\r\n";
    CHECK_THAT(contract::check_raw_answer("GET", path, chunked), Catch::Contains("breaks its schema"));
  }
  SECTION("bytes that hold no whole answer are left to the test") {
    CHECK(contract::check_raw_answer("GET", path, "") == "");
    CHECK(contract::check_raw_answer("GET", path, raw(kBad).substr(0, 80)) == "");
  }
}

TEST_CASE("every event of a stream is checked against the schema of its name", "[contract]") {
  const std::string stream = "/api/v1/sessions/x/stream";
  REQUIRE(contract::event_schema(stream, "state") != nullptr);
  CHECK(contract::check_event_stream(stream, ": heartbeat\n\n: heartbeat\n\n") == "");
  CHECK_THAT(contract::check_event_stream(stream, ": heartbeat\n\nevent: state\ndata: {\"phase\": 3}\n\n"),
             Catch::Contains("breaks its schema"));
  CHECK_THAT(contract::check_event_stream(stream, "event: other\ndata: {}\n\n"), Catch::Contains("no such event"));
  CHECK_THAT(contract::check_event_stream(stream, "data: {}\n\n"), Catch::Contains("\"message\""));
  CHECK_THAT(contract::check_event_stream(stream, "event: state\ndata: {oops\n\n"), Catch::Contains("not JSON"));
  // The last event, still arriving, is not judged.
  CHECK(contract::check_event_stream(stream, "event: state\ndata: {\"pha") == "");
}
