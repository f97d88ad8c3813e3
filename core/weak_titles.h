#ifndef NEWSDEDUP_CORE_WEAK_TITLES_H_
#define NEWSDEDUP_CORE_WEAK_TITLES_H_

// Recurring titles: a title carried by several stored stories, or by several
// distinct texts of the dump ("Le dessin du jour", a live blog, a weekly
// column) is a feature's name, not evidence that two texts are one story
// (MatchParams::weak_title_stories). A pair's title is weak when either
// title is.
//
// Weakness is a count over the whole corpus, so it is found in two steps
// that also run apart, on the ranks of the MPI `dups`: every item and stored
// version gives a carrier of its title (TitleCarrier), and the carriers of a
// title, gathered wherever they are, say whether it is weak (FindWeakTitles).

#include <cstdint>
#include <span>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "core/match_params.h"
#include "core/matcher.h"
#include "core/stored_context.h"

namespace newsdedup {

// One text or stored story carrying a title.
struct TitleCarrier {
  uint64_t title = 0;
  uint64_t carrier = 0;  // A stored story or a text, never equal to each other.
  bool operator<(const TitleCarrier& o) const {
    return title != o.title ? title < o.title : carrier < o.carrier;
  }
  bool operator==(const TitleCarrier& o) const = default;
};

// The carrier an item of the dump (or a stored version) gives its title.
// REQUIRES: f.title_hash != 0.
TitleCarrier TextCarrier(const TextFeatures& f);
TitleCarrier StoredStoryCarrier(uint64_t title_hash, uint64_t story_number);

// The set of weak titles, asked about by title hash.
class WeakTitles {
 public:
  bool Contains(uint64_t title_hash) const { return weak_.contains(title_hash); }
  // For a pair: either title weak.
  bool EitherWeak(const TextFeatures& a, const TextFeatures& b) const {
    return Contains(a.title_hash) || Contains(b.title_hash);
  }
  void Insert(uint64_t title_hash) { weak_.insert(title_hash); }

 private:
  absl::flat_hash_set<uint64_t> weak_;
};

// The titles among `carriers` with at least params.weak_title_stories
// distinct carriers, in ascending order. REQUIRES: `carriers` holds every
// carrier of each title it holds (duplicates allowed); it is sorted in place.
std::vector<uint64_t> FindWeakTitles(const MatchParams& params,
                                     std::span<TitleCarrier> carriers);

// The carriers of a dump's items and of the stored versions' stories.
std::vector<TitleCarrier> CarriersOf(std::span<const TextFeatures> items,
                                     const StoredContext& stored);

}  // namespace newsdedup

#endif  // NEWSDEDUP_CORE_WEAK_TITLES_H_
