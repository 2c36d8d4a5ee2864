#include "crash/ledger.h"

#include <nlohmann/json.hpp>

#include <map>
#include <set>
#include <sstream>

#include "rapporteur/amendment.h"
#include "rapporteur/event_log.h"
#include "rapporteur/fragment.h"

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
    if (b.acked)
      acked[b.receipt] = &b;
    else
      unanswered[b.voter].push_back(&b);
  }

  // The log: every acknowledged ballot exactly once, as it was cast.
  std::map<std::string, std::vector<const Stored::Ballot*>> events;
  for (const auto& e : s.ballot_events) events[e.receipt].push_back(&e);
  for (const auto& [receipt, list] : events) {
    if (list.size() > 1)
      f.duplicated.push_back("log: ballot " + receipt + " cast " + std::to_string(list.size()) + " times");
  }
  for (const auto& [receipt, b] : acked) {
    auto it = events.find(receipt);
    if (it == events.end()) {
      f.lost.push_back("log: acknowledged ballot " + receipt + " of " + person(b->voter) + " (" + b->choice +
                       ") is missing");
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
    f.unexplained.push_back("log: ballot " + receipt + " of " + person(e.voter) + " (" + e.choice +
                            ") was never acknowledged");
  }

  // The ballots table: one row per voter, the last acknowledged ballot, or a
  // later one still unanswered at the crash.
  std::map<int64_t, std::vector<const Stored::Ballot*>> rows;
  for (const auto& r : s.ballots) rows[r.voter].push_back(&r);
  for (const auto& [voter, list] : rows) {
    if (list.size() > 1)
      f.duplicated.push_back("ballots: " + person(voter) + " has " + std::to_string(list.size()) + " rows");
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
      if (want)
        f.lost.push_back("ballots: " + person(voter) + " has no ballot; " + want->receipt + " (" + want->choice +
                         ") was acknowledged");
      continue;
    }
    const Stored::Ballot& row = *it->second[0];
    if (want && row.receipt == want->receipt) {
      if (row.choice != want->choice) {
        f.lost.push_back("ballots: " + person(voter) + " holds " + row.receipt + " as " + row.choice +
                         ", acknowledged as " + want->choice);
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
      f.lost.push_back("ballots: " + person(voter) + " holds " + row.receipt + " (" + row.choice +
                       "), not the last acknowledged " + want->receipt + " (" + want->choice + ")");
    } else {
      f.unexplained.push_back("ballots: " + person(voter) + " holds " + row.receipt + " (" + row.choice +
                              "), never acknowledged");
    }
  }
}

// `what` is "fragment_versions" or "log": the same rules for the table and the events.
void check_versions(const Ledger& l, const std::vector<Stored::Version>& stored, const std::string& what, bool settled,
                    Findings& f) {
  std::map<Key, const SaveSent*> acked;
  std::map<Key, std::vector<const SaveSent*>> unanswered;
  for (const SaveSent& s : l.saves) {
    if (s.acked)
      acked[{s.fragment, s.version}] = &s;
    else
      unanswered[{s.fragment, s.version}].push_back(&s);
  }
  std::map<Key, std::vector<const Stored::Version*>> by_key;
  std::map<std::pair<int64_t, std::string>, std::vector<int64_t>> by_body;  // (fragment, sha256) -> versions
  for (const auto& v : stored) {
    by_key[{v.fragment, v.version}].push_back(&v);
    by_body[{v.fragment, v.sha256}].push_back(v.version);
  }
  for (const auto& [k, list] : by_key) {
    if (list.size() > 1)
      f.duplicated.push_back(what + ": " + fv(k.first, k.second) + " stored " + std::to_string(list.size()) + " times");
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

// An amendment is decided once: an acknowledged decision is its state and
// one event; a decided state or event nobody was told of is unexplained,
// unless its request was in flight (before settling).
void check_decisions(const Ledger& l, const Stored& s, bool settled, Findings& f) {
  auto status_of = [](const std::string& decision) { return decision == "admit" ? "admitted" : "ruled_out"; };
  std::map<int64_t, const DecisionSent*> sent;
  for (const DecisionSent& d : l.decisions) sent[d.amendment] = &d;
  std::map<int64_t, std::vector<std::string>> events;
  for (const auto& e : s.decision_events) events[e.amendment].push_back(e.status);
  for (const auto& [id, list] : events) {
    if (list.size() > 1)
      f.duplicated.push_back("log: amendment " + std::to_string(id) + " decided " + std::to_string(list.size()) +
                             " times");
  }
  std::map<int64_t, std::string> state;
  for (const auto& a : s.amendments) state[a.amendment] = a.status;
  for (const auto& [id, d] : sent) {
    const std::string want = status_of(d->decision);
    const auto e = events.find(id);
    const bool logged = e != events.end() && e->second[0] == want;
    const bool stored = state.count(id) && state.at(id) == want;
    if (d->acked) {
      if (!logged)
        f.lost.push_back("log: acknowledged decision " + want + " of amendment " + std::to_string(id) + " is missing");
      if (!stored)
        f.lost.push_back("amendments: amendment " + std::to_string(id) + " is " +
                         (state.count(id) ? state.at(id) : "missing") + ", acknowledged as " + want);
    } else if (settled && (logged || stored)) {
      f.unexplained.push_back("amendment " + std::to_string(id) + ": decided " + want + ", never acknowledged");
    }
  }
  for (const auto& [id, list] : events) {
    if (!sent.count(id))
      f.unexplained.push_back("log: amendment " + std::to_string(id) + " decided " + list[0] + ", never sent");
  }
  for (const auto& [id, status] : state) {
    if (!sent.count(id) && status != "proposed")
      f.unexplained.push_back("amendments: amendment " + std::to_string(id) + " is " + status + ", never decided");
  }
}

// Every event of `session`, in order, a page at a time.
std::vector<Event> all_events(Snapshot& snap, const std::string& session) {
  constexpr int64_t kPage = 10'000;
  std::vector<Event> out;
  for (;;) {
    std::vector<Event> page = snap.events().list(session, out.empty() ? 0 : out.back().seq, kPage);
    out.insert(out.end(), page.begin(), page.end());
    if (static_cast<int64_t>(page.size()) < kPage) return out;
  }
}

}  // namespace

void Ledger::append(const Ledger& other) {
  ballots.insert(ballots.end(), other.ballots.begin(), other.ballots.end());
  saves.insert(saves.end(), other.saves.begin(), other.saves.end());
  decisions.insert(decisions.end(), other.decisions.begin(), other.decisions.end());
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

Result<Stored> read_stored(const StoreOptions& store, const Tracked& tracked) {
  const std::set<int64_t> fragments(tracked.fragments.begin(), tracked.fragments.end());
  Stored out;
  // One snapshot: the ballots, the versions and the log as of one commit.
  Status st = read_existing(store, [&](Snapshot& snap) {
    for (const NamedBallot& b : snap.polls().named_ballots(tracked.poll)) {
      out.ballots.push_back({b.person, b.choice, b.receipt});
    }
    for (int64_t id : tracked.fragments) {
      for (const FragmentVersion& v : snap.fragments().versions(id)) out.versions.push_back({id, v.version, v.sha256});
    }
    for (int64_t id : tracked.amendments) {
      const std::optional<Amendment> a = snap.amendments().find(tracked.votes_session, id);
      if (a) out.amendments.push_back({id, amendment_status_name(a->status)});
    }
    const std::set<int64_t> amendments(tracked.amendments.begin(), tracked.amendments.end());
    for (const Event& e : all_events(snap, tracked.votes_session)) {
      if (e.type == "amendment_admitted" || e.type == "amendment_ruled_out") {
        const int64_t id = e.data.value("amendment", int64_t{0});
        if (amendments.count(id)) out.decision_events.push_back({id, e.type.substr(10)});
        continue;
      }
      if (e.type != "ballot_cast" || e.data.value("poll", int64_t{0}) != tracked.poll) continue;
      const int64_t voter = e.actor.rfind("person:", 0) == 0 ? std::stoll(e.actor.substr(7)) : -1;
      out.ballot_events.push_back({voter, e.data.value("choice", ""), e.data.value("receipt", "")});
    }
    for (const Event& e : all_events(snap, tracked.drafts_session)) {
      if (e.type != "fragment_created" && e.type != "fragment_revised") continue;
      const int64_t id = e.data.value("fragment", int64_t{0});
      if (fragments.count(id))
        out.version_events.push_back({id, e.data.value("version", int64_t{0}), e.data.value("sha256", "")});
    }
    return Status::ok();
  });
  if (!st.is_ok()) return st;
  return out;
}

std::map<std::string, int64_t> expected_counts(const Ledger& ledger) {
  std::map<int64_t, std::string> last;
  for (const BallotSent& b : ledger.ballots) {
    if (b.acked) last[b.voter] = b.choice;
  }
  std::map<std::string, int64_t> out{{"yes", 0}, {"no", 0}, {"abstain", 0}};
  for (const auto& [voter, choice] : last) ++out[choice];
  return out;
}

Findings check(const Ledger& ledger, const Stored& stored, bool settled) {
  Findings f;
  check_ballots(ledger, stored, settled, f);
  check_versions(ledger, stored.versions, "fragment_versions", settled, f);
  check_versions(ledger, stored.version_events, "log", settled, f);
  check_decisions(ledger, stored, settled, f);
  return f;
}

}  // namespace rapporteur::crash
