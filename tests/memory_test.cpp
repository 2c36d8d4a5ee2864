#include <catch2/catch.hpp>

#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

#include "rapporteur/memory.h"
#include "test_server.h"

using namespace rapporteur;

namespace {

#if defined(__SANITIZE_ADDRESS__)
constexpr bool kGlibcHeap = false;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool kGlibcHeap = false;
#else
constexpr bool kGlibcHeap = true;
#endif
#else
constexpr bool kGlibcHeap = true;
#endif

size_t resident_bytes() {
  std::ifstream statm("/proc/self/statm");
  size_t size = 0, resident = 0;
  statm >> size >> resident;
  return resident * static_cast<size_t>(sysconf(_SC_PAGESIZE));
}

}  // namespace

TEST_CASE("freed heap memory goes back to the system once over the threshold", "[memory]") {
  if (!kGlibcHeap) {
    rapporteur::testing::not_applicable("not glibc's allocator (sanitizer build): nothing to release");
    return;
  }
  constexpr size_t kChunk = 64 * 1024;  // below glibc's mmap threshold: heap chunks, as a large export makes
  constexpr size_t kTotal = size_t{256} << 20;
  // Allocated and freed in another thread, in its own arena, as a worker
  // thread's export would be; the chunk after each keeps it from coalescing
  // into the arena's top (which free() alone would give back).
  std::vector<std::unique_ptr<char[]>> kept;
  std::thread worker([&] {
    std::vector<std::unique_ptr<char[]>> chunks;
    for (size_t i = 0; i < kTotal / kChunk; ++i) {
      chunks.emplace_back(new char[kChunk]);
      std::fill_n(chunks.back().get(), kChunk, static_cast<char>(i));
      kept.emplace_back(new char[64]);
    }
    chunks.clear();
  });
  worker.join();
  REQUIRE(allocator_free_bytes() >= kTotal / 2);
  const size_t before = resident_bytes();
  CHECK_FALSE(release_free_memory(size_t{4} << 30));  // under a 4 GiB threshold: kept
  CHECK(release_free_memory(size_t{32} << 20));
  const size_t after = resident_bytes();
  CHECK(before - std::min(before, after) >= kTotal / 2);
  // Nothing moved since: not walked again.
  CHECK_FALSE(release_free_memory(size_t{32} << 20));
}
