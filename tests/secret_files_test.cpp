// A secret ballot against someone who holds a copy of the database files.
//
// The real `rapporteur serve` binary runs a secret poll of 30 voters, who
// vote in a random order (some change their vote). The attacker then reads
// the files as bytes, not through SQLite: every cell of every leaf page of
// the main file (pages in use, free pages, stale ones), of the -wal file
// frame by frame, and of files written by `rapporteur backup`. From each
// source and by each physical order it offers (page or frame number, cell
// offset up or down, per page and across pages), it lines up the voters'
// marks against the ballots and counts how many voters that pairing gives
// their true choice. With choices spread evenly over yes, no and abstain,
// chance is about 10 of 30; SQLite's insertion order, if it survived, gives
// 30 of 30.
#include <catch2/catch.hpp>
#include <httplib.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <map>
#include <random>
#include <set>
#include <sstream>

#include "attack/sqlite_cells.h"
#include "contract/answers.h"
#include "crash/server_process.h"
#include "test_server.h"

namespace {

using rapporteur::attack::Cell;
using rapporteur::testing::kAdminToken;
using rapporteur::testing::TempDir;
namespace contract = rapporteur::testing::contract;
namespace fs = std::filesystem;

// Few enough that each table's rows fit in one page, as in a real room's
// poll: SQLite then keeps them in insertion order until something rewrites
// the page (a split would sort them by key and hide the order by chance).
constexpr int kVoters = 30;
// Far above chance (about 10; 22 or more happens about once in 200,000 tries)
// and far below what an insertion order gives (30).
constexpr int kMostByChance = 21;

struct Answer {
  int status = 0;
  nlohmann::json body;
};

Answer call(int port, const std::string& method, const std::string& path, const nlohmann::json& body,
            const std::string& token) {
  httplib::Client cli("127.0.0.1", port);
  cli.set_read_timeout(30, 0);
  httplib::Headers h{{"Authorization", "Bearer " + token}};
  httplib::Result r = method == "GET" ? cli.Get(path.c_str(), h) : cli.Post(path.c_str(), h, body.dump(), "application/json");
  if (!r) return {};
  CHECK(contract::check_answer(method, path, *r) == "");
  return {r->status, nlohmann::json::parse(r->body, nullptr, false)};
}

std::string session_path(const std::string& rest) { return "/api/v1/sessions/kisumu-2022-partnerships" + rest; }

// The attacker's best pairing over every source and order it can read.
struct Pairing {
  int matches = 0;
  int length = 0;
  std::string how;
};

using Truth = std::map<int64_t, std::string>;  // voter id -> choice

bool is_mark(const Cell& c, int64_t poll, const Truth& truth) {
  if (c.values.size() != 2) return false;
  const auto* p = std::get_if<int64_t>(&c.values[0]);
  const auto* v = std::get_if<int64_t>(&c.values[1]);
  return p && v && *p == poll && truth.count(*v);
}

bool is_ballot(const Cell& c, int64_t poll) {
  if (c.values.size() < 3) return false;
  const auto* p = std::get_if<int64_t>(&c.values[0]);
  const auto* r = std::get_if<std::string>(&c.values[1]);
  const auto* choice = std::get_if<std::string>(&c.values[2]);
  return p && r && choice && *p == poll && r->size() >= 16 &&
         (*choice == "yes" || *choice == "no" || *choice == "abstain");
}

// Cells in one physical order: by unit (page or frame), then offset.
std::vector<const Cell*> ordered(const std::vector<const Cell*>& cells, bool units_up, bool offsets_up) {
  std::vector<const Cell*> out = cells;
  std::stable_sort(out.begin(), out.end(), [&](const Cell* a, const Cell* b) {
    if (a->unit != b->unit) return units_up ? a->unit < b->unit : a->unit > b->unit;
    return offsets_up ? a->offset < b->offset : a->offset > b->offset;
  });
  return out;
}

Pairing best_pairing(const std::vector<Cell>& cells, int64_t poll, const Truth& truth, const std::string& source) {
  // Groups: each page (or frame) alone, and all of them together.
  std::map<int64_t, std::vector<const Cell*>> marks_by_unit, ballots_by_unit;
  std::vector<const Cell*> all_marks, all_ballots;
  for (const Cell& c : cells) {
    if (is_mark(c, poll, truth)) {
      marks_by_unit[c.unit].push_back(&c);
      all_marks.push_back(&c);
    } else if (is_ballot(c, poll)) {
      ballots_by_unit[c.unit].push_back(&c);
      all_ballots.push_back(&c);
    }
  }
  std::vector<std::pair<std::string, std::vector<const Cell*>>> mark_groups{{"all pages", all_marks}};
  std::vector<std::pair<std::string, std::vector<const Cell*>>> ballot_groups{{"all pages", all_ballots}};
  for (auto& [unit, v] : marks_by_unit) mark_groups.emplace_back("unit " + std::to_string(unit), v);
  for (auto& [unit, v] : ballots_by_unit) ballot_groups.emplace_back("unit " + std::to_string(unit), v);

  Pairing best;
  for (const auto& [mname, marks] : mark_groups) {
    for (const auto& [bname, ballots] : ballot_groups) {
      for (int order = 0; order < 8; ++order) {
        const bool units_up = order & 1, mark_offsets_up = order & 2, ballot_offsets_up = order & 4;
        // First sighting of each voter and of each ballot, in that order.
        std::vector<int64_t> voters;
        std::set<int64_t> seen_voters;
        for (const Cell* c : ordered(marks, units_up, mark_offsets_up)) {
          const int64_t v = std::get<int64_t>(c->values[1]);
          if (seen_voters.insert(v).second) voters.push_back(v);
        }
        std::vector<std::string> choices;
        std::set<std::string> seen_receipts;
        for (const Cell* c : ordered(ballots, units_up, ballot_offsets_up)) {
          if (seen_receipts.insert(std::get<std::string>(c->values[1])).second) {
            choices.push_back(std::get<std::string>(c->values[2]));
          }
        }
        const size_t n = std::min(voters.size(), choices.size());
        int matches = 0;
        for (size_t k = 0; k < n; ++k) matches += truth.at(voters[k]) == choices[k] ? 1 : 0;
        if (matches > best.matches) {
          std::ostringstream how;
          how << source << ": voters of " << mname << " against ballots of " << bname << ", units "
              << (units_up ? "up" : "down") << ", offsets " << (mark_offsets_up ? "up" : "down") << "/"
              << (ballot_offsets_up ? "up" : "down");
          best = {matches, static_cast<int>(n), how.str()};
        }
      }
    }
  }
  return best;
}

void check_unlinkable(const std::vector<Cell>& cells, int64_t poll, const Truth& truth, const std::string& source) {
  const Pairing p = best_pairing(cells, poll, truth, source);
  std::cout << "secrecy: " << source << ": best pairing " << p.matches << " of " << kVoters << " (chance about "
            << kVoters / 3 << ")" << (p.how.empty() ? "" : "; " + p.how) << std::endl;
  INFO(p.how);
  CHECK(p.matches <= kMostByChance);
}

int run_backup(const std::string& db, const std::string& out) {
  const std::string cmd = std::string(RAPPORTEUR_BINARY) + " backup --db '" + db + "' --out '" + out + "' >/dev/null 2>&1";
  return std::system(cmd.c_str());
}

}  // namespace

TEST_CASE("a copy of the database files or a backup pairs no more secret voters with choices than chance",
          "[sqlite][secrecy][attack]") {
  TempDir dir;
  const std::string db = dir.file("rapporteur.db");
  std::string error;
  auto server = rapporteur::crash::ServerProcess::start(
      {RAPPORTEUR_BINARY, db, dir.file("server.log"), kAdminToken, 16, 30'000}, error);
  REQUIRE(server);
  const int port = server->port();

  nlohmann::json spec = rapporteur::testing::kisumu_spec();
  for (int i = 1; i <= kVoters; ++i) spec["people"].push_back({{"name", "Voter " + std::to_string(i)}, {"roles", {"participant"}}});
  // The sample's own participants stay out of the poll's truth: only these vote.
  const Answer created = call(port, "POST", "/api/v1/sessions", spec, kAdminToken);
  REQUIRE(created.status == 201);
  std::map<std::string, std::string> token;
  std::map<std::string, int64_t> id;
  for (const auto& p : created.body["people"]) {
    token[p["name"]] = p["token"];
    id[p["name"]] = p["id"];
  }
  const std::string president = token.at("President of the session");
  REQUIRE(call(port, "POST", session_path("/breakouts/complementarity/fragments"),
               {{"title", "Notes"}, {"body", "## Recommendations\n\n- Cities lead.\n"}}, token.at("Rapporteur, Breakout 1"))
              .status == 201);
  REQUIRE(call(port, "POST", session_path("/drafts"), {{"merge", true}}, token.at("Moderator")).status == 201);
  REQUIRE(call(port, "POST", session_path("/phase"), {{"phase", "amending"}}, president).status == 200);
  const Answer poll = call(port, "POST", session_path("/polls"),
                           {{"subject", {{"adoption", 1}}},
                            {"secret", true},
                            {"override_slot", true},
                            {"reason", "secrecy test: the server clock is not in the adoption slot"}},
                           president);
  REQUIRE(poll.status == 201);
  const int64_t poll_id = poll.body["id"];
  const std::string poll_path = session_path("/polls/" + std::to_string(poll_id));
  REQUIRE(call(port, "POST", poll_path + "/open", nlohmann::json::object(), president).status == 200);

  // Choices spread evenly, voters in a random order, unrelated to their ids.
  std::mt19937_64 rng(std::random_device{}());
  std::vector<std::string> names;
  for (int i = 1; i <= kVoters; ++i) names.push_back("Voter " + std::to_string(i));
  std::shuffle(names.begin(), names.end(), rng);
  Truth truth;
  std::map<std::string, std::string> change_code;
  const char* kChoices[] = {"yes", "no", "abstain"};
  for (size_t k = 0; k < names.size(); ++k) {
    const std::string choice = kChoices[k % 3];
    const Answer a = call(port, "POST", poll_path + "/ballots", {{"choice", choice}}, token.at(names[k]));
    REQUIRE(a.status == 200);
    truth[id.at(names[k])] = choice;
    change_code[names[k]] = a.body["change_code"];
  }
  // A few change their vote (a deleted row and a new one each).
  for (size_t k = 0; k < 2; ++k) {
    const std::string& name = names[k * 5];
    const std::string choice = kChoices[(k + 1) % 3];
    const Answer a =
        call(port, "POST", poll_path + "/ballots", {{"choice", choice}, {"change_code", change_code[name]}}, token.at(name));
    REQUIRE(a.status == 200);
    CHECK(a.body["replaced"] == true);
    truth[id.at(name)] = choice;
  }

  SECTION("a backup taken while the poll is open") {
    const std::string copy = dir.file("during.db");
    REQUIRE(run_backup(db, copy) == 0);
    check_unlinkable(rapporteur::attack::database_cells(copy), poll_id, truth, "backup during the poll");
  }

  SECTION("the database file and its log copied after the close, and a backup then") {
    const Answer closed = call(port, "POST", poll_path + "/close", nlohmann::json::object(), president);
    REQUIRE(closed.status == 200);
    REQUIRE(closed.body["receipts"].size() == kVoters);
    // The files as they are on disk right after the close was answered,
    // the server still running.
    fs::copy_file(db, dir.file("copy.db"));
    if (fs::exists(db + "-wal")) fs::copy_file(db + "-wal", dir.file("copy.db-wal"));
    CHECK(rapporteur::attack::file_size(dir.file("copy.db-wal")) == 0);
    check_unlinkable(rapporteur::attack::database_cells(dir.file("copy.db")), poll_id, truth, "database file after the close");
    check_unlinkable(rapporteur::attack::wal_cells(dir.file("copy.db-wal")), poll_id, truth, "-wal file after the close");
    // The rows are all there: the rebuild lost nothing.
    int marks = 0, ballots = 0;
    for (const Cell& c : rapporteur::attack::database_cells(dir.file("copy.db"))) {
      marks += is_mark(c, poll_id, truth) ? 1 : 0;
      ballots += is_ballot(c, poll_id) ? 1 : 0;
    }
    CHECK(ballots == kVoters);
    CHECK(marks >= kVoters);  // secret_voted, and poll_voters (the eligible) which holds the same people

    const std::string after = dir.file("after.db");
    REQUIRE(run_backup(db, after) == 0);
    check_unlinkable(rapporteur::attack::database_cells(after), poll_id, truth, "backup after the close");

    // And once the server has stopped (SQLite checkpoints whatever the log
    // still held into the file).
    CHECK(server->terminate() == 0);
    check_unlinkable(rapporteur::attack::database_cells(db), poll_id, truth, "database file after the server stopped");
  }
  if (server) server->terminate();
}
