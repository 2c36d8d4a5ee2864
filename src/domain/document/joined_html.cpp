#include "domain/document/joined_html.h"

#include <algorithm>
#include <unordered_map>

#include "domain/drafting/draft_text.h"
#include "domain/document/paragraph_rendering.h"
#include "rapporteur/markdown.h"
#include "rapporteur/text.h"

namespace rapporteur {
namespace {

using draft_text::ends_with;

bool html_starts_list(std::string_view html) { return html.rfind("<ul", 0) == 0 || html.rfind("<ol", 0) == 0; }
bool html_ends_list(std::string_view html) { return ends_with(html, "</ul>\n") || ends_with(html, "</ol>\n"); }

// The inline HTML of a rendering that is one paragraph ("<p>X</p>\n"), or
// nullopt.
std::optional<std::string_view> paragraph_inline(std::string_view html) {
  if (html.rfind("<p>", 0) != 0 || !ends_with(html, "</p>\n")) return std::nullopt;
  const std::string_view inner = html.substr(3, html.size() - 3 - 5);
  // Text is escaped and raw HTML omitted, so "</p>" can only close a paragraph.
  if (inner.find("</p>") != std::string_view::npos) return std::nullopt;
  return inner;
}

// A line that would start a list item once text follows it on the line.
bool bare_list_marker(std::string_view line) {
  const std::string_view t = trim(line);
  if (t == "-" || t == "+" || t == "*") return true;
  return !t.empty() && (t.back() == '.' || t.back() == ')') &&
         std::all_of(t.begin(), t.end() - 1, [](char c) { return c >= '0' && c <= '9'; });
}

// What <li>...</li> holds for item `p` of a tight run (document_markdown's
// numbered_item or bullet_item, inside a list of one-paragraph items), or
// nullopt when that is not provably the paragraph's own inline HTML with the
// number and attribution around it. The item's lines are the paragraph's,
// indented by the marker's width, so they parse as they do alone unless tabs
// or other control characters change the columns, the first line turns "- "
// into a thematic break ("- --"), or the attribution appended to the last
// line makes a bare list marker a list item. Inline, the bold number before
// the text closes before it, and the attribution's own delimiters pair up
// nearest; an attribution of letters, digits, spaces, "-" and "." gives the
// text's unclosed code spans, links, raw HTML and entities nothing to close.
// Appends it to `out` and returns true, or returns false. `attribution_html`
// memoises the inline HTML of attributions (nullopt: not one paragraph).
bool append_run_item_html(std::string& out, const Paragraph& p, int n, Attributions& attribution_of,
                          std::unordered_map<std::string, std::optional<std::string>>& attribution_html) {
  const std::string& md = p.markdown;
  // A trailing blank line would make the list loose.
  if (md.empty() || starts_indented(md) || md.back() == ' ' || md.back() == '\n' || md.rfind("\xEF\xBB\xBF", 0) == 0) {
    return false;
  }
  if (has_control(md)) return false;
  SharedHtml hold;
  const std::optional<std::string_view> inner = paragraph_inline(html_of(p, hold));
  if (!inner) return false;
  if (n == 0) {
    const std::string_view first_line = std::string_view(md).substr(0, md.find('\n'));
    if (first_line.find_first_not_of("- ") == std::string_view::npos) return false;
    out += *inner;
    return true;
  }
  if (n >= 1000000000) return false;  // cmark reads at most 9 digits as a list number
  if (p.number.empty() || !std::all_of(p.number.begin(), p.number.end(), [](char c) {
        return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
      })) {
    return false;
  }
  const std::string& attr = attribution_of.of(p.source);
  const std::string* attr_inner = nullptr;
  if (!attr.empty()) {
    const bool plain_breakout = std::all_of(p.source.breakout.begin(), p.source.breakout.end(), [](char c) {
      return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == ' ' || c == '-' ||
             c == '.' || static_cast<unsigned char>(c) >= 0x80;
    });
    if (!plain_breakout || bare_list_marker(std::string_view(md).substr(md.rfind('\n') + 1))) return false;
    auto found = attribution_html.find(attr);
    if (found == attribution_html.end()) {
      const SharedHtml attr_html = render_markdown_shared(attr);
      const std::optional<std::string_view> inline_html = paragraph_inline(*attr_html);
      found = attribution_html.emplace(attr, inline_html ? std::optional<std::string>(*inline_html) : std::nullopt).first;
    }
    if (!found->second) return false;
    attr_inner = &*found->second;
  }
  out += "<strong>";
  out += p.number;
  out += "</strong> ";
  out += *inner;
  if (attr_inner != nullptr) {
    out += ' ';
    out += *attr_inner;
  }
  return true;
}

// Appends the HTML of a section heading `heading` (when `paragraph` is null)
// or of a paragraph piece and returns true, or returns false when it might
// render differently in the document.
bool append_block_html(std::string& out, const std::string& heading, const Paragraph* paragraph, bool& after_list) {
  const std::string& md = paragraph != nullptr ? paragraph->markdown : heading;
  SharedHtml hold;
  if (paragraph != nullptr && plain_paragraphs(md)) {
    // Paragraphs only (see plain_paragraphs): no list to merge with, closed.
    out += html_of(*paragraph, hold);
    after_list = false;
    return true;
  }
  if (paragraph != nullptr &&
      (starts_indented(md) || md.find("]:") != std::string::npos || md.rfind("\xEF\xBB\xBF", 0) == 0)) {
    return false;
  }
  const std::string& html = paragraph != nullptr ? html_of(*paragraph, hold) : *(hold = render_markdown_shared(md));
  if (after_list && html_starts_list(html)) return false;
  // Paragraphs are closed (markdown_is_closed) when made here; a code or
  // HTML block, which could swallow what follows if not, is checked.
  if ((html.find("<pre") != std::string::npos || html.find("<!-- raw HTML omitted -->") != std::string::npos) &&
      !markdown_is_closed(md)) {
    return false;
  }
  after_list = html_ends_list(html);
  out += html;
  return true;
}

}  // namespace

std::optional<std::string> joined_html(const std::vector<Piece>& pieces, size_t markdown_bytes) {
  std::string out;
  out.reserve(markdown_bytes + markdown_bytes / 2);
  std::unordered_map<std::string, std::optional<std::string>> attribution_html;
  Attributions attribution_of;
  bool after_list = false;
  for (const Piece& piece : pieces) {
    switch (piece.kind) {
      case Piece::Kind::end_list:
        return std::nullopt;
      case Piece::Kind::heading:
        if (!append_block_html(out, piece.heading, nullptr, after_list)) return std::nullopt;
        continue;
      case Piece::Kind::paragraph:
        if (!append_block_html(out, piece.heading, piece.paragraph, after_list)) return std::nullopt;
        continue;
      case Piece::Kind::run:
        break;
    }
    if (after_list) return std::nullopt;
    const int start = piece.items.front().second;
    if (start == 0) {
      out += "<ul>\n";
    } else if (start == 1) {
      out += "<ol>\n";
    } else {
      out += "<ol start=\"" + std::to_string(start) + "\">\n";
    }
    for (const auto& [p, n] : piece.items) {
      if (p->markdown.find("]:") != std::string::npos) return std::nullopt;
      out += "<li>";
      if (!append_run_item_html(out, *p, n, attribution_of, attribution_html)) return std::nullopt;
      out += "</li>\n";
    }
    out += start == 0 ? "</ul>\n" : "</ol>\n";
    after_list = true;
  }
  return out;
}

}  // namespace rapporteur
