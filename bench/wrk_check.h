// wrk (Debian's HTTP benchmarking tool) on one route of the server, for a
// cross-check of the load client's own figures: two independent clients
// on the same route and connection count should see about the same rate
// and latencies; a large gap means one of them is the bottleneck.
#pragma once

#include <nlohmann/json.hpp>

#include <string>

namespace rapporteur::bench {

// Runs `wrk --latency` for `seconds` with `connections` keep-alive
// connections against http://127.0.0.1:port + path. The figures are
// {available: true, threads, requests, per_s, latency: {p50_ms, p99_ms,
// max_ms}, non_2xx}; {available: false, error} when wrk is not installed or
// its output cannot be read.
nlohmann::json run_wrk(int port, const std::string& path, size_t connections, int seconds);

// The figures of wrk's printed report (the part run_wrk parses), or
// {available: false, error} when a figure is missing.
nlohmann::json parse_wrk_output(const std::string& output);

}  // namespace rapporteur::bench
