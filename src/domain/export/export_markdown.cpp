// Markdown export: header, the text, and the annex (amendments, polls).
//
// The text of a final export is the stored Markdown verbatim (between the
// header's and the annex's thematic breaks), so that it still hashes to the
// SHA-256 shown in the header; its attributions name breakouts by id, so the
// header lists each id with its title.
// A draft's text is written section by section (document_markdown of each
// section's paragraphs, which joins back to the same text but for the
// breakouts, named by title) so that every section heading can say DRAFT.
// Annex tables are pipe tables: CommonMark renderers without the extension
// show them as plain text, pandoc and GFM as tables. The input of pandoc
// (DOCX) differs in two ways: the final text is written like a draft's (by
// title), and word diffs use pandoc's strikeout and underline.
#include <string>
#include <string_view>

#include "domain/export/export_detail.h"
#include "rapporteur/document_output.h"

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

std::string heading(const ExportDocument& doc, const std::string& title) {
  return doc.final ? "## " + title + "\n\n" : "## DRAFT — " + title + "\n\n";
}

// The breakouts the text's attributions name by id: "id: title; ...".
std::string breakout_legend(const ExportDocument& doc) {
  std::string out;
  for (const auto& [id, title] : doc.breakouts) {
    bool used = false;
    for (const Paragraph& p : doc.paragraphs) used = used || p.source.breakout == id;
    if (!used || title.empty()) continue;
    if (!out.empty()) out += "; ";
    out += "`" + id + "`: " + md_inline(title);
  }
  return out;
}

std::string header(const ExportDocument& doc, MarkdownReader reader) {
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
    const std::string legend = reader == MarkdownReader::person ? breakout_legend(doc) : std::string();
    if (!legend.empty()) out += "- **Breakouts:** " + legend + "\n";
  } else {
    out += "- **Status:** " + draft_label(doc) + ", not adopted\n";
    out += "- **SHA-256 of this draft's text:** `" + doc.sha256 + "`\n";
  }
  if (!doc.log_head.empty()) {
    out += "- **Event log head:** `" + doc.log_head + "` (" + std::to_string(doc.log_events) + " events)\n";
  }
  return out;
}

std::string text(const ExportDocument& doc, MarkdownReader reader) {
  if (doc.final && !doc.markdown.empty() && reader == MarkdownReader::person) {
    std::string out = doc.markdown;
    if (out.back() != '\n') out += '\n';
    return out;
  }
  std::string out;
  const std::vector<Paragraph> titled = with_breakout_titles(doc.paragraphs, doc);
  for (const SectionRun& run : section_runs(titled)) {
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

// Whether `c` is ASCII white space (hunks are split at it).
bool is_space(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == '\v'; }

// `text` (plain, escaped here) wrapped in `open`/`close`, the white space at
// either end left outside: emphasis-like delimiters must touch the text.
std::string marked(std::string_view text, const std::string& open, const std::string& close) {
  size_t b = 0, e = text.size();
  while (b < e && is_space(text[b])) ++b;
  while (e > b && is_space(text[e - 1])) --e;
  if (b == e) return text.empty() ? std::string() : " ";
  return std::string(b > 0 ? " " : "") + open + md_inline(text.substr(b, e - b)) + close + (e < text.size() ? " " : "");
}

// A word diff on one line. For a person: <del>/<ins>. For pandoc: a zero
// width space (as an entity, so it reads as punctuation) on the outer side of
// each "~~" makes it open and close whatever the text starts or ends with.
std::string diff_cell(const std::vector<Hunk>& hunks, MarkdownReader reader) {
  const bool pandoc = reader == MarkdownReader::pandoc;
  std::string out;
  for (const Hunk& h : hunks) {
    switch (h.op) {
      case DiffOp::equal:
        out += md_inline(h.text);
        break;
      case DiffOp::del:
        out += pandoc ? marked(h.text, "&#8203;~~", "~~&#8203;") : marked(h.text, "<del>", "</del>");
        break;
      case DiffOp::insert:
        out += pandoc ? marked(h.text, "[", "]{.underline}") : marked(h.text, "<ins>", "</ins>");
        break;
    }
  }
  return out.empty() ? std::string("*(no text)*") : out;
}

std::string amendments_annex(const ExportDocument& doc, MarkdownReader reader) {
  std::string out = heading(doc, "Annex 1: Amendments");
  if (doc.amendments.empty()) return out + "No amendment was proposed.\n";
  out += "Each amendment is shown as a change to its paragraph: deleted words are struck through, inserted words "
         "underlined.\n\n";
  out += "| No. | Paragraph | Change | Text of the amendment | Proposed by | Outcome |\n";
  out += "| --- | --- | --- | --- | --- | --- |\n";
  for (const ExportAmendment& a : doc.amendments) {
    out += "| " + std::to_string(a.id) + " | " + md_inline(target_label(a)) + " | " +
           md_inline(amendment_kind_label(a.kind)) + " | " + diff_cell(amendment_hunks(a), reader) + " | " +
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

namespace export_detail {

std::string export_markdown_for(const ExportDocument& doc, MarkdownReader reader) {
  std::string out = header(doc, reader);
  out += "\n---\n\n";
  out += text(doc, reader);
  out += "\n---\n\n";
  out += amendments_annex(doc, reader);
  out += '\n';
  out += polls_annex(doc);
  return out;
}

}  // namespace export_detail

std::string export_markdown(const ExportDocument& doc) {
  return export_detail::export_markdown_for(doc, MarkdownReader::person);
}

}  // namespace rapporteur
