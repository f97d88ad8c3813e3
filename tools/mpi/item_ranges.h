#ifndef NEWSDEDUP_TOOLS_MPI_ITEM_RANGES_H_
#define NEWSDEDUP_TOOLS_MPI_ITEM_RANGES_H_

// Which rank holds which items of the corpus: rank r holds the contiguous
// range [first(r), first(r + 1)) of the global item order (files in order,
// items in order), as it read them.

#include <algorithm>
#include <cstdint>
#include <vector>

namespace newsdedup {

class ItemRanges {
 public:
  ItemRanges() = default;
  // `firsts`: every rank's first item, by rank, then the total.
  explicit ItemRanges(std::vector<uint64_t> firsts) : firsts_(std::move(firsts)) {}

  int ranks() const { return static_cast<int>(firsts_.size()) - 1; }
  uint64_t total() const { return firsts_.back(); }
  uint32_t first(int rank) const { return static_cast<uint32_t>(firsts_[rank]); }
  uint32_t count(int rank) const {
    return static_cast<uint32_t>(firsts_[rank + 1] - firsts_[rank]);
  }
  // The rank holding `item`. REQUIRES: item < total().
  int OwnerOf(uint64_t item) const {
    return static_cast<int>(std::upper_bound(firsts_.begin(), firsts_.end(), item) -
                            firsts_.begin()) -
           1;
  }

 private:
  std::vector<uint64_t> firsts_;  // ranks() + 1 entries.
};

}  // namespace newsdedup

#endif  // NEWSDEDUP_TOOLS_MPI_ITEM_RANGES_H_
