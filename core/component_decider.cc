#include "core/component_decider.h"

#include <algorithm>

namespace newsdedup {

ComponentDecider::ComponentDecider(const PairRules& rules, const StoredContext& stored)
    : rules_(rules), stored_(stored) {}

void ComponentDecider::Decide(std::span<const uint32_t> items,
                              absl::FunctionRef<const Verdicts&(size_t k)> verdicts_of,
                              ItemFeatures features_of, std::span<StoryDecision> out) {
  items_ = items;
  features_of_ = &features_of;
  item_story_.assign(items.size(), kNoStory);
  next_member_.assign(items.size(), kNone);
  story_head_.clear();
  story_texts_.clear();
  for (size_t k = 0; k < items.size(); ++k) out[k] = DecideOne(k, verdicts_of(k));
  features_of_ = nullptr;
}

StoryDecision ComponentDecider::DecideOne(size_t k, const Verdicts& verdicts) {
  StoryDecision decision;
  StoryKey story = kNoStory;
  if (!verdicts.accepted.empty()) {
    vetoed_.clear();
    for (CandidateRef ref : verdicts.vetoes) {
      if (const StoryKey vetoed = StoryOf(ref, k); vetoed != kNoStory) vetoed_.push_back(vetoed);
    }
    // Strongest first; stable, so ties keep the found order.
    order_.clear();
    for (const Verdicts::Accepted& a : verdicts.accepted) order_.push_back(&a);
    std::stable_sort(order_.begin(), order_.end(), [](const auto* a, const auto* b) {
      return a->evidence.Score() > b->evidence.Score();
    });
    for (const Verdicts::Accepted* a : order_) {
      const StoryKey candidate_story = StoryOf(a->ref, k);
      // An exact repeat is the same text, so it is in that text's story
      // whatever else: a conflict with another version of the story would be
      // that text's own (this keeps a dump compared with itself, or one file
      // ingested on two nights, in the same stories). The same canonical URL
      // is the publisher saying it is the same page, whatever its text became.
      const bool binding =
          a->evidence.rule == MatchRule::kExact || a->evidence.rule == MatchRule::kUrl;
      const auto is_vetoed = [&] {
        return std::find(vetoed_.begin(), vetoed_.end(), candidate_story) != vetoed_.end();
      };
      if (!binding && is_vetoed()) continue;
      if (!binding && StoryConflicts(k, candidate_story)) {
        vetoed_.push_back(candidate_story);
        continue;
      }
      story = candidate_story;
      decision.evidence = a->evidence;
      decision.in_snapshot = !a->ref.stored;
      break;
    }
  }
  if (story == kNoStory) story = items_[k];
  Join(k, story);
  decision.stored = (story & kStored) != 0;
  decision.story = static_cast<uint32_t>(story);
  return decision;
}

ComponentDecider::StoryKey ComponentDecider::StoryOf(CandidateRef ref, size_t k) const {
  if (ref.stored) return kStored | stored_.versions[ref.index].story;
  // Earlier items of the dump come before k in the component, or are
  // outside it (and then in no story this item could join).
  const auto earlier = items_.first(k);
  const auto it = std::lower_bound(earlier.begin(), earlier.end(), ref.index);
  return it != earlier.end() && *it == ref.index ? item_story_[it - earlier.begin()] : kNoStory;
}

bool ComponentDecider::StoryConflicts(size_t k, StoryKey story) const {
  const TextFeatures& item = FeaturesOf(k);
  int budget = rules_.params().max_story_versions_checked;
  const auto conflicts = [&](const TextFeatures& version) {
    return rules_.Conflicts(item, version);
  };
  const auto head = story_head_.find(story);
  for (uint32_t m = head == story_head_.end() ? kNone : head->second; m != kNone && budget > 0;
       m = next_member_[m], --budget) {
    if (conflicts(FeaturesOf(m))) return true;
  }
  if ((story & kStored) != 0) {
    for (uint32_t v : stored_.stories[story & ~kStored].versions) {
      if (budget-- <= 0) break;
      if (conflicts(stored_.versions[v].features)) return true;
    }
  }
  return false;
}

void ComponentDecider::Join(size_t k, StoryKey story) {
  item_story_[k] = story;
  if (story_texts_.insert({story, FeaturesOf(k).matching_hash}).second) {
    const auto [head, inserted] = story_head_.try_emplace(story, kNone);
    next_member_[k] = head->second;
    head->second = static_cast<uint32_t>(k);
  }
}

}  // namespace newsdedup
