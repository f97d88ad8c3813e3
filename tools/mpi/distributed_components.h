#ifndef NEWSDEDUP_TOOLS_MPI_DISTRIBUTED_COMPONENTS_H_
#define NEWSDEDUP_TOOLS_MPI_DISTRIBUTED_COMPONENTS_H_

// Connected components of a graph spread over MPI ranks: the vertices are the
// corpus's items (each rank holds those ItemLayout gives it) and each rank knows
// some edges of its own items. The answer is the partition union-find gives
// in one process (core/story_components.h), named by each component's
// smallest item.
//
// FastSV (Zhang, Azad and Hu, "FastSV: a distributed-memory connected
// component algorithm with fast convergence", 2020): every item keeps a
// parent f, at most itself and always in its component; each round hooks
// through grandparents (f[f[u]] and f[u] lowered to the neighbours'
// grandparents) and shortcuts (f[u] lowered to f[f[u]]), until a round
// changes nothing. Then, for every edge, f[u] <= f[v] both ways and
// f[f[u]] = f[u]: f is constant on each component and equal to its smallest
// item. A round costs a few all-to-alls of the edges' endpoints; rounds grow
// with the logarithm of the components' diameter. Memory per rank: its items
// and its edges.

#include <cstdint>
#include <utility>
#include <vector>

#include "tools/mpi/item_layout.h"
#include "tools/mpi/ranks.h"

namespace newsdedup {

struct ComponentLabels {
  std::vector<uint32_t> smallest;  // Per item of this rank.
  std::vector<char> linked;        // Per item of this rank: it has an edge.
  int rounds = 0;
};

// `edges`: (an item of this rank, any item); each edge given on one rank at
// least. Collective.
ComponentLabels FindComponentsAcrossRanks(Ranks& ranks, const ItemLayout& items,
                                          const std::vector<std::pair<uint32_t, uint32_t>>& edges);

}  // namespace newsdedup

#endif  // NEWSDEDUP_TOOLS_MPI_DISTRIBUTED_COMPONENTS_H_
