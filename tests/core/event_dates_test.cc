#include "core/event_dates.h"

#include "core/normalize.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace newsdedup {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

std::vector<uint16_t> DatesOf(const char* text) { return FindEventDates(MatchingForm(text)); }

TEST(EventDatesTest, FindsFrenchDayMonth) {
  EXPECT_THAT(DatesOf("Le 27 mars 2025, à Achgabat"), ElementsAre(327));
  EXPECT_THAT(DatesOf("Chaque 1er mai, le Kazakhstan"), ElementsAre(501));
  EXPECT_THAT(DatesOf("le 30 août 2025 et le 1er septembre"), ElementsAre(830, 901));
}

TEST(EventDatesTest, FindsEnglishAndNumericDates) {
  EXPECT_THAT(DatesOf("On March 4th, the summit"), ElementsAre(304));
  EXPECT_THAT(DatesOf("published 2025-03-27 at noon"), ElementsAre(327));
  EXPECT_THAT(DatesOf("publié le 27/03/2025"), ElementsAre(327));
}

TEST(EventDatesTest, IgnoresNumbersThatAreNotDates) {
  EXPECT_THAT(DatesOf("200 millions d'euros et 43e session"), IsEmpty());
  EXPECT_THAT(DatesOf("Mars attacks: a film"), IsEmpty());
}

TEST(EventDatesTest, ConflictNeedsDatesOnBothSidesAndNoneShared) {
  EXPECT_TRUE(DatesConflict({104}, {113}));
  EXPECT_FALSE(DatesConflict({104, 113}, {113}));
  EXPECT_FALSE(DatesConflict({}, {113}));
  EXPECT_FALSE(DatesConflict({104}, {}));
}

}  // namespace
}  // namespace newsdedup
