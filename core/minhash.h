#ifndef NEWSDEDUP_CORE_MINHASH_H_
#define NEWSDEDUP_CORE_MINHASH_H_

// Maps a shingle set to a fixed-length signature. Signatures from MinHashers
// with equal (num_hashes, seed) agree in about Jaccard(A, B) of their slots.
// One-permutation hashing with optimal densification (Shrivastava, 2017):
// each shingle is mixed once, its top bits pick a slot and the slot keeps the
// minimum; empty slots then borrow from a pseudo-randomly chosen full slot.
// Cost: one hash per shingle plus O(k). Signatures go to disk: golden tests.

#include <cstdint>
#include <span>
#include <vector>

namespace newsdedup {

using Signature = std::vector<uint32_t>;

class MinHasher {
 public:
  // REQUIRES: num_hashes >= 1.
  MinHasher(int num_hashes, uint64_t seed);

  int num_hashes() const { return num_hashes_; }
  uint64_t seed() const { return seed_; }

  // One value per slot. An empty input yields a signature of all 0xffffffff
  // (matching nothing but other empty texts).
  Signature Sign(std::span<const uint64_t> shingles) const;

  // Same, writing num_hashes() values to out.
  void SignInto(std::span<const uint64_t> shingles, uint32_t* out) const;

 private:
  // Probes per slot kept in first_probes_ (a multiple of 4): enough for
  // about 99% of the empty slots of a listing-size item at k = 128.
  static constexpr int kFirstProbes = 8;

  // Fills the empty slots of a signature from its filled ones.
  void Densify(uint32_t* slots) const;

  int num_hashes_;
  uint64_t seed_;
  // The first kFirstProbes slots of each slot's densification probe
  // sequence, precomputed: num_hashes_ * kFirstProbes entries.
  std::vector<uint32_t> first_probes_;
};

}  // namespace newsdedup

#endif  // NEWSDEDUP_CORE_MINHASH_H_
