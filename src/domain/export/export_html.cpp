// HTML export: one standalone, print-ready file (also the source of the PDF).
//
// - Nothing external: inline CSS, no script, no font or image fetched; the
//   Content-Security-Policy forbids every fetch, so an image link in a
//   paragraph is not loaded when the file is opened or printed.
// - Print: A4 pages numbered in the @page margin boxes, table headers
//   repeated on every page, table rows never split. A draft has a DRAFT
//   watermark (position: fixed, which Chromium repeats on every printed
//   page) and DRAFT in the page's top margin and in every section heading.
// - User text: paragraphs are Markdown rendered by render_markdown (cmark
//   safe mode); amendments are word diffs of their Markdown source
//   (diff_html: escaped text in <del>/<ins>); every other text is
//   html_escape'd.
//   Blocks of user text carry dir="auto" so right-to-left text (Arabic) is
//   laid out right to left.
#include <string>
#include <string_view>

#include "domain/export/export_detail.h"
#include "rapporteur/markdown.h"
#include "rapporteur/text.h"

namespace rapporteur {
namespace {

using namespace export_detail;

constexpr const char* kStyle = R"css(
:root { color-scheme: light; }
html { font-family: "DejaVu Sans", "Noto Sans", "Noto Naskh Arabic", "Liberation Sans", Arial, sans-serif;
  font-size: 11pt; line-height: 1.45; color: #111; background: #fff; }
body { margin: 0 auto; max-width: 48rem; padding: 1.5rem; }
h1 { font-size: 1.6rem; line-height: 1.25; margin: 0.5rem 0 0.75rem; }
h2 { font-size: 1.25rem; margin: 1.75rem 0 0.75rem; border-bottom: 1px solid #999; padding-bottom: 0.2rem;
  break-after: avoid; }
h3, h4, h5, h6 { font-size: 1.05rem; break-after: avoid; }
.status { font-weight: bold; padding: 0.4rem 0.6rem; border: 2px solid #111; display: inline-block; }
.status-draft { color: #a00000; border-color: #a00000; }
.draft-tag { color: #a00000; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: 0.2rem 1rem; margin: 1rem 0; }
dl.meta dt { font-weight: bold; }
dl.meta dd { margin: 0; overflow-wrap: anywhere; }
dl.meta div { display: contents; }
code, .hash { font-family: "DejaVu Sans Mono", "Liberation Mono", monospace; font-size: 0.85em; overflow-wrap: anywhere; }
.para, .rec { break-inside: avoid; }
.rec { display: grid; grid-template-columns: 3rem 1fr; gap: 0 0.5rem; margin: 0.6rem 0; }
.rec-num { font-weight: bold; margin: 0; }
.rec-text > :first-child { margin-top: 0; }
.rec-text > :last-child { margin-bottom: 0; }
.source { grid-column: 2; color: #555; font-size: 0.85em; margin: 0.15rem 0 0; }
table { border-collapse: collapse; width: 100%; font-size: 0.9em; margin: 0.5rem 0 1rem; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
th, td { border: 1px solid #999; padding: 0.3rem 0.4rem; text-align: start; vertical-align: top; }
th { background: #eee; }
td > :first-child { margin-top: 0; }
td > :last-child { margin-bottom: 0; }
del { text-decoration: line-through; color: #8a0000; }
ins { text-decoration: underline; color: #005a1e; }
td.diff { overflow-wrap: anywhere; }
footer { margin-top: 2rem; border-top: 1px solid #999; font-size: 0.85em; color: #333; }
.watermark { display: none; }
.draft .watermark { display: block; position: fixed; top: 45%; left: 0; right: 0; text-align: center;
  font-size: 120pt; font-weight: bold; letter-spacing: 0.1em; color: rgba(176, 0, 0, 0.12);
  transform: rotate(-35deg); z-index: 10; pointer-events: none; user-select: none; }
@page { size: A4; margin: 20mm 18mm 22mm;
  @bottom-center { content: "Page " counter(page) " of " counter(pages); font-size: 9pt; color: #555; } }
@media print {
  body { max-width: none; padding: 0; }
  a { color: inherit; }
}
)css";

constexpr const char* kDraftPageStyle = R"css(
@page { @top-center { content: "DRAFT - not adopted"; font-size: 9pt; font-weight: bold; color: #a00000; } }
)css";

std::string esc(std::string_view s) { return html_escape(s); }

// An id attribute value made only of [A-Za-z0-9_-].
std::string id_of(std::string_view prefix, std::string_view raw) {
  std::string out(prefix);
  for (char c : raw) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    out += ok ? c : '_';
  }
  return out;
}

std::string section_heading(const ExportDocument& doc, const std::string& title, const std::string& id) {
  std::string out = "<h2 id=\"" + id + "\" dir=\"auto\">";
  if (!doc.final) out += "<span class=\"draft-tag\">DRAFT</span> — ";
  return out + esc(title) + "</h2>\n";
}

void meta_row(std::string& out, const std::string& label, const std::string& value_html) {
  out += "<div><dt>" + esc(label) + "</dt><dd>" + value_html + "</dd></div>\n";
}

std::string header(const ExportDocument& doc, const SectionRun* preamble) {
  std::string out = "<header>\n";
  if (doc.final) {
    out += "<p class=\"status\">Adopted text</p>\n";
  } else {
    out += "<p class=\"status status-draft\">" + esc(draft_label(doc)) +
           " — not adopted; this text may still change</p>\n";
  }
  // The preamble starts with the title as a level-1 heading in drafts made
  // here; otherwise the session title is the page's heading.
  bool has_h1 = false;
  std::string preamble_html;
  if (preamble != nullptr) {
    for (const Paragraph* p : preamble->paragraphs) {
      const std::string html = render_markdown(p->markdown);
      if (html.rfind("<h1>", 0) == 0) has_h1 = true;
      preamble_html += "<div class=\"para\" id=\"" + id_of("para-", p->pid) + "\" dir=\"auto\">" + html + "</div>\n";
    }
  }
  if (!has_h1) out += "<h1 dir=\"auto\">" + esc(doc.title) + "</h1>\n";
  out += preamble_html;
  out += "<dl class=\"meta\">\n";
  meta_row(out, "Session", "<span dir=\"auto\">" + esc(doc.title) + "</span>");
  meta_row(out, "Date", esc(doc.date));
  if (!doc.place.empty()) meta_row(out, "Place", "<span dir=\"auto\">" + esc(doc.place) + "</span>");
  if (!doc.timezone.empty()) meta_row(out, "Time zone", esc(doc.timezone));
  if (doc.final) {
    meta_row(out, "Adopted at", esc(doc.adopted_at) + " (draft " + std::to_string(doc.draft) + ")");
    meta_row(out, "SHA-256 of the final text", "<code class=\"hash\">" + esc(doc.sha256) + "</code>");
  } else {
    meta_row(out, "Status", esc(draft_label(doc)) + ", not adopted");
    meta_row(out, "SHA-256 of this draft's text", "<code class=\"hash\">" + esc(doc.sha256) + "</code>");
  }
  out += "</dl>\n</header>\n";
  return out;
}

std::string paragraph_block(const Paragraph& p, const ExportDocument& doc) {
  const std::string id = id_of("para-", p.pid);
  const std::string html = render_markdown(p.markdown);
  const std::string source = source_text(p.source, doc);
  if (!p.number.empty()) {
    std::string out = "<div class=\"rec\" id=\"" + id + "\">\n<p class=\"rec-num\">" + esc(p.number) + "</p>\n";
    out += "<div class=\"rec-text\" dir=\"auto\">\n" + html + "</div>\n";
    if (!source.empty()) out += "<p class=\"source\" dir=\"auto\">" + esc(source) + "</p>\n";
    return out + "</div>\n";
  }
  return "<div class=\"para\" id=\"" + id + "\" dir=\"auto\">\n" + html + "</div>\n";
}

std::string body_text(const ExportDocument& doc, const std::vector<SectionRun>& runs) {
  std::string out = "<main>\n";
  int n = 0;
  for (const SectionRun& run : runs) {
    if (run.section == "preamble") continue;
    const std::string id = "section-" + std::to_string(++n);
    out += "<section aria-labelledby=\"" + id + "\">\n" + section_heading(doc, section_title(run.section), id);
    // Unnumbered list items of a section make one bulleted list.
    bool in_list = false;
    for (const Paragraph* p : run.paragraphs) {
      const bool item = p->number.empty() && p->kind == ParagraphKind::list_item;
      if (item && !in_list) out += "<ul>\n";
      if (!item && in_list) out += "</ul>\n";
      in_list = item;
      if (item) {
        out += "<li id=\"" + id_of("para-", p->pid) + "\" dir=\"auto\">\n" + render_markdown(p->markdown) + "</li>\n";
      } else {
        out += paragraph_block(*p, doc);
      }
    }
    if (in_list) out += "</ul>\n";
    out += "</section>\n";
  }
  return out + "</main>\n";
}

std::string amendments_annex(const ExportDocument& doc) {
  std::string out = "<section aria-labelledby=\"annex-amendments\">\n" +
                    section_heading(doc, "Annex 1: Amendments", "annex-amendments");
  if (doc.amendments.empty()) return out + "<p>No amendment was proposed.</p>\n</section>\n";
  out += "<p>Each amendment is shown as a change to its paragraph: deleted words are <del>struck through</del>, "
         "inserted words <ins>underlined</ins>.</p>\n";
  out += "<table>\n<thead>\n<tr><th scope=\"col\">No.</th><th scope=\"col\">Paragraph</th>"
         "<th scope=\"col\">Change</th><th scope=\"col\">Text of the amendment</th>"
         "<th scope=\"col\">Proposed by</th><th scope=\"col\">Outcome</th></tr>\n</thead>\n<tbody>\n";
  for (const ExportAmendment& a : doc.amendments) {
    const std::vector<Hunk> hunks = amendment_hunks(a);
    out += "<tr><td>" + std::to_string(a.id) + "</td><td>" + esc(target_label(a)) + "</td><td>" +
           esc(amendment_kind_label(a.kind)) + "</td><td class=\"diff\" dir=\"auto\">" +
           (hunks.empty() ? std::string("<em>(no text)</em>") : diff_html(hunks)) + "</td>";
    out += "<td>" + esc(a.proposer_role) + "</td><td>" + esc(amendment_outcome_text(a)) + "</td></tr>\n";
  }
  return out + "</tbody>\n</table>\n</section>\n";
}

std::string polls_annex(const ExportDocument& doc) {
  std::string out =
      "<section aria-labelledby=\"annex-polls\">\n" + section_heading(doc, "Annex 2: Polls", "annex-polls");
  if (doc.polls.empty()) return out + "<p>No poll was held.</p>\n</section>\n";
  out += "<table>\n<thead>\n<tr><th scope=\"col\">Poll</th><th scope=\"col\">Subject</th>"
         "<th scope=\"col\">Method</th><th scope=\"col\">Rule</th><th scope=\"col\">Quorum</th>"
         "<th scope=\"col\">Counts</th><th scope=\"col\">Outcome</th></tr>\n</thead>\n<tbody>\n";
  for (const ExportPoll& p : doc.polls) {
    out += "<tr><td>" + std::to_string(p.id) + "</td><td>" + esc(p.subject) + "</td><td>" +
           esc(method_label(p.method) + (p.secret ? " (secret)" : "")) + "</td><td>" + esc(rule_label(p.rule)) +
           "</td><td>" + esc(quorum_text(p)) + "</td><td>" + esc(poll_counts_text(p)) + "</td><td>" +
           esc(poll_outcome_text(p)) + "</td></tr>\n";
  }
  return out + "</tbody>\n</table>\n</section>\n";
}

std::string footer(const ExportDocument& doc) {
  std::string out = "<footer>\n<p>Exported by Rapporteur from session <code>" + esc(doc.session) + "</code>.";
  if (!doc.log_head.empty()) {
    out += " Event log head: <code class=\"hash\">" + esc(doc.log_head) + "</code> (" +
           std::to_string(doc.log_events) + " events).";
  }
  return out + "</p>\n</footer>\n";
}

}  // namespace

std::string export_html(const ExportDocument& doc) {
  const std::vector<SectionRun> runs = section_runs(doc.paragraphs);
  const SectionRun* preamble = nullptr;
  for (const SectionRun& r : runs) {
    if (r.section == "preamble") {
      preamble = &r;
      break;
    }
  }
  std::string out = "<!DOCTYPE html>\n<html lang=\"" + esc(doc.lang.empty() ? "en" : doc.lang) + "\">\n<head>\n";
  out += "<meta charset=\"utf-8\">\n";
  out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  out += "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n";
  out += "<meta name=\"generator\" content=\"Rapporteur\">\n";
  out += "<title>" + esc((doc.final ? "" : draft_label(doc) + " — ") + doc.title) + "</title>\n";
  out += "<style>" + std::string(kStyle);
  if (!doc.final) out += kDraftPageStyle;
  out += "</style>\n</head>\n";
  out += doc.final ? "<body>\n" : "<body class=\"draft\">\n<div class=\"watermark\" aria-hidden=\"true\">DRAFT</div>\n";
  out += header(doc, preamble);
  out += body_text(doc, runs);
  out += amendments_annex(doc);
  out += polls_annex(doc);
  out += footer(doc);
  out += "</body>\n</html>\n";
  return out;
}

}  // namespace rapporteur
