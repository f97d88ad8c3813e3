#ifndef NEWSDEDUP_CORE_LSH_INDEX_H_
#define NEWSDEDUP_CORE_LSH_INDEX_H_

// Locality-sensitive hashing over MinHash signatures by banding: a signature
// of k slots is cut into `bands` bands of `rows` slots; each band hashes to a
// 64-bit key, and two signatures are candidates when any band key is equal.
// The probability of that is 1 - (1 - J^rows)^bands for Jaccard J. Band keys
// are persisted by the store, so they are pinned by golden tests.

#include <cstdint>
#include <span>
#include <vector>

#include "absl/container/flat_hash_map.h"

namespace newsdedup {

struct LshParams {
  int bands = 0;
  int rows = 0;
};

// Picks (bands, rows) with bands * rows <= num_hashes minimizing
// fp_weight * (false-positive area below threshold) + fn_weight *
// (false-negative area above it), as datasketch's _optimal_param does.
// Prefers using all slots when that costs nothing. REQUIRES: 0 < threshold < 1.
LshParams OptimalLshParams(double threshold, int num_hashes,
                           double fp_weight = 0.5, double fn_weight = 0.5);

// Probability that two signatures with Jaccard `jaccard` share a band.
double CandidateProbability(double jaccard, const LshParams& params);

// Writes params.bands keys to out. Keys of different bands differ even when
// their slot values are equal (the band number is hashed in).
// REQUIRES: signature.size() >= bands * rows.
void BandKeys(const LshParams& params, std::span<const uint32_t> signature,
              uint64_t* out);

// In-memory banded index from signature to integer ids.
class LshIndex {
 public:
  explicit LshIndex(const LshParams& params);

  const LshParams& params() const { return params_; }

  void Insert(uint64_t id, std::span<const uint32_t> signature);
  // Removes id from the buckets of `signature` (the one it was inserted with).
  void Remove(uint64_t id, std::span<const uint32_t> signature);
  // Distinct ids sharing at least one band with `signature`, ascending.
  std::vector<uint64_t> Query(std::span<const uint32_t> signature) const;

  // Number of Insert calls minus the Remove calls that found their id.
  size_t size() const { return size_; }

 private:
  LshParams params_;
  size_t size_ = 0;
  // One map from band key to the ids in that bucket (band number is hashed
  // into the key, so all bands share the map).
  absl::flat_hash_map<uint64_t, std::vector<uint64_t>> buckets_;
};

}  // namespace newsdedup

#endif  // NEWSDEDUP_CORE_LSH_INDEX_H_
