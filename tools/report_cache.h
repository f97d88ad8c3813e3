#ifndef NEWSDEDUP_TOOLS_REPORT_CACHE_H_
#define NEWSDEDUP_TOOLS_REPORT_CACHE_H_

// The server's reports of committed snapshots, kept between requests.
// Building the report of a 20,000-item snapshot and its JSON takes about a
// second of CPU (12 MB of JSON, thousands of word diffs); every reader of
// that night's page, feed or API asks for the same one. A committed
// snapshot's report does not change while no snapshot is deleted: ids are
// never reused, and a report reads only its own items, those of the
// previous capture (older ids) and the story and version fields fixed when
// they were created. So entries are kept across refreshes, and all are
// dropped when the store's count of deleted snapshots (last id minus
// snapshots held) changes. Bounded in bytes, least recently used out first.
// Thread-safe; concurrent requests for one report build it once.

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "absl/status/statusor.h"
#include "store/snapshot_report.h"
#include "store/store_follower.h"

namespace newsdedup {

class ReportCache {
 public:
  struct Entry {
    std::shared_ptr<const SnapshotReport> report;
    std::shared_ptr<const std::string> json;  // ReportJson, dumped.
  };

  explicit ReportCache(size_t max_bytes);

  // The report of snapshot `id` as `view` sees it. Errors as GetReport
  // (store/queries.h); errors are not kept.
  absl::StatusOr<Entry> Get(const StoreFollower::View& view, uint64_t id);

 private:
  struct Slot {
    bool ready = false;
    absl::StatusOr<Entry> entry = absl::UnknownError("not built");
    size_t bytes = 0;
    std::list<uint64_t>::iterator lru;  // Position in lru_, once ready.
  };

  // Drops everything when snapshots were deleted since the last check.
  // REQUIRES: mutex_ held.
  absl::Status CheckDeletions(const StoreFollower::View& view);
  // Evicts the least recently used ready entries over the budget.
  // REQUIRES: mutex_ held.
  void Evict();

  const size_t max_bytes_;
  std::mutex mutex_;
  std::condition_variable built_;
  std::map<uint64_t, std::shared_ptr<Slot>> slots_;
  std::list<uint64_t> lru_;  // Ready ids, most recently used first.
  size_t bytes_ = 0;
  uint64_t checked_position_ = 0;
  uint64_t deleted_snapshots_ = 0;
};

}  // namespace newsdedup

#endif  // NEWSDEDUP_TOOLS_REPORT_CACHE_H_
