#include "crash/ledger.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <nlohmann/json.hpp>

#include <map>
#include <set>
#include <sstream>

namespace rapporteur::crash {
namespace {

using Key = std::pair<int64_t, int64_t>;  // (fragment, version)

std::string person(int64_t id) { return "person " + std::to_string(id); }
std::string fv(int64_t fragment, int64_t version) {
  return "fragment " + std::to_string(fragment) + " version " + std::to_string(version);
}

// Removes from `pending` one request that could have produced `choice`; false when none can.
bool consume(std::vector<const BallotSent*>& pending, const std::string& choice) {
  for (auto it = pending.begin(); it != pending.end(); ++it) {
    if ((*it)->choice == choice) {
      pending.erase(it);
      return true;
    }
  }
  return false;
}

void check_ballots(const Ledger& l, const Stored& s, bool settled, Findings& f) {
  std::map<int64_t, std::vector<const BallotSent*>> sent_by_voter, unanswered;
  std::map<std::string, const BallotSent*> acked;
  for (const BallotSent& b : l.ballots) {
    sent_by_voter[b.voter].push_back(&b);
    if (b.acked) acked[b.receipt] = &b;
    else unanswered[b.voter].push_back(&b);
  }

  // The log: every acknowledged ballot exactly once, as it was cast.
  std::map<std::string, std::vector<const Stored::Ballot*>> events;
  for (const auto& e : s.ballot_events) events[e.receipt].push_back(&e);
  for (const auto& [receipt, list] : events) {
    if (list.size() > 1) f.duplicated.push_back("log: ballot " + receipt + " cast " + std::to_string(list.size()) + " times");
  }
  for (const auto& [receipt, b] : acked) {
    auto it = events.find(receipt);
    if (it == events.end()) {
      f.lost.push_back("log: acknowledged ballot " + receipt + " of " + person(b->voter) + " (" + b->choice + ") is missing");
    } else if (it->second[0]->voter != b->voter || it->second[0]->choice != b->choice) {
      f.lost.push_back("log: acknowledged ballot " + receipt + " of " + person(b->voter) + " (" + b->choice +
                       ") is logged as " + person(it->second[0]->voter) + " (" + it->second[0]->choice + ")");
    }
  }
  auto pending = unanswered;
  for (const auto& [receipt, list] : events) {
    if (acked.count(receipt)) continue;
    const Stored::Ballot& e = *list[0];
    if (!settled && consume(pending[e.voter], e.choice)) continue;
    f.unexplained.push_back("log: ballot " + receipt + " of " + person(e.voter) + " (" + e.choice + ") was never acknowledged");
  }

  // The ballots table: one row per voter, the last acknowledged ballot, or a
  // later one still unanswered at the crash.
  std::map<int64_t, std::vector<const Stored::Ballot*>> rows;
  for (const auto& r : s.ballots) rows[r.voter].push_back(&r);
  for (const auto& [voter, list] : rows) {
    if (list.size() > 1) f.duplicated.push_back("ballots: " + person(voter) + " has " + std::to_string(list.size()) + " rows");
    if (!sent_by_voter.count(voter)) {
      f.unexplained.push_back("ballots: " + person(voter) + " holds " + list[0]->receipt + " but never voted");
    }
  }
  for (const auto& [voter, sent] : sent_by_voter) {
    int last = -1;
    for (size_t i = 0; i < sent.size(); ++i) {
      if (sent[i]->acked) last = static_cast<int>(i);
    }
    auto it = rows.find(voter);
    const BallotSent* want = last >= 0 ? sent[last] : nullptr;
    if (it == rows.end()) {
      if (want) f.lost.push_back("ballots: " + person(voter) + " has no ballot; " + want->receipt + " (" + want->choice + ") was acknowledged");
      continue;
    }
    const Stored::Ballot& row = *it->second[0];
    if (want && row.receipt == want->receipt) {
      if (row.choice != want->choice) {
        f.lost.push_back("ballots: " + person(voter) + " holds " + row.receipt + " as " + row.choice + ", acknowledged as " + want->choice);
      }
      continue;
    }
    bool replaced_later = false;  // by a ballot sent after the last acknowledged one, unanswered
    if (!settled && !acked.count(row.receipt)) {
      for (size_t i = static_cast<size_t>(last + 1); i < sent.size(); ++i) {
        replaced_later = replaced_later || (!sent[i]->acked && sent[i]->choice == row.choice);
      }
    }
    if (replaced_later) continue;
    if (want) {
      f.lost.push_back("ballots: " + person(voter) + " holds " + row.receipt + " (" + row.choice + "), not the last acknowledged " +
                       want->receipt + " (" + want->choice + ")");
    } else {
      f.unexplained.push_back("ballots: " + person(voter) + " holds " + row.receipt + " (" + row.choice + "), never acknowledged");
    }
  }
}

// `what` is "fragment_versions" or "log": the same rules for the table and the events.
void check_versions(const Ledger& l, const std::vector<Stored::Version>& stored, const std::string& what, bool settled,
                    Findings& f) {
  std::map<Key, const SaveSent*> acked;
  std::map<Key, std::vector<const SaveSent*>> unanswered;
  for (const SaveSent& s : l.saves) {
    if (s.acked) acked[{s.fragment, s.version}] = &s;
    else unanswered[{s.fragment, s.version}].push_back(&s);
  }
  std::map<Key, std::vector<const Stored::Version*>> by_key;
  std::map<std::pair<int64_t, std::string>, std::vector<int64_t>> by_body;  // (fragment, sha256) -> versions
  for (const auto& v : stored) {
    by_key[{v.fragment, v.version}].push_back(&v);
    by_body[{v.fragment, v.sha256}].push_back(v.version);
  }
  for (const auto& [k, list] : by_key) {
    if (list.size() > 1) f.duplicated.push_back(what + ": " + fv(k.first, k.second) + " stored " + std::to_string(list.size()) + " times");
  }
  for (const auto& [k, versions] : by_body) {
    if (versions.size() > 1) {
      f.duplicated.push_back(what + ": fragment " + std::to_string(k.first) + " holds the same body in " +
                             std::to_string(versions.size()) + " versions");
    }
  }
  for (const auto& [k, save] : acked) {
    auto it = by_key.find(k);
    if (it == by_key.end()) {
      f.lost.push_back(what + ": acknowledged " + fv(k.first, k.second) + " is missing");
    } else if (it->second[0]->sha256 != save->sha256) {
      f.lost.push_back(what + ": acknowledged " + fv(k.first, k.second) + " holds another body");
    }
  }
  for (const auto& [k, list] : by_key) {
    if (acked.count(k)) continue;
    bool in_flight = false;
    if (!settled) {
      for (const SaveSent* s : unanswered[k]) in_flight = in_flight || s->sha256 == list[0]->sha256;
    }
    if (!in_flight) f.unexplained.push_back(what + ": " + fv(k.first, k.second) + " was never acknowledged");
  }
}

}  // namespace

void Ledger::append(const Ledger& other) {
  ballots.insert(ballots.end(), other.ballots.begin(), other.ballots.end());
  saves.insert(saves.end(), other.saves.begin(), other.saves.end());
}

std::string Findings::describe(size_t max_lines) const {
  std::ostringstream out;
  out << lost.size() << " lost, " << duplicated.size() << " duplicated, " << unexplained.size() << " unexplained";
  size_t n = 0;
  for (const auto* list : {&lost, &duplicated, &unexplained}) {
    for (const auto& line : *list) {
      if (n++ == max_lines) {
        out << "\n  ...";
        return out.str();
      }
      out << "\n  " << line;
    }
  }
  return out.str();
}

Stored read_stored(const std::string& db_path, int64_t poll, const std::vector<int64_t>& fragments) {
  const std::set<int64_t> tracked(fragments.begin(), fragments.end());
  SQLite::Database db(db_path, SQLite::OPEN_READONLY);
  db.setBusyTimeout(5000);
  Stored out;
  SQLite::Transaction snapshot(db);  // one consistent view of the tables and the log
  SQLite::Statement ballots(db, "SELECT voter, choice, receipt FROM ballots WHERE poll_id = ?");
  ballots.bind(1, poll);
  while (ballots.executeStep()) {
    out.ballots.push_back({ballots.getColumn(0).getInt64(), ballots.getColumn(1).getString(), ballots.getColumn(2).getString()});
  }
  SQLite::Statement versions(db, "SELECT fragment_id, version, sha256 FROM fragment_versions");
  while (versions.executeStep()) {
    const int64_t id = versions.getColumn(0).getInt64();
    if (tracked.count(id)) out.versions.push_back({id, versions.getColumn(1).getInt64(), versions.getColumn(2).getString()});
  }
  SQLite::Statement events(db,
                           "SELECT type, actor, data FROM events "
                           "WHERE type IN ('ballot_cast', 'fragment_created', 'fragment_revised')");
  while (events.executeStep()) {
    const std::string type = events.getColumn(0).getString();
    const std::string actor = events.getColumn(1).getString();
    const auto data = nlohmann::json::parse(events.getColumn(2).getString());
    if (type == "ballot_cast") {
      if (data.value("poll", int64_t{0}) != poll) continue;
      const int64_t voter = actor.rfind("person:", 0) == 0 ? std::stoll(actor.substr(7)) : -1;
      out.ballot_events.push_back({voter, data.value("choice", ""), data.value("receipt", "")});
    } else {
      const int64_t id = data.value("fragment", int64_t{0});
      if (tracked.count(id)) out.version_events.push_back({id, data.value("version", int64_t{0}), data.value("sha256", "")});
    }
  }
  snapshot.commit();
  return out;
}

Findings check(const Ledger& ledger, const Stored& stored, bool settled) {
  Findings f;
  check_ballots(ledger, stored, settled, f);
  check_versions(ledger, stored.versions, "fragment_versions", settled, f);
  check_versions(ledger, stored.version_events, "log", settled, f);
  return f;
}

}  // namespace rapporteur::crash
