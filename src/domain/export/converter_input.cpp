#include "domain/export/converter_input.h"

#include <cmark.h>

#include <cstdlib>
#include <initializer_list>
#include <memory>
#include <vector>

#include "domain/markdown/cmark_text.h"

namespace rapporteur {
namespace {

struct NodeFree {
  void operator()(cmark_node* n) const { cmark_node_free(n); }
};
struct IterFree {
  void operator()(cmark_iter* it) const { cmark_iter_free(it); }
};

}  // namespace

// Every node of `type` under `root` that has no ancestor of the same type
// (an image inside another's description goes with the outer one).
std::vector<cmark_node*> outermost(cmark_node* root, std::initializer_list<cmark_node_type> types) {
  std::vector<cmark_node*> found;
  std::unique_ptr<cmark_iter, IterFree> it(cmark_iter_new(root));
  cmark_event_type ev;
  int depth = 0;  // how many matching nodes enclose the current one
  while ((ev = cmark_iter_next(it.get())) != CMARK_EVENT_DONE) {
    cmark_node* n = cmark_iter_get_node(it.get());
    bool match = false;
    for (cmark_node_type t : types) match = match || cmark_node_get_type(n) == t;
    if (!match) continue;
    // Leaf nodes (raw HTML) have an ENTER event only.
    const bool leaf = cmark_node_first_child(n) == nullptr && cmark_node_get_type(n) != CMARK_NODE_IMAGE;
    if (ev == CMARK_EVENT_ENTER) {
      if (depth == 0) found.push_back(n);
      if (!leaf) ++depth;
    } else if (ev == CMARK_EVENT_EXIT) {
      --depth;
    }
  }
  return found;
}

std::string markdown_without_images(std::string_view markdown) {
  // CMARK_OPT_DEFAULT: the parse keeps raw HTML as nodes, dropped below.
  std::unique_ptr<cmark_node, NodeFree> doc(cmark_parse_document(markdown.data(), markdown.size(), CMARK_OPT_DEFAULT));
  for (cmark_node* image : outermost(doc.get(), {CMARK_NODE_IMAGE})) {
    cmark_node* text = cmark_node_new(CMARK_NODE_TEXT);
    cmark_node_set_literal(text, inline_text(image).c_str());
    cmark_node_insert_before(image, text);
    cmark_node_unlink(image);
    cmark_node_free(image);
  }
  // Collected after the images went: some raw HTML was inside their descriptions.
  for (cmark_node* html : outermost(doc.get(), {CMARK_NODE_HTML_INLINE, CMARK_NODE_HTML_BLOCK})) {
    cmark_node_unlink(html);
    cmark_node_free(html);
  }
  // The writer escapes every plain `!`, `[` and `]` it prints.
  char* out = cmark_render_commonmark(doc.get(), CMARK_OPT_DEFAULT, 0);
  std::string result = out != nullptr ? out : "";
  std::free(out);
  return result;
}

ExportDocument converter_input(const ExportDocument& doc) {
  ExportDocument out = doc;
  out.markdown = markdown_without_images(doc.markdown);
  for (Paragraph& p : out.paragraphs) {
    p.markdown = markdown_without_images(p.markdown);
    p.rendered = nullptr;  // its HTML was of the text with images
  }
  for (ExportAmendment& a : out.amendments) {
    a.original = markdown_without_images(a.original);
    a.text = markdown_without_images(a.text);
  }
  return out;
}

}  // namespace rapporteur
