#include "core/story_components.h"

#include "core/clusterer.h"

namespace newsdedup {

StoryComponents FindStoryComponents(std::span<const Verdicts> verdicts,
                                    const StoredContext& stored) {
  const size_t items = verdicts.size();
  // Stored story s is node items + s.
  Clusterer links(items + stored.stories.size());
  for (size_t i = 0; i < items; ++i) {
    for (const Verdicts::Accepted& a : verdicts[i].accepted) {
      links.Union(i, a.ref.stored ? items + stored.versions[a.ref.index].story : a.ref.index);
    }
  }
  // Numbered by first item; counted, then filled in item order.
  constexpr uint32_t kNone = UINT32_MAX;
  std::vector<uint32_t> component_of_root(items + stored.stories.size(), kNone);
  std::vector<uint32_t> component(items);
  std::vector<uint32_t> sizes;
  for (size_t i = 0; i < items; ++i) {
    uint32_t& c = component_of_root[links.Find(i)];
    if (c == kNone) {
      c = static_cast<uint32_t>(sizes.size());
      sizes.push_back(0);
    }
    component[i] = c;
    ++sizes[c];
  }
  StoryComponents components;
  components.offsets_.assign(sizes.size() + 1, 0);
  for (size_t c = 0; c < sizes.size(); ++c) {
    components.offsets_[c + 1] = components.offsets_[c] + sizes[c];
  }
  components.items_.resize(items);
  std::vector<uint32_t> fill(components.offsets_.begin(), components.offsets_.end() - 1);
  for (size_t i = 0; i < items; ++i) components.items_[fill[component[i]]++] = static_cast<uint32_t>(i);
  return components;
}

}  // namespace newsdedup
