#ifndef NEWSDEDUP_CORE_TRANSITION_PAIRING_H_
#define NEWSDEDUP_CORE_TRANSITION_PAIRING_H_

// Transition pairing, after the resolver (core/story_resolver.h), as git's
// rename detection: the stories that left a source's listing in this
// snapshot (shown by the previous capture, joined by no item now) and the
// stories this snapshot starts form a small bipartite problem. A headline
// rewritten together with its lede matches nothing anywhere, yet the story
// it replaced left the feed in the very snapshot where it appeared, so a
// pair is accepted on weaker evidence than a match in the whole store:
//  - their titles (without a kicker they share: a series' "Guerre au
//    Levant, en direct :") or their leads (title + lede words) overlap, by
//    Jaccard of word sets, at least MatchParams::transition_jaccard;
//  - and they share at least transition_shared names beyond the words both
//    titles carry (a series' kicker names the same place every time), or
//    their ledes' words beyond their titles' overlap as much by themselves
//    (a lede kept, shortened or lengthened under a new headline);
//  - never across a conflict (dates, ordinals, a replaced name under a
//    template lede: core/matcher.h Conflict) or changed title numbers
//    ("Top 14, 4e journée" and "Pro D2, 4e journée"), and template text
//    counts for nothing (core/template_texts.h): a story under a template
//    title, a series' instalment, is never a side of a pair, and two texts
//    sharing a template lede have a lead similarity of 0.
// Pairs are taken best first (score: the overlap, then shared names, then
// the nearer feed position), each story at most once. Only the pairs change
// answers, so ingesting a corpus as one snapshot into an empty store (what
// `dups` is compared with) never meets it.

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "core/match_params.h"
#include "core/matcher.h"
#include "core/template_texts.h"

namespace newsdedup {

// One side of the problem: a departed story (the texts of its last
// appearance in the listing) or an arrival (the texts of its items here).
struct TransitionSide {
  std::vector<const TextFeatures*> texts;  // Not owned; at least one.
  uint32_t position = 0;  // Its first item's position in its listing.
  uint32_t listing_items = 1;  // Items of that listing.
};

// Why a departed story and an arrival were paired.
struct TransitionEvidence {
  double title_similarity = 0;  // Jaccard of title words.
  double lead_similarity = 0;   // Jaccard of title + lede words.
  int shared = 0;               // Names in common, besides both titles' words.
  uint32_t previous_position = 0;  // The departed story's, in its listing.
  uint32_t position = 0;           // The arrival's, here.
  // Best first: the larger overlap, then shared names, then the nearer
  // position.
  double Score() const;
};

struct TransitionPair {
  uint32_t departed = 0;  // Index in the departed sides.
  uint32_t arrival = 0;   // Index in the arrival sides.
  TransitionEvidence evidence;
};

// How much work one snapshot's pairing may take. Word masks rule most pairs
// out in a few nanoseconds each, yet a night that replaces tens of
// thousands of stories has billions of pairs: beyond `pairs`, each departed
// story meets only the arrivals nearest its relative position in the
// listing, as many as the budget allows (the feed position is part of a
// transition's evidence). Feeds of a few hundred items never reach it.
// The departed stories are spread over `threads` cores; the answer does not
// depend on how many.
struct TransitionLimits {
  size_t pairs = 100'000'000;  // About 1.5 s of masks on one core of this project's VMs.
  int threads = 1;
};

// The accepted pairs, best first.
std::vector<TransitionPair> PairTransitions(const MatchParams& params,
                                            std::span<const TransitionSide> departed,
                                            std::span<const TransitionSide> arrivals,
                                            const TemplateTexts& templates,
                                            const TransitionLimits& limits = {});

}  // namespace newsdedup

#endif  // NEWSDEDUP_CORE_TRANSITION_PAIRING_H_
