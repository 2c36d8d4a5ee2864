// Reading polls, and the API's view of one.
#include "rapporteur/polls.h"

#include "rapporteur/agenda.h"
#include "rapporteur/sessions.h"

namespace rapporteur {

Result<Poll> load_poll(Snapshot& snap, const std::string& session, int64_t id) {
  auto p = snap.polls().find(session, id);
  if (!p) return Status::not_found(poll_name(id) + ": no such poll");
  return *p;
}

std::vector<Poll> list_polls(Snapshot& snap, const std::string& session) { return snap.polls().list(session); }

std::optional<Poll> open_poll_of(Snapshot& snap, const std::string& session) {
  auto id = snap.polls().open_poll_id(session);
  if (!id) return std::nullopt;
  return snap.polls().find(session, *id);
}

nlohmann::json poll_to_json(Snapshot& snap, const Poll& p, const Session& session) {
  auto time = [&](int64_t t) { return t == 0 ? nlohmann::json(nullptr) : nlohmann::json(session_time(session, t)); };
  nlohmann::json j = {{"id", p.id},
                      {"subject", poll_subject_json(p)},
                      {"method", p.method},
                      {"rule", p.rule},
                      {"quorum", p.quorum ? nlohmann::json(*p.quorum) : nlohmann::json(nullptr)},
                      {"secret", p.secret},
                      {"closes_at", p.closes_at ? time(*p.closes_at) : nlohmann::json(nullptr)},
                      {"duration_seconds", p.duration_seconds ? nlohmann::json(*p.duration_seconds) : nlohmann::json(nullptr)},
                      {"hide_results", p.hide_results},
                      {"override_slot", p.override_slot},
                      {"reason", p.reason},
                      {"state", p.state},
                      {"opened_at", time(p.opened_at)},
                      {"closed_at", time(p.closed_at)},
                      {"eligible", p.opened_at == 0 ? nlohmann::json(nullptr) : nlohmann::json(p.eligible)},
                      {"cancelled_at", time(p.cancelled_at)},
                      {"result", p.result}};
  nlohmann::json counts = nullptr;
  if (p.state == PollState::open && p.hide_results) {
    // Hidden until the close, from everyone: how many have voted, no more.
    const auto c = p.secret ? snap.polls().secret_counts(p.id) : snap.polls().named_counts(p.id);
    counts = {{"cast", c.yes + c.no + c.abstain}};
  } else if (p.state == PollState::open || p.state == PollState::closed) {
    if (p.method == Method::show_of_hands) {
      if (p.hands_yes) counts = {{"yes", *p.hands_yes}, {"no", *p.hands_no}, {"abstain", *p.hands_abstain}};
    } else if (p.method == Method::consensus) {
      counts = {{"objections", snap.polls().objections(p.id)}};
    } else if (p.secret) {
      const auto c = snap.polls().secret_counts(p.id);
      // While open a secret poll shows only how many have voted.
      counts = p.state == PollState::closed ? nlohmann::json{{"yes", c.yes}, {"no", c.no}, {"abstain", c.abstain}}
                                   : nlohmann::json{{"cast", c.yes + c.no + c.abstain}};
    } else {
      const auto c = snap.polls().named_counts(p.id);
      counts = {{"yes", c.yes}, {"no", c.no}, {"abstain", c.abstain}};
    }
  }
  j["counts"] = counts;
  if (p.state == PollState::closed && p.method == Method::electronic) {
    if (p.secret) {
      j["receipts"] = snap.polls().secret_receipts(p.id);
    } else {
      nlohmann::json ballots = nlohmann::json::array();
      for (const auto& b : snap.polls().named_ballots(p.id)) {
        ballots.push_back({{"person", b.person}, {"name", b.name}, {"choice", b.choice}, {"receipt", b.receipt}});
      }
      j["ballots"] = ballots;
    }
  }
  return j;
}

}  // namespace rapporteur
