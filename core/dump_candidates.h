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
// depend on the number of threads. They are made in two steps that also run
// apart, on the ranks of the MPI `dups` (tools/mpi/): each key family's
// (key, item) entries sorted give pairs (AppendKeyPairs, where the key is),
// and each item's pairs counted give its candidates (CountCandidates, where
// the item is).

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "core/matcher.h"

namespace newsdedup {

// The index key families of a corpus, each its own namespace (equal hashes
// of different things never make candidates): exact text, URL, the article
// id a URL carries, title, then each LSH band of the lead and of the full
// text.
struct KeyFamilies {
  static constexpr size_t kFixed = 4;
  size_t lead_bands = 0;
  size_t full_bands = 0;

  // Those of `items`: the most band keys any item has of each view.
  static KeyFamilies Of(std::span<const TextFeatures> items);
  size_t count() const { return kFixed + lead_bands + full_bands; }
  // Where `f` keeps its key in `family`; nullptr when it has none.
  // REQUIRES: family < count().
  const uint64_t* KeySlot(const TextFeatures& f, size_t family) const;
  // The key of `f` in `family`; 0 when it has none. REQUIRES: family < count().
  uint64_t KeyOf(const TextFeatures& f, size_t family) const {
    const uint64_t* slot = KeySlot(f, family);
    return slot == nullptr ? 0 : *slot;
  }
};

// One item's key in one family. Packed to 12 bytes: these are the bulk of
// what candidate finding sorts, and of what MPI ranks send each other.
#pragma pack(push, 4)
struct KeyedItem {
  uint64_t key;
  uint32_t item;  // Index in the dump (in the whole corpus, under MPI).
  bool operator<(const KeyedItem& other) const {
    return key != other.key ? key < other.key : item < other.item;
  }
};
#pragma pack(pop)
static_assert(sizeof(KeyedItem) == 12);

// Appends the pairs of one family, `later << 32 | earlier`: each item with
// the newest max_per_key earlier items of its key. REQUIRES: `sorted` holds
// one family's entries (every entry of each key it holds), sorted.
void AppendKeyPairs(std::span<const KeyedItem> sorted, size_t max_per_key,
                    std::vector<uint64_t>* pairs);

struct EarlierCandidate {
  uint32_t item;         // An earlier item of the dump.
  uint32_t shared_keys;  // Index keys it shares with the later one.
};

// Candidates of a range of items, in one flat array.
class DumpCandidates {
 public:
  // The candidates of item `first() + i`, by ascending item. REQUIRES:
  // i < items().
  std::span<const EarlierCandidate> Of(size_t i) const {
    return std::span<const EarlierCandidate>(entries_).subspan(
        offsets_[i], offsets_[i + 1] - offsets_[i]);
  }
  uint32_t first() const { return first_; }
  size_t items() const { return offsets_.empty() ? 0 : offsets_.size() - 1; }
  size_t total() const { return entries_.size(); }

 private:
  friend DumpCandidates CountCandidates(std::vector<std::vector<uint64_t>>, uint32_t, size_t,
                                        int);
  uint32_t first_ = 0;
  std::vector<uint64_t> offsets_;  // items() + 1 entries.
  std::vector<EarlierCandidate> entries_;
};

// The candidates of items [first, first + count) from pairs made by
// AppendKeyPairs, in any order and split into any lists: a pair seen k times
// is a candidate sharing k keys. REQUIRES: every pair's later item is in the
// range. Frees `pairs` as it goes.
DumpCandidates CountCandidates(std::vector<std::vector<uint64_t>> pairs, uint32_t first,
                               size_t count, int threads);

// Both steps over a whole dump. REQUIRES: every item has the same number of
// lead band keys, and of full band keys or none (as FeatureExtractor::Extract
// with band keys makes them).
DumpCandidates FindDumpCandidates(std::span<const TextFeatures> items, size_t max_per_key,
                                  int threads);

}  // namespace newsdedup

#endif  // NEWSDEDUP_CORE_DUMP_CANDIDATES_H_
