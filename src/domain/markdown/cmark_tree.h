// cmark plumbing shared by the Markdown renderer (markdown.cpp) and the block
// splitter (markdown_blocks.cpp): ownership of cmark's trees and strings,
// parsing with the project's options, and a node's safe HTML. Not part of the
// public contract.
#pragma once

#include <cmark.h>

#include <memory>
#include <string>
#include <string_view>

namespace rapporteur {

// CMARK_OPT_SAFE is the default (and a no-op) since cmark 0.29; it is spelled
// out so that nobody "adds" CMARK_OPT_UNSAFE next to it by accident.
inline constexpr int kRenderOptions = CMARK_OPT_SAFE | CMARK_OPT_VALIDATE_UTF8;

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
std::string take_cmark_string(char* buf, cmark_mem* mem);

// `md` parsed with cmark's default allocator.
NodePtr parse(std::string_view md, int extra_options);

// `md` parsed into the current arena (cmark_arena.h); the tree is never freed
// on its own.
cmark_node* parse_in_arena(std::string_view md, int extra_options);

// HTML of a node of a tree with allocator `mem` (that of the tree's parse).
// Made inert (inert_html.h): no image, no live link to a join page.
std::string node_html(cmark_node* node, cmark_mem* mem);

// HTML of a node of a tree in the current arena (split_blocks' tree).
std::string block_html(cmark_node* node);

}  // namespace rapporteur
