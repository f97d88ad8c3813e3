#include "core/similarity.h"

#include <cstdint>
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

TEST(SimilarityTest, ContainmentOfATeaserInItsArticle) {
  const std::vector<uint64_t> teaser = {2, 4};
  const std::vector<uint64_t> article = {1, 2, 3, 4, 5, 6, 7, 8};
  EXPECT_DOUBLE_EQ(Containment(teaser, article), 1.0);
  EXPECT_DOUBLE_EQ(Containment(article, teaser), 0.25);
  EXPECT_DOUBLE_EQ(Containment({}, article), 0.0);
}

}  // namespace
}  // namespace newsdedup
