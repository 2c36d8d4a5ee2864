#include "domain/markdown/html_cache.h"

namespace rapporteur {

HtmlCache::HtmlCache() { index_.reserve(kMarkdownCacheEntries + 1); }

SharedRendering HtmlCache::get(std::string_view key) {
  std::lock_guard<std::mutex> lock(mu_);
  auto found = index_.find(key);
  if (found == index_.end()) {
    ++misses_;
    return nullptr;
  }
  ++hits_;
  Entry& e = *found->second;
  // An entry placed at the front within the last kRecent placements is still
  // among the first kRecent: moving it again (which touches its neighbours,
  // a cache miss each) changes little. A document's paragraphs, looked up
  // right after a merge inserted them, are not moved at all.
  if (clock_ - e.stamp > kRecent) {
    order_.splice(order_.begin(), order_, found->second);
    e.stamp = ++clock_;
  }
  return e.r;
}

void HtmlCache::put(SharedRendering r) {
  const size_t cost = r->html.size() + r->markdown.size();
  if (cost > kMarkdownCacheBytes / 8) return;  // one huge text must not evict everything
  std::lock_guard<std::mutex> lock(mu_);
  // One lookup: the entry is made first, so that the index's view can point
  // into it, and dropped again when another thread rendered it meanwhile.
  order_.push_front(Entry{std::move(r), cost, ++clock_});
  if (!index_.emplace(order_.front().r->markdown, order_.begin()).second) {
    order_.pop_front();
    return;
  }
  bytes_ += cost;
  while (!order_.empty() && (order_.size() > kMarkdownCacheEntries || bytes_ > kMarkdownCacheBytes)) {
    bytes_ -= order_.back().cost;
    index_.erase(order_.back().r->markdown);
    order_.pop_back();
  }
}

MarkdownCacheStats HtmlCache::stats() {
  std::lock_guard<std::mutex> lock(mu_);
  return MarkdownCacheStats{order_.size(), bytes_, hits_, misses_};
}

void HtmlCache::clear() {
  std::lock_guard<std::mutex> lock(mu_);
  index_.clear();  // first: its keys are views into order_
  order_.clear();
  bytes_ = 0;
  hits_ = 0;
  misses_ = 0;
}

HtmlCache& html_cache() {
  static HtmlCache instance;
  return instance;
}

}  // namespace rapporteur
