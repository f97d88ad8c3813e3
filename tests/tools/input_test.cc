#include "tools/input.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/tools/run_command.h"
#include "tests/tools/test_dumps.h"
#include "tools/cli.h"

namespace newsdedup {
namespace {

using ::newsdedup::testing::FreshTempDir;
using ::newsdedup::testing::Gzip;
using ::newsdedup::testing::Zstd;
using ::newsdedup::testing::ReadWholeFile;
using ::newsdedup::testing::WriteWholeFile;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::string Seed() {
  return ReadWholeFile(std::string(NEWSDEDUP_SOURCE_DIR) + "/seeds/000_cf8142584f5eb925.txt");
}

class InputTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = FreshTempDir(::testing::UnitTest::GetInstance()->current_test_info()->name());
  }
  std::string Write(const std::string& name, const std::string& bytes) {
    WriteWholeFile(dir_ + "/" + name, bytes);
    return dir_ + "/" + name;
  }
  std::string dir_;
};

TEST_F(InputTest, GzipAndZstdAreReadDecompressed) {
  EXPECT_EQ(*ReadInput(Write("a.txt.gz", Gzip(Seed()))), Seed());
  EXPECT_EQ(*ReadInput(Write("a.txt.zst", Zstd(Seed()))), Seed());
  // Told by the bytes, not the name.
  EXPECT_EQ(*ReadInput(Write("misnamed.txt", Gzip(Seed()))), Seed());
  EXPECT_EQ(*ReadInput(Write("plain.gz", Seed())), Seed());
}

TEST_F(InputTest, ConcatenatedGzipMembersAndZstdFramesAreAllRead) {
  EXPECT_EQ(*ReadInput(Write("two.gz", Gzip("first\n") + Gzip("second\n"))), "first\nsecond\n");
  EXPECT_EQ(*ReadInput(Write("two.zst", Zstd("first\n") + Zstd("second\n"))), "first\nsecond\n");
}

TEST_F(InputTest, TruncatedOrCorruptCompressedDataIsDataLoss) {
  const std::string gz = Gzip(Seed());
  const std::string zst = Zstd(Seed());
  for (const auto& [name, bytes, words] :
       std::vector<std::tuple<std::string, std::string, std::string>>{
           {"cut.gz", gz.substr(0, gz.size() / 2), "truncated gzip"},
           {"cut.zst", zst.substr(0, zst.size() / 2), "truncated zstd"},
           {"bad.gz", gz.substr(0, 20) + std::string(200, 'x'), "corrupt gzip"},
           {"bad.zst", zst.substr(0, 8) + std::string(200, 'x'), "corrupt zstd"}}) {
    SCOPED_TRACE(name);
    absl::StatusOr<std::string> read = ReadInput(Write(name, bytes));
    EXPECT_TRUE(absl::IsDataLoss(read.status())) << read.status();
    EXPECT_THAT(std::string(read.status().message()), HasSubstr(words));
    EXPECT_THAT(std::string(read.status().message()), HasSubstr(name));
  }
}

TEST_F(InputTest, BlocksOfACompressedFileAreWholeLines) {
  std::string corpus;
  for (int i = 0; i < 20000; ++i) corpus += "{\"id\": " + std::to_string(i) + "}\n";
  std::string rebuilt;
  uint64_t last_progress = 0;
  ASSERT_TRUE(ReadInputInBlocks(
                  Write("corpus.jsonl.zst", Zstd(corpus)), 4096,
                  [&](std::string_view block) {
                    EXPECT_EQ(block.back(), '\n');
                    rebuilt.append(block);
                    return absl::OkStatus();
                  },
                  [&](uint64_t bytes) { last_progress = bytes; })
                  .ok());
  EXPECT_EQ(rebuilt, corpus);
  EXPECT_GT(last_progress, 0u);
}

TEST_F(InputTest, FormatFromTheNameLooksBehindTheCompressionSuffix) {
  EXPECT_EQ(InputFormat("a.jsonl.gz", std::nullopt), DumpFormat::kJsonl);
  EXPECT_EQ(InputFormat("a.ndjson.zst", std::nullopt), DumpFormat::kJsonl);
  EXPECT_EQ(InputFormat("a.txt.gz", std::nullopt), std::nullopt);
}

TEST_F(InputTest, DirectoryBecomesItsVisibleFilesByName) {
  Write("b.txt", "b");
  Write("a.txt.gz", "a");
  Write(".hidden", "h");
  std::filesystem::create_directory(dir_ + "/sub");
  absl::StatusOr<ExpandedInputs> inputs = ExpandInputs({dir_});
  ASSERT_TRUE(inputs.ok()) << inputs.status();
  EXPECT_TRUE(inputs->from_directory_or_glob);
  EXPECT_THAT(inputs->files, ElementsAre(dir_ + "/a.txt.gz", dir_ + "/b.txt"));
}

TEST_F(InputTest, GlobBecomesItsMatches) {
  Write("2025-03-29.txt", "a");
  Write("2025-03-30.txt", "b");
  Write("notes.md", "c");
  absl::StatusOr<ExpandedInputs> inputs = ExpandInputs({dir_ + "/2025-*.txt"});
  ASSERT_TRUE(inputs.ok()) << inputs.status();
  EXPECT_THAT(inputs->files, ElementsAre(dir_ + "/2025-03-29.txt", dir_ + "/2025-03-30.txt"));
  EXPECT_TRUE(absl::IsNotFound(ExpandInputs({dir_ + "/*.zst"}).status()));
}

TEST_F(InputTest, PlainFilesStayAsGiven) {
  const std::string file = Write("x.txt", "x");
  absl::StatusOr<ExpandedInputs> inputs = ExpandInputs({file, "-"});
  ASSERT_TRUE(inputs.ok()) << inputs.status();
  EXPECT_FALSE(inputs->from_directory_or_glob);
  EXPECT_THAT(inputs->files, ElementsAre(file, "-"));
}

TEST_F(InputTest, EmptyDirectoryIsNotFound) {
  std::filesystem::create_directory(dir_ + "/empty");
  EXPECT_TRUE(absl::IsNotFound(ExpandInputs({dir_ + "/empty"}).status()));
}

TEST_F(InputTest, StandardInputTwiceIsAUsageError) {
  absl::StatusOr<ExpandedInputs> inputs = ExpandInputs({"-", "-"});
  EXPECT_TRUE(IsUsageError(inputs.status())) << inputs.status();
}

}  // namespace
}  // namespace newsdedup
