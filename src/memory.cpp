#include "rapporteur/memory.h"

#include <algorithm>
#include <mutex>
#include <thread>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace rapporteur {
namespace {
std::mutex trim_mu;
size_t free_after_last_trim = 0;
}  // namespace

void limit_allocator_arenas() {
#if defined(__GLIBC__)
  const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  mallopt(M_ARENA_MAX, static_cast<int>(2 * cores));
#endif
}

size_t allocator_free_bytes() {
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 33))
  return mallinfo2().fordblks;
#else
  return 0;
#endif
}

bool release_free_memory(size_t threshold) {
#if defined(__GLIBC__)
  std::lock_guard<std::mutex> lock(trim_mu);
  const size_t free_now = allocator_free_bytes();
  if (free_now < threshold) return false;
  // Trimmed pages stay counted as free chunks: without this, a heap that
  // keeps the same free total would be trimmed at every call.
  const size_t moved = free_now > free_after_last_trim ? free_now - free_after_last_trim
                                                       : free_after_last_trim - free_now;
  if (free_after_last_trim != 0 && moved < threshold / 4) return false;
  malloc_trim(0);
  free_after_last_trim = allocator_free_bytes();
  return true;
#else
  (void)threshold;
  return false;
#endif
}

}  // namespace rapporteur
