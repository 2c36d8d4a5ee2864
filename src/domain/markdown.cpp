#include "rapporteur/markdown.h"

#include <cmark.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <utility>

#include "cmark_arena.h"
#include "domain/cmark_text.h"
#include "domain/inert_html.h"
#include "html_cache.h"
#include "rapporteur/text.h"

namespace rapporteur {
namespace {

// CMARK_OPT_SAFE is the default (and a no-op) since cmark 0.29; it is spelled
// out so that nobody "adds" CMARK_OPT_UNSAFE next to it by accident.
constexpr int kRenderOptions = CMARK_OPT_SAFE | CMARK_OPT_VALIDATE_UTF8;

struct NodeFree {
  void operator()(cmark_node* n) const { cmark_node_free(n); }
};
using NodePtr = std::unique_ptr<cmark_node, NodeFree>;

struct IterFree {
  void operator()(cmark_iter* it) const { cmark_iter_free(it); }
};
using IterPtr = std::unique_ptr<cmark_iter, IterFree>;

// Takes ownership of a buffer returned by a cmark renderer for a tree whose
// allocator is `mem`.
std::string take_cmark_string(char* buf, cmark_mem* mem) {
  if (buf == nullptr) return {};
  std::string out(buf);
  mem->free(buf);
  return out;
}

NodePtr parse(std::string_view md, int extra_options) {
  return NodePtr(cmark_parse_document(md.data(), md.size(), kRenderOptions | extra_options));
}

// `md` parsed into the current arena; the tree is never freed on its own.
cmark_node* parse_in_arena(std::string_view md, int extra_options) {
  cmark_parser* parser = cmark_parser_new_with_mem(kRenderOptions | extra_options, cmark_arena::mem());
  cmark_parser_feed(parser, md.data(), md.size());
  cmark_node* doc = cmark_parser_finish(parser);
  cmark_parser_free(parser);
  return doc;
}

// Scheme of a URL as a browser would read it (ASCII tabs and newlines
// ignored), lower-cased; empty when the URL has no scheme.
std::string url_scheme(std::string_view url) {
  std::string scheme;
  size_t i = 0;
  while (i < url.size() && static_cast<unsigned char>(url[i]) <= 0x20) ++i;
  for (; i < url.size(); ++i) {
    const char c = url[i];
    if (c == '\t' || c == '\n' || c == '\r') continue;
    if (c == ':') return scheme;
    const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    const bool other = (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.';
    if (!(alpha || (other && !scheme.empty()))) return {};
    scheme += static_cast<char>(alpha ? (c | 0x20) : c);
  }
  return {};
}

bool url_allowed(std::string_view url) {
  const std::string scheme = url_scheme(url);
  return scheme.empty() || scheme == "http" || scheme == "https" || scheme == "mailto" || scheme == "tel";
}

// Empties every link and image destination whose scheme is not allowed.
// `text` is the parsed text: a link or image needs a "[" or "<" in it, and a
// destination with a scheme a ":" (possibly written as an entity, "&..."), so
// without either the tree is not walked.
void neutralise_urls(cmark_node* root, std::string_view text) {
  // Single-character finds (memchr): find_first_of would test every byte
  // against the set one by one.
  const auto has = [text](char c) { return text.find(c) != std::string_view::npos; };
  const bool may_link = has('[') || has('<');
  const bool may_scheme = has(':') || has('&');
  if (!may_link || !may_scheme) return;
  IterPtr it(cmark_iter_new(root));
  cmark_event_type ev;
  while ((ev = cmark_iter_next(it.get())) != CMARK_EVENT_DONE) {
    if (ev != CMARK_EVENT_ENTER) continue;
    cmark_node* node = cmark_iter_get_node(it.get());
    const cmark_node_type type = cmark_node_get_type(node);
    if (type != CMARK_NODE_LINK && type != CMARK_NODE_IMAGE) continue;
    const char* url = cmark_node_get_url(node);
    if (url != nullptr && !url_allowed(url)) cmark_node_set_url(node, "");
  }
}

// HTML of a node of a tree with allocator `mem` (that of the tree's parse).
// Made inert (inert_html.h): no image, no live link to a join page.
std::string node_html(cmark_node* node, cmark_mem* mem) {
  return inert_html(take_cmark_string(cmark_render_html(node, kRenderOptions), mem));
}

// HTML of a node of split_blocks' tree (in the arena).
std::string block_html(cmark_node* node) { return node_html(node, cmark_arena::mem()); }

std::string render_uncached(std::string_view md) {
  const std::string clean = sanitize_utf8(md);
  NodePtr doc = parse(clean, 0);
  if (!doc) return {};
  neutralise_urls(doc.get(), clean);
  return node_html(doc.get(), cmark_get_default_mem_allocator());
}

// ---- block splitting -------------------------------------------------------

// The lines of a text as cmark numbers them (\n, \r\n and \r end a line).
class Lines {
 public:
  explicit Lines(std::string_view text) {
    lines_.reserve(text.size() / 32 + 1);
    if (text.find('\r') == std::string_view::npos) {
      // The usual case: "\n" alone ends lines, found with memchr.
      size_t start = 0;
      for (size_t end; (end = text.find('\n', start)) != std::string_view::npos; start = end + 1) {
        lines_.push_back(text.substr(start, end - start));
      }
      lines_.push_back(text.substr(start));
      return;
    }
    size_t start = 0;
    for (size_t i = 0; i < text.size(); ++i) {
      if (text[i] == '\n' || text[i] == '\r') {
        lines_.push_back(text.substr(start, i - start));
        if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
        start = i + 1;
      }
    }
    lines_.push_back(text.substr(start));
  }
  // 1-based; out-of-range lines are empty.
  std::string_view line(int n) const {
    if (n < 1 || static_cast<size_t>(n) > lines_.size()) return {};
    return lines_[static_cast<size_t>(n) - 1];
  }

 private:
  std::vector<std::string_view> lines_;
};

// Visual width of `prefix` (tabs stop every 4 columns, as in CommonMark).
int visual_width(std::string_view prefix) {
  int col = 0;
  for (char c : prefix) col = (c == '\t') ? (col / 4 + 1) * 4 : col + 1;
  return col;
}

// Appends `line` without up to `width` columns of leading blanks; a tab that
// straddles the limit leaves its remaining columns as spaces.
void append_dedented(std::string& out, std::string_view line, int width) {
  int col = 0;
  size_t i = 0;
  while (i < line.size() && col < width) {
    if (line[i] == ' ') {
      ++col;
    } else if (line[i] == '\t') {
      const int next = (col / 4 + 1) * 4;
      if (next > width) {
        out.append(static_cast<size_t>(next - width), ' ');
        out += line.substr(i + 1);
        return;
      }
      col = next;
    } else {
      break;
    }
    ++i;
  }
  out += line.substr(i);
}

bool blank(std::string_view line) {
  return std::all_of(line.begin(), line.end(), [](char c) { return c == ' ' || c == '\t'; });
}

// Lines first..last; the first starts at byte column `first_col` (1-based),
// the others lose `indent` columns of leading blanks. Trailing blank lines and
// trailing blanks are trimmed.
std::string slice(const Lines& lines, int first, int first_col, int last, int indent) {
  std::string text;
  size_t keep = 0;  // the end of the last line that is not blank
  for (int n = first; n <= last; ++n) {
    std::string_view l = lines.line(n);
    if (n != first) text += '\n';
    const size_t start = text.size();
    if (n == first) {
      const size_t skip = std::min(l.size(), static_cast<size_t>(std::max(first_col - 1, 0)));
      text += l.substr(skip);
    } else {
      append_dedented(text, l, indent);
    }
    if (!blank(std::string_view(text).substr(start))) keep = text.size();
  }
  text.resize(keep);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.pop_back();
  return text;
}

std::string commonmark_of(cmark_node* node) {
  std::string md = take_cmark_string(cmark_render_commonmark(node, CMARK_OPT_DEFAULT, 0), cmark_arena::mem());
  return std::string(trim(md));
}

// Plain text of an inline container (inline_text), whitespace collapsed.
std::string plain_text(cmark_node* node) {
  const std::string raw = inline_text(node);
  std::string out;
  bool space = false;
  for (char c : raw) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

// A code block as a closed fenced one: its info string kept, a fence longer
// than any run of the fence character in the code.
std::string fenced_code(cmark_node* node) {
  const char* lit = cmark_node_get_literal(node);
  const char* info_c = cmark_node_get_fence_info(node);
  std::string code = lit ? lit : "";
  const std::string info = info_c ? info_c : "";
  const char fence_char = info.find('`') == std::string::npos ? '`' : '~';
  size_t longest = 0, run = 0;
  for (char c : code) {
    run = (c == fence_char) ? run + 1 : 0;
    longest = std::max(longest, run);
  }
  const std::string fence(std::max<size_t>(3, longest + 1), fence_char);
  if (!code.empty() && code.back() != '\n') code += '\n';
  return fence + info + "\n" + code + fence;
}

bool starts_fence(std::string_view md) {
  const std::string_view t = trim(md);
  return t.substr(0, 3) == "```" || t.substr(0, 3) == "~~~";
}

bool starts_with_nocase(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    if ((s[i] | 0x20) != prefix[i]) return false;
  }
  return true;
}

// An HTML block left open at the end of a text, with its end marker added
// (CommonMark HTML block kinds 1 to 5); empty when it cannot be closed.
std::string close_html_block(const std::string& md) {
  const std::string_view t = trim(md);
  std::string end;
  if (t.substr(0, 4) == "<!--") {
    end = "-->";
  } else if (t.substr(0, 2) == "<?") {
    end = "?>";
  } else if (t.substr(0, 9) == "<![CDATA[") {
    end = "]]>";
  } else if (t.substr(0, 2) == "<!") {
    end = ">";
  } else {
    for (const char* tag : {"script", "pre", "style", "textarea"}) {
      if (t.size() > 1 && starts_with_nocase(t.substr(1), tag)) end = std::string("</") + tag + ">";
    }
  }
  if (end.empty()) return {};
  std::string closed = md + "\n" + end;
  return markdown_is_closed(closed) ? closed : std::string();
}

// Whether `md`, a slice of the text, renders alone exactly as its block(s)
// did in place without parsing it again. Link references (any "]:" in the
// text, which every definition contains) and a leading BOM (render_markdown
// drops it) rule that out; the callers check the layout.
bool plain_slice(std::string_view md, bool text_has_definitions) {
  return !text_has_definitions && md.substr(0, 3) != "\xEF\xBB\xBF";
}

// A line that ends a paragraph as a setext underline: up to 3 spaces, a run of
// "=" or of "-", then only blanks.
bool setext_underline(std::string_view line) {
  size_t i = 0;
  while (i < line.size() && i < 3 && line[i] == ' ') ++i;
  if (i == line.size() || (line[i] != '=' && line[i] != '-')) return false;
  const char c = line[i];
  while (i < line.size() && line[i] == c) ++i;
  return blank(line.substr(i));
}

// `md` with `html` as its rendering. Not put in the render cache: the block
// carries it (and so does a paragraph made from it), and a cache entry for
// every block of every merge cost a tenth of the merge.
SharedRendering keep_rendering(const std::string& md, std::string html) {
  return std::make_shared<const RenderedMarkdown>(RenderedMarkdown{md, std::move(html)});
}

// The source text of a top-level block, or its CommonMark rendering when the
// source does not render alone as the block did in the whole text.
// `rendered`: its rendering, when at hand.
std::string block_markdown(cmark_node* node, const Lines& lines, bool text_has_definitions,
                           SharedRendering& rendered) {
  const int first = cmark_node_get_start_line(node);
  const int col = std::max(cmark_node_get_start_column(node), 1);
  const std::string_view first_line = lines.line(first);
  const int indent = visual_width(first_line.substr(0, std::min(first_line.size(), static_cast<size_t>(col - 1))));
  const std::string md = slice(lines, first, col, cmark_node_get_end_line(node), indent);
  const cmark_node_type type = cmark_node_get_type(node);
  // A paragraph, ATX heading or rule that starts a line at the top level is
  // its lines verbatim: parsed alone they give the same block (the parser
  // state before its first line is the same, nothing inside it depends on
  // what follows), so its HTML is the block's own, and a leaf block other than
  // code or HTML is always closed. No need to parse it again. (Not a setext
  // heading: cmark ends its source position on the line after the underline.
  // A heading on one line is an ATX one.)
  const bool leaf = type == CMARK_NODE_PARAGRAPH || type == CMARK_NODE_THEMATIC_BREAK ||
                    (type == CMARK_NODE_HEADING && md.find('\n') == std::string::npos);
  if (col == 1 && leaf && plain_slice(md, text_has_definitions)) {
    rendered = keep_rendering(md, block_html(node));
    return md;
  }
  if (type == CMARK_NODE_CODE_BLOCK) {
    if (!starts_fence(md) || !markdown_is_closed(md)) return fenced_code(node);
  }
  if (type == CMARK_NODE_HTML_BLOCK && !markdown_is_closed(md)) return close_html_block(md);
  SharedRendering alone = rendering_of(md);
  if (alone->html == block_html(node)) {
    rendered = std::move(alone);
    return md;
  }
  return commonmark_of(node);
}

// A code or HTML block as a closed block ("" for an HTML block that cannot be
// closed); any other block as cmark's CommonMark rendering.
std::string closed_block(cmark_node* node) {
  switch (cmark_node_get_type(node)) {
    case CMARK_NODE_CODE_BLOCK:
      return fenced_code(node);
    case CMARK_NODE_HTML_BLOCK: {
      const std::string md = commonmark_of(node);
      return markdown_is_closed(md) ? md : close_html_block(md);
    }
    default:
      return commonmark_of(node);
  }
}

// The content of a list item without its marker, dedented.
// Whether the lines of a list item whose blocks are all paragraphs, with its
// content starting at column `indent`, parse alone (dedented) as they did in
// place. A line indented by `indent` or more lost exactly what the item's
// container consumed in place. A shorter one was a lazy continuation line:
// in place it started no block at the list's level, and alone it starts none
// either unless it reads as a setext underline ("==" is paragraph text when
// lazy). A lazy line keeps its leading blanks in place (they show after a
// hard line break) while dedenting drops them: only unindented ones qualify.
// Tabs would need column arithmetic: they are left to the full check.
bool plain_item_lines(const Lines& lines, int first, int last, int indent) {
  for (int n = first; n <= last; ++n) {
    const std::string_view l = lines.line(n);
    if (l.find('\t') != std::string_view::npos) return false;
    if (n == first || blank(l)) continue;
    const size_t k = l.find_first_not_of(' ');
    if (k >= static_cast<size_t>(indent)) continue;
    if (k != 0 || setext_underline(l)) return false;
  }
  return true;
}

std::string item_markdown(cmark_node* item, const Lines& lines, bool text_has_definitions,
                          SharedRendering& rendered) {
  cmark_node* child = cmark_node_first_child(item);
  if (child == nullptr) return {};
  const int first = cmark_node_get_start_line(child);
  const int col = std::max(cmark_node_get_start_column(child), 1);
  const int last = cmark_node_get_end_line(item);
  const std::string_view first_line = lines.line(first);
  const int indent = visual_width(first_line.substr(0, std::min(first_line.size(), static_cast<size_t>(col - 1))));
  std::string md = slice(lines, first, col, last, indent);

  // Rendered inside a loose list, the item's blocks are what a standalone
  // rendering of its content gives.
  cmark_node* list = cmark_node_parent(item);
  const int tight = cmark_node_get_list_tight(list);
  cmark_node_set_list_tight(list, 0);
  std::string expected;
  bool paragraphs_only = true;
  for (cmark_node* c = child; c != nullptr; c = cmark_node_next(c)) {
    if (expected.empty()) {
      expected = block_html(c);  // one block, the usual case: no copy
    } else {
      expected += block_html(c);
    }
    paragraphs_only = paragraphs_only && cmark_node_get_type(c) == CMARK_NODE_PARAGRAPH;
  }
  cmark_node_set_list_tight(list, tight);
  // Paragraphs whose lines parse alone as in place render alone as in place
  // (no reference definitions), and paragraphs are closed.
  // The content must start on the marker's line: otherwise its column need
  // not be the one the item consumes from the following lines.
  if (paragraphs_only && first == cmark_node_get_start_line(item) && plain_slice(md, text_has_definitions) &&
      plain_item_lines(lines, first, last, indent)) {
    rendered = keep_rendering(md, std::move(expected));
    return md;
  }
  SharedRendering alone = rendering_of(md);
  const bool faithful = alone->html == expected;

  if (!faithful) {
    std::string fallback;
    for (cmark_node* c = child; c != nullptr; c = cmark_node_next(c)) {
      const std::string block = closed_block(c);
      if (block.empty()) continue;
      if (!fallback.empty()) fallback += "\n\n";
      fallback += block;
    }
    return fallback;
  }
  if (markdown_is_closed(md)) {
    rendered = std::move(alone);
  } else {
    // Inside the item, the end of the item closed it; alone, it would swallow
    // whatever follows. Only the last block can be open: it runs to the end.
    cmark_node* open = cmark_node_last_child(item);
    md = open == child ? std::string() : slice(lines, first, col, cmark_node_get_start_line(open) - 1, indent);
    const std::string tail = closed_block(open);
    if (!md.empty() && !tail.empty()) md += "\n\n";
    md += tail;
  }
  return md;
}

const char* block_kind(cmark_node_type type) {
  switch (type) {
    case CMARK_NODE_HEADING: return "heading";
    case CMARK_NODE_CODE_BLOCK: return "code";
    case CMARK_NODE_BLOCK_QUOTE: return "quote";
    case CMARK_NODE_LIST: return "list";
    case CMARK_NODE_HTML_BLOCK: return "html";
    case CMARK_NODE_THEMATIC_BREAK: return "rule";
    default: return "paragraph";
  }
}

// Whether sanitize_utf8 leaves `s` as it is.
bool already_sanitized(std::string_view s) {
  return s.substr(0, 3) != "\xEF\xBB\xBF" && s.find('\0') == std::string_view::npos && valid_utf8(s);
}

}  // namespace

std::string sanitize_utf8(std::string_view s) {
  // The usual case, valid text: a plain copy (what the loop below would build).
  if (already_sanitized(s)) return std::string(s);
  if (s.substr(0, 3) == "\xEF\xBB\xBF") s.remove_prefix(3);
  std::string out;
  out.reserve(s.size());
  static constexpr std::string_view kReplacement = "\xEF\xBF\xBD";
  size_t i = 0;
  while (i < s.size()) {
    const DecodedChar c = decode_utf8(s, i);
    if (c.code_point == 0 || c.code_point == kInvalidCodePoint) {
      out += kReplacement;  // one per byte of an invalid sequence
    } else {
      out += s.substr(i, c.length);
    }
    i += c.length;
  }
  return out;
}

bool markdown_is_closed(std::string_view md) {
  static constexpr std::string_view kSentinel = "rapporteur-closing-sentinel";
  std::string probe(md);
  probe += "\n\n";
  probe += kSentinel;
  return render_uncached(probe) == render_markdown(md) + "<p>" + std::string(kSentinel) + "</p>\n";
}

SharedRendering rendering_of(std::string_view md) {
  if (SharedRendering r = html_cache().get(md)) return r;
  auto r = std::make_shared<const RenderedMarkdown>(RenderedMarkdown{std::string(md), render_uncached(md)});
  html_cache().put(r);
  return r;
}

SharedHtml render_markdown_shared(std::string_view md) {
  SharedRendering r = rendering_of(md);
  const std::string* html = &r->html;
  return SharedHtml(std::move(r), html);  // shares ownership of the rendering
}

std::string render_markdown(std::string_view md) { return *render_markdown_shared(md); }

MarkdownCacheStats markdown_cache_stats() { return html_cache().stats(); }

void clear_markdown_cache() { html_cache().clear(); }

std::vector<MarkdownBlock> split_blocks(std::string_view md) {
  // Valid text (the usual case) is parsed where it is, without a copy.
  std::string sanitized;
  std::string_view clean = md;
  if (!already_sanitized(md)) {
    sanitized = sanitize_utf8(md);
    clean = sanitized;
  }
  std::vector<MarkdownBlock> blocks;
  // The tree and everything made from it live in the arena (cmark_arena.h).
  cmark_arena::Arena arena(clean.size() * 16);
  const cmark_arena::ArenaScope scope(arena);
  cmark_node* const root = parse_in_arena(clean, CMARK_OPT_SOURCEPOS);
  if (root == nullptr) return blocks;
  neutralise_urls(root, clean);
  const Lines lines(clean);
  // Every link reference definition contains "]:"; without one, no block's
  // rendering depends on another block.
  const bool has_definitions = clean.find("]:") != std::string::npos;
  for (cmark_node* node = cmark_node_first_child(root); node != nullptr; node = cmark_node_next(node)) {
    MarkdownBlock block;
    const cmark_node_type type = cmark_node_get_type(node);
    block.kind = block_kind(type);
    if (type == CMARK_NODE_LIST) {
      block.ordered = cmark_node_get_list_type(node) == CMARK_ORDERED_LIST;
      for (cmark_node* item = cmark_node_first_child(node); item != nullptr; item = cmark_node_next(item)) {
        SharedRendering rendered;
        block.items.push_back(item_markdown(item, lines, has_definitions, rendered));
        block.rendered_items.push_back(std::move(rendered));
      }
    } else {
      if (type == CMARK_NODE_HEADING) {
        block.level = cmark_node_get_heading_level(node);
        block.text = plain_text(node);
      }
      block.markdown = block_markdown(node, lines, has_definitions, block.rendered);
      if (block.markdown.empty()) continue;  // an HTML block that could not be closed
    }
    blocks.push_back(std::move(block));
  }
  return blocks;
}

}  // namespace rapporteur
