#ifndef NEWSDEDUP_CORE_STORY_RESOLVER_H_
#define NEWSDEDUP_CORE_STORY_RESOLVER_H_

// The one place that decides story identity, for `ingest`, `diff` and `dups`
// alike. Given the items of one dump (their features, in dump order) and the
// stored versions the indexes found for them (with every version of each
// story they belong to), it decides for each item which story it joins, or
// that it starts a new one, with the evidence. Every story-level rule is
// applied here and only here:
//  - pairwise evidence and conflicts come from core/matcher.h (Verify,
//    Conflict), on candidates found by the indexes and never accepted on an
//    index collision alone;
//  - caps (MatchParams): candidates per key, verified candidates per item
//    (those sharing the most index keys), versions of a story checked;
//  - exact repeats and URLs: an item whose text, or canonical URL, equals a
//    candidate's joins that candidate's story, whatever else;
//  - weak titles: a title carried by several stored stories, or by several
//    texts of the dump, is a recurring feature and no evidence (for a pair,
//    when either title is);
//  - vetoes: a conflict with any candidate, or with any version of a story
//    (up to max_story_versions_checked, newest first), rules that story out,
//    so that a version without a date cannot chain two dated ones;
//  - tie-breaks: the strongest evidence wins (MatchEvidence::Score); on a tie
//    stored versions before items of the dump, then the earliest found.
// Items are decided in dump order, each against the stored versions and the
// earlier items of the dump, so ingesting a corpus as one snapshot into an
// empty store gives exactly the clusters `dups` gives. Candidates and their
// verification depend only on the features and run on all cores; only the
// final pass, cheap, is sequential: answers never depend on the thread count.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "core/match_params.h"
#include "core/matcher.h"

namespace newsdedup {

// What the store knows that bears on a dump.
struct StoredContext {
  struct Version {
    uint64_t id = 0;
    uint32_t story = 0;  // Index in `stories`.
    TextFeatures features;
  };
  struct Story {
    uint64_t number = 0;  // As the store names it.
    // Indexes in `versions` of its versions, newest first (at most
    // max_story_versions_checked are looked at).
    std::vector<uint32_t> versions;
  };
  std::vector<Version> versions;
  std::vector<Story> stories;
  // Per item of the dump, the indexes in `versions` to verify: what the
  // exact, URL and title indexes found, and the best band candidates
  // (RankBandCandidates). Empty, or one entry per item.
  std::vector<std::vector<uint32_t>> candidates;
};

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
  // `complete` is called once for the items that have or are candidates;
  // the others are new stories whatever their other features.
  std::vector<Resolution> Resolve(std::span<TextFeatures> sketches, const StoredContext& stored,
                                  const CompleteFeatures& complete) const;

  const MatchParams& params() const { return params_; }

 private:
  MatchParams params_;
  int threads_;
};

}  // namespace newsdedup

#endif  // NEWSDEDUP_CORE_STORY_RESOLVER_H_
