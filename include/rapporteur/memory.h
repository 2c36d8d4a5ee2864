// The process's heap. glibc's allocator gives each busy thread an arena of
// its own (up to 8 per core) and keeps what a thread frees in that arena for
// later: after one large export (a 9 MB JSON built from 14,000 paragraphs) a
// server of 300 worker threads held 900 MB it no longer used. And it gives
// every block over its mmap threshold (128 KiB at first) pages of its own, and
// the top of the heap back to the system once 128 KiB of it is free: a
// draft's 3 MB HTML then had its 730 pages faulted in afresh on every build,
// which on this kind of virtual machine took twice as long as joining it
// (bench/PERFORMANCE.md). These calls bound the first and stop the second. All
// do nothing where the allocator is not glibc's (a sanitizer's, another libc).
//
// Thread safety: configure_allocator() before any thread is started;
// release_free_memory() from any thread.
#pragma once

#include <cstddef>

namespace rapporteur {

// At most two arenas per core (glibc's default is eight): with many worker
// threads, freed memory is shared instead of stranded per arena. Blocks up to
// kMmapThreshold come from the heap, and freed memory stays there for reuse
// until release_free_memory() gives it back (the server's ticker does, about
// once a second, over 32 MiB) or kTrimThreshold of it is free at the top.
inline constexpr size_t kMmapThreshold = size_t{32} << 20;
inline constexpr size_t kTrimThreshold = size_t{64} << 20;
void configure_allocator();

// When the allocator holds more than `threshold` bytes free, returns the
// free pages to the system (malloc_trim) and answers true. Trims again only
// once the free total has moved by a quarter of `threshold` since, so a
// steady heap is not walked over and over.
bool release_free_memory(size_t threshold);

// Bytes the allocator holds free (0 where unknown).
size_t allocator_free_bytes();

}  // namespace rapporteur
