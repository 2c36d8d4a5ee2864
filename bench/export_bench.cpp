// Export of a large session, end to end over HTTP: a
// session of 1,000 fragments merged into one draft, 200 amendments (some
// voted, so the annex has polls, counts and named ballots), then
// GET .../export?format=F timed for every format. The server's converter
// cache is keyed by the converter's input, so pdf and docx are timed once
// cold (a real chromium / pandoc run) and once from the cache.
#include <algorithm>
#include <chrono>
#include <iostream>
#include <map>
#include <stdexcept>

#include "http_wire.h"
#include "load_engine.h"
#include "scenarios.h"

namespace rapporteur::bench {
namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

struct ExportCast {
  std::string sid;
  std::string president, secretariat;
  std::vector<std::string> breakouts, rapporteurs, voters;
};

ExportCast create_export_session(const Api& api, const std::string& sid, size_t breakouts, size_t voters) {
  json spec = {{"id", sid},
               {"title", "Export benchmark " + sid},
               {"date", "2022-05-19"},
               {"timezone", "Africa/Nairobi"},
               {"place", "Kisumu, Kenya"},
               {"agenda",
                {{{"id", "breakouts"}, {"start", "11:30"}, {"end", "12:15"}, {"kind", "breakout"}, {"title", "Breakouts"}},
                 {{"id", "adoption"}, {"start", "12:15"}, {"end", "12:30"}, {"kind", "adoption"}, {"title", "Adoption"}}}}};
  json bs = json::array(), people = json::array();
  people.push_back({{"name", "President"}, {"roles", {"president"}}});
  people.push_back({{"name", "Secretariat"}, {"roles", {"secretariat"}}});
  ExportCast c;
  c.sid = sid;
  for (size_t i = 0; i < breakouts; ++i) {
    const std::string id = "x" + std::to_string(i + 1);
    bs.push_back({{"id", id}, {"title", "Breakout " + std::to_string(i + 1)}});
    people.push_back({{"name", "Rapporteur " + id}, {"roles", {"rapporteur"}}, {"breakout", id}});
    c.breakouts.push_back(id);
  }
  for (size_t i = 0; i < voters; ++i) people.push_back({{"name", "Delegate " + std::to_string(i + 1)}, {"roles", {"participant"}}});
  spec["breakouts"] = bs;
  spec["people"] = people;
  json created = api.admin("POST", "/api/v1/sessions", spec, 201);
  std::map<std::string, std::string> by_name;
  for (const auto& p : created.at("people")) by_name[p.at("name").get<std::string>()] = p.at("token").get<std::string>();
  c.president = by_name.at("President");
  c.secretariat = by_name.at("Secretariat");
  for (const auto& b : c.breakouts) c.rapporteurs.push_back(by_name.at("Rapporteur " + b));
  for (size_t i = 0; i < voters; ++i) c.voters.push_back(by_name.at("Delegate " + std::to_string(i + 1)));
  return c;
}

// A set-up call that may take long on a loaded machine (the merge of 1,000
// fragments, the draft of 2.7 MB): Api::call with a longer timeout.
json slow_call(const BenchOptions& o, const std::string& method, const std::string& path, const std::string& token,
               const json& body, int expect) {
  const Response r = http_call(o.port, build_request(method, path, token, body.is_null() ? std::string() : body.dump()),
                               std::chrono::seconds(900));
  if (expect == 0 ? (r.status < 200 || r.status >= 300) : r.status != expect) {
    throw std::runtime_error(method + " " + path + ": got " + std::to_string(r.status) + " " + r.body.substr(0, 300));
  }
  return json::parse(r.body);
}

double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}

}  // namespace

json run_export(const BenchOptions& o, size_t fragments, size_t amendments) {
  const Api api(o.port, o.admin_token);
  const auto sample = read_notes(o.notes_dir);
  const size_t breakouts = 50, voters = 100, voted = std::min<size_t>(20, amendments);
  std::cerr << "bench: export, " << fragments << " fragments, " << amendments << " amendments (" << voted
            << " voted)\n";
  const auto setup_start = Clock::now();
  const ExportCast c = create_export_session(api, "export-" + o.run_id, breakouts, voters);
  const std::string base = "/api/v1/sessions/" + c.sid;
  size_t bytes = 0;
  for (size_t k = 0; k < fragments; ++k) {
    const std::string body = fragment_text(sample.empty() ? 3000 : 0, k + 1, sample);
    bytes += body.size();
    api.call("POST", base + "/breakouts/" + c.breakouts[k % breakouts] + "/fragments", c.rapporteurs[k % breakouts],
             {{"title", "Notes " + std::to_string(k + 1)}, {"body", body}}, 201);
  }
  std::cerr << "bench: export: " << fragments << " fragments saved in " << seconds_since(setup_start) << " s\n";
  auto t = Clock::now();
  json draft = slow_call(o, "POST", base + "/drafts", c.secretariat, {{"merge", true}}, 201);
  const int64_t n = draft.at("n").get<int64_t>();
  std::cerr << "bench: export: draft " << n << " merged in " << seconds_since(t) << " s\n";
  t = Clock::now();
  draft = slow_call(o, "GET", base + "/drafts/" + std::to_string(n), c.secretariat, nullptr, 200);
  std::cerr << "bench: export: draft read in " << seconds_since(t) << " s\n";
  t = Clock::now();
  std::vector<std::string> pids;
  for (const auto& p : draft.at("paragraphs")) {
    // The preamble (title and date line) is not amendable.
    if (p.value("kind", "") != "heading" && p.value("section", "") != "preamble") pids.push_back(p.at("pid").get<std::string>());
  }
  api.call("POST", base + "/phase", c.president, {{"phase", "amending"}}, 0);
  // Amendments on distinct paragraphs spread over the document, so that an
  // adopted one does not outdate the others.
  std::vector<int64_t> ids;
  for (size_t i = 0; i < amendments; ++i) {
    const std::string& target = pids.at((i * 7919) % pids.size());
    const std::string kind = i % 10 == 9 ? "delete" : i % 5 == 4 ? "insert_after" : "replace";
    json a = {{"draft", n}, {"target", target}, {"kind", kind}, {"rationale", "Benchmark amendment " + std::to_string(i + 1)}};
    if (kind != "delete") {
      a["text"] = "Amended text " + std::to_string(i + 1) +
                  ": intermediary cities and their partners agree on a shared, funded plan (é, ا, 中).";
    }
    json made = api.call("POST", base + "/amendments", c.voters[i % voters], a, 201);
    ids.push_back(made.at("id").get<int64_t>());
  }
  // Every amendment admitted; the first `voted` go to a poll: named
  // electronic ones with every delegate voting, and show-of-hands ones.
  for (size_t i = 0; i < ids.size(); ++i) {
    api.call("POST", base + "/amendments/" + std::to_string(ids[i]) + "/decision", c.president,
             {{"decision", "admit"}, {"reason", "in order"}}, 0);
  }
  std::cerr << "bench: export: " << amendments << " amendments proposed and admitted in " << seconds_since(t)
            << " s\n";
  t = Clock::now();
  for (size_t i = 0; i < voted; ++i) {
    const bool hands = i % 2 == 1;
    json poll = api.call("POST", base + "/polls", c.president,
                         {{"subject", {{"amendment", ids[i]}}},
                          {"method", hands ? "show_of_hands" : "electronic"},
                          {"rule", "simple"},
                          {"override_slot", true},
                          {"reason", "benchmark"}},
                         201);
    const std::string p = base + "/polls/" + std::to_string(poll.at("id").get<int64_t>());
    api.call("POST", p + "/open", c.president, nullptr, 0);
    if (hands) {
      api.call("POST", p + "/count", c.president, {{"yes", 40 + i}, {"no", 30}, {"abstain", 5}}, 0);
    } else {
      for (size_t v = 0; v < voters; ++v) {
        api.call("POST", p + "/ballots", c.voters[v], {{"choice", (v + i) % 3 == 0 ? "no" : "yes"}}, 0);
      }
    }
    api.call("POST", p + "/close", c.president, nullptr, 0);
  }
  std::cerr << "bench: export: " << voted << " polls in " << seconds_since(t) << " s\n";
  const double setup_s = seconds_since(setup_start);

  json formats = json::object();
  const int rounds = o.quick ? 2 : 5;
  for (const std::string f : {"md", "html", "json", "csv", "pdf", "docx"}) {
    const bool converted = f == "pdf" || f == "docx";
    std::vector<double> ms;
    size_t size = 0;
    int status = 0;
    std::string error;
    for (int r = 0; r < (converted ? 2 : rounds); ++r) {
      const auto t0 = Clock::now();
      const Response resp = http_call(o.port, build_request("GET", base + "/export?format=" + f, c.secretariat),
                                      std::chrono::seconds(180));
      ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
      status = resp.status;
      size = resp.body.size();
      if (status != 200) {
        error = resp.body.substr(0, 200);
        break;
      }
    }
    json e = {{"status", status}, {"bytes", size}};
    if (status != 200) {
      e["error"] = error;
    } else if (converted) {
      e["cold_ms"] = ms.at(0);
      e["cached_ms"] = ms.size() > 1 ? json(ms[1]) : json(nullptr);
    } else {
      e["median_ms"] = median(ms);
      e["max_ms"] = *std::max_element(ms.begin(), ms.end());
      e["rounds"] = ms.size();
    }
    std::cerr << "bench: export " << f << " " << e.dump() << "\n";
    formats[f] = e;
  }
  return {{"fragments", fragments},
          {"amendments", amendments},
          {"polls", voted},
          {"ballots_per_named_poll", voters},
          {"input_bytes", bytes},
          {"paragraphs", pids.size()},
          {"setup_s", setup_s},
          {"formats", formats}};
}

}  // namespace rapporteur::bench
