#ifndef NEWSDEDUP_CORE_CLUSTERER_H_
#define NEWSDEDUP_CORE_CLUSTERER_H_

// Groups items into clusters from verified duplicate pairs: union-find with
// path halving and union by size. Cluster membership does not depend on the
// order in which pairs are added.

#include <cstddef>
#include <cstdint>
#include <vector>

namespace newsdedup {

class Clusterer {
 public:
  explicit Clusterer(size_t num_items);

  // Records that items a and b are duplicates. REQUIRES: a, b < num_items.
  void Union(size_t a, size_t b);
  // The representative of a's cluster.
  size_t Find(size_t a);
  bool Same(size_t a, size_t b) { return Find(a) == Find(b); }

  // Clusters of two or more items, each sorted ascending, ordered by their
  // smallest item.
  std::vector<std::vector<size_t>> Clusters();

 private:
  std::vector<size_t> parent_;
  std::vector<uint32_t> size_;
};

}  // namespace newsdedup

#endif  // NEWSDEDUP_CORE_CLUSTERER_H_
