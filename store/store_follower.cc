#include "store/store_follower.h"

#include <utility>

namespace newsdedup {
namespace {

absl::StatusOr<std::unique_ptr<StoryStore>> OpenFollowing(const std::string& dir) {
  StoryStore::Options options;
  options.create_if_missing = false;
  options.follow_writer = true;
  // A follower only reads records: any build's params will do.
  return StoryStore::Open(dir, /*params=*/"", options);
}

}  // namespace

StoreFollower::View::View(std::shared_ptr<Handle> handle)
    : handle_(std::move(handle)), lock_(handle_->readers) {}

StoryStore* StoreFollower::View::store() const { return handle_->store.get(); }

uint64_t StoreFollower::View::position() const { return handle_->at.position; }

StoreFollower::StoreFollower(std::string dir, std::shared_ptr<Handle> current,
                             std::shared_ptr<Handle> standby)
    : dir_(std::move(dir)), current_(std::move(current)), standby_(std::move(standby)) {}

absl::StatusOr<std::unique_ptr<StoreFollower>> StoreFollower::Open(const std::string& dir) {
  std::shared_ptr<Handle> handles[2];
  for (std::shared_ptr<Handle>& handle : handles) {
    handle = std::make_shared<Handle>();
    absl::StatusOr<std::unique_ptr<StoryStore>> store = OpenFollowing(dir);
    if (!store.ok()) return store.status();
    handle->store = *std::move(store);
    if (absl::Status s = Settle(handle.get()); !s.ok()) return s;
  }
  return std::unique_ptr<StoreFollower>(
      new StoreFollower(dir, std::move(handles[0]), std::move(handles[1])));
}

StoreFollower::View StoreFollower::Acquire() {
  // The shared lock is taken before the handle can stop being current, so
  // a reader never waits for a catch-up.
  std::lock_guard<std::mutex> swap(swap_mutex_);
  return View(current_);
}

absl::Status StoreFollower::Settle(Handle* handle) {
  absl::StatusOr<uint64_t> position = handle->store->CatchUp();
  if (!position.ok()) return position.status();
  absl::StatusOr<StoreCounters> counters = handle->store->GetCounters();
  if (!counters.ok()) return counters.status();
  handle->at = {.position = *position, .last_snapshot = counters->last_snapshot_id};
  return absl::OkStatus();
}

// RocksDB's secondary catch-up can end at the writer's latest sequence
// number yet without the tables of a memtable the writer flushed meanwhile
// (seen under CPU load: a position past the last commit with the counters
// of five commits before), and later catch-ups never bring them in. Such a
// handle moved without its last snapshot moving, or stands at the current
// handle's position or past it with an older snapshot.
bool StoreFollower::Stale(const Standing& before, const Standing& after, const Standing& current) {
  return (after.position > before.position && after.last_snapshot == before.last_snapshot) ||
         (after.position >= current.position && after.last_snapshot < current.last_snapshot);
}

absl::Status StoreFollower::CatchUp(Handle* handle, const Handle& current) {
  if (handle->store != nullptr) {
    const Standing before = handle->at;
    if (Settle(handle).ok() && !Stale(before, handle->at, current.at)) return absl::OkStatus();
  }
  // The writer may have deleted files this handle still expected (a
  // compaction between two catch-ups); a fresh open sees the new ones. A
  // handle that cannot be reopened stays closed until a later refresh.
  handle->store.reset();
  absl::StatusOr<std::unique_ptr<StoryStore>> reopened = OpenFollowing(dir_);
  if (!reopened.ok()) return reopened.status();
  handle->store = *std::move(reopened);
  if (absl::Status s = Settle(handle); !s.ok()) {
    handle->store.reset();
    return s;
  }
  return absl::OkStatus();
}

absl::StatusOr<bool> StoreFollower::Refresh() {
  std::lock_guard<std::mutex> one_refresh(refresh_mutex_);
  std::shared_ptr<Handle> standby, current;
  {
    std::lock_guard<std::mutex> swap(swap_mutex_);
    standby = standby_;
    current = current_;
  }
  {
    // Waits for readers that took this handle before the last swap.
    std::unique_lock<std::shared_mutex> no_readers(standby->readers);
    // On failure readers keep the current handle.
    if (absl::Status status = CatchUp(standby.get(), *current); !status.ok()) return status;
  }
  // A newer state: more of the writer's log, or (the current handle being
  // stale) the same log with later snapshots.
  if (standby->at.position <= current->at.position &&
      standby->at.last_snapshot <= current->at.last_snapshot) {
    return false;
  }
  std::lock_guard<std::mutex> swap(swap_mutex_);
  std::swap(current_, standby_);
  return true;
}

}  // namespace newsdedup
