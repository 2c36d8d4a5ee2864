#include "http/handlers.h"
#include "rapporteur/event_log.h"
#include "rapporteur/live.h"
#include "rapporteur/record.h"
#include "rapporteur/sessions.h"

namespace rapporteur::http {
namespace {
constexpr int64_t kMaxEventsPerPage = 1000;
}  // namespace

Result<Reply> get_log(Ctx& ctx) {
  const std::string sid = ctx.param("sid");
  int64_t after = 0;
  const std::string a = ctx.query("after");
  if (!a.empty()) {
    if (a.size() > 18 || a.find_first_not_of("0123456789") != std::string::npos) {
      return Status::bad_request("after: must be a non-negative integer", "after");
    }
    after = std::stoll(a);
  }
  RAPPORTEUR_ASSIGN_OR_RETURN(
      auto events, ctx.app.store().read<std::vector<Event>>([&](Snapshot& snap) -> Result<std::vector<Event>> {
        return read_log(snap, sid, after, kMaxEventsPerPage);
      }));
  nlohmann::json out = nlohmann::json::array();
  for (const Event& e : events) out.push_back(event_to_json(e));
  return Reply::json(200, out);
}

Result<Reply> get_log_verify(Ctx& ctx) {
  const std::string sid = ctx.param("sid");
  RAPPORTEUR_ASSIGN_OR_RETURN(auto check, ctx.app.store().read<RecordCheck>([&](Snapshot& snap) -> Result<RecordCheck> {
    return verify_record(snap, sid);
  }));
  return Reply::json(200, record_check_to_json(check));
}

Result<Reply> get_live(Ctx& ctx) {
  // From the per-commit cache: an unchanged state costs a string compare.
  RAPPORTEUR_ASSIGN_OR_RETURN(auto live, live_snapshot(ctx.app, ctx.param("sid")));
  const std::string& etag = live.etag;
  Reply r;
  r.headers.emplace_back("ETag", etag);
  r.headers.emplace_back("Cache-Control", "no-cache");
  if (ctx.header("If-None-Match") == etag) {
    r.status = 304;
    return r;
  }
  r.status = 200;
  r.body = live.state.dump();
  return r;
}

Result<Reply> get_stream(Ctx& ctx) {
  const std::string sid = ctx.param("sid");
  RAPPORTEUR_ASSIGN_OR_RETURN(auto first, live_state(ctx.app, sid));
  App* app = &ctx.app;
  Reply r;
  r.content_type = "text/event-stream";
  r.headers.emplace_back("Cache-Control", "no-cache");
  r.headers.emplace_back("X-Accel-Buffering", "no");
  r.stream = [app, sid](const std::function<bool(const std::string&)>& write) {
    uint64_t seen = app->live().version(sid);
    std::string last_etag;
    for (;;) {
      auto live = live_snapshot(*app, sid);
      if (!live) return false;
      const std::string& etag = live->etag;
      if (etag != last_etag) {
        if (!write("event: state\ndata: " + live->state.dump() + "\n\n")) return false;
        last_etag = etag;
      } else if (!write(": heartbeat\n\n")) {
        return false;
      }
      if (app->live().is_shut_down()) return false;
      seen = app->live().wait(sid, seen, app->options().heartbeat_ms);
      if (app->live().is_shut_down()) return false;
    }
  };
  return r;
}

}  // namespace rapporteur::http
