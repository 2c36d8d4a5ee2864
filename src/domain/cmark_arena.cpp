#include "cmark_arena.h"

#include <cstdint>
#include <cstdlib>
#include <cstring>

namespace rapporteur::cmark_arena {
namespace {

thread_local Arena* t_arena = nullptr;

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

ArenaScope::ArenaScope(Arena& arena) : previous_(t_arena) { t_arena = &arena; }

ArenaScope::~ArenaScope() { t_arena = previous_; }

cmark_mem* mem() { return &g_arena_mem; }

}  // namespace rapporteur::cmark_arena
