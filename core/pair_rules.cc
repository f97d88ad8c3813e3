#include "core/pair_rules.h"

namespace newsdedup {

bool PairRules::Conflicts(const TextFeatures& item, const TextFeatures& candidate) const {
  return Conflict(params_, item, candidate,
                  WeakPair(item, candidate) || templates_.SharedLede(item, candidate));
}

std::optional<MatchEvidence> PairRules::Verifies(const TextFeatures& item,
                                                 const TextFeatures& candidate) const {
  std::optional<MatchEvidence> evidence =
      Verify(params_, item, candidate, WeakPair(item, candidate));
  if (evidence.has_value() && templates_.SharedLede(item, candidate) &&
      !SupportedBesidesLede(params_, item, candidate, *evidence)) {
    return std::nullopt;
  }
  return evidence;
}

}  // namespace newsdedup
