// Markdown (CommonMark) rendering and block splitting. cmark 0.30.2 stays
// behind this header, in src/domain/: markdown.cpp (safe rendering and the
// render cache), url_policy.cpp (allowed link destinations),
// markdown_blocks.cpp and source_lines.cpp (split_blocks), utf8_sanitize.cpp
// (input text), cmark_tree.cpp (cmark plumbing shared by them).
//
// Safety: rendering ALWAYS uses cmark's safe mode (CMARK_OPT_UNSAFE is never
// passed), so raw HTML blocks and inline HTML come out as the comment
// "<!-- raw HTML omitted -->". On top of that, the destination of every link
// and image is kept only when it has no scheme (relative paths, "#anchor",
// "//host/...") or the scheme is http, https, mailto or tel; anything else
// (javascript:, vbscript:, file:, data: of every media type, ...) is replaced
// by an empty destination. Browsers ignore tabs and newlines inside a scheme,
// so those are ignored when the scheme is read, too.
//
// Input text: invalid UTF-8 and NUL bytes become U+FFFD; a leading BOM is
// dropped. Nothing here throws on any input (std::bad_alloc aside).
//
// Cost: cmark 0.30.2's inline parser is quadratic in the size of ONE
// paragraph on some inputs (CVE-2023-22486, e.g. "![[]()" repeated; about
// 0.3 s for a 64 KiB paragraph). Block structure is linear. So callers cap
// texts (fragments at 64 KiB), and documents are rendered paragraph by
// paragraph, each from the HTML its paragraph carries or the render cache.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace rapporteur {

// Safe HTML for `md` (see above). Results are cached by the input text
// in a bounded LRU cache (at most kMarkdownCacheEntries entries and
// kMarkdownCacheBytes bytes of input plus HTML; larger items are rendered but
// not kept). A hit on an entry inserted or used within the last quarter of
// kMarkdownCacheEntries insertions and uses does not count as a use, so
// eviction order is LRU to within that quarter. Thread-safe: the cache is guarded by a mutex that is never held
// while cmark runs.
std::string render_markdown(std::string_view md);

// The same HTML as render_markdown, from the same cache, shared: a cache hit
// copies nothing. Never null; the string is never modified. Thread-safe.
using SharedHtml = std::shared_ptr<const std::string>;
SharedHtml render_markdown_shared(std::string_view md);

// A Markdown text with its HTML (what render_markdown gives for it), made
// once and shared: the render cache holds these, and so may the blocks of
// split_blocks and a draft's paragraphs, which then need no cache lookup.
// Never modified once made.
struct RenderedMarkdown {
  std::string markdown;
  std::string html;
};
using SharedRendering = std::shared_ptr<const RenderedMarkdown>;

// render_markdown_shared's rendering with its Markdown. Never null.
// Thread-safe.
SharedRendering rendering_of(std::string_view md);

// Enough for every paragraph of a 1,000-fragment draft (14,000 in the
// benchmark), so a draft's HTML is joined from cached paragraphs.
inline constexpr size_t kMarkdownCacheEntries = 65536;
inline constexpr size_t kMarkdownCacheBytes = 32u << 20;

struct MarkdownCacheStats {
  size_t entries = 0;
  size_t bytes = 0;
  uint64_t hits = 0;
  uint64_t misses = 0;
};

// A snapshot of the render cache counters. Thread-safe.
MarkdownCacheStats markdown_cache_stats();

// Empties the render cache and resets its counters (tests). Thread-safe.
void clear_markdown_cache();

// One top-level block of a Markdown text.
struct MarkdownBlock {
  // "paragraph", "heading", "code", "quote", "list", "html" or "rule".
  std::string kind;
  // Heading level 1..6 (kind "heading"), else 0.
  int level = 0;
  // Kind "heading": its plain text (inline markup removed, whitespace
  // collapsed). Empty for other kinds.
  std::string text;
  // The block's own Markdown, self-contained: it renders alone exactly as the
  // block did inside the whole text. It is the author's source text (leading
  // indentation removed, trailing blank lines trimmed) whenever that holds;
  // when it does not (a link that needs a reference definition found
  // elsewhere, odd tab indentation), it is cmark's CommonMark rendering of the
  // block instead. Indented code blocks become fenced ones, and a block left
// open at the end of the text (code fence, HTML comment...) is closed, so that
// the Markdown is closed (markdown_is_closed); an HTML block that cannot be
// closed is dropped. Empty for lists.
  std::string markdown;
  // The rendering of `markdown` when split_blocks had it at hand (taken from
  // the whole text's tree, or rendered while checking the block and then in
  // the render cache too), else null. Null for lists.
  SharedRendering rendered;
  // Kind "list": whether ordered, and each item's content as self-contained
  // Markdown (the list marker removed and the content dedented; nested lists,
  // code blocks and quotes inside an item stay in it), closed like `markdown`
  // (a code fence that the end of the item closed gets its closing fence).
  // An empty item gives "".
  bool ordered = false;
  std::vector<std::string> items;
  // The rendering of each item's content, as `rendered` (same size as items).
  std::vector<SharedRendering> rendered_items;
};

// The top-level blocks of `md`, in order, using cmark's syntax tree (never
// regular expressions). Link reference definitions produce no block (links
// that use them are resolved in the blocks' Markdown). A block carries its
// HTML (rendered, rendered_items) taken from the whole text's syntax tree when
// its source provably renders alone as in place (no reference definitions,
// plain layout), or when it was rendered while checking it (then it is in the
// render cache too). Thread-safe.
std::vector<MarkdownBlock> split_blocks(std::string_view md);

// True when `md` cannot swallow what follows it: a block of text placed after
// it, separated by a blank line, renders as a paragraph of its own. False for
// an unclosed code fence or an HTML block whose end marker ("-->", "?>",
// "</script>", ...) never comes. Thread-safe.
bool markdown_is_closed(std::string_view md);

// `s` as valid UTF-8: invalid sequences and NUL bytes become U+FFFD, a leading
// BOM is dropped. Thread-safe.
std::string sanitize_utf8(std::string_view s);

}  // namespace rapporteur
