#include "core/story_resolver.h"

#include <algorithm>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "core/dump_candidates.h"
#include "core/parallel_for.h"

namespace newsdedup {
namespace {

// A candidate version: a stored one or an earlier item of the dump.
struct Ref {
  bool stored;
  uint32_t index;  // In StoredContext::versions, or an item of the dump.
};

// Verdicts of one item on its candidates, which depend on features alone.
struct Verdicts {
  struct Accepted {
    Ref ref;
    MatchEvidence evidence;
  };
  std::vector<Accepted> accepted;  // In found order: stored, then earlier items.
  std::vector<Ref> vetoes;         // Candidates in conflict with the item.
};

// A title carried by several stored stories, or by several texts of the
// dump, is a recurring feature ("Le dessin du jour", a live blog).
class WeakTitles {
 public:
  WeakTitles(const MatchParams& params, std::span<const TextFeatures> items,
             const StoredContext& stored) {
    absl::flat_hash_map<uint64_t, absl::flat_hash_set<uint64_t>> carriers;
    for (const StoredContext::Version& v : stored.versions) {
      // Stories and texts of one title, told apart by the top bit.
      if (v.features.title_hash != 0) {
        carriers[v.features.title_hash].insert(stored.stories[v.story].number | 1ULL << 63);
      }
    }
    for (const TextFeatures& f : items) {
      if (f.title_hash != 0) carriers[f.title_hash].insert(f.matching_hash & ~(1ULL << 63));
    }
    for (const auto& [title, seen] : carriers) {
      if (seen.size() >= static_cast<size_t>(params.weak_title_stories)) weak_.insert(title);
    }
  }
  bool operator()(uint64_t title_hash) const { return weak_.contains(title_hash); }

 private:
  absl::flat_hash_set<uint64_t> weak_;
};

class DumpResolution {
 public:
  DumpResolution(const MatchParams& params, int threads, std::span<const TextFeatures> items,
                 const StoredContext& stored)
      : params_(params),
        threads_(threads),
        items_(items),
        stored_(stored),
        weak_(params, items, stored),
        story_head_(stored.stories.size(), kNone),
        next_member_(items.size(), kNone) {}

  // `complete` (may be null): see StoryResolver::Resolve.
  std::vector<Resolution> Run(std::span<TextFeatures> completable,
                              const StoryResolver::CompleteFeatures& complete) {
    const DumpCandidates earlier =
        FindDumpCandidates(items_, static_cast<size_t>(params_.max_candidates_per_key), threads_);
    if (complete) complete(ItemsWithCandidates(earlier), completable);
    std::vector<Verdicts> verdicts(items_.size());
    ParallelFor(items_.size(), threads_, [&](size_t begin, size_t end, int) {
      for (size_t i = begin; i < end; ++i) verdicts[i] = Judge(i, earlier.Of(i));
    });
    std::vector<Resolution> resolutions(items_.size());
    for (size_t i = 0; i < items_.size(); ++i) resolutions[i] = Decide(i, verdicts[i]);
    return resolutions;
  }

 private:
  static constexpr uint32_t kNone = UINT32_MAX;

  // The items that have candidates, or are one: the only ones compared.
  std::vector<uint32_t> ItemsWithCandidates(const DumpCandidates& earlier) const {
    std::vector<char> compared(items_.size(), false);
    for (size_t i = 0; i < items_.size(); ++i) {
      const auto candidates = earlier.Of(i);
      const bool stored = !stored_.candidates.empty() && !stored_.candidates[i].empty();
      if (!candidates.empty() || stored) compared[i] = true;
      for (const EarlierCandidate& c : candidates) compared[c.item] = true;
    }
    std::vector<uint32_t> items;
    for (size_t i = 0; i < items_.size(); ++i) {
      if (compared[i]) items.push_back(static_cast<uint32_t>(i));
    }
    return items;
  }

  const TextFeatures& FeaturesOf(Ref ref) const {
    return ref.stored ? stored_.versions[ref.index].features : items_[ref.index];
  }

  bool WeakPair(size_t i, const TextFeatures& candidate) const {
    return weak_(items_[i].title_hash) || weak_(candidate.title_hash);
  }

  // Conflict and verification of item i with one candidate.
  void JudgeOne(size_t i, Ref ref, Verdicts* out) const {
    const TextFeatures& candidate = FeaturesOf(ref);
    const bool weak = WeakPair(i, candidate);
    if (Conflict(params_, items_[i], candidate, weak)) {
      out->vetoes.push_back(ref);
    } else if (auto evidence = Verify(params_, items_[i], candidate, weak)) {
      out->accepted.push_back({ref, *evidence});
    }
  }

  // Every stored candidate is verified. Of the earlier items, any may veto
  // (a conflict is cheap to find), and of the others those sharing the most
  // keys with the item (ties to the newest) are verified.
  Verdicts Judge(size_t i, std::span<const EarlierCandidate> earlier) const {
    Verdicts verdicts;
    if (!stored_.candidates.empty()) {
      for (uint32_t v : stored_.candidates[i]) JudgeOne(i, {true, v}, &verdicts);
    }
    std::vector<std::pair<uint32_t, uint32_t>> ranked;  // (shared keys, item)
    for (const EarlierCandidate& c : earlier) {
      const TextFeatures& candidate = items_[c.item];
      if (Conflict(params_, items_[i], candidate, WeakPair(i, candidate))) {
        verdicts.vetoes.push_back({false, c.item});
      } else {
        ranked.emplace_back(c.shared_keys, c.item);
      }
    }
    const size_t keep =
        std::min(ranked.size(), static_cast<size_t>(params_.max_verified_candidates));
    std::partial_sort(ranked.begin(), ranked.begin() + keep, ranked.end(),
                      [](const auto& a, const auto& b) { return a > b; });
    ranked.resize(keep);
    // Verified in dump order, which breaks ties between equal evidence.
    std::sort(ranked.begin(), ranked.end(),
              [](const auto& a, const auto& b) { return a.second < b.second; });
    for (const auto& [shared, item] : ranked) {
      const TextFeatures& candidate = items_[item];
      if (auto evidence = Verify(params_, items_[i], candidate, WeakPair(i, candidate))) {
        verdicts.accepted.push_back({{false, item}, *evidence});
      }
    }
    return verdicts;
  }

  // The story (index in story ids: stored stories first) a candidate is in.
  uint32_t StoryOf(Ref ref) const {
    return ref.stored ? stored_.versions[ref.index].story : item_story_[ref.index];
  }

  // True when item i conflicts with one of the newest versions of `story`:
  // stored ones and items of this dump that brought a new text to it.
  bool StoryConflicts(size_t i, uint32_t story) const {
    int budget = params_.max_story_versions_checked;
    const auto conflicts = [&](const TextFeatures& version) {
      return Conflict(params_, items_[i], version, WeakPair(i, version));
    };
    for (uint32_t m = story_head_[story]; m != kNone && budget > 0; m = next_member_[m], --budget) {
      if (conflicts(items_[m])) return true;
    }
    if (story < stored_.stories.size()) {
      for (uint32_t v : stored_.stories[story].versions) {
        if (budget-- <= 0) break;
        if (conflicts(stored_.versions[v].features)) return true;
      }
    }
    return false;
  }

  Resolution Decide(size_t i, const Verdicts& verdicts) {
    absl::flat_hash_set<uint32_t> vetoed;
    for (Ref ref : verdicts.vetoes) vetoed.insert(StoryOf(ref));
    // Strongest first; stable, so ties keep the found order.
    std::vector<const Verdicts::Accepted*> order;
    for (const Verdicts::Accepted& a : verdicts.accepted) order.push_back(&a);
    std::stable_sort(order.begin(), order.end(), [](const auto* a, const auto* b) {
      return a->evidence.Score() > b->evidence.Score();
    });
    Resolution resolution;
    uint32_t story = kNone;
    for (const Verdicts::Accepted* a : order) {
      const uint32_t candidate_story = StoryOf(a->ref);
      // An exact repeat is the same text, so it is in that text's story
      // whatever else: a conflict with another version of the story would be
      // that text's own (this keeps a dump compared with itself, or one file
      // ingested on two nights, in the same stories). The same canonical URL
      // is the publisher saying it is the same page, whatever its text became.
      const bool binding =
          a->evidence.rule == MatchRule::kExact || a->evidence.rule == MatchRule::kUrl;
      if (!binding && vetoed.contains(candidate_story)) continue;
      if (!binding && StoryConflicts(i, candidate_story)) {
        vetoed.insert(candidate_story);
        continue;
      }
      story = candidate_story;
      resolution.evidence = a->evidence;
      resolution.in_snapshot = !a->ref.stored;
      break;
    }
    if (story == kNone) {
      story = static_cast<uint32_t>(story_head_.size());
      story_head_.push_back(kNone);
    }
    Join(i, story);
    resolution.new_story = story >= stored_.stories.size();
    resolution.story =
        resolution.new_story ? story - static_cast<uint32_t>(stored_.stories.size()) : story;
    return resolution;
  }

  // Item i is in `story`; a text new to the story becomes one of its
  // versions for later conflict checks.
  void Join(size_t i, uint32_t story) {
    item_story_.push_back(story);
    if (story_texts_.insert({story, items_[i].matching_hash}).second) {
      next_member_[i] = story_head_[story];
      story_head_[story] = static_cast<uint32_t>(i);
    }
  }

  const MatchParams& params_;
  const int threads_;
  const std::span<const TextFeatures> items_;
  const StoredContext& stored_;
  const WeakTitles weak_;
  // Per story (stored ones first, then those of this dump), the newest item
  // of this dump that brought it a new text; items chain to older ones.
  std::vector<uint32_t> story_head_;
  std::vector<uint32_t> next_member_;
  std::vector<uint32_t> item_story_;  // Per decided item.
  absl::flat_hash_set<std::pair<uint32_t, uint64_t>> story_texts_;
};

}  // namespace

std::vector<uint64_t> RankBandCandidates(std::vector<uint64_t> hits, size_t max) {
  std::sort(hits.begin(), hits.end());
  std::vector<std::pair<uint32_t, uint64_t>> counted;  // (shared bands, id)
  for (size_t run = 0; run < hits.size();) {
    size_t end = run;
    while (end < hits.size() && hits[end] == hits[run]) ++end;
    counted.emplace_back(static_cast<uint32_t>(end - run), hits[run]);
    run = end;
  }
  const size_t keep = std::min(counted.size(), max);
  std::partial_sort(counted.begin(), counted.begin() + keep, counted.end(),
                    [](const auto& a, const auto& b) { return a > b; });
  std::vector<uint64_t> best;
  for (size_t c = 0; c < keep; ++c) best.push_back(counted[c].second);
  std::sort(best.begin(), best.end());
  return best;
}

StoryResolver::StoryResolver(const MatchParams& params, int threads)
    : params_(params), threads_(ResolveThreads(threads)) {}

std::vector<Resolution> StoryResolver::Resolve(std::span<const TextFeatures> items,
                                               const StoredContext& stored) const {
  return DumpResolution(params_, threads_, items, stored).Run({}, nullptr);
}

std::vector<Resolution> StoryResolver::Resolve(std::span<TextFeatures> sketches,
                                               const StoredContext& stored,
                                               const CompleteFeatures& complete) const {
  return DumpResolution(params_, threads_, sketches, stored).Run(sketches, complete);
}

}  // namespace newsdedup
