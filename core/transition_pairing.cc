#include "core/transition_pairing.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <iterator>
#include <optional>
#include <span>
#include <utility>
#include <vector>

#include "core/parallel_for.h"
#include "core/similarity.h"

namespace newsdedup {
namespace {

// Names both texts carry, other than words both titles carry: a series'
// kicker ("Guerre au Proche-Orient, en direct :") names a place in every
// instalment, while the people and places of one story carry over from its
// old headline or lede into the new text.
int SharedNamesBesidesTitles(const TextFeatures& a, const TextFeatures& b) {
  ShingleSet shared;
  std::set_intersection(a.names.begin(), a.names.end(), b.names.begin(), b.names.end(),
                        std::back_inserter(shared));
  int count = 0;
  for (uint64_t name : shared) {
    count += !(std::binary_search(a.title_words.begin(), a.title_words.end(), name) &&
               std::binary_search(b.title_words.begin(), b.title_words.end(), name));
  }
  return count;
}

// The words of a text's lede that its title does not carry.
ShingleSet LedeOnlyWords(const TextFeatures& f) {
  ShingleSet words;
  std::set_difference(f.lead_words.begin(), f.lead_words.end(), f.title_words.begin(),
                      f.title_words.end(), std::back_inserter(words));
  return words;
}

double RelativePosition(const TransitionSide& side) {
  return side.listing_items <= 1 ? 0.0 : double(side.position) / double(side.listing_items - 1);
}

// The evidence of one departed text and one arriving text, neither under a
// template title; nullopt when they overlap too little.
std::optional<TransitionEvidence> Judge(const MatchParams& params, const TextFeatures& before,
                                        const TextFeatures& after, const TemplateTexts& templates) {
  const bool template_lede = templates.SharedLede(before, after);
  TransitionEvidence evidence;
  // Two missing titles (orphan ledes) are not two equal titles, and the
  // kicker of a series ("Guerre au Levant, en direct :") no evidence that
  // two of its instalments are one.
  const bool same_kicker = before.kicker_hash != 0 && before.kicker_hash == after.kicker_hash;
  const ShingleSet& old_title = same_kicker ? before.title_rest_words : before.title_words;
  const ShingleSet& new_title = same_kicker ? after.title_rest_words : after.title_words;
  if (!old_title.empty() && !new_title.empty()) {
    evidence.title_similarity = Jaccard(old_title, new_title);
  }
  if (!template_lede && !before.lead_words.empty() && !after.lead_words.empty()) {
    evidence.lead_similarity = Jaccard(before.lead_words, after.lead_words);
  }
  evidence.shared = SharedNamesBesidesTitles(before, after);
  // A headline template whose numbers changed ("Top 14, 4e journée" and
  // "Pro D2, 4e journée") names another instance of it.
  const bool numbers_changed = !before.title_numbers.empty() && !after.title_numbers.empty() &&
                               before.title_numbers != after.title_numbers;
  if (numbers_changed ||
      std::max(evidence.title_similarity, evidence.lead_similarity) < params.transition_jaccard) {
    return std::nullopt;
  }
  // Names carried over, or ledes that overlap by themselves (a lede kept
  // under a new headline, shortened or lengthened): a series' instalments
  // share their kicker's words, not their ledes'. Ledes standing in for
  // names are judged as a template's: a name replaced ("le regard de
  // Plantu" / "de Coco") is another instalment.
  if (evidence.shared < params.transition_shared &&
      (template_lede ||
       Jaccard(LedeOnlyWords(before), LedeOnlyWords(after)) < params.transition_jaccard ||
       Conflict(params, before, after, /*weak_title=*/true))) {
    return std::nullopt;
  }
  return evidence;
}

// Per side, whether a text of it carries a template title. A title the
// source gives many stories names a series ("Le dessin du jour"), whose next
// instalment takes the last one's place in the feed: just what a rewrite
// looks like here, and its ledes are alike by design. Such a side is never
// judged.
std::vector<char> SeriesSides(std::span<const TransitionSide> sides,
                              const TemplateTexts& templates) {
  std::vector<char> series;
  for (const TransitionSide& side : sides) {
    series.push_back(std::any_of(side.texts.begin(), side.texts.end(), [&](const TextFeatures* t) {
      return templates.TitleIsTemplate(t->title_hash);
    }));
  }
  return series;
}

// The best evidence over the texts of both sides, neither a series';
// nullopt when any pair of their texts conflicts (as a conflicting version
// vetoes a story).
std::optional<TransitionEvidence> JudgeSides(const MatchParams& params,
                                             const TransitionSide& departed,
                                             const TransitionSide& arrival,
                                             const TemplateTexts& templates) {
  std::optional<TransitionEvidence> best;
  for (const TextFeatures* before : departed.texts) {
    for (const TextFeatures* after : arrival.texts) {
      const bool weak = templates.SharedLede(*before, *after);
      if (Conflict(params, *before, *after, weak)) return std::nullopt;
      std::optional<TransitionEvidence> evidence = Judge(params, *before, *after, templates);
      if (evidence.has_value() && (!best.has_value() || evidence->Score() > best->Score())) {
        best = evidence;
      }
    }
  }
  if (best.has_value()) {
    best->previous_position = departed.position;
    best->position = arrival.position;
  }
  return best;
}

// A set of word hashes as 256 bits (a word sets bit hash % 256) and its
// size: two masks bound how many words two sets can share, in a few
// instructions (a bitmap filter, as set similarity joins use).
struct WordMask {
  uint64_t bits[4] = {};
  int size = 0;
};

WordMask MaskOf(const ShingleSet& words) {
  WordMask mask;
  mask.size = static_cast<int>(words.size());
  for (uint64_t word : words) mask.bits[(word >> 6) & 3] |= uint64_t{1} << (word & 63);
  return mask;
}

// At least as many as the words `a` and `b` share: a word of one whose bit
// the other lacks is not in the other.
int SharedBound(const WordMask& a, const WordMask& b) {
  int a_only = 0, b_only = 0;
  for (int i = 0; i < 4; ++i) {
    a_only += std::popcount(a.bits[i] & ~b.bits[i]);
    b_only += std::popcount(b.bits[i] & ~a.bits[i]);
  }
  return std::min(a.size - a_only, b.size - b_only);
}

// At least their Jaccard similarity (0 when either is empty, as in Judge).
double JaccardBound(const WordMask& a, const WordMask& b) {
  if (a.size == 0 || b.size == 0) return 0;
  const int shared = SharedBound(a, b);
  return double(shared) / double(a.size + b.size - shared);
}

// The masks of the sets Judge compares, per text.
struct TextMasks {
  WordMask title, title_rest, lead, names, lede_only;
  uint64_t kicker_hash = 0;
};

TextMasks MasksOf(const TextFeatures& text) {
  return {MaskOf(text.title_words), MaskOf(text.title_rest_words), MaskOf(text.lead_words),
          MaskOf(text.names),       MaskOf(LedeOnlyWords(text)),   text.kicker_hash};
}

// The masks of every text of many sides, in one array: side i's are
// [begin[i], begin[i + 1]).
struct SideMasks {
  std::vector<TextMasks> texts;
  std::vector<uint32_t> begin = {0};

  size_t size() const { return begin.size() - 1; }
  std::span<const TextMasks> Of(size_t side) const {
    return {texts.data() + begin[side], texts.data() + begin[side + 1]};
  }
};

SideMasks MasksOf(std::span<const TransitionSide> sides) {
  SideMasks masks;
  for (const TransitionSide& side : sides) {
    for (const TextFeatures* text : side.texts) masks.texts.push_back(MasksOf(*text));
    masks.begin.push_back(static_cast<uint32_t>(masks.texts.size()));
  }
  return masks;
}

bool AnyBitInCommon(const WordMask& a, const WordMask& b) {
  return ((a.bits[0] & b.bits[0]) | (a.bits[1] & b.bits[1]) | (a.bits[2] & b.bits[2]) |
          (a.bits[3] & b.bits[3])) != 0;
}

// False only when Judge accepts no pair of their texts: every pair lacks
// the shared names or the overlap (the masks bound both from above).
// Inlined into ArrivalsThatMayPair.
inline bool MayPair(const MatchParams& params, std::span<const TextMasks> departed,
                    std::span<const TextMasks> arrival) {
  for (const TextMasks& before : departed) {
    for (const TextMasks& after : arrival) {
      // No bit in common, no name in common: the cheap test first; then
      // the ledes' own overlap, which may stand in for names.
      const bool names =
          (params.transition_shared == 0 || AnyBitInCommon(before.names, after.names)) &&
          SharedBound(before.names, after.names) >= params.transition_shared;
      if (!names && JaccardBound(before.lede_only, after.lede_only) < params.transition_jaccard) {
        continue;
      }
      const bool same_kicker = before.kicker_hash != 0 && before.kicker_hash == after.kicker_hash;
      const double title = same_kicker ? JaccardBound(before.title_rest, after.title_rest)
                                       : JaccardBound(before.title, after.title);
      // The lead's bound only when the title's falls short.
      if (title >= params.transition_jaccard ||
          JaccardBound(before.lead, after.lead) >= params.transition_jaccard) {
        return true;
      }
    }
  }
  return false;
}

// Tries departed stories against arrivals with the masks. `window` gives,
// per departed story of the block, the range of `arrival_order` it meets;
// `found` receives the arrivals it may pair with. The block meets each
// arrival of its windows in turn, so that an arrival's masks are read once
// per block, not once per story. Built twice, the POPCNT clone chosen at load
// time where the CPU has it (Debian's baseline lacks it, and libgcc's
// popcount was a third of the time).
__attribute__((target_clones("popcnt", "default"))) void ArrivalsThatMayPair(
    const MatchParams& params, const SideMasks& departed, std::span<const uint32_t> block,
    std::span<const std::pair<uint32_t, uint32_t>> window, const SideMasks& arrivals,
    std::span<const uint32_t> arrival_order, std::span<std::vector<uint32_t>> found) {
  uint32_t from = UINT32_MAX, to = 0;
  for (const auto& [lo, hi] : window) from = std::min(from, lo), to = std::max(to, hi);
  for (uint32_t i = from; i < to; ++i) {
    const uint32_t a = arrival_order[i];
    const std::span<const TextMasks> arrival = arrivals.Of(a);
    for (size_t k = 0; k < block.size(); ++k) {
      if (i < window[k].first || i >= window[k].second) continue;
      if (MayPair(params, departed.Of(block[k]), arrival)) found[k].push_back(a);
    }
  }
}

// Side indices by relative position in their listing, then by index.
std::vector<uint32_t> ByPosition(std::span<const TransitionSide> sides) {
  std::vector<uint32_t> order(sides.size());
  for (uint32_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](uint32_t x, uint32_t y) {
    const double px = RelativePosition(sides[x]), py = RelativePosition(sides[y]);
    return px != py ? px < py : x < y;
  });
  return order;
}

// The `count` consecutive positions of `sorted` nearest `x`, as [lo, hi):
// the first lo whose left end is no farther from x than its right end.
std::pair<uint32_t, uint32_t> Nearest(std::span<const double> sorted, double x, uint32_t count) {
  uint32_t lo = 0, hi = static_cast<uint32_t>(sorted.size()) - count;
  while (lo < hi) {
    const uint32_t mid = lo + (hi - lo) / 2;
    if (x - sorted[mid] <= sorted[mid + count] - x) {
      hi = mid;
    } else {
      lo = mid + 1;
    }
  }
  return {lo, lo + count};
}

}  // namespace

double TransitionEvidence::Score() const {
  return std::max(title_similarity, lead_similarity) + 0.01 * std::min(shared, 10);
}

std::vector<TransitionPair> PairTransitions(const MatchParams& params,
                                            std::span<const TransitionSide> departed,
                                            std::span<const TransitionSide> arrivals,
                                            const TemplateTexts& templates,
                                            const TransitionLimits& limits) {
  struct Candidate {
    TransitionPair pair;
    double score;
    double shift;  // Of relative positions.
  };
  std::vector<Candidate> candidates;
  const SideMasks departed_masks = MasksOf(departed);
  const SideMasks arrival_masks = MasksOf(arrivals);
  const std::vector<char> departed_series = SeriesSides(departed, templates);
  const std::vector<char> arrival_series = SeriesSides(arrivals, templates);
  // Each departed story meets the arrivals nearest its relative position,
  // all of them unless that makes more than the budget's pairs.
  const std::vector<uint32_t> departed_order = ByPosition(departed);
  const std::vector<uint32_t> arrival_order = ByPosition(arrivals);
  std::vector<double> arrival_positions;
  for (uint32_t a : arrival_order) arrival_positions.push_back(RelativePosition(arrivals[a]));
  const uint32_t nearest = static_cast<uint32_t>(std::min<size_t>(
      arrivals.size(), std::max<size_t>(1, limits.pairs / std::max<size_t>(1, departed.size()))));
  constexpr size_t kBlock = 64;  // Departed stories per pass over the arrivals.
  const int threads = std::max(limits.threads, 1);
  std::vector<std::vector<Candidate>> found_by(threads);
  ParallelForChunks(departed_order.size(), threads, kBlock, [&](size_t first, size_t end, int w) {
    const std::span<const uint32_t> block = std::span(departed_order).subspan(first, end - first);
    std::vector<std::pair<uint32_t, uint32_t>> windows;
    for (uint32_t d : block) {
      windows.push_back(Nearest(arrival_positions, RelativePosition(departed[d]), nearest));
    }
    std::vector<std::vector<uint32_t>> may_pair(block.size());
    ArrivalsThatMayPair(params, departed_masks, block, windows, arrival_masks, arrival_order,
                        may_pair);
    for (size_t k = 0; k < block.size(); ++k) {
      const uint32_t d = block[k];
      if (departed_series[d]) continue;
      for (uint32_t a : may_pair[k]) {
        if (arrival_series[a]) continue;
        std::optional<TransitionEvidence> evidence =
            JudgeSides(params, departed[d], arrivals[a], templates);
        if (!evidence.has_value()) continue;
        const double shift =
            std::abs(RelativePosition(departed[d]) - RelativePosition(arrivals[a]));
        found_by[w].push_back({{d, a, *evidence}, evidence->Score(), shift});
      }
    }
  });
  for (std::vector<Candidate>& found : found_by) {
    candidates.insert(candidates.end(), found.begin(), found.end());
  }
  // Best first; ties to the nearer position, then to the earlier sides, so
  // that the answer never depends on the order candidates were found in.
  std::sort(candidates.begin(), candidates.end(), [](const Candidate& x, const Candidate& y) {
    if (x.score != y.score) return x.score > y.score;
    if (x.shift != y.shift) return x.shift < y.shift;
    if (x.pair.departed != y.pair.departed) return x.pair.departed < y.pair.departed;
    return x.pair.arrival < y.pair.arrival;
  });
  std::vector<char> departed_used(departed.size(), false), arrival_used(arrivals.size(), false);
  std::vector<TransitionPair> pairs;
  for (const Candidate& c : candidates) {
    if (departed_used[c.pair.departed] || arrival_used[c.pair.arrival]) continue;
    departed_used[c.pair.departed] = arrival_used[c.pair.arrival] = true;
    pairs.push_back(c.pair);
  }
  return pairs;
}

}  // namespace newsdedup
