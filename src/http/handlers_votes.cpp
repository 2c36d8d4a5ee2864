#include "domain/sessions/fields.h"
#include "http/handlers.h"
#include "rapporteur/amendments.h"
#include "rapporteur/polls.h"
#include "rapporteur/sessions.h"

namespace rapporteur::http {
namespace {

// Loads the session inside the write and runs `fn` with it.
Result<Reply> session_write(Ctx& ctx, int status,
                            const std::function<Result<nlohmann::json>(Tx&, const Session&)>& fn) {
  const std::string sid = ctx.param("sid");
  return ctx.write(status, [&](Tx& tx) -> Result<nlohmann::json> {
    RAPPORTEUR_ASSIGN_OR_RETURN(auto s, load_session(tx, sid));
    return fn(tx, s);
  });
}

Result<nlohmann::json> amendment_reply(Tx& tx, const Amendment& a) {
  return amendment_to_json(a, rapporteur::list_amendments(tx, a.session), true);
}

Result<nlohmann::json> poll_reply(Tx& tx, const Poll& p, const Session& s) { return poll_to_json(tx, p, s); }

}  // namespace

Result<Reply> post_phase(Ctx& ctx) {
  RAPPORTEUR_ASSIGN_OR_RETURN(auto body, ctx.json_body());
  RAPPORTEUR_RETURN_IF_ERROR(fields::only_members(body, {"phase"}));
  RAPPORTEUR_ASSIGN_OR_RETURN(auto name, fields::required_string(body, "phase", 32));
  const std::optional<SessionPhase> phase = parse_session_phase(name);
  const int64_t now = ctx.app.now_ms();
  return session_write(ctx, 200, [&](Tx& tx, const Session& s) -> Result<nlohmann::json> {
    // An unknown name is refused after the same checks as drafting: a
    // missing session is not_found and an adopted one a conflict first.
    if (!phase) {
      RAPPORTEUR_RETURN_IF_ERROR(require_not_adopted(s));
      return phase_not_allowed(name);
    }
    RAPPORTEUR_ASSIGN_OR_RETURN(auto out, change_phase(tx, s, *phase, now, ctx.principal.actor()));
    return session_to_json(out);
  });
}

Result<Reply> post_amendment(Ctx& ctx) {
  RAPPORTEUR_ASSIGN_OR_RETURN(auto body, ctx.json_body(256 * 1024));
  RAPPORTEUR_ASSIGN_OR_RETURN(auto a, parse_amendment(body));
  const int64_t now = ctx.app.now_ms();
  return session_write(ctx, 201, [&](Tx& tx, const Session& s) -> Result<nlohmann::json> {
    RAPPORTEUR_ASSIGN_OR_RETURN(auto created, propose_amendment(tx, s, ctx.principal.person, a, now));
    return amendment_reply(tx, created);
  });
}

Result<Reply> list_amendments(Ctx& ctx) {
  const std::string sid = ctx.param("sid");
  RAPPORTEUR_ASSIGN_OR_RETURN(auto out,
                              ctx.app.store().read<nlohmann::json>([&](Snapshot& snap) -> Result<nlohmann::json> {
                                RAPPORTEUR_ASSIGN_OR_RETURN(auto s, load_session(snap, sid));
                                auto all = rapporteur::list_amendments(snap, sid);
                                nlohmann::json list = nlohmann::json::array();
                                for (const auto& a : all) list.push_back(amendment_to_json(a, all, false));
                                return list;
                              }));
  return Reply::json(200, out);
}

Result<Reply> get_amendment(Ctx& ctx) {
  RAPPORTEUR_ASSIGN_OR_RETURN(auto id, ctx.id_param("aid", "amendment"));
  const std::string sid = ctx.param("sid");
  RAPPORTEUR_ASSIGN_OR_RETURN(auto out,
                              ctx.app.store().read<nlohmann::json>([&](Snapshot& snap) -> Result<nlohmann::json> {
                                RAPPORTEUR_ASSIGN_OR_RETURN(auto s, load_session(snap, sid));
                                RAPPORTEUR_ASSIGN_OR_RETURN(auto a, load_amendment(snap, sid, id));
                                return amendment_to_json(a, rapporteur::list_amendments(snap, sid), true);
                              }));
  return Reply::json(200, out);
}

Result<Reply> post_amendment_withdraw(Ctx& ctx) {
  RAPPORTEUR_ASSIGN_OR_RETURN(auto id, ctx.id_param("aid", "amendment"));
  const int64_t now = ctx.app.now_ms();
  return session_write(ctx, 200, [&](Tx& tx, const Session& s) -> Result<nlohmann::json> {
    RAPPORTEUR_ASSIGN_OR_RETURN(auto a, withdraw_amendment(tx, s, id, ctx.principal.person, now));
    return amendment_reply(tx, a);
  });
}

Result<Reply> post_amendment_decision(Ctx& ctx) {
  RAPPORTEUR_ASSIGN_OR_RETURN(auto id, ctx.id_param("aid", "amendment"));
  RAPPORTEUR_ASSIGN_OR_RETURN(auto body, ctx.json_body());
  RAPPORTEUR_RETURN_IF_ERROR(fields::only_members(body, {"decision", "reason"}));
  RAPPORTEUR_ASSIGN_OR_RETURN(auto decision, fields::required_string(body, "decision", 16));
  if (decision != "admit" && decision != "rule_out") {
    return Status::invalid("decision: \"" + decision + "\" is not admit or rule_out", "decision");
  }
  RAPPORTEUR_ASSIGN_OR_RETURN(auto reason, fields::optional_string(body, "reason", kMaxRationale));
  const int64_t now = ctx.app.now_ms();
  return session_write(ctx, 200, [&](Tx& tx, const Session& s) -> Result<nlohmann::json> {
    RAPPORTEUR_ASSIGN_OR_RETURN(auto a, decide_amendment(tx, s, id, decision, reason, now, ctx.principal.actor()));
    return amendment_reply(tx, a);
  });
}

Result<Reply> post_poll(Ctx& ctx) {
  RAPPORTEUR_ASSIGN_OR_RETURN(auto body, ctx.json_body());
  RAPPORTEUR_ASSIGN_OR_RETURN(auto p, parse_poll(body));
  const int64_t now = ctx.app.now_ms();
  return session_write(ctx, 201, [&](Tx& tx, const Session& s) -> Result<nlohmann::json> {
    RAPPORTEUR_ASSIGN_OR_RETURN(auto created, create_poll(tx, s, p, now, ctx.principal.actor()));
    return poll_reply(tx, created, s);
  });
}

Result<Reply> list_polls(Ctx& ctx) {
  const std::string sid = ctx.param("sid");
  RAPPORTEUR_ASSIGN_OR_RETURN(auto out,
                              ctx.app.store().read<nlohmann::json>([&](Snapshot& snap) -> Result<nlohmann::json> {
                                RAPPORTEUR_ASSIGN_OR_RETURN(auto s, load_session(snap, sid));
                                nlohmann::json list = nlohmann::json::array();
                                for (const auto& p : rapporteur::list_polls(snap, sid))
                                  list.push_back(poll_to_json(snap, p, s));
                                return list;
                              }));
  return Reply::json(200, out);
}

Result<Reply> get_poll(Ctx& ctx) {
  RAPPORTEUR_ASSIGN_OR_RETURN(auto id, ctx.id_param("poll", "poll"));
  const std::string sid = ctx.param("sid");
  RAPPORTEUR_ASSIGN_OR_RETURN(auto out,
                              ctx.app.store().read<nlohmann::json>([&](Snapshot& snap) -> Result<nlohmann::json> {
                                RAPPORTEUR_ASSIGN_OR_RETURN(auto s, load_session(snap, sid));
                                RAPPORTEUR_ASSIGN_OR_RETURN(auto p, load_poll(snap, sid, id));
                                return poll_to_json(snap, p, s);
                              }));
  return Reply::json(200, out);
}

Result<Reply> post_poll_open(Ctx& ctx) {
  RAPPORTEUR_ASSIGN_OR_RETURN(auto id, ctx.id_param("poll", "poll"));
  const int64_t now = ctx.app.now_ms();
  return session_write(ctx, 200, [&](Tx& tx, const Session& s) -> Result<nlohmann::json> {
    RAPPORTEUR_ASSIGN_OR_RETURN(auto p, open_poll(tx, s, id, now, ctx.principal.actor()));
    return poll_reply(tx, p, s);
  });
}

Result<Reply> post_poll_cancel(Ctx& ctx) {
  RAPPORTEUR_ASSIGN_OR_RETURN(auto id, ctx.id_param("poll", "poll"));
  const int64_t now = ctx.app.now_ms();
  return session_write(ctx, 200, [&](Tx& tx, const Session& s) -> Result<nlohmann::json> {
    RAPPORTEUR_ASSIGN_OR_RETURN(auto p, cancel_poll(tx, s, id, now, ctx.principal.actor()));
    return poll_reply(tx, p, s);
  });
}

Result<Reply> post_poll_close(Ctx& ctx) {
  RAPPORTEUR_ASSIGN_OR_RETURN(auto id, ctx.id_param("poll", "poll"));
  const int64_t now = ctx.app.now_ms();
  return session_write(ctx, 200, [&](Tx& tx, const Session& s) -> Result<nlohmann::json> {
    RAPPORTEUR_ASSIGN_OR_RETURN(auto p, close_poll(tx, s, id, now, ctx.principal.actor()));
    return poll_reply(tx, p, s);
  });
}

Result<Reply> post_poll_count(Ctx& ctx) {
  RAPPORTEUR_ASSIGN_OR_RETURN(auto id, ctx.id_param("poll", "poll"));
  RAPPORTEUR_ASSIGN_OR_RETURN(auto body, ctx.json_body());
  RAPPORTEUR_RETURN_IF_ERROR(fields::only_members(body, {"yes", "no", "abstain"}));
  int64_t n[3];
  const char* names[3] = {"yes", "no", "abstain"};
  for (int i = 0; i < 3; ++i) {
    RAPPORTEUR_ASSIGN_OR_RETURN(auto v, fields::required_int(body, names[i], 0, 10'000'000));
    n[i] = v;
  }
  const int64_t now = ctx.app.now_ms();
  return session_write(ctx, 200, [&](Tx& tx, const Session& s) -> Result<nlohmann::json> {
    RAPPORTEUR_ASSIGN_OR_RETURN(auto p, enter_counts(tx, s, id, n[0], n[1], n[2], now, ctx.principal.actor()));
    return poll_reply(tx, p, s);
  });
}

Result<Reply> post_poll_objection(Ctx& ctx) {
  RAPPORTEUR_ASSIGN_OR_RETURN(auto id, ctx.id_param("poll", "poll"));
  const int64_t now = ctx.app.now_ms();
  return session_write(ctx, 200, [&](Tx& tx, const Session& s) -> Result<nlohmann::json> {
    RAPPORTEUR_ASSIGN_OR_RETURN(auto p, record_objection(tx, s, id, ctx.principal.person, now));
    return nlohmann::json{{"poll", p.id}, {"objection", "recorded"}};
  });
}

Result<Reply> post_ballot(Ctx& ctx) {
  RAPPORTEUR_ASSIGN_OR_RETURN(auto id, ctx.id_param("poll", "poll"));
  RAPPORTEUR_ASSIGN_OR_RETURN(auto body, ctx.json_body());
  if (body.is_object() && body.contains("receipt")) {
    // The receipt is published at the close: it proves a ballot was counted
    // and must give no one the power to change it.
    return Status::invalid("receipt: a ballot is not changed with its receipt; a secret ballot is changed with the "
                           "change_code its voter received",
                           "receipt");
  }
  RAPPORTEUR_RETURN_IF_ERROR(fields::only_members(body, {"choice", "change_code"}));
  RAPPORTEUR_ASSIGN_OR_RETURN(auto choice, fields::required_string(body, "choice", 16));
  if (choice != "yes" && choice != "no" && choice != "abstain") {
    return Status::invalid("choice: \"" + choice + "\" is not yes, no or abstain", "choice");
  }
  RAPPORTEUR_ASSIGN_OR_RETURN(auto change_code, fields::optional_string(body, "change_code", 64));
  const std::string sid = ctx.param("sid");
  const int64_t now = ctx.app.now_ms();
  auto cast = [&](Tx& tx) -> Result<nlohmann::json> {
    // cast_ballot needs the session's phase only.
    RAPPORTEUR_ASSIGN_OR_RETURN(auto s, load_session_row(tx, sid));
    RAPPORTEUR_ASSIGN_OR_RETURN(auto r, cast_ballot(tx, s, id, ctx.principal.person, choice, change_code, now));
    nlohmann::json out{{"poll", id}, {"choice", r.choice}, {"receipt", r.receipt}, {"replaced", r.replaced}};
    if (!r.change_code.empty()) out["change_code"] = r.change_code;
    return out;
  };
  // A secret poll's reply must not be remembered under the voter's name, so
  // Idempotency-Key is not honoured there; a retry answers 409 "already
  // counted" and the vote stands. Decided inside the write job: a ballot
  // needs no read transaction of its own.
  return ctx.write(
      200,
      [&](Tx& tx) {
        auto p = load_poll(tx, sid, id);
        return !p || !p->secret;
      },
      cast);
}

}  // namespace rapporteur::http
