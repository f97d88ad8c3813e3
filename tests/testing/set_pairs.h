#ifndef NEWSDEDUP_TESTS_TESTING_SET_PAIRS_H_
#define NEWSDEDUP_TESTS_TESTING_SET_PAIRS_H_

// Random pairs of shingle sets with a chosen Jaccard similarity, for tests of
// MinHash and LSH accuracy. Deterministic for a given generator state.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

namespace newsdedup::testing {

struct SetPair {
  std::vector<uint64_t> a;  // Sorted, distinct.
  std::vector<uint64_t> b;  // Sorted, distinct.
};

// Two sets whose union has `union_size` random elements, round(jaccard *
// union_size) of them shared and the rest split evenly between a and b.
inline SetPair MakeSetPair(double jaccard, int union_size,
                           std::mt19937_64& rng) {
  const int shared = static_cast<int>(std::lround(jaccard * union_size));
  const int a_only = (union_size - shared) / 2;
  SetPair pair;
  for (int i = 0; i < union_size; ++i) {
    const uint64_t element = rng();
    if (i < shared || i < shared + a_only) pair.a.push_back(element);
    if (i < shared || i >= shared + a_only) pair.b.push_back(element);
  }
  std::sort(pair.a.begin(), pair.a.end());
  std::sort(pair.b.begin(), pair.b.end());
  return pair;
}

}  // namespace newsdedup::testing

#endif  // NEWSDEDUP_TESTS_TESTING_SET_PAIRS_H_
