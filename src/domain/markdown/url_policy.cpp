#include "domain/markdown/url_policy.h"

#include <string>

#include "domain/markdown/cmark_tree.h"

namespace rapporteur {
namespace {

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

}  // namespace

bool url_allowed(std::string_view url) {
  const std::string scheme = url_scheme(url);
  return scheme.empty() || scheme == "http" || scheme == "https" || scheme == "mailto" || scheme == "tel";
}

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

}  // namespace rapporteur
