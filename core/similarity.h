#ifndef NEWSDEDUP_CORE_SIMILARITY_H_
#define NEWSDEDUP_CORE_SIMILARITY_H_

// Set similarities used to verify candidates: the MinHash estimate from two
// signatures, and exact Jaccard and containment on sorted shingle sets.

#include <cstddef>
#include <cstdint>
#include <span>

namespace newsdedup {

// Fraction of equal slots. REQUIRES: a.size() == b.size().
double EstimateJaccard(std::span<const uint32_t> a,
                       std::span<const uint32_t> b);

// Size of the intersection of two sorted, duplicate-free sets.
size_t IntersectionSize(std::span<const uint64_t> a,
                        std::span<const uint64_t> b);

// |A∩B| / |A∪B| of two sorted, duplicate-free sets; 1.0 when both are empty.
double Jaccard(std::span<const uint64_t> a, std::span<const uint64_t> b);

// |A∩B| / |A|: how much of `part` lies inside `whole`; 0.0 if part is empty.
double Containment(std::span<const uint64_t> part,
                   std::span<const uint64_t> whole);

}  // namespace newsdedup

#endif  // NEWSDEDUP_CORE_SIMILARITY_H_
