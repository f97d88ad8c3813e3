#include "core/clusterer.h"

#include <cassert>
#include <cstdint>
#include <limits>
#include <numeric>
#include <utility>
#include <vector>

namespace newsdedup {

Clusterer::Clusterer(size_t num_items)
    : parent_(num_items), size_(num_items, 1) {
  std::iota(parent_.begin(), parent_.end(), size_t{0});
}

size_t Clusterer::Find(size_t a) {
  assert(a < parent_.size());
  // Path halving: every other node on the path skips to its grandparent.
  while (parent_[a] != a) {
    parent_[a] = parent_[parent_[a]];
    a = parent_[a];
  }
  return a;
}

void Clusterer::Union(size_t a, size_t b) {
  a = Find(a);
  b = Find(b);
  if (a == b) return;
  if (size_[a] < size_[b]) std::swap(a, b);
  parent_[b] = a;
  size_[a] += size_[b];
}

std::vector<std::vector<size_t>> Clusterer::Clusters() {
  constexpr size_t kNoCluster = std::numeric_limits<size_t>::max();
  std::vector<size_t> cluster_of_root(parent_.size(), kNoCluster);
  std::vector<std::vector<size_t>> clusters;
  // Items in ascending order: each cluster comes out sorted, and clusters
  // appear in the order of their smallest items.
  for (size_t item = 0; item < parent_.size(); ++item) {
    const size_t root = Find(item);
    if (size_[root] < 2) continue;
    if (cluster_of_root[root] == kNoCluster) {
      cluster_of_root[root] = clusters.size();
      clusters.emplace_back();
    }
    clusters[cluster_of_root[root]].push_back(item);
  }
  return clusters;
}

}  // namespace newsdedup
