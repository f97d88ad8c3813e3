#include "core/lsh_index.h"

#include <algorithm>
#include <cstdint>
#include <random>
#include <vector>

#include "core/minhash.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/set_pairs.h"
#include "xxhash.h"

namespace newsdedup {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

TEST(OptimalLshParamsTest, MatchesDatasketchChoices) {
  const LshParams half = OptimalLshParams(0.5, 128);
  EXPECT_EQ(half.bands, 25);
  EXPECT_EQ(half.rows, 5);
  const LshParams high = OptimalLshParams(0.8, 128);
  EXPECT_EQ(high.bands, 9);
  EXPECT_EQ(high.rows, 13);
}

TEST(OptimalLshParamsTest, NeverUsesMoreSlotsThanTheSignatureHas) {
  for (const int num_hashes : {16, 64, 100, 128, 256}) {
    for (const double threshold : {0.1, 0.3, 0.5, 0.7, 0.9}) {
      const LshParams params = OptimalLshParams(threshold, num_hashes);
      EXPECT_GE(params.bands, 1);
      EXPECT_GE(params.rows, 1);
      EXPECT_LE(params.bands * params.rows, num_hashes);
    }
  }
}

TEST(OptimalLshParamsTest, FavouringRecallMovesTheCurveDown) {
  const LshParams balanced = OptimalLshParams(0.5, 128);
  const LshParams recall = OptimalLshParams(0.5, 128, 0.2, 0.8);
  EXPECT_GT(CandidateProbability(0.6, recall),
            CandidateProbability(0.6, balanced));
}

TEST(CandidateProbabilityTest, IsTheBandingSCurve) {
  const LshParams params{25, 5};
  EXPECT_DOUBLE_EQ(CandidateProbability(0.0, params), 0.0);
  EXPECT_DOUBLE_EQ(CandidateProbability(1.0, params), 1.0);
  EXPECT_LT(CandidateProbability(0.3, params), 0.1);
  EXPECT_GT(CandidateProbability(0.8, params), 0.99);
}

TEST(BandKeysTest, KeysArePinned) {
  // Band keys are stored: these values must never change.
  std::vector<uint32_t> signature(128);
  for (uint32_t i = 0; i < signature.size(); ++i)
    signature[i] = i * 2654435761u;
  const LshParams params{25, 5};
  std::vector<uint64_t> keys(params.bands);
  BandKeys(params, signature, keys.data());
  EXPECT_THAT(std::vector<uint64_t>(keys.begin(), keys.begin() + 4),
              ElementsAre(0x6428a0a766103bf8ULL, 0xbc1315a23b77cbe0ULL,
                          0xaf4dd4971e022bc9ULL, 0x99416382d90597b3ULL));
  EXPECT_EQ(XXH3_64bits(keys.data(), keys.size() * sizeof(uint64_t)),
            0x70a2c4646a16b68aULL);
}

TEST(BandKeysTest, EqualValuesInDifferentBandsGiveDifferentKeys) {
  const std::vector<uint32_t> signature(128, 7);
  const LshParams params{32, 4};
  std::vector<uint64_t> keys(params.bands);
  BandKeys(params, signature, keys.data());
  std::sort(keys.begin(), keys.end());
  EXPECT_EQ(std::unique(keys.begin(), keys.end()), keys.end());
}

TEST(LshIndexTest, InsertQueryRemove) {
  const LshParams params{4, 2};
  LshIndex index(params);
  const std::vector<uint32_t> a = {1, 2, 3, 4, 5, 6, 7, 8};
  const std::vector<uint32_t> b = {1, 2, 0, 0, 0, 0, 0, 0};  // Band 0 as a.
  const std::vector<uint32_t> c = {9, 9, 9, 9, 9, 9, 9, 9};
  index.Insert(10, a);
  index.Insert(20, b);
  EXPECT_EQ(index.size(), 2u);
  EXPECT_THAT(index.Query(a), ElementsAre(10, 20));
  EXPECT_THAT(index.Query(c), IsEmpty());
  index.Remove(10, a);
  EXPECT_EQ(index.size(), 1u);
  EXPECT_THAT(index.Query(a), ElementsAre(20));
  index.Remove(10, a);  // Already gone: nothing changes.
  EXPECT_EQ(index.size(), 1u);
  index.Remove(20, b);
  EXPECT_EQ(index.size(), 0u);
  EXPECT_THAT(index.Query(b), IsEmpty());
}

// Fraction of pairs (Jaccard uniform in [lo, hi]) whose second set finds the
// first as a candidate, at k = 128 and the optimal parameters for threshold.
double CandidateRate(double threshold, double lo, double hi, uint64_t seed) {
  constexpr int kPairs = 2000;
  std::mt19937_64 rng(seed);
  const MinHasher hasher(128, 1);
  LshIndex index(OptimalLshParams(threshold, 128));
  std::vector<Signature> queries;
  for (int i = 0; i < kPairs; ++i) {
    const double jaccard = lo + (hi - lo) * i / (kPairs - 1);
    const testing::SetPair pair =
        testing::MakeSetPair(jaccard, 100 + static_cast<int>(rng() % 100), rng);
    index.Insert(i, hasher.Sign(pair.a));
    queries.push_back(hasher.Sign(pair.b));
  }
  int found = 0;
  for (int i = 0; i < kPairs; ++i) {
    const std::vector<uint64_t> candidates = index.Query(queries[i]);
    found += std::binary_search(candidates.begin(), candidates.end(),
                                static_cast<uint64_t>(i));
  }
  return static_cast<double>(found) / kPairs;
}

TEST(LshIndexTest, FindsPairsWellAboveTheThreshold) {
  EXPECT_GE(CandidateRate(/*threshold=*/0.5, /*lo=*/0.6, /*hi=*/1.0, 11), 0.98);
}

TEST(LshIndexTest, RarelyProposesPairsWellBelowTheThreshold) {
  EXPECT_LE(CandidateRate(/*threshold=*/0.5, /*lo=*/0.0, /*hi=*/0.2, 12), 0.05);
}

}  // namespace
}  // namespace newsdedup
