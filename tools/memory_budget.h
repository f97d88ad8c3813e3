#ifndef NEWSDEDUP_TOOLS_MEMORY_BUDGET_H_
#define NEWSDEDUP_TOOLS_MEMORY_BUDGET_H_

// How much memory a command may use, and what an ingest will need: a dump
// that would pass the ceiling is refused with one line before its items are
// built, rather than killed by the kernel or aborted by std::bad_alloc
// halfway (README, "Memory").

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/status.h"

namespace newsdedup {

struct MemoryCeiling {
  uint64_t bytes = 0;
  std::string source;  // What sets it: "ulimit -v", "cgroup memory.max", "physical memory".
};

// The smallest of the address-space and data limits (ulimit -v, -d), the
// cgroup's memory.max and the machine's physical memory. An address-space
// limit counts what the allocator and RocksDB reserve without using, so it
// is taken less a margin for that.
MemoryCeiling CurrentMemoryCeiling();

// Peak resident bytes of ingesting dumps of `items` items and `bytes` bytes
// in all: measured on 1M-item dumps, 5.5 KB per item and 4.5 bytes per input
// byte, plus 100 MB for the store and the program.
uint64_t IngestMemoryNeed(uint64_t items, uint64_t bytes);

// The input bytes an ingest or diff may read: what the ceiling allows for
// the bytes and their 4.5 bytes of copies each (the items they hold are
// counted once parsed, by IngestMemoryNeed).
uint64_t MaxInputBytes(const MemoryCeiling& ceiling);

// ResourceExhaustedError naming `what`, the need and the ceiling, when the
// need passes the ceiling.
absl::Status CheckMemoryNeed(uint64_t need, const MemoryCeiling& ceiling, std::string_view what);

// ResourceExhaustedError when this process's resident memory passes 90% of
// the ceiling (for commands that cannot know their need ahead, as dups over
// a stream).
absl::Status CheckResidentMemory(const MemoryCeiling& ceiling, std::string_view what);

}  // namespace newsdedup

#endif  // NEWSDEDUP_TOOLS_MEMORY_BUDGET_H_
