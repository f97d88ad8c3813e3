#include "core/minhash.h"

#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include "core/shingler.h"
#include "core/similarity.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/set_pairs.h"
#include "xxhash.h"

namespace newsdedup {
namespace {

using ::testing::Each;
using ::testing::ElementsAre;
using ::testing::Eq;
using ::testing::Ne;
using ::testing::SizeIs;

uint64_t Checksum(const Signature& signature) {
  return XXH3_64bits(signature.data(), signature.size() * sizeof(uint32_t));
}

constexpr char kLede[] =
    "Le 27 mars 2025, à Achgabat (Turkménistan), la Haute représentante de "
    "l’Union européenne pour les affaires étrangères, Kaja Kallas, a présidé "
    "la 20e réunion ministérielle entre l’UE et les cinq États d’Asie "
    "centrale.";

TEST(MinHasherTest, SignatureIsPinned) {
  // Signatures are stored: these values must never change.
  Shingler shingler(3);
  const MinHasher hasher(/*num_hashes=*/128, /*seed=*/1);
  const Signature signature = hasher.Sign(shingler.Shingle(kLede));
  ASSERT_THAT(signature, SizeIs(128));
  EXPECT_THAT(std::vector<uint32_t>(signature.begin(), signature.begin() + 8),
              ElementsAre(205435784u, 1464049534u, 1258105152u, 316308964u,
                          2743650454u, 2139055451u, 1459114752u, 2049429764u));
  EXPECT_EQ(Checksum(signature), 0xe784a87d58cfee8cULL);
}

TEST(MinHasherTest, ShortTextSignatureIsPinned) {
  Shingler shingler(3);
  const MinHasher hasher(/*num_hashes=*/128, /*seed=*/1);
  EXPECT_EQ(Checksum(hasher.Sign(shingler.Shingle("Kaja Kallas"))),
            0x2bb0f2ca866eae29ULL);
}

TEST(MinHasherTest, EmptyInputGivesAllOnes) {
  const MinHasher hasher(64, 1);
  const Signature signature = hasher.Sign({});
  EXPECT_THAT(signature, SizeIs(64));
  EXPECT_THAT(signature, Each(Eq(0xffffffffu)));
}

TEST(MinHasherTest, EverySlotIsFilledEvenFromOneShingle) {
  const MinHasher hasher(256, 1);
  const std::vector<uint64_t> one = {42};
  EXPECT_THAT(hasher.Sign(one), Each(Ne(0xffffffffu)));
}

TEST(MinHasherTest, SameSetSameSignatureAndSeedsDiffer) {
  const std::vector<uint64_t> shingles = {5, 17, 99, 1234567, 987654321};
  const MinHasher hasher(128, 1);
  EXPECT_EQ(hasher.Sign(shingles), MinHasher(128, 1).Sign(shingles));
  EXPECT_NE(hasher.Sign(shingles), MinHasher(128, 2).Sign(shingles));
  std::vector<uint32_t> out(128);
  hasher.SignInto(shingles, out.data());
  EXPECT_EQ(out, hasher.Sign(shingles));
}

TEST(MinHasherTest, SignatureDependsOnTheSetNotTheOrder) {
  const std::vector<uint64_t> sorted = {1, 2, 3, 4, 5};
  const std::vector<uint64_t> shuffled = {4, 2, 5, 1, 3};
  const MinHasher hasher(128, 1);
  EXPECT_EQ(hasher.Sign(sorted), hasher.Sign(shuffled));
}

TEST(MinHasherTest, EstimatesJaccardWithin8PointsForMostPairs) {
  // Listing-size sets (about 50 to 150 shingles each) over the whole range
  // of similarities.
  std::mt19937_64 rng(2025);
  const MinHasher hasher(128, 1);
  constexpr int kPairs = 2000;
  int within = 0;
  for (int i = 0; i < kPairs; ++i) {
    const double target = static_cast<double>(i) / (kPairs - 1);
    const testing::SetPair pair =
        testing::MakeSetPair(target, 100 + static_cast<int>(rng() % 100), rng);
    const double exact = Jaccard(pair.a, pair.b);
    const double estimate =
        EstimateJaccard(hasher.Sign(pair.a), hasher.Sign(pair.b));
    within += std::abs(estimate - exact) <= 0.08;
  }
  EXPECT_GE(within, kPairs * 95 / 100);
}

TEST(MinHasherTest, IdenticalAndDisjointSetsAreEstimatedExactlyOrNearZero) {
  std::mt19937_64 rng(1);
  const MinHasher hasher(128, 1);
  const testing::SetPair same = testing::MakeSetPair(1.0, 80, rng);
  EXPECT_EQ(EstimateJaccard(hasher.Sign(same.a), hasher.Sign(same.b)), 1.0);
  const testing::SetPair disjoint = testing::MakeSetPair(0.0, 160, rng);
  EXPECT_LE(EstimateJaccard(hasher.Sign(disjoint.a), hasher.Sign(disjoint.b)),
            0.05);
}

}  // namespace
}  // namespace newsdedup
