#include "http/cookies.h"
#include "http/handlers.h"
#include "rapporteur/agenda.h"
#include "rapporteur/crypto.h"
#include "rapporteur/live.h"
#include "rapporteur/sessions.h"
#include "rapporteur/text.h"

namespace rapporteur::http {
namespace {

constexpr size_t kMaxSessionBody = 4 * 1024 * 1024;  // 20,000 people fit

nlohmann::json created_person_json(const App& app, const CreatedPerson& p) {
  nlohmann::json j = person_to_json(p.person);
  j["token"] = p.token;
  j["join_url"] = app.join_url(p.token);
  return j;
}

}  // namespace

Result<Reply> post_session(Ctx& ctx) {
  RAPPORTEUR_ASSIGN_OR_RETURN(auto body, ctx.json_body(kMaxSessionBody));
  RAPPORTEUR_ASSIGN_OR_RETURN(auto spec, parse_session_spec(body));
  const int64_t now = ctx.app.now_ms();
  const std::string actor = ctx.principal.actor();
  return ctx.write(201, [&](Tx& tx) -> Result<nlohmann::json> {
    RAPPORTEUR_ASSIGN_OR_RETURN(auto created, create_session(tx, spec, now, actor));
    nlohmann::json j = session_to_json(created.session);
    nlohmann::json people = nlohmann::json::array();
    for (const auto& p : created.people) people.push_back(created_person_json(ctx.app, p));
    j["people"] = std::move(people);
    return j;
  });
}

Result<Reply> list_sessions(Ctx& ctx) {
  RAPPORTEUR_ASSIGN_OR_RETURN(
      auto list, ctx.app.store().read<std::vector<Session>>(
                     [](Snapshot& snap) -> Result<std::vector<Session>> { return rapporteur::list_sessions(snap); }));
  nlohmann::json out = nlohmann::json::array();
  for (const Session& s : list) {
    out.push_back({{"id", s.id}, {"title", s.title}, {"date", s.date}, {"phase", s.phase}});
  }
  return Reply::json(200, out);
}

Result<Reply> get_session(Ctx& ctx) {
  RAPPORTEUR_ASSIGN_OR_RETURN(auto s, ctx.session());
  RAPPORTEUR_ASSIGN_OR_RETURN(auto live, live_state(ctx.app, s.id));
  nlohmann::json j = session_to_json(s);
  j["current_draft"] = (live)["current_draft"];
  j["now"] = session_time(s, ctx.app.now_ms());
  auto slot = current_slot(s, ctx.app.now_ms());
  j["current_slot"] = slot ? nlohmann::json(slot->id) : nlohmann::json(nullptr);
  if (const Slot* adoption = s.adoption_slot()) {
    if (auto t = slot_times(s, *adoption)) {
      j["adoption_slot"] = {
          {"id", adoption->id}, {"start", session_time(s, t->start_ms)}, {"end", session_time(s, t->end_ms)}};
    }
  }
  return Reply::json(200, j);
}

Result<Reply> list_people(Ctx& ctx) {
  const std::string sid = ctx.param("sid");
  RAPPORTEUR_ASSIGN_OR_RETURN(
      auto people, ctx.app.store().read<std::vector<Person>>([&](Snapshot& snap) -> Result<std::vector<Person>> {
        return rapporteur::list_people(snap, sid);
      }));
  nlohmann::json out = nlohmann::json::array();
  for (const Person& p : people) out.push_back(person_to_json(p));
  return Reply::json(200, out);
}

Result<Reply> post_person(Ctx& ctx) {
  RAPPORTEUR_ASSIGN_OR_RETURN(auto body, ctx.json_body());
  RAPPORTEUR_ASSIGN_OR_RETURN(auto s, ctx.session());
  RAPPORTEUR_ASSIGN_OR_RETURN(auto spec, parse_person_spec(body, s, ""));
  const int64_t now = ctx.app.now_ms();
  const std::string actor = ctx.principal.actor();
  return ctx.write(201, [&](Tx& tx) -> Result<nlohmann::json> {
    RAPPORTEUR_ASSIGN_OR_RETURN(auto fresh, load_session(tx, s.id));
    const Person* by = ctx.principal.kind == Principal::Kind::person ? &ctx.principal.person : nullptr;
    RAPPORTEUR_ASSIGN_OR_RETURN(auto created, add_person(tx, fresh, spec, by, now, actor));
    return created_person_json(ctx.app, created);
  });
}

Result<Reply> post_person_token(Ctx& ctx) {
  RAPPORTEUR_ASSIGN_OR_RETURN(auto pid, ctx.id_param("pid", "person"));
  const std::string sid = ctx.param("sid");
  const int64_t now = ctx.app.now_ms();
  const std::string actor = ctx.principal.actor();
  return ctx.write(200, [&](Tx& tx) -> Result<nlohmann::json> {
    RAPPORTEUR_ASSIGN_OR_RETURN(auto s, load_session(tx, sid));
    const Person* by = ctx.principal.kind == Principal::Kind::person ? &ctx.principal.person : nullptr;
    RAPPORTEUR_ASSIGN_OR_RETURN(auto created, reissue_token(tx, sid, pid, by, now, actor));
    return created_person_json(ctx.app, created);
  });
}

Result<Reply> get_me(Ctx& ctx) {
  if (ctx.principal.kind == Principal::Kind::admin) {
    return Reply::json(200, {{"person", nullptr}, {"session", nullptr}, {"roles", {"admin"}}, {"breakout", nullptr}});
  }
  const Person& p = ctx.principal.person;
  const int64_t now = ctx.app.now_ms();
  // Only write when the mark is missing or stale: /me is called on every page load.
  if (p.present_at == 0 || now - p.present_at >= 60'000) {
    RAPPORTEUR_RETURN_IF_ERROR(ctx.app.store()
                                   .write<bool>([&](Tx& tx) -> Result<bool> {
                                     RAPPORTEUR_RETURN_IF_ERROR(mark_present(tx, p, now));
                                     return true;
                                   })
                                   .status());
  }
  return Reply::json(200, {{"person", person_to_json(p)},
                           {"session", p.session},
                           {"roles", p.roles},
                           {"breakout", p.breakout.empty() ? nlohmann::json(nullptr) : nlohmann::json(p.breakout)}});
}

// Signs the browser out: its login cookie is removed. The token itself stays
// valid (the join link on the badge still works); replacing it is
// POST .../people/{pid}/token.
Result<Reply> post_logout(Ctx& ctx) {
  // "{}" like every bodyless action, so that a malformed request is told so.
  RAPPORTEUR_ASSIGN_OR_RETURN(auto body, ctx.json_body(1024));
  if (!body.empty()) {
    const std::string member = body.begin().key();
    return Status::invalid("request body: logout takes no members (\"" + member.substr(0, 40) + "\" given)", member);
  }
  Reply r = Reply::json(200, {{"logged_out", true}});
  r.headers.emplace_back("Set-Cookie", logout_cookie(ctx.app));
  r.headers.emplace_back("Cache-Control", "no-store");
  return r;
}

}  // namespace rapporteur::http
