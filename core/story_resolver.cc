#include "core/story_resolver.h"

#include <algorithm>
#include <utility>

#include "absl/container/flat_hash_set.h"

#include "core/component_decider.h"
#include "core/dump_candidates.h"
#include "core/pair_rules.h"
#include "core/parallel_for.h"
#include "core/story_components.h"
#include "core/template_texts.h"
#include "core/verdicts.h"
#include "core/weak_titles.h"

namespace newsdedup {
namespace {

class DumpResolution {
 public:
  // Items (or components) a thread takes at a time.
  static constexpr size_t kChunk = 1024;

  DumpResolution(const MatchParams& params, int threads, std::span<const TextFeatures> items,
                 const StoredContext& stored)
      : params_(params), threads_(threads), items_(items), stored_(stored) {}

  // `complete` (may be null): see StoryResolver::Resolve.
  std::vector<Resolution> Run(std::span<TextFeatures> completable,
                              const StoryResolver::CompleteFeatures& complete) {
    const DumpCandidates earlier =
        FindDumpCandidates(items_, static_cast<size_t>(params_.max_candidates_per_key), threads_);
    if (complete) complete(ItemsWithCandidates(earlier), completable);
    std::vector<TitleCarrier> carriers = CarriersOf(items_, stored_);
    for (uint64_t title : FindWeakTitles(params_, carriers)) weak_.Insert(title);
    templates_ = TemplateTexts(params_, items_, stored_.templates);
    const std::vector<Verdicts> verdicts = JudgeAll(earlier);
    return Number(DecideAll(verdicts));
  }

 private:
  // The items whose features beyond a sketch are read: those compared with
  // a stored version or with an item of another text. An exact repeat needs
  // none (Verify and Conflict answer it from the matching hash, and it binds
  // without a story check), unless a twin of its text is compared with
  // another text: the first of the twins is then a version of a story that
  // other items are checked against.
  std::vector<uint32_t> ItemsWithCandidates(const DumpCandidates& earlier) const {
    absl::flat_hash_set<uint64_t> compared_texts;
    for (size_t i = 0; i < items_.size(); ++i) {
      const uint64_t text = items_[i].matching_hash;
      if (!stored_.candidates.empty() && !stored_.candidates[i].empty()) {
        compared_texts.insert(text);
      }
      for (const EarlierCandidate& c : earlier.Of(i)) {
        if (items_[c.item].matching_hash == text) continue;
        compared_texts.insert(text);
        compared_texts.insert(items_[c.item].matching_hash);
      }
    }
    std::vector<uint32_t> items;
    for (size_t i = 0; i < items_.size(); ++i) {
      if (compared_texts.contains(items_[i].matching_hash)) {
        items.push_back(static_cast<uint32_t>(i));
      }
    }
    return items;
  }

  std::vector<Verdicts> JudgeAll(const DumpCandidates& earlier) const {
    std::vector<Verdicts> verdicts(items_.size());
    const auto features_of = [&](uint32_t item) -> const TextFeatures& { return items_[item]; };
    // Later items have more earlier candidates: ranges are taken in turn.
    ParallelForChunks(items_.size(), threads_, kChunk, [&](size_t begin, size_t end, int) {
      for (size_t i = begin; i < end; ++i) {
        const std::span<const uint32_t> stored =
            stored_.candidates.empty() ? std::span<const uint32_t>() : stored_.candidates[i];
        verdicts[i] = JudgeCandidates(rules_, items_[i], stored, stored_, earlier.Of(i),
                                      features_of);
      }
    });
    return verdicts;
  }

  // Components are independent: decided on all cores.
  std::vector<StoryDecision> DecideAll(const std::vector<Verdicts>& verdicts) const {
    const StoryComponents components = FindStoryComponents(verdicts, stored_);
    std::vector<StoryDecision> decisions(items_.size());
    const auto features_of = [&](uint32_t item) -> const TextFeatures& { return items_[item]; };
    ParallelForChunks(components.count(), threads_, kChunk, [&](size_t begin, size_t end, int) {
      ComponentDecider decider(rules_, stored_);
      std::vector<StoryDecision> out;
      for (size_t c = begin; c < end; ++c) {
        const std::span<const uint32_t> members = components.Of(c);
        out.resize(members.size());
        decider.Decide(
            members, [&](size_t k) -> const Verdicts& { return verdicts[members[k]]; },
            features_of, out);
        for (size_t k = 0; k < members.size(); ++k) decisions[members[k]] = out[k];
      }
    });
    return decisions;
  }

  // New stories are numbered in the order of their first items.
  std::vector<Resolution> Number(const std::vector<StoryDecision>& decisions) const {
    std::vector<uint32_t> number_of_first(items_.size(), 0);
    uint32_t next = 0;
    for (size_t i = 0; i < decisions.size(); ++i) {
      if (!decisions[i].stored && decisions[i].story == i) number_of_first[i] = next++;
    }
    std::vector<Resolution> resolutions(items_.size());
    for (size_t i = 0; i < decisions.size(); ++i) {
      const StoryDecision& d = decisions[i];
      resolutions[i].new_story = !d.stored;
      resolutions[i].story = d.stored ? d.story : number_of_first[d.story];
      resolutions[i].evidence = d.evidence;
      resolutions[i].in_snapshot = d.in_snapshot;
    }
    return resolutions;
  }

  const MatchParams& params_;
  const int threads_;
  const std::span<const TextFeatures> items_;
  const StoredContext& stored_;
  WeakTitles weak_;
  TemplateTexts templates_;
  const PairRules rules_{params_, weak_, templates_};
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
