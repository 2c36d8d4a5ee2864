#include "domain/drafting/draft_cache.h"

#include <list>
#include <mutex>
#include <utility>

namespace rapporteur::draft_cache {
namespace {

struct Entry {
  std::string session;
  int n = 0;
  std::shared_ptr<const Parsed> parsed;
  size_t bytes() const { return parsed->paragraphs_json.size() + parsed->duplicates_json.size(); }
};

struct Cache {
  std::mutex mu;
  std::list<Entry> entries;  // most recently used first
  size_t bytes = 0;
  size_t hits = 0, misses = 0;

  std::list<Entry>::iterator locate(const std::string& session, int n) {
    for (auto it = entries.begin(); it != entries.end(); ++it) {
      if (it->n == n && it->session == session) return it;
    }
    return entries.end();
  }
};

Cache& cache() {
  static Cache c;
  return c;
}

}  // namespace

std::shared_ptr<const Parsed> find(const std::string& session, int n, const std::string& paragraphs_json,
                                   const std::string& duplicates_json) {
  Cache& c = cache();
  std::shared_ptr<const Parsed> parsed;
  {
    std::lock_guard<std::mutex> lock(c.mu);
    auto it = c.locate(session, n);
    if (it == c.entries.end()) {
      ++c.misses;
      return nullptr;
    }
    c.entries.splice(c.entries.begin(), c.entries, it);
    parsed = it->parsed;
  }
  // Compared outside the lock: the entry is immutable and shared.
  if (parsed->paragraphs_json.size() != paragraphs_json.size() || parsed->paragraphs_json != paragraphs_json ||
      parsed->duplicates_json != duplicates_json) {
    std::lock_guard<std::mutex> lock(c.mu);
    ++c.misses;
    return nullptr;
  }
  std::lock_guard<std::mutex> lock(c.mu);
  ++c.hits;
  return parsed;
}

void put(const std::string& session, int n, std::shared_ptr<const Parsed> parsed) {
  Cache& c = cache();
  Entry e{session, n, std::move(parsed)};
  if (e.bytes() > kMaxBytes) return;
  std::lock_guard<std::mutex> lock(c.mu);
  if (auto it = c.locate(session, n); it != c.entries.end()) {
    c.bytes -= it->bytes();
    c.entries.erase(it);
  }
  c.bytes += e.bytes();
  c.entries.push_front(std::move(e));
  while (c.entries.size() > kMaxEntries || c.bytes > kMaxBytes) {
    c.bytes -= c.entries.back().bytes();
    c.entries.pop_back();
  }
}

Stats stats() {
  Cache& c = cache();
  std::lock_guard<std::mutex> lock(c.mu);
  return {c.hits, c.misses, c.entries.size(), c.bytes};
}

void clear() {
  Cache& c = cache();
  std::lock_guard<std::mutex> lock(c.mu);
  c.entries.clear();
  c.bytes = 0;
  c.hits = c.misses = 0;
}

}  // namespace rapporteur::draft_cache
