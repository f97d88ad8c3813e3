#ifndef NEWSDEDUP_CORE_PAIR_RULES_H_
#define NEWSDEDUP_CORE_PAIR_RULES_H_

// The pairwise rules of core/matcher.h with what the corpus and the store
// say of the two texts: whether their titles recur (weak titles,
// core/weak_titles.h, and template titles) and whether the lede they share
// is a template (core/template_texts.h). Both the verdicts
// (core/verdicts.h) and the story-level decision
// (core/component_decider.h) ask it, so that a pair is judged alike
// wherever it is judged, in one process or on MPI ranks.
//  - A pair's title is weak when either title is weak or a template.
//  - Under a shared template lede a replaced name is another instance of
//    the template, as under a recurring title (Conflicts), and the lede is
//    no evidence: only an exact repeat, the same URL or near-duplicate
//    titles with the same numbers join the two (Verifies,
//    SupportedBesidesLede).

#include <cstdint>
#include <optional>

#include "core/match_params.h"
#include "core/matcher.h"
#include "core/template_texts.h"
#include "core/weak_titles.h"

namespace newsdedup {

class PairRules {
 public:
  // Holds references: all three must outlive it (they may still be filled
  // in, as the MPI ranks learn titles of fetched features).
  PairRules(const MatchParams& params, const WeakTitles& weak, const TemplateTexts& templates)
      : params_(params), weak_(weak), templates_(templates) {}

  const MatchParams& params() const { return params_; }

  bool WeakTitle(uint64_t title_hash) const {
    return weak_.Contains(title_hash) || templates_.TitleIsTemplate(title_hash);
  }
  bool WeakPair(const TextFeatures& a, const TextFeatures& b) const {
    return WeakTitle(a.title_hash) || WeakTitle(b.title_hash);
  }
  // Conflict (core/matcher.h) of the two.
  bool Conflicts(const TextFeatures& item, const TextFeatures& candidate) const;
  // Verify (core/matcher.h) of the two, where a shared template lede is no
  // evidence.
  std::optional<MatchEvidence> Verifies(const TextFeatures& item,
                                        const TextFeatures& candidate) const;

 private:
  const MatchParams& params_;
  const WeakTitles& weak_;
  const TemplateTexts& templates_;
};

}  // namespace newsdedup

#endif  // NEWSDEDUP_CORE_PAIR_RULES_H_
