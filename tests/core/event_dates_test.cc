#include "core/event_dates.h"

#include "core/normalize.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace newsdedup {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

std::vector<uint32_t> DatesOf(const char* text) { return FindEventDates(MatchingForm(text)); }

TEST(EventDatesTest, FindsFrenchDayMonth) {
  EXPECT_THAT(DatesOf("Le 27 mars 2025, à Achgabat"), ElementsAre(20250327));
  EXPECT_THAT(DatesOf("Chaque 1er mai, le Kazakhstan"), ElementsAre(501));
  EXPECT_THAT(DatesOf("le 30 août 2025 et le 1er septembre"), ElementsAre(901, 20250830));
}

TEST(EventDatesTest, FindsEnglishAndNumericDates) {
  EXPECT_THAT(DatesOf("On March 4th, the summit"), ElementsAre(304));
  EXPECT_THAT(DatesOf("On March 4, 2025 the summit"), ElementsAre(20250304));
  EXPECT_THAT(DatesOf("published 2025-03-27 at noon"), ElementsAre(20250327));
  EXPECT_THAT(DatesOf("publié le 27/03/2025"), ElementsAre(20250327));
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

TEST(EventDatesTest, YearsTellTheSameDayOfTwoYearsApartWhenBothSayThem) {
  // "Le dessin du 26 décembre 2025" vs "… 2026": another day.
  EXPECT_TRUE(DatesConflict(DatesOf("le 26 décembre 2025"), DatesOf("le 26 décembre 2026")));
  EXPECT_FALSE(DatesConflict(DatesOf("le 26 décembre 2025"), DatesOf("le 26 décembre")));
  EXPECT_FALSE(DatesConflict(DatesOf("le 26 décembre 2025"), DatesOf("26/12/2025")));
}

}  // namespace
}  // namespace newsdedup
