// The render cache behind render_markdown (markdown.cpp): a bounded LRU map
// from a Markdown text to its HTML. Keyed by the text itself (hashed by the
// map, compared in full): computing a SHA-256 of every block was about a tenth
// of a merge (bench/PERFORMANCE.md), and a full comparison cannot collide.
// Not part of the public contract (markdown_cache_stats and
// clear_markdown_cache in rapporteur/markdown.h are). Thread-safe.
#pragma once

#include <cstdint>
#include <list>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "rapporteur/markdown.h"

namespace rapporteur {

class HtmlCache {
 public:
  HtmlCache();

  // The cached rendering of `key`, or null.
  SharedRendering get(std::string_view key);

  // Keeps `r` as the rendering of r->markdown (unless one is kept already,
  // or it is too large), evicting the least recently used entries beyond
  // kMarkdownCacheEntries or kMarkdownCacheBytes.
  void put(SharedRendering r);

  MarkdownCacheStats stats();
  void clear();

 private:
  static constexpr uint64_t kRecent = kMarkdownCacheEntries / 4;
  struct Entry {
    SharedRendering r;
    size_t cost;
    uint64_t stamp;  // clock_ when last placed at the front
  };
  std::mutex mu_;
  std::list<Entry> order_;  // most recently used first
  std::unordered_map<std::string_view, std::list<Entry>::iterator> index_;  // views of Entry::r->markdown
  size_t bytes_ = 0;
  uint64_t clock_ = 0;  // placements at the front so far
  uint64_t hits_ = 0;
  uint64_t misses_ = 0;
};

// The process's one cache (a function-local static: never destroyed before
// its last user).
HtmlCache& html_cache();

}  // namespace rapporteur
