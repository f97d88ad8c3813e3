#ifndef NEWSDEDUP_CORE_STORY_STATUS_H_
#define NEWSDEDUP_CORE_STORY_STATUS_H_

// How a story stands in one snapshot of a source, compared with its last
// appearance in a snapshot of the same source and kind. A story's state in a
// snapshot is the *set* of its versions seen there: it is `updated` when that
// set differs from the set of its last appearance, `unchanged` otherwise, and
// `new` when the source never showed it. So a dump compared with itself is
// always unchanged, however many versions of one story it lists.

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace newsdedup {

// What a snapshot shows: a listing page (many teasers) or one article page.
// A listing is compared with the previous listing of its source, an article
// page with the previous article page of the story.
enum class SnapshotKind : uint8_t { kListing = 0, kArticle = 1 };

// "listing", "article".
std::string_view SnapshotKindName(SnapshotKind kind);
std::optional<SnapshotKind> SnapshotKindFromName(std::string_view name);

enum class StoryStatus : uint8_t {
  kNew = 0,        // The source never showed the story before.
  kUpdated = 1,    // Its set of versions differs from its last appearance.
  kUnchanged = 2,  // The same set of versions.
  kDropped = 3,    // In the previous listing of the source, not in this one.
};

// "new", "updated", "unchanged", "dropped".
std::string_view StoryStatusName(StoryStatus status);
std::optional<StoryStatus> StoryStatusFromName(std::string_view name);

// The status of a story seen with `seen` (sorted distinct version ids) in a
// snapshot, given the versions of its last appearance in the same source
// (nullopt when the source never showed it).
StoryStatus CompareVersionSets(std::span<const uint64_t> seen,
                               std::optional<std::span<const uint64_t>> before);

}  // namespace newsdedup

#endif  // NEWSDEDUP_CORE_STORY_STATUS_H_
