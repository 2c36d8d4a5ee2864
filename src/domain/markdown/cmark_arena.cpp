#include "domain/markdown/cmark_arena.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <vector>

namespace rapporteur::cmark_arena {
namespace {

thread_local Arena* t_arena = nullptr;

// Released blocks kept for the next arena, largest last.
std::mutex g_spare_mu;
std::vector<Arena::Block*>& spare_blocks() {
  static auto* spare = new std::vector<Arena::Block*>();  // never destroyed: used until exit
  return *spare;
}

// A kept block of at least `size` usable bytes, or null.
Arena::Block* take_spare(size_t size) {
  std::lock_guard<std::mutex> lock(g_spare_mu);
  auto& spare = spare_blocks();
  for (size_t i = 0; i < spare.size(); ++i) {
    if (spare[i]->size >= size) {
      Arena::Block* b = spare[i];
      spare.erase(spare.begin() + static_cast<std::ptrdiff_t>(i));
      return b;
    }
  }
  return nullptr;
}

// Keeps `b` for a later arena, or frees it (too large, or enough kept; the
// smallest kept one makes way for a larger one).
void release(Arena::Block* b) {
  if (b->size <= Arena::kMaxBlock) {
    std::lock_guard<std::mutex> lock(g_spare_mu);
    auto& spare = spare_blocks();
    if (!spare.empty() && spare.size() == Arena::kSpareBlocks && spare.front()->size < b->size) {
      std::free(spare.front());
      spare.erase(spare.begin());
    }
    if (spare.size() < Arena::kSpareBlocks) {
      const auto at = std::lower_bound(spare.begin(), spare.end(), b,
                                       [](const Arena::Block* x, const Arena::Block* y) { return x->size < y->size; });
      spare.insert(at, b);
      return;
    }
  }
  std::free(b);
}

void* arena_calloc(size_t count, size_t size) {
  if (size != 0 && count > SIZE_MAX / size) std::abort();
  void* p = t_arena->allocate(count * size);
  std::memset(p, 0, count * size);
  return p;
}

void* arena_realloc(void* old, size_t size) {
  void* p = t_arena->allocate(size);
  if (old != nullptr) std::memcpy(p, old, std::min(Arena::size_of(old), size));
  return p;
}

void arena_free(void*) {}  // released with the arena

cmark_mem g_arena_mem = {arena_calloc, arena_realloc, arena_free};

}  // namespace

Arena::~Arena() {
  while (head_ != nullptr) {
    Block* prev = head_->prev;
    release(head_);
    head_ = prev;
  }
}

void Arena::grow(size_t need) {
  const size_t size = std::max(need, next_block_);
  next_block_ = std::min(next_block_ * 2, kMaxBlock);
  Block* b = take_spare(size);
  if (b == nullptr) {
    b = static_cast<Block*>(std::malloc(size + sizeof(Block)));
    if (b == nullptr) std::abort();
    b->size = size;
  }
  b->prev = head_;
  head_ = b;
  cur_ = reinterpret_cast<char*>(b) + sizeof(Block);
  left_ = b->size;
}

ArenaScope::ArenaScope(Arena& arena) : previous_(t_arena) { t_arena = &arena; }

ArenaScope::~ArenaScope() { t_arena = previous_; }

cmark_mem* mem() { return &g_arena_mem; }

}  // namespace rapporteur::cmark_arena
