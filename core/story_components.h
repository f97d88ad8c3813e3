#ifndef NEWSDEDUP_CORE_STORY_COMPONENTS_H_
#define NEWSDEDUP_CORE_STORY_COMPONENTS_H_

// The parts of a dump whose story decisions depend on each other. An item
// can only join the story of a candidate it matches (an accepted verdict),
// so two items linked by no chain of matches never share a story; and a veto
// matters only against a story the item could join, which is then in its
// component too. Deciding each connected component of the accepted verdicts
// on its own, in item order (core/component_decider.h), therefore gives
// exactly the stories of deciding the whole dump in item order: components
// can be decided in parallel, or on different MPI ranks.
//
// The nodes are the dump's items and the stored stories: an accepted stored
// version links its item to the version's story.

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "core/stored_context.h"
#include "core/verdicts.h"

namespace newsdedup {

// The items of a dump grouped by component: each component's items in
// ascending order, components in the order of their first items.
class StoryComponents {
 public:
  size_t count() const { return offsets_.empty() ? 0 : offsets_.size() - 1; }
  // REQUIRES: c < count().
  std::span<const uint32_t> Of(size_t c) const {
    return std::span<const uint32_t>(items_).subspan(offsets_[c], offsets_[c + 1] - offsets_[c]);
  }

 private:
  friend StoryComponents FindStoryComponents(std::span<const Verdicts>, const StoredContext&);
  std::vector<uint32_t> items_;
  std::vector<uint32_t> offsets_;  // count() + 1 entries.
};

// One Verdicts per item of the dump, in dump order.
StoryComponents FindStoryComponents(std::span<const Verdicts> verdicts,
                                    const StoredContext& stored);

}  // namespace newsdedup

#endif  // NEWSDEDUP_CORE_STORY_COMPONENTS_H_
