#include "store/records.h"

#include <utility>

namespace newsdedup {

const StoryAppearance* StoryRecord::FindAppearance(std::string_view source,
                                                   SnapshotKind kind) const {
  for (const StoryAppearance& appearance : appearances) {
    if (appearance.kind == kind && appearance.source == source) return &appearance;
  }
  return nullptr;
}

StoryAppearance* StoryRecord::FindAppearance(std::string_view source, SnapshotKind kind) {
  return const_cast<StoryAppearance*>(std::as_const(*this).FindAppearance(source, kind));
}

}  // namespace newsdedup
