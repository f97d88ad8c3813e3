#include "core/story_status.h"

#include <algorithm>

namespace newsdedup {

std::string_view SnapshotKindName(SnapshotKind kind) {
  switch (kind) {
    case SnapshotKind::kListing:
      return "listing";
    case SnapshotKind::kArticle:
      return "article";
  }
  return "unknown";
}

std::optional<SnapshotKind> SnapshotKindFromName(std::string_view name) {
  for (SnapshotKind kind : {SnapshotKind::kListing, SnapshotKind::kArticle}) {
    if (SnapshotKindName(kind) == name) return kind;
  }
  return std::nullopt;
}

std::string_view StoryStatusName(StoryStatus status) {
  switch (status) {
    case StoryStatus::kNew:
      return "new";
    case StoryStatus::kUpdated:
      return "updated";
    case StoryStatus::kUnchanged:
      return "unchanged";
    case StoryStatus::kDropped:
      return "dropped";
  }
  return "unknown";
}

std::optional<StoryStatus> StoryStatusFromName(std::string_view name) {
  for (StoryStatus status : {StoryStatus::kNew, StoryStatus::kUpdated, StoryStatus::kUnchanged,
                             StoryStatus::kDropped}) {
    if (StoryStatusName(status) == name) return status;
  }
  return std::nullopt;
}

StoryStatus CompareVersionSets(std::span<const uint64_t> seen,
                               std::optional<std::span<const uint64_t>> before) {
  if (!before.has_value()) return StoryStatus::kNew;
  return std::equal(seen.begin(), seen.end(), before->begin(), before->end())
             ? StoryStatus::kUnchanged
             : StoryStatus::kUpdated;
}

}  // namespace newsdedup
