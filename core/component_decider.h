#ifndef NEWSDEDUP_CORE_COMPONENT_DECIDER_H_
#define NEWSDEDUP_CORE_COMPONENT_DECIDER_H_

// The story-level decision: given the verdicts of the items of one component
// (core/story_components.h), decides in item order which story each item
// joins, or that it starts one. Rules, applied here and only here:
//  - exact repeats and URLs bind: an item whose text, or canonical URL,
//    equals a candidate's joins that candidate's story, whatever else;
//  - vetoes: a conflict with any candidate, or with any of a story's newest
//    versions (up to max_story_versions_checked: stored ones and items of the
//    dump that brought it a new text), rules that story out, so that a
//    version without a date cannot chain two dated ones;
//  - tie-breaks: the strongest evidence wins (MatchEvidence::Score); on a
//    tie, the first found (stored versions, then earlier items ascending).
// A story of the dump is named by its first item: stories are numbered in
// that order, whichever component, thread or rank decided them.

#include <cstddef>
#include <cstdint>
#include <span>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/functional/function_ref.h"
#include "core/matcher.h"
#include "core/pair_rules.h"
#include "core/stored_context.h"
#include "core/verdicts.h"

namespace newsdedup {

// One item's story.
struct StoryDecision {
  // A stored story (index in StoredContext::stories), or a story of the dump
  // named by its first item.
  bool stored = false;
  uint32_t story = 0;
  // Why (rule kNone for a new story), and whether the candidate was an
  // earlier item of the dump.
  MatchEvidence evidence;
  bool in_snapshot = false;
};

// Reusable between components (keeps its buffers); not thread-safe: one per
// thread.
class ComponentDecider {
 public:
  // `rules` must know every title and lede of the component's items and of
  // their stored candidates.
  ComponentDecider(const PairRules& rules, const StoredContext& stored);

  // Decides items[k] into out[k], for every k in order. REQUIRES: `items` is
  // one whole component, ascending; verdicts_of(k) is the verdicts of
  // items[k]; features_of gives the features of each of `items`.
  void Decide(std::span<const uint32_t> items,
              absl::FunctionRef<const Verdicts&(size_t k)> verdicts_of, ItemFeatures features_of,
              std::span<StoryDecision> out);

 private:
  // A story: kStored | index in StoredContext::stories, or the first item of
  // a story of the dump.
  using StoryKey = uint64_t;
  static constexpr StoryKey kStored = 1ULL << 32;
  static constexpr StoryKey kNoStory = UINT64_MAX;
  static constexpr uint32_t kNone = UINT32_MAX;

  StoryDecision DecideOne(size_t k, const Verdicts& verdicts);
  // The story of a candidate; kNoStory for an item outside the component.
  StoryKey StoryOf(CandidateRef ref, size_t k) const;
  // True when item k conflicts with one of the newest versions of `story`.
  bool StoryConflicts(size_t k, StoryKey story) const;
  // Item k is in `story`; a text new to it becomes one of its versions for
  // later conflict checks.
  void Join(size_t k, StoryKey story);

  const TextFeatures& FeaturesOf(size_t k) const { return (*features_of_)(items_[k]); }

  const PairRules& rules_;
  const StoredContext& stored_;
  // The component being decided, during Decide.
  std::span<const uint32_t> items_;
  const ItemFeatures* features_of_ = nullptr;
  std::vector<StoryKey> item_story_;  // Per decided item.
  // Per story, its newest item that brought it a new text; items chain to
  // older ones through next_member_.
  absl::flat_hash_map<StoryKey, uint32_t> story_head_;
  std::vector<uint32_t> next_member_;
  absl::flat_hash_set<std::pair<StoryKey, uint64_t>> story_texts_;
  std::vector<StoryKey> vetoed_;                  // Per item, reused.
  std::vector<const Verdicts::Accepted*> order_;  // Per item, reused.
};

}  // namespace newsdedup

#endif  // NEWSDEDUP_CORE_COMPONENT_DECIDER_H_
