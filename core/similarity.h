#ifndef NEWSDEDUP_CORE_SIMILARITY_H_
#define NEWSDEDUP_CORE_SIMILARITY_H_

// Set similarities used to verify candidates: the MinHash estimate from two
// signatures, and exact Jaccard and containment on sorted shingle sets; and
// a SimHash fingerprint, for telling an edited text from another one where
// only 64 bits of it can be kept.

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

// Jaccard(a, b) >= threshold, the same answer, but the walk stops as soon as
// too few elements are left to reach it: a pair far below the threshold
// costs a fraction of the intersection.
bool JaccardAtLeast(std::span<const uint64_t> a, std::span<const uint64_t> b, double threshold);

// |A∩B| / |A|: how much of `part` lies inside `whole`; 0.0 if part is empty.
double Containment(std::span<const uint64_t> part,
                   std::span<const uint64_t> whole);

// Both of the above for two sets from one intersection: Jaccard(a, b), and
// Containment of the smaller set (a on a tie) in the larger.
struct Overlap {
  double jaccard = 0;
  double containment = 0;
};
Overlap SetOverlap(std::span<const uint64_t> a, std::span<const uint64_t> b);

// Charikar's SimHash of a bag of word hashes: each bit is the majority of
// that bit over the words. Texts with most words in common get fingerprints
// a few bits apart (64·θ/π expected, θ the angle between the word count
// vectors: about 11 when 15% of the words were replaced), unrelated texts
// about 32. 0 for no words.
uint64_t SimHash(std::span<const uint64_t> word_hashes);

// The number of bits two SimHashes differ in.
int SimHashDistance(uint64_t a, uint64_t b);

}  // namespace newsdedup

#endif  // NEWSDEDUP_CORE_SIMILARITY_H_
