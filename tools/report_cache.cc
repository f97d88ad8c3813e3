#include "tools/report_cache.h"

#include <sstream>
#include <utility>

#include "store/queries.h"
#include "tools/report_format.h"

namespace newsdedup {
namespace {

// What an entry holds in memory, roughly: its JSON and its texts.
size_t EntryBytes(const ReportCache::Entry& entry) {
  size_t bytes = entry.json->size();
  for (const ReportEntry& story : entry.report->stories) {
    bytes += sizeof(ReportEntry) + story.title.size() + story.story_id.size() +
             story.first_source.size() + 8 * (story.items.size() + story.versions.size());
    for (const VersionChange& change : story.changes) {
      bytes += sizeof(VersionChange) + change.before_text.size() + change.after_text.size();
    }
  }
  return bytes;
}

}  // namespace

ReportCache::ReportCache(size_t max_bytes) : max_bytes_(max_bytes) {}

absl::Status ReportCache::CheckDeletions(const StoreFollower::View& view) {
  if (view.position() == checked_position_) return absl::OkStatus();
  absl::StatusOr<StoreCounters> counters = view.store()->GetCounters();
  if (!counters.ok()) return counters.status();
  absl::StatusOr<std::vector<SnapshotRecord>> snapshots = view.store()->ListSnapshots();
  if (!snapshots.ok()) return snapshots.status();
  const uint64_t deleted = counters->last_snapshot_id - snapshots->size();
  if (deleted != deleted_snapshots_) {
    slots_.clear();
    lru_.clear();
    bytes_ = 0;
    deleted_snapshots_ = deleted;
  }
  checked_position_ = view.position();
  return absl::OkStatus();
}

void ReportCache::Evict() {
  while (bytes_ > max_bytes_ && lru_.size() > 1) {
    const uint64_t id = lru_.back();
    lru_.pop_back();
    const auto it = slots_.find(id);
    if (it != slots_.end()) {
      bytes_ -= it->second->bytes;
      slots_.erase(it);
    }
  }
}

absl::StatusOr<ReportCache::Entry> ReportCache::Get(const StoreFollower::View& view, uint64_t id) {
  std::shared_ptr<Slot> slot;
  {
    std::unique_lock<std::mutex> lock(mutex_);
    if (absl::Status status = CheckDeletions(view); !status.ok()) return status;
    const auto it = slots_.find(id);
    if (it != slots_.end()) {
      std::shared_ptr<Slot> found = it->second;
      built_.wait(lock, [&] { return found->ready; });
      if (found->entry.ok() && slots_.count(id) && slots_[id] == found) {
        lru_.splice(lru_.begin(), lru_, found->lru);
      }
      return found->entry;
    }
    slot = std::make_shared<Slot>();
    slots_[id] = slot;
  }
  // Built outside the lock: other reports are served meanwhile.
  absl::StatusOr<SnapshotReport> report = GetReport(view.store(), id);
  Entry entry;
  if (report.ok()) {
    // With the newline `report --format json` ends its line with.
    std::ostringstream json;
    WriteReportJson(*report, ReportView{}, json);
    json << "\n";
    entry.json = std::make_shared<const std::string>(std::move(json).str());
    entry.report = std::make_shared<const SnapshotReport>(*std::move(report));
  }
  std::lock_guard<std::mutex> lock(mutex_);
  slot->ready = true;
  const bool still_ours = slots_.count(id) && slots_[id] == slot;
  if (!report.ok()) {
    slot->entry = report.status();
    if (still_ours) slots_.erase(id);  // Errors are not kept.
  } else {
    slot->entry = entry;
    if (still_ours) {
      slot->bytes = EntryBytes(entry);
      bytes_ += slot->bytes;
      lru_.push_front(id);
      slot->lru = lru_.begin();
      Evict();
    }
  }
  built_.notify_all();
  return slot->entry;
}

}  // namespace newsdedup
