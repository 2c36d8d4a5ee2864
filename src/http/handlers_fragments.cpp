// Breakout fragments (API.md "Breakout fragments"). Reads need the member
// route access; who may write a breakout is the domain's check.
#include <climits>

#include "http/handlers.h"
#include "rapporteur/diff.h"
#include "rapporteur/fragments.h"
#include "rapporteur/markdown.h"
#include "rapporteur/sessions.h"

namespace rapporteur::http {
namespace {

FragmentAuthor author_of(const Ctx& ctx) {
  FragmentAuthor a;
  if (ctx.principal.kind == Principal::Kind::person) a.person = ctx.principal.person;
  a.actor = ctx.principal.actor();
  return a;
}

// One read snapshot holding the session (for its time zone) and what `fn` reads.
template <typename T>
Result<std::pair<Session, T>> read_in_session(Ctx& ctx,
                                              const std::function<Result<T>(Snapshot&, const Session&)>& fn) {
  const std::string sid = ctx.param("sid");
  return ctx.app.store().read<std::pair<Session, T>>([&](Snapshot& snap) -> Result<std::pair<Session, T>> {
    RAPPORTEUR_ASSIGN_OR_RETURN(auto s, load_session(snap, sid));
    RAPPORTEUR_ASSIGN_OR_RETURN(auto r, fn(snap, s));
    return std::make_pair(std::move(s), std::move(r));
  });
}

// The latest version with its HTML, as GET answers it.
nlohmann::json rendered(const FragmentVersion& v, const Session& s) {
  nlohmann::json j = fragment_to_json(v, s);
  j["html"] = render_markdown(v.body);
  return j;
}

// A stale save's 409, completed outside the write job: the diff and merge
// against its base (immutable, read from a fresh snapshot) and the current
// version's HTML, so that the writer never waits on them.
Status explain_stale_save(Ctx& ctx, Status st, int64_t fid, const FragmentUpdate& request) {
  if (st.code() != Code::version_conflict) return st;
  const std::string sid = ctx.param("sid");
  RAPPORTEUR_ASSIGN_OR_RETURN(auto base, ctx.app.store().read<FragmentVersion>([&](Snapshot& snap) {
    return load_fragment_version(snap, sid, fid, request.base_version);
  }));
  st = explain_version_conflict(std::move(st), base, request.body);
  nlohmann::json details = st.details();
  details["current"]["html"] = render_markdown(details["current"]["body"].get<std::string>());
  st.with_details(std::move(details));
  return st;
}

// A version number from the query (?from=2): bad_request when absent or not
// a positive integer. The value itself is never echoed.
Result<int> version_query(const Ctx& ctx, const std::string& name) {
  const std::string v = ctx.query(name);
  if (v.empty()) return Status::bad_request(name + ": is required (a version number)", name);
  if (v.size() > 9 || v.find_first_not_of("0123456789") != std::string::npos || v[0] == '0') {
    return Status::bad_request(name + ": must be a version number (1, 2, ...)", name);
  }
  return std::stoi(v);
}

Result<int> version_param(const Ctx& ctx) {
  RAPPORTEUR_ASSIGN_OR_RETURN(auto n, ctx.id_param("n", "version"));
  if (n > INT_MAX) return Status::not_found("version " + std::to_string(n) + ": no such version");
  return static_cast<int>(n);
}

}  // namespace

Result<Reply> list_fragments(Ctx& ctx) {
  const std::string bid = ctx.param("bid");
  RAPPORTEUR_ASSIGN_OR_RETURN(
      auto r, read_in_session<std::vector<FragmentVersion>>(
                  ctx, [&](Snapshot& snap, const Session& s) { return rapporteur::list_fragments(snap, s, bid); }));
  nlohmann::json out = nlohmann::json::array();
  for (const FragmentVersion& v : r.second) out.push_back(fragment_summary_to_json(v, r.first));
  return Reply::json(200, out);
}

Result<Reply> post_fragment(Ctx& ctx) {
  RAPPORTEUR_ASSIGN_OR_RETURN(auto body, ctx.json_body(kMaxFragmentRequestBytes));
  RAPPORTEUR_ASSIGN_OR_RETURN(auto request, validate_fragment_create(body));
  const std::string sid = ctx.param("sid");
  const std::string bid = ctx.param("bid");
  const FragmentAuthor author = author_of(ctx);
  const int64_t now = ctx.app.now_ms();
  // Rendered before the write (pure, cached by hash): the writer never waits on cmark.
  const std::string html = render_markdown(request.body);
  return ctx.write(201, [&](Tx& tx) -> Result<nlohmann::json> {
    RAPPORTEUR_ASSIGN_OR_RETURN(auto s, load_session(tx, sid));
    RAPPORTEUR_ASSIGN_OR_RETURN(auto v, create_fragment(tx, s, bid, request, author, now));
    nlohmann::json j = fragment_to_json(v, s);
    j["html"] = html;
    return j;
  });
}

Result<Reply> get_fragment(Ctx& ctx) {
  RAPPORTEUR_ASSIGN_OR_RETURN(auto fid, ctx.id_param("fid", "fragment"));
  RAPPORTEUR_ASSIGN_OR_RETURN(auto r, read_in_session<FragmentVersion>(ctx, [&](Snapshot& snap, const Session& s) {
                                return load_fragment_version(snap, s.id, fid);
                              }));
  return Reply::json(200, rendered(r.second, r.first));
}

Result<Reply> put_fragment(Ctx& ctx) {
  RAPPORTEUR_ASSIGN_OR_RETURN(auto fid, ctx.id_param("fid", "fragment"));
  RAPPORTEUR_ASSIGN_OR_RETURN(auto body, ctx.json_body(kMaxFragmentRequestBytes));
  RAPPORTEUR_ASSIGN_OR_RETURN(auto request, validate_fragment_update(body));
  const std::string sid = ctx.param("sid");
  const FragmentAuthor author = author_of(ctx);
  const int64_t now = ctx.app.now_ms();
  const std::string html = render_markdown(request.body);
  auto reply = ctx.write(201, [&](Tx& tx) -> Result<nlohmann::json> {
    RAPPORTEUR_ASSIGN_OR_RETURN(auto s, load_session(tx, sid));
    RAPPORTEUR_ASSIGN_OR_RETURN(auto v, rapporteur::put_fragment(tx, s, fid, request, author, now));
    nlohmann::json j = fragment_to_json(v, s);
    j["html"] = html;
    return j;
  });
  if (!reply) return explain_stale_save(ctx, reply.status(), fid, request);
  return reply;
}

Result<Reply> list_fragment_versions(Ctx& ctx) {
  RAPPORTEUR_ASSIGN_OR_RETURN(auto fid, ctx.id_param("fid", "fragment"));
  RAPPORTEUR_ASSIGN_OR_RETURN(auto r,
                              read_in_session<std::vector<FragmentVersion>>(ctx, [&](Snapshot& snap, const Session& s) {
                                return rapporteur::list_fragment_versions(snap, s.id, fid);
                              }));
  nlohmann::json out = nlohmann::json::array();
  for (const FragmentVersion& v : r.second) out.push_back(fragment_version_summary_to_json(v, r.first));
  return Reply::json(200, out);
}

Result<Reply> get_fragment_version(Ctx& ctx) {
  RAPPORTEUR_ASSIGN_OR_RETURN(auto fid, ctx.id_param("fid", "fragment"));
  RAPPORTEUR_ASSIGN_OR_RETURN(auto n, version_param(ctx));
  RAPPORTEUR_ASSIGN_OR_RETURN(auto r, read_in_session<FragmentVersion>(ctx, [&](Snapshot& snap, const Session& s) {
                                return load_fragment_version(snap, s.id, fid, n);
                              }));
  return Reply::json(200, rendered(r.second, r.first));
}

Result<Reply> get_fragment_diff(Ctx& ctx) {
  RAPPORTEUR_ASSIGN_OR_RETURN(auto fid, ctx.id_param("fid", "fragment"));
  RAPPORTEUR_ASSIGN_OR_RETURN(auto from, version_query(ctx, "from"));
  RAPPORTEUR_ASSIGN_OR_RETURN(auto to, version_query(ctx, "to"));
  using Pair = std::pair<FragmentVersion, FragmentVersion>;
  RAPPORTEUR_ASSIGN_OR_RETURN(auto r, read_in_session<Pair>(ctx, [&](Snapshot& snap, const Session& s) {
                                return load_fragment_pair(snap, s.id, fid, from, to);
                              }));
  // Diffed after the read, so no read connection waits on it.
  const std::vector<Hunk> hunks = diff_words(r.second.first.body, r.second.second.body);
  return Reply::json(200, {{"from", from}, {"to", to}, {"hunks", hunks_to_json(hunks)}, {"html", diff_html(hunks)}});
}

}  // namespace rapporteur::http
