#include "core/lsh_index.h"

#include <algorithm>
#include <bit>
#include <cassert>
#include <cmath>
#include <cstdint>
#include <limits>
#include <span>
#include <vector>

#include "absl/container/inlined_vector.h"
#include "core/mix.h"
#include "xxhash.h"

namespace newsdedup {
namespace {

// Band keys hash the in-memory bytes of the slot values; they are persisted,
// so they must not depend on the machine.
static_assert(std::endian::native == std::endian::little,
              "BandKeys hashes uint32 slots as little-endian bytes");

constexpr uint64_t kBandSalt = 0x6a09e667f3bcc909ULL;

// Simpson's rule; smooth integrands on [0, 1] need no more steps than this
// for the parameter choice to be stable.
template <typename Function>
double Integrate(Function f, double lo, double hi) {
  constexpr int kSteps = 256;  // Even.
  const double step = (hi - lo) / kSteps;
  double sum = f(lo) + f(hi);
  for (int i = 1; i < kSteps; ++i) {
    sum += (i % 2 == 1 ? 4.0 : 2.0) * f(lo + i * step);
  }
  return sum * step / 3.0;
}

}  // namespace

double CandidateProbability(double jaccard, const LshParams& params) {
  return 1.0 - std::pow(1.0 - std::pow(jaccard, params.rows), params.bands);
}

LshParams OptimalLshParams(double threshold, int num_hashes, double fp_weight,
                           double fn_weight) {
  assert(threshold > 0.0 && threshold < 1.0);
  struct Candidate {
    LshParams params;
    double error;
  };
  std::vector<Candidate> candidates;
  double best_error = std::numeric_limits<double>::infinity();
  for (int bands = 1; bands <= num_hashes; ++bands) {
    for (int rows = 1; rows <= num_hashes / bands; ++rows) {
      const LshParams params{bands, rows};
      const double false_positive_area =
          Integrate([&](double s) { return CandidateProbability(s, params); },
                    0.0, threshold);
      const double false_negative_area = Integrate(
          [&](double s) { return 1.0 - CandidateProbability(s, params); },
          threshold, 1.0);
      const double error =
          fp_weight * false_positive_area + fn_weight * false_negative_area;
      candidates.push_back({params, error});
      best_error = std::min(best_error, error);
    }
  }
  // Errors within this relative margin of the best are a tie (below the
  // integration's accuracy); the tie goes to the candidate using most slots.
  constexpr double kTieMargin = 1e-4;
  const Candidate* chosen = nullptr;
  for (const Candidate& candidate : candidates) {
    if (candidate.error > best_error * (1.0 + kTieMargin)) continue;
    const int slots = candidate.params.bands * candidate.params.rows;
    if (chosen == nullptr ||
        slots > chosen->params.bands * chosen->params.rows ||
        (slots == chosen->params.bands * chosen->params.rows &&
         candidate.error < chosen->error)) {
      chosen = &candidate;
    }
  }
  return chosen->params;
}

void BandKeys(const LshParams& params, std::span<const uint32_t> signature,
              uint64_t* out) {
  assert(signature.size() >= static_cast<size_t>(params.bands) * params.rows);
  const size_t band_bytes = sizeof(uint32_t) * params.rows;
  for (int band = 0; band < params.bands; ++band) {
    out[band] = XXH3_64bits_withSeed(signature.data() + band * params.rows,
                                     band_bytes, Fmix64(kBandSalt + band));
  }
}

LshIndex::LshIndex(const LshParams& params) : params_(params) {}

void LshIndex::Insert(uint64_t id, std::span<const uint32_t> signature) {
  absl::InlinedVector<uint64_t, 64> keys(params_.bands);
  BandKeys(params_, signature, keys.data());
  for (const uint64_t key : keys) buckets_[key].push_back(id);
  ++size_;
}

void LshIndex::Remove(uint64_t id, std::span<const uint32_t> signature) {
  absl::InlinedVector<uint64_t, 64> keys(params_.bands);
  BandKeys(params_, signature, keys.data());
  bool removed = false;
  for (const uint64_t key : keys) {
    const auto bucket = buckets_.find(key);
    if (bucket == buckets_.end()) continue;
    std::vector<uint64_t>& ids = bucket->second;
    const auto found = std::find(ids.begin(), ids.end(), id);
    if (found == ids.end()) continue;
    // Order inside a bucket does not matter: Query sorts.
    *found = ids.back();
    ids.pop_back();
    removed = true;
    if (ids.empty()) buckets_.erase(bucket);
  }
  if (removed) --size_;
}

std::vector<uint64_t> LshIndex::Query(
    std::span<const uint32_t> signature) const {
  absl::InlinedVector<uint64_t, 64> keys(params_.bands);
  BandKeys(params_, signature, keys.data());
  std::vector<uint64_t> ids;
  for (const uint64_t key : keys) {
    const auto bucket = buckets_.find(key);
    if (bucket == buckets_.end()) continue;
    ids.insert(ids.end(), bucket->second.begin(), bucket->second.end());
  }
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  return ids;
}

}  // namespace newsdedup
