// The steps of one rapporteur_bench run, one benchmark each: each runs its
// scenario (scenarios.h), stores its figures under its own key of the
// report's JSON, adds its rows to the table and its targets. bench_main.cpp
// runs the selected ones in this order.
#pragma once

#include <vector>

#include "report.h"
#include "scenarios.h"

namespace rapporteur::bench {

// The run's heading: start time, command, and the machine it ran on.
void describe_machine(Report& report, const std::string& command, bool quick);

// The /healthz ceiling alone, at 64 and 256 connections.
void step_ceiling(const BenchOptions& o, Report& report);

// Vote bursts (each with its own ceiling before and after), and their
// targets: stored ballots, ratio to the ceiling, latency, time to cast,
// peak memory. `configs` empty: the default four.
void step_vote_bursts(const BenchOptions& o, std::vector<BurstConfig> configs, Report& report);

// A vote burst while the room's phones poll /live.
void step_room_polling(const BenchOptions& o, Report& report);

// Rapporteurs saving their fragments.
void step_fragment_saves(const BenchOptions& o, Report& report);

// Merge and render in process, against plain cmark.
void step_merge_render(const BenchOptions& o, Report& report);

// Every export format of a large session; a failure is recorded, not fatal.
void step_export(const BenchOptions& o, Report& report);

// The load client and wrk on the same read route, side by side
// (wrk_check.h), so that the client's own figures can be trusted.
void step_wrk_cross_check(const BenchOptions& o, Report& report);

// The server's memory, threads and CPU at the end of the run, and the load.
void step_server_end(const BenchOptions& o, Report& report);

}  // namespace rapporteur::bench
