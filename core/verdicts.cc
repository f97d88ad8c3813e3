#include "core/verdicts.h"

#include <algorithm>
#include <utility>

namespace newsdedup {

Verdicts JudgeCandidates(const PairRules& rules, const TextFeatures& item,
                         std::span<const uint32_t> stored_candidates,
                         const StoredContext& stored, std::span<const EarlierCandidate> earlier,
                         ItemFeatures features_of) {
  Verdicts verdicts;
  for (uint32_t v : stored_candidates) {
    const TextFeatures& candidate = stored.versions[v].features;
    if (rules.Conflicts(item, candidate)) {
      verdicts.vetoes.push_back({true, v});
    } else if (auto evidence = rules.Verifies(item, candidate)) {
      verdicts.accepted.push_back({{true, v}, *evidence});
    }
  }
  std::vector<std::pair<uint32_t, uint32_t>> ranked;  // (shared keys, item)
  for (const EarlierCandidate& c : earlier) {
    const TextFeatures& candidate = features_of(c.item);
    if (rules.Conflicts(item, candidate)) {
      verdicts.vetoes.push_back({false, c.item});
    } else {
      ranked.emplace_back(c.shared_keys, c.item);
    }
  }
  const size_t keep =
      std::min(ranked.size(), static_cast<size_t>(rules.params().max_verified_candidates));
  std::partial_sort(ranked.begin(), ranked.begin() + keep, ranked.end(),
                    [](const auto& a, const auto& b) { return a > b; });
  ranked.resize(keep);
  // Verified in dump order, which breaks ties between equal evidence.
  std::sort(ranked.begin(), ranked.end(),
            [](const auto& a, const auto& b) { return a.second < b.second; });
  for (const auto& [shared, earlier_item] : ranked) {
    const TextFeatures& candidate = features_of(earlier_item);
    if (auto evidence = rules.Verifies(item, candidate)) {
      verdicts.accepted.push_back({{false, earlier_item}, *evidence});
    }
  }
  return verdicts;
}

}  // namespace newsdedup
