// Every route of the service: method, path, who may call it, handler.
// The access column is the one place roles are checked (http/router.cpp);
// rules that depend on the resource (a rapporteur's own breakout, an
// amendment's proposer) are checked by the domain.
#include "http/handlers.h"

namespace rapporteur::http {

const std::vector<Route>& routes() {
  static const std::vector<Route> kRoutes = {
      {"GET", "/healthz", Access::anyone, get_healthz},
      {"GET", "/metrics", Access::metrics, get_metrics},
      {"GET", "/api/v1/version", Access::anyone, get_version},
      {"GET", "/api/v1/openapi.json", Access::anyone, get_openapi},
      {"GET", "/join/{token}", Access::anyone, get_join},
      {"POST", "/api/v1/join", Access::anyone, post_join},
      {"GET", "/api/v1/me", Access::authenticated, get_me},
      {"POST", "/api/v1/logout", Access::anyone, post_logout},

      {"GET", "/api/v1/sessions", Access::anyone, list_sessions},
      {"POST", "/api/v1/sessions", Access::admin, post_session},
      {"GET", "/api/v1/sessions/{sid}", Access::observer, get_session},
      {"GET", "/api/v1/sessions/{sid}/people", Access::secretariat, list_people},
      {"POST", "/api/v1/sessions/{sid}/people", Access::secretariat, post_person},
      // Whoever holds a new token acts as that person: the chair's alone (and
      // never a voter's during a poll they may vote in, see reissue_token).
      {"POST", "/api/v1/sessions/{sid}/people/{pid}/token", Access::chair, post_person_token},

      // Breakout fragments: writes are member routes, the domain checks the breakout.
      {"GET", "/api/v1/sessions/{sid}/breakouts/{bid}/fragments", Access::member, list_fragments},
      {"POST", "/api/v1/sessions/{sid}/breakouts/{bid}/fragments", Access::member, post_fragment},
      {"GET", "/api/v1/sessions/{sid}/fragments/{fid}", Access::member, get_fragment},
      {"PUT", "/api/v1/sessions/{sid}/fragments/{fid}", Access::member, put_fragment},
      {"GET", "/api/v1/sessions/{sid}/fragments/{fid}/versions", Access::member, list_fragment_versions},
      {"GET", "/api/v1/sessions/{sid}/fragments/{fid}/versions/{n}", Access::member, get_fragment_version},
      {"GET", "/api/v1/sessions/{sid}/fragments/{fid}/diff", Access::member, get_fragment_diff},

      {"POST", "/api/v1/sessions/{sid}/phase", Access::president, post_phase},

      {"GET", "/api/v1/sessions/{sid}/drafts", Access::member, list_drafts},
      {"POST", "/api/v1/sessions/{sid}/drafts", Access::secretariat, post_draft},
      {"GET", "/api/v1/sessions/{sid}/drafts/{n}", Access::observer, get_draft},
      {"GET", "/api/v1/sessions/{sid}/drafts/{n}/diff", Access::member, get_draft_diff},

      {"GET", "/api/v1/sessions/{sid}/amendments", Access::member, list_amendments},
      {"POST", "/api/v1/sessions/{sid}/amendments", Access::participant, post_amendment},
      {"GET", "/api/v1/sessions/{sid}/amendments/{aid}", Access::member, get_amendment},
      {"POST", "/api/v1/sessions/{sid}/amendments/{aid}/withdraw", Access::participant, post_amendment_withdraw},
      {"POST", "/api/v1/sessions/{sid}/amendments/{aid}/decision", Access::president, post_amendment_decision},

      {"GET", "/api/v1/sessions/{sid}/polls", Access::member, list_polls},
      {"POST", "/api/v1/sessions/{sid}/polls", Access::president, post_poll},
      {"GET", "/api/v1/sessions/{sid}/polls/{poll}", Access::member, get_poll},
      {"POST", "/api/v1/sessions/{sid}/polls/{poll}/open", Access::president, post_poll_open},
      {"POST", "/api/v1/sessions/{sid}/polls/{poll}/close", Access::president, post_poll_close},
      {"POST", "/api/v1/sessions/{sid}/polls/{poll}/cancel", Access::president, post_poll_cancel},
      {"POST", "/api/v1/sessions/{sid}/polls/{poll}/count", Access::president, post_poll_count},
      {"POST", "/api/v1/sessions/{sid}/polls/{poll}/ballots", Access::participant, post_ballot},
      {"POST", "/api/v1/sessions/{sid}/polls/{poll}/objection", Access::participant, post_poll_objection},
      // Public: says no more than the JSON export (rapporteur/receipts.h).
      {"GET", "/api/v1/sessions/{sid}/receipts/{receipt}", Access::observer, get_receipt},

      {"GET", "/api/v1/sessions/{sid}/log", Access::secretariat, get_log},
      {"GET", "/api/v1/sessions/{sid}/log/verify", Access::observer, get_log_verify},
      {"GET", "/api/v1/sessions/{sid}/live", Access::observer, get_live},
      {"GET", "/api/v1/sessions/{sid}/stream", Access::observer, get_stream},
      {"GET", "/api/v1/sessions/{sid}/export", Access::observer, get_export},

      {"GET", "/s/{sid}", Access::observer, get_public_page},
      {"POST", "/api/v1/sessions/{sid}/preview", Access::member, post_preview},
  };
  return kRoutes;
}

}  // namespace rapporteur::http
