// An arena for cmark's allocator, used by split_blocks (markdown_blocks.cpp). Not
// part of the public contract.
//
// All of cmark's allocations for split_blocks' tree of one text (nodes, their
// buffers, the renderings of its blocks) come from one arena, released at once
// at the end: freeing the tree node by node, and the allocator's churn and
// consolidation around it, were a large part of a merge. Memory is bounded by
// the text (a fragment is at most 64 KiB): cmark's buffers grow
// geometrically, so the space left behind by reallocation is at most about
// twice what is in use. A few released blocks are kept for the next arena
// (at most kSpareBlocks, each at most kMaxBlock): asking malloc for a large
// block on every text made it consolidate its free lists each time.
// cmark's allocator interface carries no context, so the
// arena in use is a thread_local, set by ArenaScope; a tree of the arena is
// only touched inside the scope. (Other parses, such as render_markdown's
// inside split_blocks, use cmark's default allocator and never call these.)
#pragma once

#include <cmark.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>

namespace rapporteur::cmark_arena {

class Arena {
 public:
  explicit Arena(size_t first_block) : next_block_(std::max<size_t>(first_block, 4096)) {}
  Arena(const Arena&) = delete;
  Arena& operator=(const Arena&) = delete;
  ~Arena();

  // 16-byte aligned; the requested size is kept before it, for realloc. cmark
  // aborts when its allocator fails, and so does this (it runs inside C code,
  // which an exception must not cross).
  void* allocate(size_t n) {
    if (n > (SIZE_MAX >> 2)) std::abort();
    const size_t need = ((n + 15) & ~size_t{15}) + kHeader;
    if (need > left_) grow(need);
    char* p = cur_;
    cur_ += need;
    left_ -= need;
    std::memcpy(p, &n, sizeof n);
    return p + kHeader;
  }

  static size_t size_of(const void* p) {
    size_t n;
    std::memcpy(&n, static_cast<const char*>(p) - kHeader, sizeof n);
    return n;
  }

  // Blocks larger than this are freed with their arena, not kept.
  static constexpr size_t kMaxBlock = size_t{1} << 20;
  // At most this many released blocks are kept, process-wide.
  static constexpr size_t kSpareBlocks = 4;

  struct alignas(16) Block {
    Block* prev;
    size_t size;  // usable bytes after the header
  };

 private:
  static constexpr size_t kHeader = 16;

  void grow(size_t need);

  Block* head_ = nullptr;
  char* cur_ = nullptr;
  size_t left_ = 0;
  size_t next_block_;
};

// Makes `arena` the current one for its lifetime (restoring the previous one).
class ArenaScope {
 public:
  explicit ArenaScope(Arena& arena);
  ArenaScope(const ArenaScope&) = delete;
  ArenaScope& operator=(const ArenaScope&) = delete;
  ~ArenaScope();

 private:
  Arena* previous_;
};

// The allocator that takes from the current arena (there must be one while
// any of its trees is touched). Its free does nothing.
cmark_mem* mem();

}  // namespace rapporteur::cmark_arena
