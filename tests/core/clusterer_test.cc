#include "core/clusterer.h"

#include <algorithm>
#include <random>
#include <utility>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace newsdedup {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

TEST(ClustererTest, SingletonsAreNotClusters) {
  Clusterer clusterer(4);
  EXPECT_THAT(clusterer.Clusters(), IsEmpty());
  EXPECT_FALSE(clusterer.Same(0, 1));
}

TEST(ClustererTest, UnionIsTransitive) {
  Clusterer clusterer(6);
  clusterer.Union(4, 1);
  clusterer.Union(1, 5);
  clusterer.Union(3, 2);
  EXPECT_TRUE(clusterer.Same(4, 5));
  EXPECT_FALSE(clusterer.Same(4, 2));
  EXPECT_THAT(clusterer.Clusters(),
              ElementsAre(ElementsAre(1, 4, 5), ElementsAre(2, 3)));
}

TEST(ClustererTest, RepeatedAndSelfUnionsChangeNothing) {
  Clusterer clusterer(3);
  clusterer.Union(0, 0);
  clusterer.Union(1, 2);
  clusterer.Union(2, 1);
  EXPECT_THAT(clusterer.Clusters(), ElementsAre(ElementsAre(1, 2)));
}

TEST(ClustererTest, ClustersDoNotDependOnUnionOrder) {
  std::vector<std::pair<size_t, size_t>> pairs;
  std::mt19937_64 rng(7);
  for (int i = 0; i < 300; ++i) pairs.emplace_back(rng() % 500, rng() % 500);
  Clusterer reference(500);
  for (const auto& [a, b] : pairs) reference.Union(a, b);
  const auto expected = reference.Clusters();
  for (int trial = 0; trial < 5; ++trial) {
    std::shuffle(pairs.begin(), pairs.end(), rng);
    Clusterer clusterer(500);
    for (const auto& [a, b] : pairs) {
      if (rng() % 2 == 0) {
        clusterer.Union(a, b);
      } else {
        clusterer.Union(b, a);
      }
    }
    EXPECT_EQ(clusterer.Clusters(), expected);
  }
}

TEST(ClustererTest, LongChainsStayFindable) {
  constexpr size_t kItems = 100000;
  Clusterer clusterer(kItems);
  for (size_t i = 1; i < kItems; ++i) clusterer.Union(i - 1, i);
  EXPECT_TRUE(clusterer.Same(0, kItems - 1));
  ASSERT_EQ(clusterer.Clusters().size(), 1u);
  EXPECT_EQ(clusterer.Clusters()[0].size(), kItems);
}

}  // namespace
}  // namespace newsdedup
