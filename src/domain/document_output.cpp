// The document's Markdown (document_markdown) and HTML (document_html,
// paragraph_html); the format is described in rapporteur/draft_merge.h.
#include <algorithm>
#include <cstdint>
#include <cstring>
#include <optional>
#include <unordered_map>

#include "draft_text.h"
#include "rapporteur/draft_merge.h"
#include "rapporteur/markdown.h"
#include "rapporteur/text.h"

namespace rapporteur {
namespace {

using draft_text::collapse_whitespace;
using draft_text::ends_with;
using draft_text::escape_inline;
using draft_text::kConclusions;
using draft_text::kPreamble;
using draft_text::kRecommendations;

// The HTML `p` carries, when it is of its Markdown as it is now, else null.
const std::string* carried_html(const Paragraph& p) {
  return p.rendered != nullptr && p.rendered->markdown == p.markdown ? &p.rendered->html : nullptr;
}

// The HTML of `p`'s Markdown: the one it carries, else the render cache's
// (held in `hold`).
const std::string& html_of(const Paragraph& p, SharedHtml& hold) {
  if (const std::string* html = carried_html(p)) return *html;
  hold = render_markdown_shared(p.markdown);
  return *hold;
}

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

std::string attribution(const Source& src) {
  const std::string breakout = escape_inline(src.breakout);
  if (src.kind == "amendment") {
    const std::string n = std::to_string(src.amendment);
    return breakout.empty() ? "*(Amendment " + n + ")*" : "*(Breakout: " + breakout + "; amendment " + n + ")*";
  }
  return breakout.empty() ? std::string() : "*(Breakout: " + breakout + ")*";
}

// attribution(), remembered for the last source asked: the items of a run
// mostly come from one fragment after another.
class Attributions {
 public:
  const std::string& of(const Source& src) {
    if (!known_ || src.kind != kind_ || src.breakout != breakout_ || src.amendment != amendment_) {
      known_ = true;
      kind_ = src.kind;
      breakout_ = src.breakout;
      amendment_ = src.amendment;
      attr_ = attribution(src);
    }
    return attr_;
  }

 private:
  bool known_ = false;
  std::string kind_, breakout_;
  int64_t amendment_ = 0;
  std::string attr_;
};

// The R number's digits, or 0.
int number_value(const std::string& number) {
  if (number.size() < 2 || number[0] != 'R' || number.size() > 10) return 0;
  int n = 0;
  for (size_t i = 1; i < number.size(); ++i) {
    if (number[i] < '0' || number[i] > '9') return 0;
    n = n * 10 + (number[i] - '0');
  }
  return n;
}

// Whether `s` holds a control character other than "\n" (below 0x20, or
// 0x7F). Eight bytes at a time: a word with no byte below 0x20 and none equal
// to 0x7F is skipped whole; the others (lines end in one) byte by byte.
bool has_control(std::string_view s) {
  constexpr uint64_t kOnes = 0x0101010101010101ull, kHigh = 0x8080808080808080ull;
  size_t i = 0;
  for (; i + 8 <= s.size(); i += 8) {
    uint64_t w;
    std::memcpy(&w, s.data() + i, sizeof w);
    const uint64_t below = (w - kOnes * 0x20) & ~w & kHigh;  // a byte < 0x20 (exact for ASCII bytes)
    const uint64_t x = w ^ (kOnes * 0x7F);
    const uint64_t del = (x - kOnes) & ~x & kHigh;  // a byte == 0x7F
    if ((below | del) == 0) continue;
    for (size_t k = i; k < i + 8; ++k) {
      const auto c = static_cast<unsigned char>(s[k]);
      if ((c < 0x20 && c != '\n') || c == 0x7F) return true;
    }
  }
  for (; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if ((c < 0x20 && c != '\n') || c == 0x7F) return true;
  }
  return false;
}

// Whether `md` is one or more paragraphs and nothing else, as its lines
// show without parsing: each line is empty or starts with an ASCII letter or
// a non-ASCII character (not a BOM), which can only start or continue a
// paragraph; no control characters (tabs, CR) that change the columns, and
// no "]:" (a link reference definition). Its rendering then starts with
// "<p>" and ends with "</p>\n", holds no list, code or HTML block, and it is
// closed (markdown_is_closed).
bool plain_paragraphs(std::string_view md) {
  if (md.empty() || md.find("]:") != std::string_view::npos) return false;
  if (has_control(md)) return false;
  // The first character of every line that is not empty.
  for (size_t start = 0; start < md.size();) {
    const auto c = static_cast<unsigned char>(md[start]);
    if (c != '\n') {
      const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
      if (!letter && (c < 0x80 || md.substr(start, 3) == "\xEF\xBB\xBF")) return false;
    }
    const size_t end = md.find('\n', start);
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return true;
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

bool starts_indented(std::string_view md) { return !md.empty() && (md[0] == ' ' || md[0] == '\t'); }

std::string section_title(const std::string& section) {
  if (section == kConclusions) return "Conclusions";
  if (section == kRecommendations) return "Recommendations";
  return section;
}

// One block of the document's Markdown; document_markdown joins them with
// blank lines. Only section headings are held as text: the other pieces
// point at their paragraphs, so document_html need not build their Markdown.
struct Piece {
  enum class Kind { heading, paragraph, end_list, run };
  Kind kind = Kind::paragraph;
  std::string heading;                   // Kind::heading: "## <title>"
  const Paragraph* paragraph = nullptr;  // Kind::paragraph
  // Kind::run, a run of list items: each item's paragraph and number (0 for
  // "- " items).
  std::vector<std::pair<const Paragraph*, int>> items;
};

std::vector<Piece> layout(const Document& doc) {
  std::vector<Piece> pieces;
  const std::string* section = nullptr;
  enum class Run { none, bullet, numbered };
  Run run = Run::none;
  Piece items;
  items.kind = Piece::Kind::run;
  auto flush_run = [&] {
    if (items.items.empty()) return;
    pieces.push_back(std::move(items));
    items = Piece{};
    items.kind = Piece::Kind::run;
  };
  auto add = [&](Piece::Kind kind, std::string heading, const Paragraph* p) {
    Piece piece;
    piece.kind = kind;
    piece.heading = std::move(heading);
    piece.paragraph = p;
    pieces.push_back(std::move(piece));
  };

  int count = 0;
  for (const Paragraph& p : doc.paragraphs) {
    if (section == nullptr || *section != p.section) {
      flush_run();
      run = Run::none;
      section = &p.section;
      if (p.section != kPreamble) add(Piece::Kind::heading, "## " + escape_inline(section_title(p.section)), nullptr);
    }
    Run kind = Run::none;
    if (!p.number.empty()) {
      kind = Run::numbered;
    } else if (p.kind == "list_item") {
      kind = Run::bullet;
    }
    if (kind != run) {
      const bool after_list = run != Run::none;
      flush_run();
      // Like cmark's own CommonMark writer: an indented block right after a
      // list would otherwise continue its last item.
      if (after_list && kind == Run::none && starts_indented(p.markdown)) add(Piece::Kind::end_list, {}, nullptr);
      run = kind;
    }
    if (kind == Run::numbered) {
      ++count;
      const int value = number_value(p.number);
      items.items.emplace_back(&p, value > 0 ? value : count);
    } else if (kind == Run::bullet) {
      items.items.emplace_back(&p, 0);
    } else if (!p.markdown.empty()) {
      add(Piece::Kind::paragraph, {}, &p);
    }
  }
  flush_run();
  return pieces;
}

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

// document_html without a full render, or nullopt when a piece might render
// differently inside the document than alone: a link reference definition
// anywhere (it applies to every block), an indented piece (it could continue
// the block before), a list right after a list (they could merge), a run
// whose items are not single paragraphs.
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

size_t markdown_bytes(const Document& doc) {
  size_t n = 0;
  for (const Paragraph& p : doc.paragraphs) n += p.markdown.size() + 32;
  return n;
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
