// The process's heap. glibc's allocator gives each busy thread an arena of
// its own (up to 8 per core) and keeps what a thread frees in that arena for
// later: after one large export (a 9 MB JSON built from 14,000 paragraphs) a
// server of 300 worker threads held 900 MB it no longer used. These two
// calls bound that. Both do nothing where the allocator is not glibc's (a
// sanitizer's, another libc).
//
// Thread safety: limit_allocator_arenas() before any thread is started;
// release_free_memory() from any thread.
#pragma once

#include <cstddef>

namespace rapporteur {

// At most two arenas per core (glibc's default is eight): with many worker
// threads, freed memory is shared instead of stranded per arena.
void limit_allocator_arenas();

// When the allocator holds more than `threshold` bytes free, returns the
// free pages to the system (malloc_trim) and answers true. Trims again only
// once the free total has moved by a quarter of `threshold` since, so a
// steady heap is not walked over and over.
bool release_free_memory(size_t threshold);

// Bytes the allocator holds free (0 where unknown).
size_t allocator_free_bytes();

}  // namespace rapporteur
