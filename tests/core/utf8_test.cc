#include "core/utf8.h"

#include <string>

#include "gtest/gtest.h"

namespace newsdedup {
namespace {

TEST(Utf8Test, AsciiAndEmptyAreValid) {
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_TRUE(IsValidUtf8("plain ASCII text, long enough for the 8-byte path"));
}

TEST(Utf8Test, MultilingualTextIsValidAndUnchanged) {
  const std::string text =
      "Kaja Kallas à Achgabat « espace Schengen » … Қазақстан Кыргызстан "
      "東京 日本語 العربية emoji \xF0\x9F\x93\xB0 and U+10FFFF "
      "\xF4\x8F\xBF\xBF";
  EXPECT_TRUE(IsValidUtf8(text));
  std::string repaired;
  EXPECT_EQ(RepairUtf8(text, &repaired), 0);
  EXPECT_EQ(repaired, text);
}

TEST(Utf8Test, OverlongsAreInvalid) {
  EXPECT_FALSE(IsValidUtf8("\xC0\xAF"));  // '/' in two bytes.
  EXPECT_FALSE(IsValidUtf8("\xC1\xBF"));
  EXPECT_FALSE(IsValidUtf8("\xE0\x80\xAF"));      // '/' in three bytes.
  EXPECT_FALSE(IsValidUtf8("\xF0\x80\x80\xAF"));  // '/' in four bytes.
}

TEST(Utf8Test, SurrogatesAreInvalid) {
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));  // U+D800
  EXPECT_FALSE(IsValidUtf8("\xED\xBF\xBF"));  // U+DFFF
  EXPECT_TRUE(IsValidUtf8("\xED\x9F\xBF"));   // U+D7FF
}

TEST(Utf8Test, CodePointsAboveMaxAreInvalid) {
  EXPECT_FALSE(IsValidUtf8("\xF4\x90\x80\x80"));  // U+110000
  EXPECT_FALSE(IsValidUtf8("\xF5\x80\x80\x80"));
  EXPECT_FALSE(IsValidUtf8("\xFF"));
}

TEST(Utf8Test, TruncatedSequencesAreInvalid) {
  EXPECT_FALSE(IsValidUtf8("caf\xC3"));
  EXPECT_FALSE(IsValidUtf8("\xE2\x82"));
  EXPECT_FALSE(IsValidUtf8("\xF0\x9F\x93"));
  EXPECT_FALSE(IsValidUtf8("\xE2\x82 euro"));
  EXPECT_FALSE(IsValidUtf8("\x80 lone continuation"));
}

TEST(Utf8Test, InvalidByteAfterLongAsciiRunIsFound) {
  std::string text(1000, 'a');
  text[997] = '\xE9';  // Latin-1 é.
  EXPECT_FALSE(IsValidUtf8(text));
}

TEST(Utf8Test, RepairReplacesEachBadByte) {
  std::string out;
  EXPECT_EQ(RepairUtf8("caf\xE9 cr\xE8me", &out), 2);  // Latin-1 accents.
  EXPECT_EQ(out, "caf\xEF\xBF\xBD cr\xEF\xBF\xBDme");
  EXPECT_TRUE(IsValidUtf8(out));
}

TEST(Utf8Test, RepairTruncatedSequenceKeepsFollowingText) {
  std::string out;
  EXPECT_EQ(RepairUtf8("\xE2\x82 euro \xC3\xA9", &out), 2);
  EXPECT_EQ(out, "\xEF\xBF\xBD\xEF\xBF\xBD euro \xC3\xA9");
}

TEST(Utf8Test, RepairSurrogateAndOverlong) {
  std::string out;
  EXPECT_EQ(RepairUtf8("a\xED\xA0\x80z\xC0\xAF", &out), 5);
  EXPECT_TRUE(IsValidUtf8(out));
  EXPECT_EQ(out.front(), 'a');
}

TEST(Utf8Test, RepairOverwritesOutput) {
  std::string out = "stale";
  EXPECT_EQ(RepairUtf8("fresh", &out), 0);
  EXPECT_EQ(out, "fresh");
}

}  // namespace
}  // namespace newsdedup
