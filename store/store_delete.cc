// Snapshot deletion (StoryStore::DeleteSnapshots).

#include "store/rocks_story_store.h"

namespace newsdedup {

absl::StatusOr<DeleteResult> RocksStoryStore::DeleteSnapshots(std::span<const uint64_t> /*ids*/,
                                                              const MatchParams& /*params*/) {
  return absl::UnimplementedError("deleting snapshots is not written yet");
}

}  // namespace newsdedup
