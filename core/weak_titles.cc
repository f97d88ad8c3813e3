#include "core/weak_titles.h"

#include <algorithm>

namespace newsdedup {
namespace {

// Stored stories and texts of one title are told apart by the top bit.
constexpr uint64_t kStoredBit = 1ULL << 63;

}  // namespace

TitleCarrier TextCarrier(const TextFeatures& f) {
  return {f.title_hash, f.matching_hash & ~kStoredBit};
}

TitleCarrier StoredStoryCarrier(uint64_t title_hash, uint64_t story_number) {
  return {title_hash, story_number | kStoredBit};
}

std::vector<uint64_t> FindWeakTitles(const MatchParams& params,
                                     std::span<TitleCarrier> carriers) {
  std::sort(carriers.begin(), carriers.end());
  std::vector<uint64_t> weak;
  for (size_t run = 0; run < carriers.size();) {
    size_t end = run + 1;
    size_t distinct = 1;
    for (; end < carriers.size() && carriers[end].title == carriers[run].title; ++end) {
      if (carriers[end].carrier != carriers[end - 1].carrier) ++distinct;
    }
    if (distinct >= static_cast<size_t>(params.weak_title_stories)) {
      weak.push_back(carriers[run].title);
    }
    run = end;
  }
  return weak;
}

std::vector<TitleCarrier> CarriersOf(std::span<const TextFeatures> items,
                                     const StoredContext& stored) {
  std::vector<TitleCarrier> carriers;
  for (const StoredContext::Version& v : stored.versions) {
    if (v.features.title_hash != 0) {
      carriers.push_back(
          StoredStoryCarrier(v.features.title_hash, stored.stories[v.story].number));
    }
  }
  for (const TextFeatures& f : items) {
    if (f.title_hash != 0) carriers.push_back(TextCarrier(f));
  }
  return carriers;
}

}  // namespace newsdedup
