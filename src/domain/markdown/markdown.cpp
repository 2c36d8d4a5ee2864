// Safe rendering of Markdown (rapporteur/markdown.h): cmark in safe mode, the
// URL policy, inert HTML, and the render cache.
#include "rapporteur/markdown.h"

#include <memory>
#include <string>
#include <utility>

#include "domain/markdown/cmark_tree.h"
#include "domain/markdown/html_cache.h"
#include "domain/markdown/url_policy.h"

namespace rapporteur {
namespace {

std::string render_uncached(std::string_view md) {
  const std::string clean = sanitize_utf8(md);
  NodePtr doc = parse(clean, 0);
  if (!doc) return {};
  neutralise_urls(doc.get(), clean);
  return node_html(doc.get(), cmark_get_default_mem_allocator());
}

}  // namespace

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

}  // namespace rapporteur
