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

TEST(EventDatesTest, FindsGermanDayMonth) {
  EXPECT_THAT(DatesOf("am 3. Oktober 2022 in Berlin"), ElementsAre(20221003));
}

std::vector<uint32_t> MonthsOf(const char* text) { return FindMonthsNamedAlone(MatchingForm(text)); }

TEST(EventDatesTest, MonthsNamedAloneInATitle) {
  EXPECT_THAT(MonthsOf("Le mois de janvier en dessins"), ElementsAre(100));
  EXPECT_THAT(MonthsOf("Le mois de février en dessins"), ElementsAre(200));
  EXPECT_THAT(MonthsOf("Bilanz im Oktober"), ElementsAre(1000));
  // Beside a day number the month is a date, found by FindEventDates.
  EXPECT_THAT(MonthsOf("Le 4 janvier à Paris"), IsEmpty());
  // A planet and a protest are not months.
  EXPECT_THAT(MonthsOf("Mission vers Mars"), IsEmpty());
  EXPECT_THAT(MonthsOf("The march on Washington"), IsEmpty());
}

TEST(EventDatesTest, AMonthAloneAgreesWithEveryDateOfThatMonth) {
  EXPECT_TRUE(DatesConflict({100}, {200}));    // janvier vs février
  EXPECT_FALSE(DatesConflict({100}, {104}));   // janvier vs 4 janvier
  EXPECT_TRUE(DatesConflict({100}, {213}));    // janvier vs 13 février
}

std::vector<uint32_t> OrdinalsOf(const char* text) { return FindOrdinals(MatchingForm(text)); }

TEST(EventDatesTest, FindsOrdinalsAsNumbersAndWords) {
  EXPECT_THAT(OrdinalsOf("Ligue 1, 7e journée"), ElementsAre(7));
  EXPECT_THAT(OrdinalsOf("La 17ᵉ journée"), ElementsAre(17));
  EXPECT_THAT(OrdinalsOf("Un troisième homme mis en examen"), ElementsAre(3));
  EXPECT_THAT(OrdinalsOf("The third round and the 21st lap"), ElementsAre(3, 21));
  EXPECT_THAT(OrdinalsOf("Die dritten Wahlen"), ElementsAre(3));
  // "premier", "first" and "second" are as often no rank at all.
  EXPECT_THAT(OrdinalsOf("Le Premier ministre et la seconde"), IsEmpty());
  EXPECT_THAT(OrdinalsOf("Deux hommes en garde à vue"), IsEmpty());
}

TEST(EventDatesTest, OrdinalsConflictWhenBothNameOnesAndShareNone) {
  EXPECT_TRUE(OrdinalsConflict({5}, {6}));
  EXPECT_FALSE(OrdinalsConflict({5, 6}, {6}));
  EXPECT_FALSE(OrdinalsConflict({}, {3}));
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
