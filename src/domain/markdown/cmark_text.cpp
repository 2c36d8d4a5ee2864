#include "domain/markdown/cmark_text.h"

#include <memory>

namespace rapporteur {
namespace {

struct IterFree {
  void operator()(cmark_iter* it) const { cmark_iter_free(it); }
};

}  // namespace

std::string inline_text(cmark_node* node) {
  std::string out;
  std::unique_ptr<cmark_iter, IterFree> it(cmark_iter_new(node));
  cmark_event_type ev;
  while ((ev = cmark_iter_next(it.get())) != CMARK_EVENT_DONE) {
    if (ev != CMARK_EVENT_ENTER) continue;
    cmark_node* n = cmark_iter_get_node(it.get());
    switch (cmark_node_get_type(n)) {
      case CMARK_NODE_TEXT:
      case CMARK_NODE_CODE:
        if (const char* lit = cmark_node_get_literal(n)) out += lit;
        break;
      case CMARK_NODE_SOFTBREAK:
      case CMARK_NODE_LINEBREAK:
        out += ' ';
        break;
      default:
        break;
    }
  }
  return out;
}

}  // namespace rapporteur
