// Pages rendered on the server: the public reading view of a session
// (/s/{sid}), complete HTML readable without JavaScript, and the Markdown
// preview behind the rapporteur's editor.
//
// Every text of the page comes from the web catalogues (web/i18n/en.json and
// fr.json, compiled in), every value from the database goes through
// html_escape, and Markdown goes through render_markdown (cmark, safe mode).
#include <algorithm>
#include <sstream>

#include "http/handlers.h"
#include "http/page_text.h"
#include "http/static_files.h"
#include "rapporteur/agenda.h"
#include "rapporteur/draft_merge.h"
#include "rapporteur/drafts.h"
#include "rapporteur/fragment.h"
#include "rapporteur/markdown.h"
#include "rapporteur/text.h"

namespace rapporteur::http {

namespace {

// A fragment's Markdown and its JSON quoting (\uXXXX escapes may grow it sixfold).
constexpr size_t kMaxPreviewRequestBytes = 6 * kMaxFragmentBodyBytes + 1024;

// "19 May 2022" from "2022-05-19", month names from the catalogue.
std::string long_date(const Catalogue& t, const std::string& ymd) {
  if (ymd.size() != 10) return html_escape(ymd);
  const int month = std::atoi(ymd.substr(5, 2).c_str());
  const int day = std::atoi(ymd.substr(8, 2).c_str());
  if (month < 1 || month > 12) return html_escape(ymd);
  return t("public.date", {{"day", std::to_string(day)},
                           {"month", t.operator()("month." + std::to_string(month))},
                           {"year", ymd.substr(0, 4)}});
}

void session_heading(std::ostringstream& out, const Catalogue& t, const Session& s) {
  out << "<h1>" << html_escape(s.title) << "</h1>\n<p class=\"subtitle\">" << long_date(t, s.date);
  if (!s.place.empty()) out << " · " << html_escape(s.place);
  out << " · <span class=\"badge\">" << t(std::string("phase.") + session_phase_name(s.phase)) << "</span></p>\n";
}

void agenda_table(std::ostringstream& out, const Catalogue& t, const Session& s) {
  out << "<section class=\"card\" aria-labelledby=\"agenda-h\">\n<h2 id=\"agenda-h\">" << t("public.agenda")
      << "</h2>\n<div class=\"table-wrap\"><table>\n<thead><tr><th>" << t("public.time") << "</th><th>"
      << t("public.item") << "</th></tr></thead>\n<tbody>\n";
  for (const Slot& slot : s.agenda) {
    out << "<tr><td>" << html_escape(slot.start) << "–" << html_escape(slot.end) << "</td><td>"
        << html_escape(slot.title) << "</td></tr>\n";
  }
  out << "</tbody></table></div>\n";
  if (!s.breakouts.empty()) {
    out << "<h3>" << t("public.breakouts") << "</h3>\n<ul>\n";
    for (const Breakout& b : s.breakouts) out << "<li>" << html_escape(b.title) << "</li>\n";
    out << "</ul>\n";
  }
  out << "</section>\n";
}

// cmark's HTML with every heading moved `shift` levels down (at most h6), so
// a "# Title" inside the document does not break the page's outline. cmark
// escapes text, so "<h1" can only be a tag.
std::string demote_headings(std::string html, int shift) {
  for (int level = 6; level >= 1; --level) {
    const std::string to = std::to_string(std::min(6, level + shift));
    for (const std::string open : {"<h", "</h"}) {
      const std::string from = open + std::to_string(level);
      for (size_t at = html.find(from); at != std::string::npos; at = html.find(from, at + from.size())) {
        const char next = at + from.size() < html.size() ? html[at + from.size()] : '\0';
        if (next == '>' || next == ' ') html.replace(at, from.size(), open + to);
      }
    }
  }
  return html;
}

// The draft (or the final text) by section, each paragraph with its number.
// Paragraph HTML is cmark's safe rendering of the paragraph's Markdown.
void document(std::ostringstream& out, const Catalogue& t, const DraftRecord& d) {
  out << "<section class=\"card doc\" aria-labelledby=\"doc-h\">\n";
  if (d.final) {
    out << "<h2 id=\"doc-h\">" << t("public.adopted") << "</h2>\n<p>" << t("public.sha")
        << " <span class=\"sha\">" << html_escape(d.sha256) << "</span></p>\n";
  } else {
    out << "<h2 id=\"doc-h\" class=\"watermark\">" << t("public.draft_watermark", {{"n", std::to_string(d.n)}})
        << "</h2>\n";
  }
  const std::string* section = nullptr;
  for (const Paragraph& p : d.doc.paragraphs) {
    if (section == nullptr || *section != p.section) {
      section = &p.section;
      const bool known = p.section == "preamble" || p.section == "conclusions" || p.section == "recommendations";
      out << "<h3 class=\"section\">" << (known ? t("section." + p.section) : html_escape(p.section)) << "</h3>\n";
    }
    out << "<div class=\"para\" id=\"para-" << html_escape(p.pid) << "\"><span class=\"num\">"
        << html_escape(p.number) << "</span><div class=\"body\">" << demote_headings(paragraph_html(p), 3)
        << "</div></div>\n";
  }
  out << "</section>\n";
}

void page_links(std::ostringstream& out, const Catalogue& t, const Session& s, bool has_text) {
  const std::string sid = html_escape(s.id);
  out << "<p class=\"row no-print\">";
  if (has_text) {
    for (const char* f : {"html", "pdf", "md", "docx"}) {
      out << "<a class=\"button\" href=\"/api/v1/sessions/" << sid << "/export?format=" << f << "\">"
          << t(std::string("public.export_") + f) << "</a> ";
    }
  }
  out << "<a class=\"button\" href=\"/app/projector.html?session=" << sid << "\">" << t("public.projector")
      << "</a></p>\n";
}

}  // namespace

Result<Reply> get_public_page(Ctx& ctx) {
  RAPPORTEUR_ASSIGN_OR_RETURN(auto s, ctx.session());
  const Catalogue t(pick_lang(ctx));
  std::ostringstream out;
  // The final text once adopted, else the current draft, else none yet.
  const std::string which = s.phase == SessionPhase::adopted ? "final" : "current";
  auto draft = ctx.app.store().read<DraftRecord>(
      [&](Snapshot& snap) -> Result<DraftRecord> { return load_draft(snap, s.id, which); });
  if (!draft && draft.status().code() != Code::not_found) return draft.status();
  page_head(out, t, s.title);
  session_heading(out, t, s);
  if (draft) {
    document(out, t, *draft);
  } else {
    out << "<section class=\"card\"><p>" << t("public.no_draft") << "</p></section>\n";
  }
  agenda_table(out, t, s);
  page_links(out, t, s, draft.ok());
  out << "</main>\n</body>\n</html>\n";

  Reply r;
  r.status = 200;
  r.body = out.str();
  r.content_type = "text/html; charset=utf-8";
  r.headers.emplace_back("Cache-Control", "no-cache");
  r.headers.emplace_back("Vary", "Cookie, Accept-Language");
  r.headers.emplace_back("Content-Security-Policy", kContentSecurityPolicy);
  return r;
}

Result<Reply> post_preview(Ctx& ctx) {
  RAPPORTEUR_ASSIGN_OR_RETURN(auto body, ctx.json_body(kMaxPreviewRequestBytes));
  auto md = body.find("markdown");
  if (md == body.end() || !md->is_string()) return Status::bad_request("markdown must be a string", "markdown");
  const std::string& text = md->get_ref<const std::string&>();
  if (text.size() > kMaxFragmentBodyBytes) {
    return Status::too_large("markdown: at most " + std::to_string(kMaxFragmentBodyBytes) + " bytes", "markdown");
  }
  return Reply::json(200, {{"html", render_markdown(text)}});
}

}  // namespace rapporteur::http
