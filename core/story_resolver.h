#ifndef NEWSDEDUP_CORE_STORY_RESOLVER_H_
#define NEWSDEDUP_CORE_STORY_RESOLVER_H_

// The one place that decides story identity, for `ingest`, `diff` and `dups`
// alike. Given the items of one dump (their features, in dump order) and the
// stored versions the indexes found for them (with every version of each
// story they belong to), it decides for each item which story it joins, or
// that it starts a new one, with the evidence. It runs the phases that the
// MPI `dups` (tools/mpi/) runs across ranks, with the same functions:
//  1. candidates: earlier items sharing an index key (core/dump_candidates.h),
//     and the stored versions the store's indexes found;
//  2. weak titles, counted over the dump and the stored stories
//     (core/weak_titles.h), and templates: titles the source showed over
//     many ledes and ledes it showed under many titles, counted over the
//     dump and what the store learned of the source (core/template_texts.h;
//     a template title is weak too, and a lede shared as a template is no
//     evidence, core/pair_rules.h);
//  3. verdicts per item: which candidates it matches, which it conflicts with
//     (core/verdicts.h; pairwise rules of core/matcher.h, never an index
//     collision alone; caps of MatchParams);
//  4. components of the accepted verdicts (core/story_components.h);
//  5. the story-level decision per component, in item order
//     (core/component_decider.h: binding exact repeats and URLs, vetoes,
//     tie-breaks);
//  6. new stories numbered in the order of their first items.
// Every phase but the cheap union-find runs on all cores, and none depends on
// the thread count, so neither do the answers. Ingesting a corpus as one
// snapshot into an empty store gives exactly the clusters `dups` gives.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "core/match_params.h"
#include "core/matcher.h"
#include "core/stored_context.h"

namespace newsdedup {

// Of the stored versions hit by an item's LSH band keys (one entry per
// shared band, any order), the `max` sharing the most bands, ties to the
// newest (largest id); in ascending id order.
std::vector<uint64_t> RankBandCandidates(std::vector<uint64_t> hits, size_t max);

// One item's story.
struct Resolution {
  // A story of StoredContext::stories, or (new_story) the n-th story this
  // dump started, counted from 0 in dump order.
  bool new_story = true;
  uint32_t story = 0;
  // Why (rule kNone for a new story), against which candidate.
  MatchEvidence evidence;
  // The evidence was an earlier item of this dump.
  bool in_snapshot = false;
};

class StoryResolver {
 public:
  // threads <= 0: one per core.
  StoryResolver(const MatchParams& params, int threads);

  // One Resolution per item, in dump order. REQUIRES: items were extracted
  // with band keys by a FeatureExtractor of the same params; `stored`
  // indexes are in range.
  std::vector<Resolution> Resolve(std::span<const TextFeatures> items,
                                  const StoredContext& stored) const;

  // Completes the features of the listed items (ascending) in place, as
  // FeatureExtractor::Extract with band keys would make them.
  using CompleteFeatures =
      std::function<void(std::span<const uint32_t> items, std::span<TextFeatures> features)>;

  // The same answers for items given only as sketches
  // (FeatureExtractor::ExtractSketch): once the candidates are known,
  // `complete` is called once for the items compared with a stored version
  // or with an item of another text; the others are new stories, or exact
  // repeats of one text only, whatever their other features.
  std::vector<Resolution> Resolve(std::span<TextFeatures> sketches, const StoredContext& stored,
                                  const CompleteFeatures& complete) const;

  const MatchParams& params() const { return params_; }

 private:
  MatchParams params_;
  int threads_;
};

}  // namespace newsdedup

#endif  // NEWSDEDUP_CORE_STORY_RESOLVER_H_
