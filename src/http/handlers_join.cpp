// Join links: how a person's browser gets their login cookie.
//
// A join link logs in only the person who opens it, as a page, on purpose.
// The login cookie is set:
// - by GET /join/{token} when the browser says the request is a top-level
//   navigation (Sec-Fetch-Dest: document) that the person started themselves
//   or from one of our pages (Sec-Fetch-Site: none or same-origin), and the
//   browser is not already logged in as someone else;
// - otherwise only by POST /api/v1/join, sent by the confirmation page that
//   GET answers with (it names whose link it is and, when the browser is
//   logged in as another person, who that is), when the person confirms.
// An image, script, frame or fetch of a join link (Sec-Fetch-Dest other than
// document) is refused outright: nothing a page embeds can log its viewer in.
#include <sstream>

#include "domain/sessions/fields.h"
#include "http/cookies.h"
#include "http/handlers.h"
#include "http/page_text.h"
#include "http/static_files.h"
#include "rapporteur/sessions.h"
#include "rapporteur/text.h"

namespace rapporteur::http {
namespace {

constexpr size_t kMaxToken = 200;

Result<Person> person_of_token(Ctx& ctx, const std::string& token) {
  if (token.empty() || token.size() > kMaxToken) {
    return Status::unauthenticated("this join link is unknown or has been replaced");
  }
  RAPPORTEUR_ASSIGN_OR_RETURN(
      auto person, ctx.app.store().read<std::optional<Person>>([&](Snapshot& snap) -> Result<std::optional<Person>> {
        return find_person_by_token(snap, token);
      }));
  if (!person.has_value()) return Status::unauthenticated("this join link is unknown or has been replaced");
  return *person;
}

// The page a person lands on, by their roles.
std::string home_page(const Person& p) {
  std::string page = "/app/participant.html";
  if (p.has("president") || p.has("secretariat")) {
    page = "/app/console.html";
  } else if (p.has("rapporteur")) {
    page = "/app/rapporteur.html";
  } else if (!p.has("participant")) {
    return "/s/" + p.session;
  }
  return page + "?session=" + p.session;
}

std::string roles_text(const Catalogue& t, const Person& p) {
  std::string out;
  for (const std::string& r : p.roles) {
    if (!out.empty()) out += ", ";
    out += t("role." + r);
  }
  return out;
}

// The confirmation page: whose link this is, who is logged in now (if
// someone else), and a button that sends POST /api/v1/join.
Reply confirm_page(Ctx& ctx, const Person& owner) {
  const Catalogue t(pick_lang(ctx));
  std::ostringstream out;
  page_head(out, t, t("join.title"));
  out << "<section class=\"card\" id=\"join\">\n<h1>" << t("join.title") << "</h1>\n<p>"
      << t("join.for", {{"name", owner.name}}) << " <span class=\"muted\">(" << roles_text(t, owner) << ")</span></p>\n";
  const bool other = ctx.principal.kind == Principal::Kind::person && ctx.principal.person.id != owner.id;
  if (other) {
    out << "<p class=\"warn\" id=\"join-current\">" << t("join.current", {{"name", ctx.principal.person.name}})
        << "</p>\n<p>" << t("join.replace_warning") << "</p>\n";
  }
  out << "<p class=\"row\"><button type=\"button\" id=\"join-confirm\">"
      << t("join.confirm", {{"name", owner.name}}) << "</button> ";
  if (other) {
    out << "<a class=\"button\" href=\"" << html_escape(home_page(ctx.principal.person)) << "\">"
        << t("join.stay", {{"name", ctx.principal.person.name}}) << "</a>";
  }
  out << "</p>\n<p id=\"join-state\" role=\"status\" aria-live=\"polite\" data-working=\"" << t("join.working")
      << "\" data-failed=\"" << t("join.failed") << "\"></p>\n</section>\n"
      << "<script type=\"module\" src=\"/js/join.js\"></script>\n</main>\n</body>\n</html>\n";
  Reply r;
  r.status = 200;
  r.body = out.str();
  r.content_type = "text/html; charset=utf-8";
  r.headers.emplace_back("Cache-Control", "no-store");
  r.headers.emplace_back("Content-Security-Policy", kContentSecurityPolicy);
  return r;
}

}  // namespace

Result<Reply> get_join(Ctx& ctx) {
  const std::string dest = ctx.header("Sec-Fetch-Dest");
  if (!dest.empty() && dest != "document") {
    return Status::forbidden(
        "a join link logs in only when it is opened as a page (this request is an image, script, frame or fetch)");
  }
  RAPPORTEUR_ASSIGN_OR_RETURN(auto owner, person_of_token(ctx, ctx.param("token")));
  const std::string site = ctx.header("Sec-Fetch-Site");
  const bool person_opened_it = dest == "document" && (site == "none" || site == "same-origin");
  const bool someone_else = ctx.principal.kind == Principal::Kind::person && ctx.principal.person.id != owner.id;
  if (!person_opened_it || someone_else) return confirm_page(ctx, owner);
  Reply r;
  r.status = 303;
  r.content_type = "text/plain";
  r.headers.emplace_back("Location", home_page(owner));
  r.headers.emplace_back("Set-Cookie", login_cookie(ctx.app, ctx.param("token")));
  r.headers.emplace_back("Cache-Control", "no-store");
  return r;
}

Result<Reply> post_join(Ctx& ctx) {
  RAPPORTEUR_ASSIGN_OR_RETURN(auto body, ctx.json_body(4 * 1024));
  if (!body.is_object()) return Status::bad_request("the body must be a JSON object {\"token\": ...}");
  RAPPORTEUR_RETURN_IF_ERROR(fields::only_members(body, {"token"}));
  auto token = body.find("token");
  if (token == body.end() || !token->is_string()) return Status::bad_request("token must be a string", "token");
  RAPPORTEUR_ASSIGN_OR_RETURN(auto owner, person_of_token(ctx, token->get<std::string>()));
  Reply r = Reply::json(200, {{"person", owner.id}, {"name", owner.name}, {"page", home_page(owner)}});
  r.headers.emplace_back("Set-Cookie", login_cookie(ctx.app, token->get<std::string>()));
  r.headers.emplace_back("Cache-Control", "no-store");
  return r;
}

}  // namespace rapporteur::http
