#include "domain/markdown/cmark_tree.h"

#include "domain/markdown/cmark_arena.h"
#include "domain/markdown/inert_html.h"

namespace rapporteur {

std::string take_cmark_string(char* buf, cmark_mem* mem) {
  if (buf == nullptr) return {};
  std::string out(buf);
  mem->free(buf);
  return out;
}

NodePtr parse(std::string_view md, int extra_options) {
  return NodePtr(cmark_parse_document(md.data(), md.size(), kRenderOptions | extra_options));
}

cmark_node* parse_in_arena(std::string_view md, int extra_options) {
  cmark_parser* parser = cmark_parser_new_with_mem(kRenderOptions | extra_options, cmark_arena::mem());
  cmark_parser_feed(parser, md.data(), md.size());
  cmark_node* doc = cmark_parser_finish(parser);
  cmark_parser_free(parser);
  return doc;
}

std::string node_html(cmark_node* node, cmark_mem* mem) {
  return inert_html(take_cmark_string(cmark_render_html(node, kRenderOptions), mem));
}

std::string block_html(cmark_node* node) { return node_html(node, cmark_arena::mem()); }

}  // namespace rapporteur
