// The contract check (openapi_contract.h) for answers a test reads another
// way than TestServer::send: with its own httplib::Client (a gzipped body,
// a keep-alive burst, a request httplib's helpers cannot shape), as raw
// bytes from a socket, or as server-sent events. Each returns why the
// answer breaks the OpenAPI document, or "" when it keeps it or the
// document says nothing about it, so that a caller on a worker thread can
// collect the text and assert on the test's own thread.
//
// Thread safety: every function may be called from any thread.
#pragma once

#include <httplib.h>

#include <optional>
#include <string>

namespace rapporteur::testing::contract {

// An answer from httplib::Client to `method` `path`. A gzip body (a client
// built with set_decompress(false)) is unpacked first, and a body that does
// not unpack is itself a violation.
std::string check_answer(const std::string& method, const std::string& path, const httplib::Response& answer);

// An answer read byte for byte from a socket: the status line, the headers,
// and a body sized by Content-Length or sent chunked. Bytes that hold no
// complete answer (cut off, or nothing came back) are not checked: whether
// an answer came at all is the test's own assertion.
std::string check_raw_answer(const std::string& method, const std::string& path, const std::string& bytes);

// The text of an event stream (GET `path`, text/event-stream) as received
// so far: every complete event's data is checked against the schema the
// document gives its event name; an incomplete last event and comments
// (heartbeats) are left alone. An event the document does not name is a
// violation.
std::string check_event_stream(const std::string& path, const std::string& text);

// The gzip member `in` unpacked by zlib itself (not the server's library);
// nullopt when it is not a whole gzip member.
std::optional<std::string> gunzip(const std::string& in);

}  // namespace rapporteur::testing::contract
