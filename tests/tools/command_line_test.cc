#include "tools/command_line.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace newsdedup {
namespace {

using ::testing::ElementsAre;

const std::vector<FlagSpec> kSpecs = {
    {"threads", "j", true, ""}, {"verbose", "v", false, ""}, {"quiet", "q", false, ""},
    {"db", "", true, ""},       {"summary", "", false, ""},
};

TEST(ParseArgsTest, ShortFlagTakesAnAttachedValue) {
  absl::StatusOr<ParsedArgs> args = ParseArgs({"-j1", "file"}, kSpecs);
  ASSERT_TRUE(args.ok()) << args.status();
  EXPECT_EQ(args->Get("threads"), "1");
  EXPECT_THAT(args->positionals(), ElementsAre("file"));
  args = ParseArgs({"-j", "4"}, kSpecs);
  ASSERT_TRUE(args.ok()) << args.status();
  EXPECT_EQ(args->Get("threads"), "4");
}

TEST(ParseArgsTest, ShortSwitchesCombine) {
  absl::StatusOr<ParsedArgs> args = ParseArgs({"-vq"}, kSpecs);
  ASSERT_TRUE(args.ok()) << args.status();
  EXPECT_TRUE(args->Has("verbose"));
  EXPECT_TRUE(args->Has("quiet"));
}

TEST(ParseArgsTest, UnknownShortFlagsAreRefused) {
  EXPECT_FALSE(ParseArgs({"-x"}, kSpecs).ok());
  EXPECT_FALSE(ParseArgs({"-vx"}, kSpecs).ok());
}

TEST(ParseArgsTest, ValueThatLooksLikeAFlagStaysAValue) {
  absl::StatusOr<ParsedArgs> args = ParseArgs({"--db", "-vq"}, kSpecs);
  ASSERT_TRUE(args.ok()) << args.status();
  EXPECT_EQ(args->Get("db"), "-vq");
  EXPECT_FALSE(args->Has("verbose"));
}

TEST(ParseArgsTest, DoubleDashEndsFlags) {
  absl::StatusOr<ParsedArgs> args = ParseArgs({"--", "-j1"}, kSpecs);
  ASSERT_TRUE(args.ok()) << args.status();
  EXPECT_THAT(args->positionals(), ElementsAre("-j1"));
}

TEST(CommandPositionTest, SkipsFlagsAndTheirValuesBeforeTheCommand) {
  EXPECT_EQ(CommandPosition({"ingest", "-q"}, kSpecs), 0u);
  EXPECT_EQ(CommandPosition({"-q", "ingest"}, kSpecs), 1u);
  EXPECT_EQ(CommandPosition({"--db", "store", "report"}, kSpecs), 2u);
  EXPECT_EQ(CommandPosition({"--db=store", "-v", "report"}, kSpecs), 2u);
  EXPECT_EQ(CommandPosition({"-j1", "dups"}, kSpecs), 1u);
  EXPECT_EQ(CommandPosition({"-v", "--summary"}, kSpecs), 2u);
}

}  // namespace
}  // namespace newsdedup
