#include "core/similarity.h"

#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include "gtest/gtest.h"

namespace newsdedup {
namespace {

TEST(SimilarityTest, EstimateJaccardIsTheFractionOfEqualSlots) {
  const std::vector<uint32_t> a = {1, 2, 3, 4};
  const std::vector<uint32_t> b = {1, 9, 3, 9};
  EXPECT_DOUBLE_EQ(EstimateJaccard(a, b), 0.5);
  EXPECT_DOUBLE_EQ(EstimateJaccard(a, a), 1.0);
}

TEST(SimilarityTest, IntersectionSizeByMergeWalk) {
  const std::vector<uint64_t> a = {1, 3, 5, 7, 9};
  const std::vector<uint64_t> b = {2, 3, 4, 7, 10};
  EXPECT_EQ(IntersectionSize(a, b), 2u);
  EXPECT_EQ(IntersectionSize(b, a), 2u);
  EXPECT_EQ(IntersectionSize(a, {}), 0u);
}

TEST(SimilarityTest, IntersectionSizeByGallopingMatchesMergeWalk) {
  std::vector<uint64_t> large;
  for (uint64_t i = 0; i < 10000; ++i) large.push_back(i * 3);
  // Present, absent, first, last, beyond the end.
  const std::vector<uint64_t> small = {0, 4, 300, 301, 29997, 40000};
  EXPECT_EQ(IntersectionSize(small, large), 3u);
  EXPECT_EQ(IntersectionSize(large, small), 3u);
}

TEST(SimilarityTest, JaccardOfSortedSets) {
  const std::vector<uint64_t> a = {1, 2, 3, 4};
  const std::vector<uint64_t> b = {3, 4, 5, 6};
  EXPECT_DOUBLE_EQ(Jaccard(a, b), 2.0 / 6.0);
  EXPECT_DOUBLE_EQ(Jaccard(a, a), 1.0);
  EXPECT_DOUBLE_EQ(Jaccard({}, {}), 1.0);
  EXPECT_DOUBLE_EQ(Jaccard(a, {}), 0.0);
}

// The early stop must never change the answer: checked against Jaccard on
// random sets of every overlap, at thresholds including the exact Jaccard
// values of the pairs (where rounding decides).
TEST(SimilarityTest, JaccardAtLeastAgreesWithJaccard) {
  std::mt19937_64 random(7);
  int below = 0, reached = 0;
  for (int trial = 0; trial < 3000; ++trial) {
    std::vector<uint64_t> a, b;
    const int universe = 1 + static_cast<int>(random() % 120);
    const uint64_t in_a = random() % 101, in_b = random() % 101;
    for (int x = 0; x < universe; ++x) {
      if (random() % 100 < in_a) a.push_back(x);
      if (random() % 100 < in_b) b.push_back(x);
    }
    const double jaccard = Jaccard(a, b);
    for (double threshold : {0.0, 0.3, 0.5, 0.8, 0.9, 1.0, jaccard,
                             std::nextafter(jaccard, 2.0), std::nextafter(jaccard, -1.0)}) {
      const bool at_least = JaccardAtLeast(a, b, threshold);
      ASSERT_EQ(at_least, jaccard >= threshold)
          << "|a| " << a.size() << " |b| " << b.size() << " threshold " << threshold;
      ASSERT_EQ(JaccardAtLeast(b, a, threshold), at_least);
      (at_least ? reached : below) += 1;
    }
  }
  EXPECT_GT(below, 1000);
  EXPECT_GT(reached, 1000);
  EXPECT_TRUE(JaccardAtLeast({}, {}, 1.0));
}

TEST(SimilarityTest, ContainmentOfATeaserInItsArticle) {
  const std::vector<uint64_t> teaser = {2, 4};
  const std::vector<uint64_t> article = {1, 2, 3, 4, 5, 6, 7, 8};
  EXPECT_DOUBLE_EQ(Containment(teaser, article), 1.0);
  EXPECT_DOUBLE_EQ(Containment(article, teaser), 0.25);
  EXPECT_DOUBLE_EQ(Containment({}, article), 0.0);
}

// Each bit of a SimHash is the majority of that bit over the words (ties
// clear it): checked against that definition, also past the 255 words after
// which the fast count empties its byte counters.
TEST(SimilarityTest, SimHashIsTheBitwiseMajority) {
  std::mt19937_64 random(7);
  for (size_t words : {0, 1, 2, 9, 254, 255, 256, 700}) {
    std::vector<uint64_t> hashes(words);
    for (uint64_t& h : hashes) h = random();
    uint64_t majority = 0;
    for (int bit = 0; bit < 64; ++bit) {
      size_t ones = 0;
      for (uint64_t h : hashes) ones += (h >> bit) & 1;
      if (2 * ones > words) majority |= uint64_t{1} << bit;
    }
    EXPECT_EQ(SimHash(hashes), majority) << words << " words";
  }
}

TEST(SimilarityTest, SimHashesOfAnEditedTextStayClose) {
  std::mt19937_64 random(11);
  std::vector<uint64_t> text(40), other(40);
  for (uint64_t& h : text) h = random();
  for (uint64_t& h : other) h = random();
  std::vector<uint64_t> edited = text;
  for (size_t i = 0; i < edited.size(); i += 8) edited[i] = random();  // 5 of 40 replaced.
  EXPECT_EQ(SimHashDistance(SimHash(text), SimHash(text)), 0);
  EXPECT_LT(SimHashDistance(SimHash(text), SimHash(edited)), 18);
  EXPECT_GT(SimHashDistance(SimHash(text), SimHash(other)), 18);
}

}  // namespace
}  // namespace newsdedup
