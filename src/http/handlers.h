// Route handlers, one file per entity (handlers_<entity>.cpp). The table
// that binds them to paths and roles is src/http/routes.cpp.
#pragma once

#include "http/context.h"

namespace rapporteur::http {

// Service
Result<Reply> get_healthz(Ctx& ctx);
Result<Reply> get_version(Ctx& ctx);
Result<Reply> get_openapi(Ctx& ctx);
Result<Reply> get_metrics(Ctx& ctx);

// Sessions and people
Result<Reply> post_session(Ctx& ctx);
Result<Reply> list_sessions(Ctx& ctx);
Result<Reply> get_session(Ctx& ctx);
Result<Reply> list_people(Ctx& ctx);
Result<Reply> post_person(Ctx& ctx);
Result<Reply> post_person_token(Ctx& ctx);
Result<Reply> get_me(Ctx& ctx);

// Join links (handlers_join.cpp)
Result<Reply> get_join(Ctx& ctx);
Result<Reply> post_join(Ctx& ctx);
Result<Reply> post_logout(Ctx& ctx);

// Breakout fragments (handlers_fragments.cpp)
Result<Reply> list_fragments(Ctx& ctx);
Result<Reply> post_fragment(Ctx& ctx);
Result<Reply> get_fragment(Ctx& ctx);
Result<Reply> put_fragment(Ctx& ctx);
Result<Reply> list_fragment_versions(Ctx& ctx);
Result<Reply> get_fragment_version(Ctx& ctx);
Result<Reply> get_fragment_diff(Ctx& ctx);

// Phase, drafts, amendments, polls
Result<Reply> post_phase(Ctx& ctx);
Result<Reply> post_draft(Ctx& ctx);
Result<Reply> list_drafts(Ctx& ctx);
Result<Reply> get_draft(Ctx& ctx);
Result<Reply> get_draft_diff(Ctx& ctx);
Result<Reply> post_amendment(Ctx& ctx);
Result<Reply> list_amendments(Ctx& ctx);
Result<Reply> get_amendment(Ctx& ctx);
Result<Reply> post_amendment_withdraw(Ctx& ctx);
Result<Reply> post_amendment_decision(Ctx& ctx);
Result<Reply> post_poll(Ctx& ctx);
Result<Reply> list_polls(Ctx& ctx);
Result<Reply> get_poll(Ctx& ctx);
Result<Reply> post_poll_open(Ctx& ctx);
Result<Reply> post_poll_close(Ctx& ctx);
Result<Reply> post_poll_cancel(Ctx& ctx);
Result<Reply> post_poll_count(Ctx& ctx);
Result<Reply> post_poll_objection(Ctx& ctx);
Result<Reply> post_ballot(Ctx& ctx);
// The public receipt check (handlers_receipts.cpp)
Result<Reply> get_receipt(Ctx& ctx);

// Event log and live view
Result<Reply> get_log(Ctx& ctx);
Result<Reply> get_log_verify(Ctx& ctx);
Result<Reply> get_live(Ctx& ctx);
Result<Reply> get_stream(Ctx& ctx);

// Export (handlers_export.cpp)
Result<Reply> get_export(Ctx& ctx);

// Server-rendered pages (handlers_pages.cpp)
Result<Reply> get_public_page(Ctx& ctx);
Result<Reply> post_preview(Ctx& ctx);

}  // namespace rapporteur::http
