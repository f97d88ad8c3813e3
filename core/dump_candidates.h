#ifndef NEWSDEDUP_CORE_DUMP_CANDIDATES_H_
#define NEWSDEDUP_CORE_DUMP_CANDIDATES_H_

// Which earlier items of one dump each item is compared with. Two items are
// candidates when they share an index key: the same matching-form text, URL
// or title, or one LSH band of their leads or of their full texts. Per key an
// item looks at the newest `max_per_key` earlier items carrying it (a template
// listed a thousand times must not cost a million checks), and counts, per
// earlier item, the keys they share: many shared bands estimate a high
// similarity, one shared band a template.
//
// The candidates are a function of the features alone, never of any decision
// taken on them, so they are computed on all cores and the answer does not
// depend on the number of threads.

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "core/matcher.h"

namespace newsdedup {

struct EarlierCandidate {
  uint32_t item;         // An earlier item of the dump.
  uint32_t shared_keys;  // Index keys it shares with the later one.
};

// Candidates of every item, in one flat array.
class DumpCandidates {
 public:
  // The candidates of item `i`, by ascending item. REQUIRES: i < items.
  std::span<const EarlierCandidate> Of(size_t i) const {
    return std::span<const EarlierCandidate>(entries_).subspan(
        offsets_[i], offsets_[i + 1] - offsets_[i]);
  }
  size_t items() const { return offsets_.empty() ? 0 : offsets_.size() - 1; }
  size_t total() const { return entries_.size(); }

 private:
  friend DumpCandidates FindDumpCandidates(std::span<const TextFeatures>, size_t, int);
  std::vector<uint64_t> offsets_;  // items() + 1 entries.
  std::vector<EarlierCandidate> entries_;
};

// REQUIRES: every item has the same number of lead band keys, and of full
// band keys or none (as FeatureExtractor::Extract with band keys makes them).
DumpCandidates FindDumpCandidates(std::span<const TextFeatures> items, size_t max_per_key,
                                  int threads);

}  // namespace newsdedup

#endif  // NEWSDEDUP_CORE_DUMP_CANDIDATES_H_
