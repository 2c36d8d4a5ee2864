// split_blocks (rapporteur/markdown.h): a text's top-level blocks, each as
// self-contained Markdown, taken from cmark's syntax tree.
#include "rapporteur/markdown.h"

#include <cmark.h>

#include <algorithm>
#include <memory>
#include <utility>

#include "domain/markdown/cmark_arena.h"
#include "domain/markdown/cmark_text.h"
#include "domain/markdown/cmark_tree.h"
#include "domain/markdown/source_lines.h"
#include "domain/markdown/url_policy.h"
#include "domain/markdown/utf8_sanitize.h"
#include "rapporteur/text.h"

namespace rapporteur {
namespace {

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

}  // namespace

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
