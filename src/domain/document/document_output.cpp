// The document's Markdown (document_markdown) and HTML (document_html,
// paragraph_html); the format is described in rapporteur/document_output.h.
#include "rapporteur/document_output.h"

#include <optional>
#include <string_view>
#include <vector>

#include "domain/document/document_layout.h"
#include "domain/drafting/draft_text.h"
#include "domain/document/joined_html.h"
#include "domain/document/paragraph_rendering.h"
#include "rapporteur/markdown.h"

namespace rapporteur {
namespace {

using draft_text::ends_with;
using draft_text::escape_inline;

// Appends `text`, every line that follows a line break indented by `width`
// spaces unless it is empty. `line_start`: whether what was appended last
// ended with a line break (kept across the parts of one item).
void append_indented(std::string& out, std::string_view text, size_t width, bool& line_start) {
  size_t start = 0;
  while (start < text.size()) {
    if (line_start && text[start] != '\n') out.append(width, ' ');
    const size_t end = text.find('\n', start);
    if (end == std::string_view::npos) {
      out += text.substr(start);
      line_start = false;
      return;
    }
    out += text.substr(start, end + 1 - start);
    line_start = true;
    start = end + 1;
  }
}

// One list item of a run: its paragraph, its number (0 for a "- " item) and,
// for a numbered one, its attribution and whether its text starts and ends
// with a paragraph (the number and the attribution join it; else each is a
// paragraph of its own).
struct RunItem {
  const Paragraph* p = nullptr;
  int n = 0;
  std::string attr;
  bool first_is_paragraph = true;
  bool last_is_paragraph = true;
  bool one_line = true;  // the Markdown holds no line break

  void set(const Paragraph& paragraph, int number, Attributions& attributions) {
    p = &paragraph;
    n = number;
    one_line = p->markdown.find('\n') == std::string::npos;
    first_is_paragraph = last_is_paragraph = true;
    attr.clear();
    if (n == 0) return;
    attr = attributions.of(p->source);
    // Carried HTML answers at once; else plain paragraphs need no rendering.
    SharedHtml hold;
    const std::string* html = carried_html(*p);
    if (html == nullptr && !plain_paragraphs(p->markdown)) html = &html_of(*p, hold);
    if (html != nullptr) {
      first_is_paragraph = html->rfind("<p>", 0) == 0;
      last_is_paragraph = ends_with(*html, "</p>\n");
    }
  }

  // Whether the item's Markdown holds a blank line (the list is then loose).
  bool has_blank_line() const {
    const std::string& md = p->markdown;
    if (!one_line && md.find("\n\n") != std::string::npos) return true;
    if (n == 0) return false;
    return (!md.empty() && !first_is_paragraph) || (!attr.empty() && !last_is_paragraph && !md.empty());
  }

  // "- <text>" or "<n>. **<number>** <text> <attribution>", the lines after
  // the first indented to the marker's width.
  void append_markdown(std::string& out) const {
    const std::string& md = p->markdown;
    bool line_start = false;
    if (n == 0) {
      out += md.empty() ? "-" : "- ";
      if (one_line) {
        out += md;
      } else {
        append_indented(out, md, 2, line_start);
      }
      return;
    }
    const std::string marker = std::to_string(n) + ". ";
    out += marker;
    out += "**";
    out += escape_inline(p->number.empty() ? "R" + std::to_string(n) : p->number);  // one line
    out += "**";
    if (!md.empty()) {
      append_indented(out, first_is_paragraph ? " " : "\n\n", marker.size(), line_start);
      append_indented(out, md, marker.size(), line_start);
    }
    if (!attr.empty()) {
      append_indented(out, (last_is_paragraph || md.empty()) ? " " : "\n\n", marker.size(), line_start);
      append_indented(out, attr, marker.size(), line_start);
    }
  }
};

constexpr std::string_view kEndList = "<!-- end list -->";

// A run's Markdown: its items, separated by a line break when none holds a
// blank line, else by a blank line.
void append_run_markdown(std::string& out, const Piece& run, std::vector<RunItem>& scratch,
                         Attributions& attributions) {
  if (scratch.size() < run.items.size()) scratch.resize(run.items.size());
  bool compact = true;
  for (size_t i = 0; i < run.items.size(); ++i) {
    scratch[i].set(*run.items[i].first, run.items[i].second, attributions);
    compact = compact && !scratch[i].has_blank_line();
  }
  for (size_t i = 0; i < run.items.size(); ++i) {
    if (i != 0) out += compact ? "\n" : "\n\n";
    scratch[i].append_markdown(out);
  }
}

}  // namespace

std::string document_markdown(const Document& doc) {
  std::string out;
  out.reserve(markdown_bytes(doc));
  std::vector<RunItem> scratch;  // reused: its strings keep their buffers
  Attributions attributions;
  for (const Piece& piece : layout(doc)) {
    if (!out.empty()) out += "\n\n";
    switch (piece.kind) {
      case Piece::Kind::heading:
        out += piece.heading;
        break;
      case Piece::Kind::paragraph:
        out += piece.paragraph->markdown;
        break;
      case Piece::Kind::end_list:
        out += kEndList;
        break;
      case Piece::Kind::run:
        append_run_markdown(out, piece, scratch, attributions);
        break;
    }
  }
  if (!out.empty()) out += '\n';
  return out;
}

std::string document_html(const Document& doc) {
  if (std::optional<std::string> html = joined_html(layout(doc), markdown_bytes(doc))) return std::move(*html);
  return render_markdown(document_markdown(doc));
}

std::string paragraph_html(const Paragraph& p) {
  SharedHtml hold;
  return html_of(p, hold);
}

}  // namespace rapporteur
