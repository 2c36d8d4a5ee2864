// Markdown export: header, the text, and the annex (amendments, polls).
//
// The text of a final export is the stored Markdown verbatim (between the
// header's and the annex's thematic breaks), so that it still hashes to the
// SHA-256 shown in the header.
// A draft's text is written section by section (document_markdown of each
// section's paragraphs, which joins back to the same text) so that every
// section heading can say DRAFT. Annex tables are pipe tables: CommonMark
// renderers without the extension show them as plain text, pandoc and GFM
// as tables.
#include <string>
#include <string_view>

#include "domain/export_detail.h"
#include "rapporteur/draft_merge.h"

namespace rapporteur {
namespace {

using namespace export_detail;

// Plain text as inline Markdown: one line, every character that could start
// markup backslash-escaped.
std::string md_inline(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '\n':
      case '\r':
      case '\t':
        out += ' ';
        break;
      case '\\':
      case '`':
      case '*':
      case '_':
      case '[':
      case ']':
      case '<':
      case '>':
      case '#':
      case '|':
      case '~':
      case '!':
      case '&':
        out += '\\';
        out += c;
        break;
      default:
        out += c;
    }
  }
  return out;
}

// A Markdown text in a pipe-table cell: its inline markup kept, on one line,
// pipes escaped (a table row cannot hold line breaks).
std::string md_cell(std::string_view md) {
  std::string out;
  out.reserve(md.size());
  bool space = false;
  for (char c : md) {
    if (c == '\n' || c == '\r' || c == '\t' || c == ' ') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    if (c == '|') out += '\\';
    out += c;
  }
  return out;
}

std::string heading(const ExportDocument& doc, const std::string& title) {
  return doc.final ? "## " + title + "\n\n" : "## DRAFT — " + title + "\n\n";
}

std::string header(const ExportDocument& doc) {
  std::string out;
  if (!doc.final) {
    out += "> **" + draft_label(doc) + " — NOT ADOPTED.** This text may still change; only the adopted text is final.\n\n";
  }
  out += "- **Session:** " + md_inline(doc.title) + "\n";
  out += "- **Date:** " + md_inline(doc.date) + "\n";
  if (!doc.place.empty()) out += "- **Place:** " + md_inline(doc.place) + "\n";
  if (!doc.timezone.empty()) out += "- **Time zone:** " + md_inline(doc.timezone) + "\n";
  if (doc.final) {
    out += "- **Adopted at:** " + md_inline(doc.adopted_at) + " (draft " + std::to_string(doc.draft) + ")\n";
    out += "- **SHA-256 of the final text:** `" + doc.sha256 + "`\n";
  } else {
    out += "- **Status:** " + draft_label(doc) + ", not adopted\n";
    out += "- **SHA-256 of this draft's text:** `" + doc.sha256 + "`\n";
  }
  if (!doc.log_head.empty()) {
    out += "- **Event log head:** `" + doc.log_head + "` (" + std::to_string(doc.log_events) + " events)\n";
  }
  return out;
}

std::string text(const ExportDocument& doc) {
  if (doc.final && !doc.markdown.empty()) {
    std::string out = doc.markdown;
    if (out.back() != '\n') out += '\n';
    return out;
  }
  std::string out;
  for (const SectionRun& run : section_runs(doc.paragraphs)) {
    Document part;
    for (const Paragraph* p : run.paragraphs) part.paragraphs.push_back(*p);
    std::string md = document_markdown(part);
    if (md.empty()) continue;
    if (!doc.final && run.section != "preamble" && md.rfind("## ", 0) == 0) md = "## DRAFT — " + md.substr(3);
    if (!out.empty()) out += '\n';
    out += md;
  }
  return out;
}

std::string amendments_annex(const ExportDocument& doc) {
  std::string out = heading(doc, "Annex 1: Amendments");
  if (doc.amendments.empty()) return out + "No amendment was proposed.\n";
  out += "| No. | Paragraph | Change | Original text | Amended text | Proposed by | Outcome |\n";
  out += "| --- | --- | --- | --- | --- | --- | --- |\n";
  for (const ExportAmendment& a : doc.amendments) {
    out += "| " + std::to_string(a.id) + " | " + md_inline(target_label(a)) + " | " +
           md_inline(amendment_kind_label(a.kind)) + " | " + md_cell(a.original) + " | " +
           (a.kind == "delete" ? std::string("*(deleted)*") : md_cell(a.text)) + " | " +
           md_inline(a.proposer_role) + " | " + md_inline(amendment_outcome_text(a)) + " |\n";
  }
  return out;
}

std::string polls_annex(const ExportDocument& doc) {
  std::string out = heading(doc, "Annex 2: Polls");
  if (doc.polls.empty()) return out + "No poll was held.\n";
  out += "| Poll | Subject | Method | Rule | Quorum | Counts | Outcome |\n";
  out += "| --- | --- | --- | --- | --- | --- | --- |\n";
  for (const ExportPoll& p : doc.polls) {
    out += "| " + std::to_string(p.id) + " | " + md_inline(p.subject) + " | " +
           md_inline(method_label(p.method) + (p.secret ? " (secret)" : "")) + " | " + md_inline(rule_label(p.rule)) +
           " | " + md_inline(quorum_text(p)) + " | " + md_inline(poll_counts_text(p)) + " | " +
           md_inline(poll_outcome_text(p)) + " |\n";
  }
  return out;
}

}  // namespace

std::string export_markdown(const ExportDocument& doc) {
  std::string out = header(doc);
  out += "\n---\n\n";
  out += text(doc);
  out += "\n---\n\n";
  out += amendments_annex(doc);
  out += '\n';
  out += polls_annex(doc);
  return out;
}

}  // namespace rapporteur
