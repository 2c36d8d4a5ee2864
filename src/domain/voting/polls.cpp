#include "rapporteur/polls.h"

#include "rapporteur/agenda.h"
#include "rapporteur/amendments.h"
#include "rapporteur/crypto.h"
#include "rapporteur/drafts.h"
#include "rapporteur/sessions.h"

namespace rapporteur {
namespace {

Result<Poll> load_for_write(Tx& tx, const Session& session, int64_t id) {
  RAPPORTEUR_RETURN_IF_ERROR(require_not_adopted(session));
  auto p = tx.polls().find(session.id, id);
  if (!p) return Status::not_found(poll_name(id) + ": no such poll");
  return *p;
}

Status require_open(const Poll& p, int64_t now) {
  if (p.state != PollState::open) {
    return Status::conflict(poll_name(p.id) + ": not open (it is " + poll_state_name(p.state) + ")");
  }
  if (p.closes_at && now >= *p.closes_at) return Status::conflict(poll_name(p.id) + ": its closing time has passed");
  return Status::ok();
}

// Where `now` stands against the adoption slot.
enum class SlotPlace { none, before, inside, after };

struct SlotCheck {
  SlotPlace place = SlotPlace::none;
  std::string span;  // "12:15-12:30, Africa/Nairobi", or "none"
};

SlotCheck check_slot(const Session& session, int64_t now) {
  SlotCheck out;
  const Slot* slot = session.adoption_slot();
  if (!slot) {
    out.span = "the agenda has none";
    return out;
  }
  out.span = slot->start + "-" + slot->end + ", " + session.timezone;
  auto t = slot_times(session, *slot);
  if (!t) return out;
  out.place = now < t->start_ms ? SlotPlace::before : now < t->end_ms ? SlotPlace::inside : SlotPlace::after;
  return out;
}

// Applies an adopted result to the poll's subject.
Status apply_result(Tx& tx, const Session& session, const Poll& p, const std::string& outcome, int64_t now,
                    const std::string& actor) {
  if (p.subject_kind == PollSubject::amendment) {
    auto a = tx.amendments().find(session.id, p.subject_id);
    if (!a) return Status::internal("amendment of " + poll_name(p.id) + " vanished");
    if (outcome == "adopted") {
      Edit edit{a->kind, a->target, a->text};
      RAPPORTEUR_ASSIGN_OR_RETURN(auto draft, create_amended_draft(tx, session, a->id, edit, now, actor));
      tx.amendments().set_status(a->id, AmendmentStatus::adopted, "", now, draft.n);
      if (a->kind != AmendmentKind::insert_after) outdate_amendments(tx, session.id, a->target, a->id, now);
    } else if (outcome == "rejected") {
      tx.amendments().set_status(a->id, AmendmentStatus::rejected, "", now, 0);
    } else {
      tx.amendments().set_status(a->id, AmendmentStatus::admitted, "no quorum", now, 0);  // may be voted again
    }
    return Status::ok();
  }
  if (outcome == "adopted") {
    auto draft = tx.drafts().find(session.id, static_cast<int>(p.subject_id));
    if (!draft) return Status::internal("draft of " + poll_name(p.id) + " vanished");
    tx.drafts().set_final(session.id, draft->n);
    tx.sessions().set_phase(session.id, SessionPhase::adopted);
    tx.events().append(session.id, now, actor, "session_adopted",
                        {{"draft", draft->n}, {"sha256", draft->sha256}, {"poll", p.id}});
  }
  return Status::ok();
}

}  // namespace

Result<Poll> create_poll(Tx& tx, const Session& session, Poll p, int64_t now, const std::string& actor) {
  RAPPORTEUR_RETURN_IF_ERROR(require_not_adopted(session));
  if (session.phase != SessionPhase::amending) {
    return Status::conflict("session \"" + session.id + "\": polls belong to the amending phase (phase is " +
                            session_phase_name(session.phase) + ")");
  }
  if (p.closes_at && *p.closes_at <= now) {
    return Status::invalid("closes_at: " + session_time(session, *p.closes_at) + " is already past", "closes_at");
  }
  if (!p.override_slot) {
    const SlotCheck slot = check_slot(session, now);
    if (slot.place == SlotPlace::after || slot.place == SlotPlace::none) {
      const std::string where = slot.place == SlotPlace::none
                                    ? "polls open in the adoption slot, and " + slot.span
                                    : "polls open in the adoption slot (" + slot.span + "), which has ended";
      return Status::outside_slot("poll: " + where + "; it is " + session_time(session, now) +
                                  ". A poll outside the slot needs the president's override and a reason.");
    }
  }
  if (p.subject_kind == PollSubject::amendment) {
    auto a = tx.amendments().find(session.id, p.subject_id);
    if (!a) return Status::not_found("amendment " + std::to_string(p.subject_id) + ": no such amendment");
    if (a->status != AmendmentStatus::admitted) {
      return Status::conflict("amendment " + std::to_string(a->id) + ": is " + amendment_status_name(a->status) +
                              "; only an admitted amendment is put to the vote");
    }
  } else {
    const int current = tx.drafts().latest(session.id);
    if (p.subject_id != current) {
      return Status::conflict("draft " + std::to_string(p.subject_id) + ": only the current draft (" +
                              std::to_string(current) + ") can be adopted");
    }
  }
  p.session = session.id;
  p.state = PollState::pending;
  p.created_by = actor;
  p.created_at = now;
  p.id = tx.polls().insert(p);
  tx.events().append(session.id, now, actor, "poll_created",
                      {{"poll", p.id},
                       {"subject", poll_subject_json(p)},
                       {"method", p.method},
                       {"rule", p.rule},
                       {"quorum", p.quorum ? nlohmann::json(*p.quorum) : nlohmann::json(nullptr)},
                       {"secret", p.secret},
                       {"closes_at", p.closes_at ? nlohmann::json(*p.closes_at) : nlohmann::json(nullptr)},
                       {"duration_seconds", p.duration_seconds ? nlohmann::json(*p.duration_seconds) : nlohmann::json(nullptr)},
                       {"hide_results", p.hide_results},
                       {"override_slot", p.override_slot},
                       {"reason", p.reason}});
  return p;
}

Result<Poll> cancel_poll(Tx& tx, const Session& session, int64_t id, int64_t now, const std::string& actor) {
  RAPPORTEUR_ASSIGN_OR_RETURN(auto p, load_for_write(tx, session, id));
  if (p.state != PollState::pending) {
    return Status::conflict(poll_name(id) + ": only a poll that was never opened can be cancelled (it is " +
                            poll_state_name(p.state) + ")");
  }
  if (!tx.polls().mark_cancelled(id, now)) return Status::conflict(poll_name(id) + ": no longer pending");
  p.state = PollState::cancelled;
  p.cancelled_at = now;
  tx.events().append(session.id, now, actor, "poll_cancelled", {{"poll", id}, {"subject", poll_subject_json(p)}});
  return p;
}

Result<Poll> open_poll(Tx& tx, const Session& session, int64_t id, int64_t now, const std::string& actor) {
  RAPPORTEUR_ASSIGN_OR_RETURN(auto p, load_for_write(tx, session, id));
  if (p.state != PollState::pending) return Status::conflict(poll_name(id) + ": already " + poll_state_name(p.state));
  if (auto other = tx.polls().open_poll_id(session.id)) {
    return Status::conflict(poll_name(id) + ": " + poll_name(*other) + " is still open; close it first");
  }
  const SlotCheck slot = check_slot(session, now);
  const bool inside = slot.place == SlotPlace::inside;
  if (!inside && !p.override_slot) {
    return Status::outside_slot(poll_name(id) + ": polls open in the adoption slot (" + slot.span + "); it is " +
                                session_time(session, now) +
                                (slot.place == SlotPlace::before
                                     ? ". It can be opened once the slot starts."
                                     : ". The slot is over: cancel this poll; a poll outside the slot needs the "
                                       "president's override and a reason."));
  }
  if (p.closes_at && *p.closes_at <= now) return Status::conflict(poll_name(id) + ": its closing time has passed");
  if (p.subject_kind == PollSubject::amendment) {
    auto a = tx.amendments().find(session.id, p.subject_id);
    if (!a || a->status != AmendmentStatus::admitted) {
      return Status::conflict(poll_name(id) + ": its amendment is " + (a ? amendment_status_name(a->status) : "gone"));
    }
    tx.amendments().set_status(a->id, AmendmentStatus::voting, "", 0, 0);
  } else if (p.subject_id != tx.drafts().latest(session.id)) {
    return Status::conflict(poll_name(id) + ": draft " + std::to_string(p.subject_id) +
                            " is no longer the current draft");
  }
  const int64_t eligible = tx.polls().snapshot_voters(id, session.id);
  std::optional<int64_t> closes_at;
  if (p.duration_seconds) closes_at = now + *p.duration_seconds * 1000;
  tx.polls().mark_open(id, now, eligible, closes_at);
  p.state = PollState::open;
  p.opened_at = now;
  p.eligible = eligible;
  if (closes_at) p.closes_at = closes_at;
  nlohmann::json ev = {{"poll", id}, {"eligible", eligible}, {"inside_slot", inside}};
  if (closes_at) ev["closes_at"] = *closes_at;
  if (!inside) {
    ev["override_slot"] = true;
    ev["reason"] = p.reason;
  }
  tx.events().append(session.id, now, actor, "poll_opened", ev);
  return p;
}

Result<BallotReceipt> cast_ballot(Tx& tx, const Session& session, int64_t poll, const Person& voter,
                                  const std::string& choice, const std::string& change_code, int64_t now) {
  RAPPORTEUR_ASSIGN_OR_RETURN(auto p, load_for_write(tx, session, poll));
  RAPPORTEUR_RETURN_IF_ERROR(require_open(p, now));
  if (p.method != Method::electronic) {
    return Status::conflict(poll_name(poll) + ": a " + method_name(p.method) + " poll takes no electronic ballots");
  }
  const Status not_a_voter =
      Status::forbidden(poll_name(poll) + ": you were not a participant with a voting right when it opened");
  BallotReceipt out{random_token(16), choice, false, ""};
  if (!p.secret) {
    // The voting right is checked as the ballot is written.
    const NamedCast cast = tx.polls().cast_named_ballot(poll, voter.id, choice, out.receipt, now);
    if (cast == NamedCast::not_a_voter) return not_a_voter;
    out.replaced = cast == NamedCast::replaced;
    nlohmann::json ev = {{"poll", poll}, {"receipt", out.receipt}, {"replaced", out.replaced}};
    // The log is read while the poll runs: a poll that hides its results
    // keeps the choices out of it until the close (poll_closed lists them).
    if (!p.hide_results) ev["choice"] = choice;
    tx.events().append(session.id, now, "person:" + std::to_string(voter.id), "ballot_cast", ev);
    return out;
  }
  if (!tx.polls().is_voter(poll, voter.id)) return not_a_voter;
  out.change_code = random_token(16);
  if (tx.polls().has_voted_secretly(poll, voter.id)) {
    if (change_code.empty()) {
      return Status::conflict(poll_name(poll) +
                              ": your secret ballot is already counted; to change it, vote again from the device "
                              "that cast it (it holds the ballot's change code)");
    }
    if (!tx.polls().remove_secret_ballot(poll, sha256_hex(change_code))) {
      return Status::conflict(poll_name(poll) + ": this change code belongs to no ballot of the poll; your secret "
                                                "ballot is counted as it was");
    }
    out.replaced = true;
  } else {
    tx.polls().mark_voted_secretly(poll, voter.id);
  }
  tx.polls().insert_secret_ballot(poll, out.receipt, choice, sha256_hex(out.change_code));
  // No actor and no choice: nothing in the log links a person to a choice.
  tx.events().append(session.id, now, "", "secret_ballot_cast", {{"poll", poll}});
  return out;
}

Result<Poll> enter_counts(Tx& tx, const Session& session, int64_t poll, int64_t yes, int64_t no, int64_t abstain,
                          int64_t now, const std::string& actor) {
  RAPPORTEUR_ASSIGN_OR_RETURN(auto p, load_for_write(tx, session, poll));
  RAPPORTEUR_RETURN_IF_ERROR(require_open(p, now));
  if (p.method != Method::show_of_hands)
    return Status::conflict(poll_name(poll) + ": counts are entered for show_of_hands polls only");
  if (yes + no + abstain > p.eligible) {
    return Status::invalid("counts: " + std::to_string(yes + no + abstain) + " hands is more than the " +
                           std::to_string(p.eligible) + " eligible voters");
  }
  tx.polls().set_counts(poll, yes, no, abstain);
  p.hands_yes = yes;
  p.hands_no = no;
  p.hands_abstain = abstain;
  tx.events().append(session.id, now, actor, "counts_entered",
                      {{"poll", poll}, {"yes", yes}, {"no", no}, {"abstain", abstain}});
  return p;
}

Result<Poll> record_objection(Tx& tx, const Session& session, int64_t poll, const Person& person, int64_t now) {
  RAPPORTEUR_ASSIGN_OR_RETURN(auto p, load_for_write(tx, session, poll));
  RAPPORTEUR_RETURN_IF_ERROR(require_open(p, now));
  if (p.method != Method::consensus)
    return Status::conflict(poll_name(poll) + ": objections belong to consensus polls");
  if (!tx.polls().is_voter(poll, person.id)) {
    return Status::forbidden(poll_name(poll) + ": you were not a participant with a voting right when it opened");
  }
  if (tx.polls().add_objection(poll, person.id, now)) {
    tx.events().append(session.id, now, "person:" + std::to_string(person.id), "objection", {{"poll", poll}});
  }
  return p;
}

Result<Poll> close_poll(Tx& tx, const Session& session, int64_t poll, int64_t now, const std::string& actor) {
  RAPPORTEUR_ASSIGN_OR_RETURN(auto p, load_for_write(tx, session, poll));
  if (p.state != PollState::open) {
    return Status::conflict(poll_name(poll) + ": not open (it is " + poll_state_name(p.state) + ")");
  }
  TallyInput in;
  in.method = p.method;
  in.rule = p.rule;
  in.eligible = p.eligible;
  in.quorum = p.quorum;
  if (p.method == Method::show_of_hands) {
    if (!p.hands_yes) return Status::conflict(poll_name(poll) + ": enter the show-of-hands counts before closing");
    in.yes = *p.hands_yes;
    in.no = *p.hands_no;
    in.abstain = *p.hands_abstain;
  } else if (p.method == Method::consensus) {
    in.objections = tx.polls().objections(poll);
  } else {
    const auto c = p.secret ? tx.polls().secret_counts(poll) : tx.polls().named_counts(poll);
    in.yes = c.yes;
    in.no = c.no;
    in.abstain = c.abstain;
  }
  const TallyResult r = tally(in);
  nlohmann::json result = {{"outcome", r.outcome}, {"yes", r.yes},   {"no", r.no},
                           {"abstain", r.abstain}, {"cast", r.cast}, {"eligible", r.eligible}};
  if (p.method == Method::consensus) result["objections"] = in.objections;
  tx.polls().mark_closed(poll, now, result);
  if (p.secret) {
    // Once closed, nothing in the file may tell in which order the ballots
    // and the voters' marks were written: the rows are rewritten in key
    // order and the log that held them frame by frame is emptied.
    tx.polls().rebuild_secret_tables();
    tx.wipe_wal = true;
  }
  p.state = PollState::closed;
  p.closed_at = now;
  p.result = result;
  nlohmann::json ev = {{"poll", poll}, {"subject", poll_subject_json(p)}, {"result", result}};
  if (p.hide_results && !p.secret) {
    nlohmann::json ballots = nlohmann::json::array();
    for (const auto& b : tx.polls().named_ballots(poll)) ballots.push_back({{"person", b.person}, {"choice", b.choice}});
    ev["ballots"] = std::move(ballots);
  }
  tx.events().append(session.id, now, actor, "poll_closed", ev);
  RAPPORTEUR_RETURN_IF_ERROR(apply_result(tx, session, p, r.outcome, now, actor));
  return p;
}

int close_due_polls(Store& store, int64_t now) {
  auto due = store.read<std::vector<std::pair<std::string, int64_t>>>(
      [&](Snapshot& snap) -> Result<std::vector<std::pair<std::string, int64_t>>> { return snap.polls().due(now); });
  if (!due) return 0;
  int closed = 0;
  for (const auto& item : *due) {
    const std::string& sid = item.first;
    const int64_t id = item.second;
    auto r = store.write<bool>([&](Tx& tx) -> Result<bool> {
      RAPPORTEUR_ASSIGN_OR_RETURN(auto s, load_session(tx, sid));
      auto p = tx.polls().find(sid, id);
      if (!p || p->state != PollState::open) return false;  // closed meanwhile
      // Closed at its announced time.
      RAPPORTEUR_RETURN_IF_ERROR(close_poll(tx, s, id, *p->closes_at, "system").status());
      return true;
    });
    if (r.ok() && *r) ++closed;
  }
  return closed;
}

}  // namespace rapporteur
