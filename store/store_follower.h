#ifndef NEWSDEDUP_STORE_STORE_FOLLOWER_H_
#define NEWSDEDUP_STORE_STORE_FOLLOWER_H_

// Reads a store that another process writes (the server beside the nightly
// ingest) so that every reader sees one committed state for as long as it
// reads: a snapshot committed meanwhile is seen whole by later readers, or
// not at all. Never blocks the writer (no lock is taken) and never makes a
// reader wait for a catch-up.
//
// How: two handles opened with StoryStore::Options::follow_writer. Readers
// use the current one; Refresh() catches the other one up while no reader
// holds it, then makes it current. A handle changes only while no reader
// holds it. A handle that cannot catch up (the writer removed files it
// needed), or that caught up to a position without the commits before it, is
// reopened. Thread-safe.

#include <cstdint>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>

#include "absl/status/statusor.h"
#include "store/story_store.h"

namespace newsdedup {

class StoreFollower {
 private:
  struct Handle;

 public:
  // A reader's fixed view of the store: unchanged while the View lives.
  class View {
   public:
    StoryStore* store() const;
    // Equal positions mean equal states; it grows with every commit seen.
    uint64_t position() const;

   private:
    friend class StoreFollower;
    explicit View(std::shared_ptr<Handle> handle);
    std::shared_ptr<Handle> handle_;
    std::shared_lock<std::shared_mutex> lock_;
  };

  // Opens two followers of the store in `dir`. NotFoundError when `dir`
  // holds no store; InvalidArgumentError when it is not a store.
  static absl::StatusOr<std::unique_ptr<StoreFollower>> Open(const std::string& dir);

  // The store as of the last Refresh (or Open).
  View Acquire();

  // Brings in what the writer committed since the last refresh. Returns
  // true when readers now see a newer state. Waits for the readers of the
  // handle it catches up (those that started before the previous refresh),
  // never for the others. One refresh at a time.
  absl::StatusOr<bool> Refresh();

 private:
  // Where a handle stands in the writer's history.
  struct Standing {
    uint64_t position = 0;       // View::position.
    uint64_t last_snapshot = 0;  // The counters' last snapshot id there.
  };
  struct Handle {
    std::unique_ptr<StoryStore> store;
    Standing at;
    // Shared by readers; exclusive while the handle catches up.
    std::shared_mutex readers;
  };

  StoreFollower(std::string dir, std::shared_ptr<Handle> current, std::shared_ptr<Handle> standby);
  // Catches `handle` up, reopening it when it cannot or when it came out
  // stale beside `current`. REQUIRES: no reader holds it (its `readers`
  // lock is held exclusively).
  absl::Status CatchUp(Handle* handle, const Handle& current);
  // Catches the handle's store up and records where it stands.
  static absl::Status Settle(Handle* handle);
  // Whether a catch-up from `before` to `after` came out without commits
  // the writer made before its position.
  static bool Stale(const Standing& before, const Standing& after, const Standing& current);

  const std::string dir_;
  std::mutex refresh_mutex_;  // One Refresh at a time.
  std::mutex swap_mutex_;     // Guards current_ and standby_.
  std::shared_ptr<Handle> current_;
  std::shared_ptr<Handle> standby_;
};

}  // namespace newsdedup

#endif  // NEWSDEDUP_STORE_STORE_FOLLOWER_H_
