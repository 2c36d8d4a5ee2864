// Compression of answers: JSON and the static text files are gzipped for a
// client that accepts gzip, and only then; the event stream never is; ETags
// and 304s, and the refusal of multi-range requests, work as before.
#include <httplib.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <string>

#include "contract/answers.h"
#include "test_server.h"

using namespace rapporteur;
using namespace rapporteur::testing;

namespace {

// The bytes as sent on the wire: this client does not decompress. The
// answer, unpacked, is checked against the OpenAPI document all the same.
httplib::Result raw_get(int port, const std::string& path, const httplib::Headers& headers) {
  httplib::Client cli("127.0.0.1", port);
  cli.set_decompress(false);
  cli.set_read_timeout(30, 0);
  auto r = cli.Get(path.c_str(), headers);
  if (r) CHECK(contract::check_answer("GET", path, *r) == "");
  return r;
}

// gunzip with zlib itself, not with the server's library.
std::string gunzip(const std::string& in) {
  auto out = contract::gunzip(in);
  REQUIRE(out);
  return *out;
}

}  // namespace

TEST_CASE("JSON answers and static text files are gzipped for a client that accepts gzip, byte for byte the same",
          "[http][compression]") {
  TestServer s;
  for (const std::string path : {"/api/v1/openapi.json", "/i18n/en.json", "/js/participant.js", "/css/app.css",
                                 "/app/participant.html"}) {
    INFO(path);
    const httplib::Headers auth;
    auto plain = raw_get(s.port(), path, auth);
    REQUIRE(plain);
    REQUIRE(plain->status == 200);
    CHECK_FALSE(plain->has_header("Content-Encoding"));
    CHECK(plain->get_header_value("Vary") == "Accept-Encoding");

    httplib::Headers gz = auth;
    gz.emplace("Accept-Encoding", "gzip, deflate, br, zstd");
    auto packed = raw_get(s.port(), path, gz);
    REQUIRE(packed);
    REQUIRE(packed->status == 200);
    // gzip, not brotli (see accept_gzip_only in src/http/server.cpp).
    CHECK(packed->get_header_value("Content-Encoding") == "gzip");
    CHECK(packed->get_header_value("Vary") == "Accept-Encoding");
    CHECK(packed->body.size() < plain->body.size());
    CHECK(gunzip(packed->body) == plain->body);
    CHECK(packed->get_header_value("Content-Type") == plain->get_header_value("Content-Type"));
  }
  // JSON is sent as application/json, which has no charset parameter.
  CHECK(s.get("/api/v1/openapi.json").header("Content-Type") == "application/json");
  CHECK(s.get("/i18n/fr.json").header("Content-Type") == "application/json");
}

TEST_CASE("answers under 2 KB are sent as they are: compressing them would cost more than it saves",
          "[http][compression]") {
  TestServer s;
  s.create_kisumu();
  for (const std::string& path : {std::string("/healthz"), s.path("/live")}) {
    INFO(path);
    auto r = raw_get(s.port(), path, {{"Accept-Encoding", "gzip"}});
    REQUIRE(r);
    CHECK(r->status == 200);
    CHECK(r->body.size() < 2048);
    CHECK_FALSE(r->has_header("Content-Encoding"));
    CHECK(r->get_header_value("Vary") == "Accept-Encoding");
  }
}

TEST_CASE("no compression for a client that does not accept gzip, or refuses it", "[http][compression]") {
  TestServer s;
  for (const std::string accept : {"", "identity", "br", "gzip;q=0", "gzip; q=0.000, br", "*;q=0", "compress"}) {
    INFO("Accept-Encoding: " << accept);
    httplib::Headers h;
    if (!accept.empty()) h.emplace("Accept-Encoding", accept);
    auto r = raw_get(s.port(), "/api/v1/openapi.json", h);
    REQUIRE(r);
    CHECK(r->status == 200);
    CHECK_FALSE(r->has_header("Content-Encoding"));
    CHECK(nlohmann::json::parse(r->body).contains("openapi"));
  }
  for (const std::string accept : {"GZIP", "x-gzip", "*", "br;q=1, gzip;q=0.5"}) {
    INFO("Accept-Encoding: " << accept);
    auto r = raw_get(s.port(), "/api/v1/openapi.json", {{"Accept-Encoding", accept}});
    REQUIRE(r);
    CHECK(r->get_header_value("Content-Encoding") == "gzip");
  }
}

TEST_CASE("the event stream is neither compressed nor buffered", "[http][compression][stream]") {
  TestServer s;
  s.create_kisumu();
  httplib::Client cli("127.0.0.1", s.port());
  cli.set_decompress(false);
  cli.set_read_timeout(10, 0);
  std::string type;
  std::string encoding = "(none)";
  std::string received;
  auto r = cli.Get(
      s.path("/stream").c_str(), {{"Accept-Encoding", "gzip, deflate, br"}},
      [&](const httplib::Response& res) {
        type = res.get_header_value("Content-Type");
        if (res.has_header("Content-Encoding")) encoding = res.get_header_value("Content-Encoding");
        CHECK_FALSE(res.has_header("Vary"));
        return true;
      },
      [&](const char* data, size_t n) {
        received.append(data, n);
        // The first event, as plain text, without waiting for more: stop there.
        return received.find("\n\n") == std::string::npos;
      });
  CHECK(type == "text/event-stream");
  CHECK(encoding == "(none)");
  CHECK(received.rfind("event: state\ndata: {", 0) == 0);
  CHECK(contract::check_event_stream(s.path("/stream"), received) == "");
}

TEST_CASE("ETag and If-None-Match: 304 with or without compression, for /live and static files",
          "[http][compression]") {
  TestServer s;
  s.create_kisumu();
  const std::string voter = s.token("Panellist, Vice-Mayor of Sfax");
  for (const std::string& path : {s.path("/live"), std::string("/i18n/en.json"), std::string("/js/api.js")}) {
    INFO(path);
    auto first = raw_get(s.port(), path, {{"Authorization", "Bearer " + voter}, {"Accept-Encoding", "gzip"}});
    REQUIRE(first);
    REQUIRE(first->status == 200);
    // /live is small, so sent as it is; the files come gzipped.
    if (path.rfind("/api/", 0) != 0) CHECK(first->get_header_value("Content-Encoding") == "gzip");
    const std::string etag = first->get_header_value("ETag");
    REQUIRE_FALSE(etag.empty());
    for (const std::string accept : {"gzip", ""}) {
      httplib::Headers h{{"Authorization", "Bearer " + voter}, {"If-None-Match", etag}};
      if (!accept.empty()) h.emplace("Accept-Encoding", accept);
      auto again = raw_get(s.port(), path, h);
      REQUIRE(again);
      CHECK(again->status == 304);
      CHECK(again->body.empty());
      CHECK(again->get_header_value("ETag") == etag);
    }
    // Another ETag is not a match.
    auto other = raw_get(s.port(), path, {{"Authorization", "Bearer " + voter}, {"If-None-Match", "\"other\""}});
    REQUIRE(other);
    CHECK(other->status == 200);
  }
}

TEST_CASE("an edited static file gets a new ETag at once", "[http][compression]") {
  TempDir web;
  std::filesystem::create_directories(web.path() / "js");
  auto write = [&](const std::string& text) {
    std::ofstream(web.file("js/x.js"), std::ios::binary | std::ios::trunc) << text;
  };
  write("export const a = 1;\n");
  TestServer s(kKisumuAdoptionMs, [&](AppOptions&, ServerOptions& so) { so.web_dir = web.path().string(); });
  auto first = s.get("/js/x.js");
  REQUIRE(first.status == 200);
  const std::string etag = first.header("ETag");
  CHECK(s.get("/js/x.js", "", {{"If-None-Match", etag}}).status == 304);
  write("export const a = 2;\n");
  auto changed = s.get("/js/x.js", "", {{"If-None-Match", etag}});
  CHECK(changed.status == 200);
  CHECK(changed.body == "export const a = 2;\n");
  CHECK(changed.header("ETag") != etag);
}

TEST_CASE("compression leaves ranges alone: several get 416, one is ignored", "[http][compression][limits]") {
  TestServer s;
  auto many = raw_get(s.port(), "/api/v1/openapi.json", {{"Range", "bytes=0-1,2-3"}, {"Accept-Encoding", "gzip"}});
  REQUIRE(many);
  CHECK(many->status == 416);
  CHECK(many->body.find("\"range_not_satisfiable\"") != std::string::npos);
  auto whole = raw_get(s.port(), "/i18n/en.json", {});
  auto one = raw_get(s.port(), "/i18n/en.json", {{"Range", "bytes=0-9"}, {"Accept-Encoding", "gzip"}});
  REQUIRE(whole);
  REQUIRE(one);
  CHECK(one->status == 200);
  CHECK_FALSE(one->has_header("Content-Range"));
  CHECK(gunzip(one->body) == whole->body);
}
