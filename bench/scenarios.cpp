#include "scenarios.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <stdexcept>

#include "load_engine.h"
#include "rapporteur/store.h"
#include "workloads.h"

namespace rapporteur::bench {
namespace {

using nlohmann::json;

double since_s(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

// The server's group-commit counters from GET /metrics (read with the admin
// token): commits and writes so far, to tell how many ballots shared each fsync.
std::pair<double, double> commit_counters(int port, const std::string& admin_token) {
  const Response r = http_call(port, build_request("GET", "/metrics", admin_token));
  auto value = [&](const std::string& name) {
    const size_t at = r.body.find("\n" + name + " ");
    return at == std::string::npos ? -1.0 : std::stod(r.body.substr(at + name.size() + 2));
  };
  return {value("rapporteur_commits_total"), value("rapporteur_writes_total")};
}

json summary_json(const LatencySummary& s) {
  return {{"n", s.n}, {"mean_ms", s.mean_ms}, {"p50_ms", s.p50_ms}, {"p90_ms", s.p90_ms}, {"p99_ms", s.p99_ms},
          {"max_ms", s.max_ms}};
}

json statuses_json(const std::map<int, size_t>& m) {
  json j = json::object();
  for (const auto& [status, n] : m) j[std::to_string(status)] = n;
  return j;
}

std::string today_utc() {
  using namespace std::chrono;
  const year_month_day d{floor<days>(system_clock::now())};
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(d.year()), static_cast<unsigned>(d.month()),
                static_cast<unsigned>(d.day()));
  return buf;
}

uint64_t splitmix(uint64_t& x) {
  uint64_t z = (x += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

// The people of a benchmark session and their tokens.
struct Cast {
  std::string sid;
  std::string president, secretariat;
  std::vector<std::string> breakouts;
  std::vector<std::string> rapporteurs;  // token per breakout, same order
  std::vector<std::string> voters;
};

std::string breakout_id(size_t i) {
  return (i + 1 < 10 ? "b0" : "b") + std::to_string(i + 1);
}

// POST /api/v1/sessions: a president, a secretariat, one rapporteur per
// breakout (none of them voting) and `voters` participants, so that the
// eligible voters are exactly the participants.
Cast create_session(const Api& api, const std::string& sid, size_t voters, size_t breakouts) {
  json spec = {{"id", sid},
               {"title", "Benchmark session " + sid},
               {"date", today_utc()},
               {"timezone", "Africa/Nairobi"},
               {"agenda",
                {{{"id", "opening"}, {"start", "09:00"}, {"end", "09:15"}, {"kind", "opening"}, {"title", "Opening"}},
                 {{"id", "breakouts"}, {"start", "11:30"}, {"end", "12:15"}, {"kind", "breakout"}, {"title", "Breakouts"}},
                 {{"id", "adoption"}, {"start", "12:15"}, {"end", "12:30"}, {"kind", "adoption"}, {"title", "Adoption"}}}}};
  json bs = json::array();
  for (size_t i = 0; i < breakouts; ++i) bs.push_back({{"id", breakout_id(i)}, {"title", "Breakout " + std::to_string(i + 1)}});
  spec["breakouts"] = bs;
  json people = json::array();
  people.push_back({{"name", "President"}, {"roles", {"president"}}});
  people.push_back({{"name", "Secretariat"}, {"roles", {"secretariat"}}});
  for (size_t i = 0; i < breakouts; ++i) {
    people.push_back({{"name", "Rapporteur " + breakout_id(i)}, {"roles", {"rapporteur"}}, {"breakout", breakout_id(i)}});
  }
  for (size_t i = 0; i < voters; ++i) people.push_back({{"name", "Voter " + std::to_string(i + 1)}, {"roles", {"participant"}}});
  spec["people"] = people;

  json created = api.admin("POST", "/api/v1/sessions", spec, 201);
  Cast cast;
  cast.sid = sid;
  std::map<std::string, std::string> by_name;
  for (const auto& p : created.at("people")) by_name[p.at("name").get<std::string>()] = p.at("token").get<std::string>();
  cast.president = by_name.at("President");
  cast.secretariat = by_name.at("Secretariat");
  for (size_t i = 0; i < breakouts; ++i) {
    cast.breakouts.push_back(breakout_id(i));
    cast.rapporteurs.push_back(by_name.at("Rapporteur " + breakout_id(i)));
  }
  for (size_t i = 0; i < voters; ++i) cast.voters.push_back(by_name.at("Voter " + std::to_string(i + 1)));
  return cast;
}

// The workflow to an open adoption poll: a fragment, a merged draft, the
// amending phase, a poll on the draft opened with the slot override.
int64_t open_adoption_poll(const Api& api, const Cast& cast, const std::string& fragment) {
  const std::string base = "/api/v1/sessions/" + cast.sid;
  api.call("POST", base + "/breakouts/" + cast.breakouts.at(0) + "/fragments", cast.rapporteurs.at(0),
           {{"title", "Notes of breakout 1"}, {"body", fragment}}, 201);
  json draft = api.call("POST", base + "/drafts", cast.secretariat, {{"merge", true}}, 201);
  const int64_t n = draft.at("n").get<int64_t>();
  api.call("POST", base + "/phase", cast.president, {{"phase", "amending"}}, 0);
  json poll = api.call("POST", base + "/polls", cast.president,
                       {{"subject", {{"adoption", n}}},
                        {"method", "electronic"},
                        {"rule", "simple"},
                        {"override_slot", true},
                        {"reason", "benchmark"}},
                       201);
  const int64_t id = poll.at("id").get<int64_t>();
  api.call("POST", base + "/polls/" + std::to_string(id) + "/open", cast.president, nullptr, 0);
  return id;
}

// Closes the poll and checks the stored ballots, by the API and in the file.
json close_and_check(const BenchOptions& o, const Api& api, const Cast& cast, int64_t poll, size_t expected) {
  const std::string path = "/api/v1/sessions/" + cast.sid + "/polls/" + std::to_string(poll);
  api.call("POST", path + "/close", cast.president, nullptr, 0);
  json j = api.call("GET", path, cast.president);
  json check = {{"expected", expected}};
  const json& result = j.contains("result") ? j["result"] : json(nullptr);
  check["api_cast"] = result.is_object() && result.contains("cast") ? result["cast"] : json(nullptr);
  check["api_eligible"] = result.is_object() && result.contains("eligible") ? result["eligible"] : json(nullptr);
  check["outcome"] = result.is_object() && result.contains("outcome") ? result["outcome"] : json(nullptr);
  if (!o.db_path.empty()) {
    // Read through the storage contract: the same check on a SQLite file
    // and on a PostgreSQL database.
    StoreOptions where;
    Status st = set_database(where, o.db_path);
    if (st.is_ok()) {
      st = read_existing(where, [&](Snapshot& snap) -> Status {
        const BallotCounts c = snap.polls().named_counts(poll);
        check["db_ballots"] = c.yes + c.no + c.abstain;
        return Status::ok();
      });
    }
    if (!st.is_ok()) check["db_error"] = st.message();
  }
  const bool api_ok = check["api_cast"].is_number() && check["api_cast"].get<size_t>() == expected;
  const bool db_ok = !check.contains("db_ballots") || check["db_ballots"].get<size_t>() == expected;
  check["ok"] = api_ok && db_ok;
  return check;
}

// One GET /healthz on every connection of the pool: each has been accepted
// and has a server thread before anything is timed.
void warm_up(Engine& engine, Pool* pool, size_t connections, int port) {
  (void)port;
  std::vector<std::vector<std::string>> seq(connections, std::vector<std::string>{build_request("GET", "/healthz")});
  PerConnectionSequence warm(std::move(seq));
  engine.run({{&warm, pool, true}});
}

json measure_ceiling(Engine& engine, Pool* pool, const ServerProbe& probe, size_t requests) {
  ClosedBurst ceiling({build_request("GET", "/healthz")}, requests);
  const ProcSample before = probe.sample();
  const RunStats st = engine.run({{&ceiling, pool, true}});
  const ProcSample after = probe.sample();
  json j = {{"requests", requests},
            {"ok", ceiling.ok()},
            {"per_s", static_cast<double>(requests) / ceiling.span_s()},
            {"latency", summary_json(summarize(ceiling.latencies_ms()))},
            {"client_cpu_s", st.client_cpu_s},
            {"wall_s", ceiling.span_s()},
            {"reconnects", st.reconnects}};
  if (probe.valid()) j["server_cpu_s"] = after.cpu_s - before.cpu_s;
  return j;
}

std::vector<std::string> ballot_requests(const Cast& cast, int64_t poll) {
  const std::string path = "/api/v1/sessions/" + cast.sid + "/polls/" + std::to_string(poll) + "/ballots";
  std::vector<std::string> reqs;
  reqs.reserve(cast.voters.size());
  for (const auto& token : cast.voters) reqs.push_back(build_request("POST", path, token, R"({"choice":"yes"})"));
  return reqs;
}

json burst_json(const ClosedBurst& burst, const RunStats& st, const ProcSample& before, const ProcSample& after,
                const ServerProbe& probe, const std::map<int, double>& threads_before,
                const std::map<int, double>& threads_after) {
  const size_t n = burst.latencies_ms().size();
  json j = {{"ballots", n},
            {"ok", burst.ok()},
            {"statuses", statuses_json(burst.statuses())},
            {"span_s", burst.span_s()},
            {"per_s", static_cast<double>(n) / burst.span_s()},
            {"latency", summary_json(summarize(burst.latencies_ms()))},
            {"client_cpu_s", st.client_cpu_s},
            {"reconnects", st.reconnects},
            {"io_errors", st.io_errors}};
  if (!burst.error_samples().empty()) j["error_samples"] = burst.error_samples();
  if (probe.valid()) {
    j["server_cpu_s"] = after.cpu_s - before.cpu_s;
    j["server_threads"] = after.threads;
    // The writer thread is serial: busy close to 100% of the span means it
    // is the bottleneck, whatever the other threads do.
    const auto busiest = busiest_thread(threads_before, threads_after);
    j["busiest_thread_cpu_s"] = busiest.second;
    j["busiest_thread_share_of_span"] = burst.span_s() > 0 ? busiest.second / burst.span_s() : 0.0;
  }
  return j;
}

std::vector<std::string> sample_or_empty(const BenchOptions& o) { return read_notes(o.notes_dir); }

// The cost of one unchanged GET /live: `n` conditional polls (phones'
// tokens, the current ETag) as fast as `pool` allows, with the server's CPU
// time per poll. Nothing else runs meanwhile.
json live_cost(Engine& engine, Pool* pool, const ServerProbe& probe, const Api& api, const Cast& cast, size_t n) {
  const std::string path = "/api/v1/sessions/" + cast.sid + "/live";
  const Response first = http_call(api.port(), build_request("GET", path, cast.voters.at(0)));
  const std::string etag = first.header("etag");
  std::vector<std::string> reqs;
  for (size_t i = 0; i < std::min<size_t>(100, cast.voters.size()); ++i) {
    reqs.push_back(build_request("GET", path, cast.voters[i], {}, {"If-None-Match: " + etag}));
  }
  ClosedBurst polls(reqs, n);
  const ProcSample before = probe.sample();
  engine.run({{&polls, pool, true}});
  const ProcSample after = probe.sample();
  const auto& st = polls.statuses();
  const double not_modified = st.count(304) ? static_cast<double>(st.at(304)) : 0.0;
  json j = {{"requests", n},
            {"per_s", static_cast<double>(n) / polls.span_s()},
            {"rate_304", not_modified / static_cast<double>(n)},
            {"latency", summary_json(summarize(polls.latencies_ms()))}};
  if (probe.valid()) j["server_cpu_ms_per_request"] = 1000.0 * (after.cpu_s - before.cpu_s) / static_cast<double>(n);
  return j;
}

}  // namespace

std::vector<std::string> read_notes(const std::string& dir) {
  std::vector<std::string> out;
  std::error_code ec;
  if (dir.empty() || !std::filesystem::is_directory(dir, ec)) return out;
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::directory_iterator(dir, ec)) {
    if (e.path().extension() == ".md") files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  for (const auto& f : files) {
    std::ifstream in(f);
    std::stringstream ss;
    ss << in.rdbuf();
    out.push_back(ss.str());
  }
  return out;
}

std::string fragment_text(size_t bytes, uint64_t seed, const std::vector<std::string>& sample) {
  uint64_t x = seed * 7919 + 17;
  std::string out;
  if (!sample.empty()) {
    // The sample notes, with every text line marked by the seed so that no
    // two fragments share paragraphs, repeated until the size is reached.
    const std::string& note = sample[seed % sample.size()];
    std::string marked;
    std::istringstream lines(note);
    std::string line;
    while (std::getline(lines, line)) {
      const bool text = !line.empty() && line[0] != '#' && line.find_first_not_of(" -*") != std::string::npos;
      marked += line + (text ? " (" + std::to_string(seed) + ")" : "") + "\n";
    }
    out = marked;
    while (out.size() < bytes) out += "\n" + marked;
    if (bytes > 0 && out.size() > bytes * 2) out.resize(bytes);
    return out;
  }
  static const char* const kWords[] = {
      "cities",    "migration", "partnership", "local",      "governments", "refugees",  "intermediary",
      "networks",  "civil",     "society",     "charter",    "compact",     "capacity",  "services",
      "inclusion", "funding",   "data",        "dialogue",   "regional",    "national",  "authorities",
      "support",   "urban",     "planning",    "mobility",   "skills",      "youth",     "women",
      "housing",   "access",    "rights",      "protection", "cooperation", "municipal", "stakeholders"};
  constexpr size_t kWordCount = sizeof kWords / sizeof kWords[0];
  auto sentence = [&](size_t words) {
    std::string s;
    for (size_t i = 0; i < words; ++i) {
      std::string w = kWords[splitmix(x) % kWordCount];
      if (i == 0) w[0] = static_cast<char>(w[0] - 'a' + 'A');
      s += (i ? " " : "") + w;
    }
    return s + ".";
  };
  out = "## Conclusions\n\n";
  while (out.size() < bytes * 2 / 5) out += sentence(18) + " " + sentence(22) + " " + sentence(14) + "\n\n";
  out += "## Recommendations\n\n";
  for (int n = 1; out.size() < bytes; ++n) out += std::to_string(n) + ". " + sentence(16) + " " + sentence(12) + "\n";
  return out;
}

json run_ceiling(const BenchOptions& o, size_t connections, size_t requests) {
  ServerProbe probe(o.server_pid);
  Engine engine(o.port);
  Pool* pool = engine.open_pool(connections);
  warm_up(engine, pool, connections, o.port);
  json j = measure_ceiling(engine, pool, probe, requests);
  j["connections"] = connections;
  return j;
}

json run_vote_bursts(const BenchOptions& o, const std::vector<BurstConfig>& configs) {
  const Api api(o.port, o.admin_token);
  const ServerProbe probe(o.server_pid);
  const auto sample = sample_or_empty(o);
  json out = json::array();
  int k = 0;
  for (const BurstConfig& c : configs) {
    json j = {{"voters", c.voters}, {"connections", c.connections}};
    std::cerr << "bench: vote burst V=" << c.voters << " C=" << c.connections << "\n";
    const auto t0 = Clock::now();
    const Cast cast = create_session(api, "bench-" + o.run_id + "-vote-" + std::to_string(++k), c.voters, 1);
    j["create_session_s"] = since_s(t0);
    const int64_t poll = open_adoption_poll(api, cast, fragment_text(2000, 1, sample));

    Engine engine(o.port);
    Pool* pool = engine.open_pool(c.connections);
    warm_up(engine, pool, c.connections, o.port);
    j["ceiling_before"] = measure_ceiling(engine, pool, probe, o.ceiling_requests);

    const auto reqs = ballot_requests(cast, poll);
    ClosedBurst burst(reqs, reqs.size());
    const bool peak_reset = probe.reset_peak();
    const auto threads_before = probe.thread_cpu();
    const auto commits_before = commit_counters(o.port, o.admin_token);
    const ProcSample before = probe.sample();
    const RunStats st = engine.run({{&burst, pool, true}});
    const ProcSample after = probe.sample();
    const auto commits_after = commit_counters(o.port, o.admin_token);
    j["burst"] = burst_json(burst, st, before, after, probe, threads_before, probe.thread_cpu());
    if (commits_before.first >= 0 && commits_after.first > commits_before.first) {
      const double commits = commits_after.first - commits_before.first;
      j["burst"]["commits"] = commits;
      j["burst"]["mean_batch"] = (commits_after.second - commits_before.second) / commits;
    }
    if (probe.valid()) {
      j["memory"] = {{"peak_rss_mib", static_cast<double>(after.vm_hwm_kib) / 1024.0},
                     {"peak_is_of_burst", peak_reset},
                     {"rss_before_mib", static_cast<double>(before.vm_rss_kib) / 1024.0},
                     {"rss_after_mib", static_cast<double>(after.vm_rss_kib) / 1024.0}};
    }
    j["ceiling_after"] = measure_ceiling(engine, pool, probe, o.ceiling_requests);
    engine.close_pool(pool);
    const double ceiling =
        (j["ceiling_before"]["per_s"].get<double>() + j["ceiling_after"]["per_s"].get<double>()) / 2.0;
    j["ceiling_per_s"] = ceiling;
    j["ratio_to_ceiling"] = j["burst"]["per_s"].get<double>() / ceiling;
    j["check"] = close_and_check(o, api, cast, poll, c.voters);
    out.push_back(j);
  }
  return out;
}

json run_room_polling(const BenchOptions& o, BurstConfig c, size_t clients, size_t pool_size) {
  const Api api(o.port, o.admin_token);
  const ServerProbe probe(o.server_pid);
  std::cerr << "bench: room polling, " << clients << " phones over " << pool_size << " connections, during V="
            << c.voters << " C=" << c.connections << "\n";
  const Cast cast = create_session(api, "bench-" + o.run_id + "-room", std::max(c.voters, clients), 1);
  const int64_t poll = open_adoption_poll(api, cast, fragment_text(2000, 2, sample_or_empty(o)));

  Engine engine(o.port);
  Pool* voters_pool = engine.open_pool(c.connections);
  Pool* phones_pool = engine.open_pool(pool_size);
  warm_up(engine, voters_pool, c.connections, o.port);
  warm_up(engine, phones_pool, pool_size, o.port);

  const size_t cost_polls = o.quick ? 500 : 1500;
  const json live_idle = live_cost(engine, phones_pool, probe, api, cast, cost_polls);

  const auto period = std::chrono::milliseconds(1000);
  const Clock::time_point start = Clock::now() + std::chrono::milliseconds(5);
  // Every phone polls once and a half before the burst: all hold an ETag.
  const Clock::time_point burst_at = start + period + period / 2;
  std::vector<std::string> tokens(cast.voters.begin(), cast.voters.begin() + static_cast<long>(clients));
  RoomPoller phones("/api/v1/sessions/" + cast.sid + "/live", tokens, period, start);
  auto reqs = ballot_requests(cast, poll);
  reqs.resize(c.voters);
  ClosedBurst burst(reqs, reqs.size(), burst_at);
  const auto threads_before = probe.thread_cpu();
  const ProcSample before = probe.sample();
  const RunStats st = engine.run({{&burst, voters_pool, true}, {&phones, phones_pool, false}});
  const ProcSample after = probe.sample();

  json j = {{"phones", clients}, {"pool_connections", pool_size}, {"period_ms", period.count()}};
  j["burst"] = burst_json(burst, st, before, after, probe, threads_before, probe.thread_cpu());
  j["burst"]["voters"] = c.voters;
  j["live_cost_no_ballots"] = live_idle;
  j["live_cost_after_burst"] = live_cost(engine, phones_pool, probe, api, cast, cost_polls);
  j["burst"]["connections"] = c.connections;
  // Polls scheduled while the ballots were being cast, and in the quiet
  // half-second before (every phone already had an ETag by then).
  // `answered_by`: only polls answered before then count (a poll asked just
  // before the burst but answered after its first commit sees a new state).
  auto window = [&](Clock::time_point from, Clock::time_point to,
                    Clock::time_point answered_by = Clock::time_point::max()) {
    std::vector<double> lat;
    std::map<int, size_t> statuses;
    size_t unconditional = 0;
    for (const auto& s : phones.samples()) {
      if (s.intended < from || s.intended > to) continue;
      const auto answered = s.intended + std::chrono::duration_cast<Clock::duration>(
                                             std::chrono::duration<double, std::milli>(s.latency_ms));
      if (answered > answered_by) continue;
      lat.push_back(s.latency_ms);
      ++statuses[s.status];
      unconditional += s.conditional ? 0 : 1;
    }
    const double n = static_cast<double>(lat.size());
    const double not_modified = statuses.count(304) ? static_cast<double>(statuses[304]) : 0.0;
    return json{{"polls", lat.size()},
                {"per_s", n / std::max(1e-9, std::chrono::duration<double>(to - from).count())},
                {"rate_304", n > 0 ? not_modified / n : 0.0},
                {"statuses", statuses_json(statuses)},
                {"without_etag", unconditional},
                {"latency", summary_json(summarize(lat))}};
  };
  j["polls_during_burst"] = window(burst.first_sent(), burst.last_done());
  j["polls_before_burst"] = window(start + period, burst.first_sent(), burst.first_sent());
  j["skipped_polls"] = phones.skipped();
  engine.close_pool(voters_pool);
  engine.close_pool(phones_pool);
  j["check"] = close_and_check(o, api, cast, poll, c.voters);
  return j;
}

json run_fragment_saves(const BenchOptions& o, size_t rapporteurs, size_t saves, size_t bytes) {
  const Api api(o.port, o.admin_token);
  const ServerProbe probe(o.server_pid);
  const auto sample = sample_or_empty(o);
  std::cerr << "bench: fragment saves, " << rapporteurs << " rapporteurs x " << saves << " saves of " << bytes << " bytes\n";
  const Cast cast = create_session(api, "bench-" + o.run_id + "-fragments", 0, rapporteurs);
  const std::string base = "/api/v1/sessions/" + cast.sid;
  std::vector<std::vector<std::string>> sequences(rapporteurs);
  for (size_t r = 0; r < rapporteurs; ++r) {
    json created = api.call("POST", base + "/breakouts/" + cast.breakouts[r] + "/fragments", cast.rapporteurs[r],
                            {{"title", "Notes of breakout " + std::to_string(r + 1)},
                             {"body", fragment_text(bytes, r * 1000, sample)}},
                            201);
    const int64_t fid = created.at("id").get<int64_t>();
    int64_t version = created.at("version").get<int64_t>();
    for (size_t k = 0; k < saves; ++k) {
      // Each save edits the text a little, as a rapporteur's autosave does.
      std::string body = fragment_text(bytes, r * 1000, sample);
      body += "\nRevision " + std::to_string(k + 1) + " of the notes of breakout " + std::to_string(r + 1) + ".\n";
      sequences[r].push_back(build_request("PUT", base + "/fragments/" + std::to_string(fid), cast.rapporteurs[r],
                                           json{{"base_version", version}, {"body", body}}.dump()));
      ++version;
    }
  }
  Engine engine(o.port);
  Pool* pool = engine.open_pool(rapporteurs);
  warm_up(engine, pool, rapporteurs, o.port);
  PerConnectionSequence run(std::move(sequences));
  const ProcSample before = probe.sample();
  const RunStats st = engine.run({{&run, pool, true}});
  const ProcSample after = probe.sample();
  const size_t n = run.latencies_ms().size();
  json j = {{"rapporteurs", rapporteurs},
            {"saves", n},
            {"bytes", bytes},
            {"statuses", statuses_json(run.statuses())},
            {"span_s", run.span_s()},
            {"per_s", static_cast<double>(n) / run.span_s()},
            {"latency", summary_json(summarize(run.latencies_ms()))},
            {"client_cpu_s", st.client_cpu_s},
            {"reconnects", st.reconnects}};
  if (!run.error_samples().empty()) j["error_samples"] = run.error_samples();
  if (probe.valid()) j["server_cpu_s"] = after.cpu_s - before.cpu_s;
  engine.close_pool(pool);
  return j;
}

}  // namespace rapporteur::bench
