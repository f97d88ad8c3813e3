#include "tools/times.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace newsdedup {
namespace {

using ::testing::HasSubstr;

std::string Stored(const std::string& text, const absl::TimeZone& zone = absl::UTCTimeZone()) {
  absl::StatusOr<CaptureTime> time = ParseCaptureTime(text, zone);
  EXPECT_TRUE(time.ok()) << text << ": " << time.status();
  return time.ok() ? time->stored : "";
}

absl::TimeZone Paris() {
  absl::StatusOr<absl::TimeZone> zone = LoadZone("Europe/Paris");
  EXPECT_TRUE(zone.ok()) << zone.status();
  return zone.ok() ? *zone : absl::UTCTimeZone();
}

TEST(ParseCaptureTimeTest, DatesAndUtcTimesAreStoredAsTheyAre) {
  EXPECT_EQ(Stored("2025-03-29"), "2025-03-29T00:00:00Z");
  EXPECT_EQ(Stored("2025-03-29T10:00:00Z"), "2025-03-29T10:00:00Z");
  EXPECT_EQ(Stored("2025-03-29T10:00Z"), "2025-03-29T10:00:00Z");
  EXPECT_EQ(Stored("2025-03-29 10:00:00"), "2025-03-29T10:00:00Z");
}

TEST(ParseCaptureTimeTest, OffsetsAreConvertedToUtc) {
  EXPECT_EQ(Stored("2025-03-29T10:00:00+02:00"), "2025-03-29T08:00:00Z");
  EXPECT_EQ(Stored("2025-03-29T10:00:00+0200"), "2025-03-29T08:00:00Z");
  EXPECT_EQ(Stored("2025-03-29T10:00:00-05"), "2025-03-29T15:00:00Z");
  EXPECT_EQ(Stored("2025-03-29T00:30:00+01:00"), "2025-03-28T23:30:00Z");
}

TEST(ParseCaptureTimeTest, FractionsOfASecondAreDroppedAndSaidSo) {
  absl::StatusOr<CaptureTime> time =
      ParseCaptureTime("2025-03-29T10:00:00.123Z", absl::UTCTimeZone());
  ASSERT_TRUE(time.ok()) << time.status();
  EXPECT_EQ(time->stored, "2025-03-29T10:00:00Z");
  EXPECT_TRUE(time->fraction_dropped);
  EXPECT_FALSE(ParseCaptureTime("2025-03-29T10:00:00Z", absl::UTCTimeZone())->fraction_dropped);
  EXPECT_EQ(Stored("2025-03-29T10:00:59.999999+01:00"), "2025-03-29T09:00:59Z");
}

TEST(ParseCaptureTimeTest, ZonelessTimesAreInTheGivenZone) {
  // Paris is UTC+1 in winter and UTC+2 in summer.
  EXPECT_EQ(Stored("2022-01-04T19:00:00", Paris()), "2022-01-04T18:00:00Z");
  EXPECT_EQ(Stored("2025-07-01 08:00", Paris()), "2025-07-01T06:00:00Z");
  EXPECT_EQ(Stored("2025-07-01", Paris()), "2025-06-30T22:00:00Z");
  // An explicit zone wins over the given one.
  EXPECT_EQ(Stored("2025-07-01T08:00:00Z", Paris()), "2025-07-01T08:00:00Z");
}

TEST(ParseCaptureTimeTest, WhatIsNotATimeIsRefusedWithTheText) {
  for (const char* text : {"yesterday", "2025-13-01", "2025-03-29T25:00:00Z", "29/03/2025", ""}) {
    absl::StatusOr<CaptureTime> time = ParseCaptureTime(text, absl::UTCTimeZone());
    EXPECT_TRUE(absl::IsInvalidArgument(time.status())) << text;
    EXPECT_THAT(std::string(time.status().message()), HasSubstr(std::string("'") + text + "'"));
  }
}

TEST(LoadZoneTest, UnknownZoneIsRefused) {
  EXPECT_TRUE(LoadZone("UTC").ok());
  absl::StatusOr<absl::TimeZone> zone = LoadZone("Mars/Olympus");
  EXPECT_TRUE(absl::IsInvalidArgument(zone.status()));
  EXPECT_THAT(std::string(zone.status().message()), HasSubstr("Mars/Olympus"));
}

TEST(TimeFromNameTest, FindsTheTimeAnywhereInTheName) {
  absl::StatusOr<CaptureTime> time =
      TimeFromName("novastan-2025-03-29.txt.gz", "%Y-%m-%d", absl::UTCTimeZone());
  ASSERT_TRUE(time.ok()) << time.status();
  EXPECT_EQ(time->stored, "2025-03-29T00:00:00Z");
  time = TimeFromName("dump_20250329T0630.jsonl", "%Y%m%dT%H%M", Paris());
  ASSERT_TRUE(time.ok()) << time.status();
  EXPECT_EQ(time->stored, "2025-03-29T05:30:00Z");
  time = TimeFromName("capture-1743230000.txt", "%s", absl::UTCTimeZone());
  ASSERT_TRUE(time.ok()) << time.status();
  EXPECT_EQ(time->stored, "2025-03-29T06:33:20Z");
}

TEST(TimeFromNameTest, LiteralTextOfThePatternMustMatchToo) {
  EXPECT_TRUE(TimeFromName("a_2025.03.29.txt", "%Y.%m.%d", absl::UTCTimeZone()).ok());
  // "." is literal, not "any character".
  EXPECT_TRUE(absl::IsNotFound(
      TimeFromName("a_2025x03x29.txt", "%Y.%m.%d", absl::UTCTimeZone()).status()));
}

TEST(TimeFromNameTest, NameWithoutATimeIsNotFound) {
  EXPECT_TRUE(absl::IsNotFound(
      TimeFromName("000_cf8142584f5eb925.txt", "%Y-%m-%d", absl::UTCTimeZone()).status()));
}

TEST(TimeFromNameTest, PatternWithoutAYearOrWithAnUnknownFieldIsRefused) {
  EXPECT_TRUE(absl::IsInvalidArgument(
      TimeFromName("10-30.txt", "%H-%M", absl::UTCTimeZone()).status()));
  EXPECT_TRUE(absl::IsInvalidArgument(
      TimeFromName("2025-Mar.txt", "%Y-%b", absl::UTCTimeZone()).status()));
}

}  // namespace
}  // namespace newsdedup
