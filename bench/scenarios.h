// The benchmark scenarios, each returning its figures as JSON (the shape
// written to bench/results/latest.json; bench_main.cpp prints the table).
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "api.h"
#include "server_probe.h"

namespace rapporteur::bench {

struct BenchOptions {
  int port = 0;
  std::string admin_token;
  int server_pid = 0;
  std::string db_path;    // the server's SQLite file, for the ballot count check
  std::string notes_dir;  // samples/kisumu-2022/notes
  std::string run_id;     // makes session ids unique within one database
  bool quick = false;     // smaller numbers, for a smoke test
  size_t ceiling_requests = 10000;
};

struct BurstConfig {
  size_t voters;
  size_t connections;
};

// Vote burst (1) with its same-run /healthz ceiling and the check that
// exactly V ballots are stored; the V = 10,000 runs also give the peak RSS (5).
nlohmann::json run_vote_bursts(const BenchOptions& o, const std::vector<BurstConfig>& configs);

// Room polling (2): `clients` phones polling /live once a second over a pool
// of `pool` keep-alive connections while a vote burst runs.
nlohmann::json run_room_polling(const BenchOptions& o, BurstConfig burst, size_t clients, size_t pool);

// Fragment saves (3): `rapporteurs` rapporteurs each saving their own
// fragment of `bytes` bytes `saves` times, each save based on the last.
nlohmann::json run_fragment_saves(const BenchOptions& o, size_t rapporteurs, size_t saves, size_t bytes);

// Merge and render (4), in process: `fragments` fragments merged into a
// draft and rendered, against plain cmark on the same text.
nlohmann::json run_merge_render(const BenchOptions& o, size_t fragments);

// Export of a large session, over HTTP: `fragments`
// fragments merged, `amendments` amendments (some voted), then the time of
// GET .../export for every format (bench/export_bench.cpp).
nlohmann::json run_export(const BenchOptions& o, size_t fragments, size_t amendments);
// The ceiling alone (GET /healthz over `connections` connections).
nlohmann::json run_ceiling(const BenchOptions& o, size_t connections, size_t requests);

// A fragment-shaped Markdown text of about `bytes` bytes (conclusions and
// recommendations), varied by `seed`; `sample` (the notes) is used as the
// material when not empty.
std::string fragment_text(size_t bytes, uint64_t seed, const std::vector<std::string>& sample);

// The *.md files of `dir`, sorted by name (empty when there are none).
std::vector<std::string> read_notes(const std::string& dir);

}  // namespace rapporteur::bench
