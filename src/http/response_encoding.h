// How an answer's body goes on the wire: cpp-httplib applies byte ranges and
// compression after a handler has answered, steered only by the request's
// headers, so these adjust the request. Handlers get the Request as const,
// but it is a mutable local of cpp-httplib's request loop, so changing it
// there is defined and is the only hook there is.
#pragma once

#include <httplib.h>

#include <cstddef>
#include <string>

namespace rapporteur::http {

// Below this size an answer is sent as it is. Each compression costs
// cpp-httplib about a millisecond of CPU whatever the size (zlib's set-up
// and its buffers, mostly page faults): ten times a small answer such as
// /live, which every phone polls. Under 2 KB an answer fits in two TCP
// segments either way.
inline constexpr size_t kCompressFromBytes = 2048;

// cpp-httplib 0.11.4 applies the request's byte ranges to whatever a handler
// answers (and honours any number of them: a few hundred "0-" ranges turned
// one answer into hundreds of megabytes). Every answer here is whole, so the
// ranges are cleared.
void ignore_ranges(const httplib::Request& req);

// Debian's cpp-httplib is built with zlib and brotli: after a handler, it
// compresses an answer whose Content-Type it deems compressible (text/*
// other than text/event-stream, and exactly "application/json") for a
// request whose Accept-Encoding merely contains "br" or "gzip" (even
// "br;q=0"). Its brotli runs at quality 11, the slowest: about 20 ms of CPU
// for a 15 KB script, several times gzip's cost for about 10 % fewer bytes,
// and a room of phones loads the same pages at once. So the request is told
// to accept gzip only, and only when it really does; the library then gzips
// or sends the answer as it is. Returns whether the client accepts gzip.
bool accept_gzip_only(const httplib::Request& req);

// Tells cpp-httplib to send this request's answer as it is (a small one, or
// a static file gzipped already).
void send_uncompressed(const httplib::Request& req);

// Whether cpp-httplib may compress an answer of this type (see
// accept_gzip_only): such answers vary with Accept-Encoding. The event
// stream is not one of them: it must reach the projector event by event.
bool compressible(const std::string& type);

}  // namespace rapporteur::http
