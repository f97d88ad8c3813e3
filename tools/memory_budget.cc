#include "tools/memory_budget.h"

#include <sys/resource.h>
#include <unistd.h>

#include <fstream>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace newsdedup {
namespace {

// What glibc's per-thread arenas, thread stacks and RocksDB reserve beyond
// what a run uses, measured as VmPeak - VmHWM on an ingest here.
constexpr uint64_t kAddressSpaceMargin = uint64_t{1} << 30;
constexpr uint64_t kBaseBytes = uint64_t{100} << 20;
constexpr uint64_t kBytesPerItem = 5632;  // 5.5 KB.
constexpr uint64_t kBytesPerInputByteTimes10 = 45;

std::string Gib(uint64_t bytes) { return absl::StrFormat("%.1f GiB", bytes / 1073741824.0); }

void Lower(uint64_t bytes, const char* source, MemoryCeiling* ceiling) {
  if (bytes > 0 && bytes < ceiling->bytes) *ceiling = {bytes, source};
}

uint64_t CgroupLimit() {
  std::ifstream in("/sys/fs/cgroup/memory.max");
  std::string text;
  uint64_t bytes = 0;
  if (in >> text && absl::SimpleAtoi(text, &bytes)) return bytes;  // "max" is no limit.
  return 0;
}

}  // namespace

MemoryCeiling CurrentMemoryCeiling() {
  MemoryCeiling ceiling{UINT64_MAX, "no limit"};
  const long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGE_SIZE);
  if (pages > 0 && page > 0) {
    Lower(static_cast<uint64_t>(pages) * static_cast<uint64_t>(page), "physical memory",
          &ceiling);
  }
  Lower(CgroupLimit(), "cgroup memory.max", &ceiling);
  rlimit limit;
  if (getrlimit(RLIMIT_DATA, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY) {
    Lower(limit.rlim_cur, "ulimit -d", &ceiling);
  }
  if (getrlimit(RLIMIT_AS, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY) {
    const uint64_t usable = limit.rlim_cur > 2 * kAddressSpaceMargin
                                ? limit.rlim_cur - kAddressSpaceMargin
                                : limit.rlim_cur / 2;
    Lower(usable, "ulimit -v", &ceiling);
  }
  return ceiling;
}

uint64_t IngestMemoryNeed(uint64_t items, uint64_t bytes) {
  return kBaseBytes + items * kBytesPerItem + bytes * kBytesPerInputByteTimes10 / 10;
}

uint64_t MaxInputBytes(const MemoryCeiling& ceiling) {
  if (ceiling.bytes <= kBaseBytes) return 0;
  // The bytes themselves and their copies: the items they hold are counted
  // once parsed (IngestMemoryNeed), when their number is known.
  return (ceiling.bytes - kBaseBytes) / (10 + kBytesPerInputByteTimes10) * 10;
}

absl::Status CheckMemoryNeed(uint64_t need, const MemoryCeiling& ceiling, std::string_view what) {
  if (need <= ceiling.bytes) return absl::OkStatus();
  return absl::ResourceExhaustedError(absl::StrCat(
      absl::string_view(what.data(), what.size()), " needs about ", Gib(need),
      " of memory, more than the ", Gib(ceiling.bytes), " this process may use (",
      ceiling.source, "); split the input into smaller dumps (README, \"Memory\")"));
}

absl::Status CheckResidentMemory(const MemoryCeiling& ceiling, std::string_view what) {
  std::ifstream statm("/proc/self/statm");
  uint64_t size_pages = 0, resident_pages = 0;
  if (!(statm >> size_pages >> resident_pages)) return absl::OkStatus();
  const uint64_t resident = resident_pages * static_cast<uint64_t>(sysconf(_SC_PAGE_SIZE));
  if (ceiling.bytes == UINT64_MAX || resident * 10 < ceiling.bytes * 9) return absl::OkStatus();
  return absl::ResourceExhaustedError(absl::StrCat(
      absl::string_view(what.data(), what.size()), " stopped at ", Gib(resident),
      " of memory, near the ", Gib(ceiling.bytes), " this process may use (", ceiling.source,
      "); split the input (README, \"Memory\")"));
}

}  // namespace newsdedup
