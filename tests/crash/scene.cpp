#include "crash/scene.h"

#include <httplib.h>
#include <catch2/catch.hpp>

#include <algorithm>
#include <utility>

#include "contract/answers.h"
#include "test_server.h"

namespace rapporteur::crash {

namespace contract = rapporteur::testing::contract;
using rapporteur::testing::kAdminToken;

std::string session_path(const std::string& sid, const std::string& rest) { return "/api/v1/sessions/" + sid + rest; }

Answer call(int port, const std::string& method, const std::string& path, const nlohmann::json& body,
            const std::string& token, const std::string& key) {
  httplib::Client cli("127.0.0.1", port);
  cli.set_read_timeout(30, 0);
  httplib::Headers h;
  if (!token.empty()) h.emplace("Authorization", "Bearer " + token);
  if (!key.empty()) h.emplace("Idempotency-Key", key);
  httplib::Result r = method == "GET"   ? cli.Get(path.c_str(), h)
                      : method == "PUT" ? cli.Put(path.c_str(), h, body.dump(), "application/json")
                                        : cli.Post(path.c_str(), h, body.dump(), "application/json");
  if (!r) return {};
  CHECK(contract::check_answer(method, path, *r) == "");
  return {r->status, r->body, r->get_header_value("Idempotent-Replayed") == "true"};
}

std::string fragment_body(int round, int64_t fragment, int64_t version) {
  std::string s = "## Conclusions\n\nRound " + std::to_string(round) + ", fragment " + std::to_string(fragment) +
                  ", version " + std::to_string(version) + ".\n\n## Recommendations\n\n";
  for (int64_t i = 0; i < 20 + version % 17; ++i) {
    s += "- Point " + std::to_string(i) + ": intermediary cities act first when people arrive, version " +
         std::to_string(version) + ".\n";
  }
  return s;
}

nlohmann::json save_request(int round, int64_t fragment, int64_t version) {
  return {{"base_version", version - 1}, {"body", fragment_body(round, fragment, version)}, {"note", "crash test"}};
}

std::string ballot_key(int round, int64_t voter, size_t k) {
  return "crash-" + std::to_string(round) + "-ballot-" + std::to_string(voter) + "-" + std::to_string(k);
}
std::string save_key(int round, int64_t fragment, int64_t version) {
  return "crash-" + std::to_string(round) + "-save-" + std::to_string(fragment) + "-" + std::to_string(version);
}
std::string decision_key(int round, int64_t amendment) {
  return "crash-" + std::to_string(round) + "-decision-" + std::to_string(amendment);
}

namespace {

nlohmann::json create_session(int port, const std::string& sid, int extra_voters) {
  nlohmann::json spec = rapporteur::testing::kisumu_spec();
  spec["id"] = sid;
  for (int i = 1; i <= extra_voters; ++i) {
    spec["people"].push_back({{"name", "Voter " + std::to_string(i)}, {"roles", {"participant"}}});
  }
  Answer a = call(port, "POST", "/api/v1/sessions", spec, kAdminToken);
  INFO(a.body);
  REQUIRE(a.status == 201);
  return a.json();
}

std::string token_of(const nlohmann::json& created, const std::string& name) {
  for (const auto& p : created["people"]) {
    if (p["name"] == name) return p["token"];
  }
  FAIL("no person " << name);
  return "";
}

}  // namespace

Scene set_up(int port, int round, Ledger& ledger, int amendments) {
  Scene scene;
  const auto votes = create_session(port, kVotes, kExtraVoters);
  scene.president = token_of(votes, "President of the session");
  scene.observer_votes = token_of(votes, "Observer");
  for (const auto& p : votes["people"]) {
    const auto& roles = p["roles"];
    if (std::find(roles.begin(), roles.end(), "participant") == roles.end()) continue;
    scene.voters.push_back({p["id"].get<int64_t>(), p["token"].get<std::string>()});
    scene.token_of[p["id"].get<int64_t>()] = p["token"].get<std::string>();
  }
  auto post = [&](const std::string& sid, const std::string& rest, const nlohmann::json& body, const std::string& token,
                  int want) {
    Answer a = call(port, "POST", session_path(sid, rest), body, token);
    INFO("POST " << rest << ": " << a.body);
    REQUIRE(a.status == want);
    return a.json();
  };
  post(kVotes, "/breakouts/complementarity/fragments", {{"title", "Breakout 1"}, {"body", fragment_body(round, 0, 1)}},
       token_of(votes, "Rapporteur, Breakout 1"), 201);
  post(kVotes, "/drafts", {{"merge", true}}, token_of(votes, "Moderator"), 201);
  post(kVotes, "/phase", {{"phase", "amending"}}, scene.president, 200);
  if (amendments > 0) {
    Answer draft = call(port, "GET", session_path(kVotes, "/drafts/1"), nullptr, scene.observer_votes);
    INFO(draft.body);
    REQUIRE(draft.status == 200);
    const nlohmann::json doc = draft.json();
    std::vector<std::string> paragraphs;  // the recommendations: amendable
    for (const auto& p : doc["paragraphs"]) {
      if (p["section"] == "recommendations") paragraphs.push_back(p["pid"]);
    }
    REQUIRE(!paragraphs.empty());
    for (int i = 0; i < amendments; ++i) {
      const Voter& proposer = scene.voters[static_cast<size_t>(i) % scene.voters.size()];
      const auto a = post(kVotes, "/amendments",
                          {{"draft", 1},
                           {"target", paragraphs[static_cast<size_t>(i) % paragraphs.size()]},
                           {"kind", "replace"},
                           {"text", "Round " + std::to_string(round) + ", amendment " + std::to_string(i) + "."},
                           {"rationale", "crash test"}},
                          proposer.token, 201);
      scene.amendments.push_back(a["id"].get<int64_t>());
    }
  }
  // The server runs on the real clock, outside the sample's adoption slot:
  // the override API.md provides for that, with its logged reason.
  const auto poll = post(kVotes, "/polls",
                         {{"subject", {{"adoption", 1}}},
                          {"override_slot", true},
                          {"reason", "crash test: the server clock is not in the adoption slot"}},
                         scene.president, 201);
  scene.poll = poll["id"];
  post(kVotes, "/polls/" + std::to_string(scene.poll) + "/open", nlohmann::json::object(), scene.president, 200);

  const auto drafts = create_session(port, kDrafts, 0);
  scene.observer_drafts = token_of(drafts, "Observer");
  for (const auto& [breakout, rapporteur] :
       {std::pair<std::string, std::string>{"complementarity", "Rapporteur, Breakout 1"},
        {"sustainability", "Rapporteur, Breakout 2"}}) {
    const std::string token = token_of(drafts, rapporteur);
    for (int i = 0; i < kFragmentsPerBreakout; ++i) {
      // Version 1's body names fragment 0: its id is not known before it exists.
      const std::string body =
          fragment_body(round, 0, 1) + "\nBreakout " + breakout + ", notes " + std::to_string(i) + ".\n";
      const auto f = post(kDrafts, "/breakouts/" + breakout + "/fragments",
                          {{"title", "Notes " + std::to_string(i)}, {"body", body}}, token, 201);
      scene.fragments.push_back({f["id"].get<int64_t>(), token});
      ledger.saves.push_back({f["id"].get<int64_t>(), 1, f["sha256"].get<std::string>(), "", true});
    }
  }
  return scene;
}

Tracked Scene::tracked() const {
  Tracked t{kVotes, poll, kDrafts, {}, amendments};
  for (const SceneFragment& f : fragments) t.fragments.push_back(f.id);
  return t;
}

std::vector<std::vector<Voter>> Scene::voters_for(int threads) const {
  std::vector<std::vector<Voter>> out(static_cast<size_t>(threads));
  for (size_t i = 0; i < voters.size(); ++i) out[i % out.size()].push_back(voters[i]);
  return out;
}

std::vector<std::vector<SceneFragment>> Scene::fragments_for(int threads) const {
  std::vector<std::vector<SceneFragment>> out(static_cast<size_t>(threads));
  const size_t half = out.size() / 2;
  for (size_t i = 0; i < fragments.size(); ++i)
    out[(i / kFragmentsPerBreakout) * half + i % half].push_back(fragments[i]);
  return out;
}

void close_and_verify(int port, const Scene& scene, const Ledger& ledger, const Stored& stored) {
  Answer closed = call(port, "POST", session_path(kVotes, "/polls/" + std::to_string(scene.poll) + "/close"),
                       nlohmann::json::object(), scene.president);
  INFO(closed.body);
  REQUIRE(closed.status == 200);
  const auto result = closed.json()["result"];
  const auto want = expected_counts(ledger);
  CHECK(result["yes"] == want.at("yes"));
  CHECK(result["no"] == want.at("no"));
  CHECK(result["abstain"] == want.at("abstain"));
  CHECK(result["cast"] == stored.ballots.size());
  for (const auto& [sid, token] :
       {std::pair<std::string, std::string>{kVotes, scene.observer_votes}, {kDrafts, scene.observer_drafts}}) {
    Answer v = call(port, "GET", session_path(sid, "/log/verify"), nullptr, token);
    INFO(sid << ": " << v.body);
    CHECK(v.status == 200);
    CHECK(v.json()["ok"] == true);
  }
}

httplib::Client keep_alive_client(int port) {
  httplib::Client cli("127.0.0.1", port);
  cli.set_keep_alive(true);
  cli.set_tcp_nodelay(true);
  cli.set_connection_timeout(5, 0);
  cli.set_read_timeout(30, 0);
  return cli;
}

}  // namespace rapporteur::crash
