#ifndef NEWSDEDUP_CORE_VERDICTS_H_
#define NEWSDEDUP_CORE_VERDICTS_H_

// What one item's candidates say of it, before any story is decided: which
// candidates it matches (with the evidence) and which it conflicts with. A
// verdict depends on the features of the two texts (and on their weak and
// template texts, core/pair_rules.h) alone, so verdicts are computed on all
// cores, or on MPI ranks, wherever the features are; the story-level
// decision (core/component_decider.h) then only combines them.

#include <cstdint>
#include <span>
#include <vector>

#include "absl/functional/function_ref.h"
#include "core/dump_candidates.h"
#include "core/matcher.h"
#include "core/pair_rules.h"
#include "core/stored_context.h"

namespace newsdedup {

// A candidate version: a stored one or an earlier item of the dump.
struct CandidateRef {
  bool stored = false;
  uint32_t index = 0;  // In StoredContext::versions, or an item of the dump.
};

struct Verdicts {
  struct Accepted {
    CandidateRef ref;
    MatchEvidence evidence;
  };
  // Candidates it matches, in found order (stored ones, then earlier items
  // ascending), which breaks ties between equal evidence.
  std::vector<Accepted> accepted;
  std::vector<CandidateRef> vetoes;  // Candidates in conflict with the item.
};

// The features of an item of the dump, by index.
using ItemFeatures = absl::FunctionRef<const TextFeatures&(uint32_t item)>;

// The verdicts of `item` on its candidates. Every stored candidate (indexes
// in stored.versions) is verified. Of the earlier items of the dump, any may
// veto (a conflict is cheap to find), and of the others the
// params.max_verified_candidates sharing the most keys with the item (ties
// to the newest) are verified.
Verdicts JudgeCandidates(const PairRules& rules, const TextFeatures& item,
                         std::span<const uint32_t> stored_candidates,
                         const StoredContext& stored, std::span<const EarlierCandidate> earlier,
                         ItemFeatures features_of);

}  // namespace newsdedup

#endif  // NEWSDEDUP_CORE_VERDICTS_H_
