// The OpenAPI document (src/http/openapi.json, embedded in the binary) as a
// contract the HTTP tests check every answer against: a concrete request
// ("GET /api/v1/sessions/kisumu?x=1") is matched to its path template and
// operation, the status to its documented response (or `default`), and a
// JSON body to that response's schema, validated by valijson. Request bodies
// can be checked against an operation's requestBody schema the same way.
//
// Thread safety: every function may be called from any thread; compiled
// schemas are cached behind a mutex and never freed.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

namespace rapporteur::testing::contract {

// The whole OpenAPI document, parsed once.
const nlohmann::json& document();

// The path template of the document that `path` (query string allowed)
// matches, the one with the most literal segments when several do; nullopt
// for a path the document does not describe.
std::optional<std::string> match_path(const std::string& path);

// Why a JSON value does not conform to `schema` (a schema object of the
// document, whose "$ref"s point into #/components), or "" when it does.
// Every error valijson finds is listed, each with the place in the value.
std::string schema_errors(const nlohmann::json& schema, const nlohmann::json& value);

// Why an answer breaks the contract, or "" when it keeps it or the document
// says nothing about it (a path or method it does not describe, a body that
// is not JSON). `content_type` and `content_encoding` are the answer's
// headers: only an unencoded application/json body is validated.
// `validated`, when given, is set to whether the body was checked against
// a schema (false for what the document says nothing about).
std::string check_response(const std::string& method, const std::string& path, int status,
                           const std::string& content_type, const std::string& content_encoding,
                           const std::string& body, bool* validated = nullptr);

// The schema the document gives the data of the server-sent event `event`
// on GET `path` (the 200 text/event-stream answer's "x-events" map);
// nullptr when the path, the stream or the event is not described.
const nlohmann::json* event_schema(const std::string& path, const std::string& event);

// How many bodies and stream events this process has checked against a
// schema: all of them, and those read another way than TestServer::send
// (tests/contract/answers.h). Counted to show what the contract covers.
struct Tally {
  long all = 0;
  long outside_send = 0;
};
Tally tally();
void count_outside_send(long n);

// The requestBody schema (application/json) of the operation `method`
// `path_template`; nullptr when the operation takes no JSON body.
const nlohmann::json* request_schema(const std::string& method, const std::string& path_template);

}  // namespace rapporteur::testing::contract
