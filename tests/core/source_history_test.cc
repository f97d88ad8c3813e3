#include "core/source_history.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace newsdedup {
namespace {

using ::testing::ElementsAre;

TEST(SourceHistoryTest, APartnerSeenAgainCountsOnce) {
  TextHistory history;
  EXPECT_TRUE(history.Add(7));
  EXPECT_FALSE(history.Add(7));
  EXPECT_TRUE(history.Add(9));
  EXPECT_EQ(history.partners, 2u);
  EXPECT_THAT(history.recent, ElementsAre(7u, 9u));
}

TEST(SourceHistoryTest, KeepsOnlyTheNewestPartners) {
  TextHistory history;
  for (uint64_t story = 1; story <= 6; ++story) history.Add(story);
  EXPECT_EQ(history.partners, 6u);
  EXPECT_THAT(history.recent, ElementsAre(3u, 4u, 5u, 6u));
}

TEST(SourceHistoryTest, PartnersBesidesLeavesTheStoryItselfOut) {
  TextHistory history;
  history.Add(4);
  EXPECT_EQ(history.PartnersBesides(4), 0u);
  EXPECT_EQ(history.PartnersBesides(5), 1u);
  history.Add(5);
  EXPECT_EQ(history.PartnersBesides(4), 1u);
}

}  // namespace
}  // namespace newsdedup
