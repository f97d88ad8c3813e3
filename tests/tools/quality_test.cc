// Regression guard for detection quality (issue 7): runs the real
// newsdedup_eval (the ingest matching on an in-memory store) on the seeds
// with their hand-written truth and traps, and on small generated corpora,
// and fails when a story is merged or split that was right before.

#include <filesystem>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/tools/run_command.h"

namespace newsdedup {
namespace {

namespace fs = std::filesystem;
using ::newsdedup::testing::CommandResult;
using ::newsdedup::testing::Describe;
using ::newsdedup::testing::FreshTempDir;
using ::newsdedup::testing::RunCommand;
using ::newsdedup::testing::SeedFiles;

// NEWSDEDUP_BINARY is <build>/tools/newsdedup; the evaluator and the
// generator are built in <build>/benchmarks.
std::string BenchmarkBinary(const std::string& name) {
  return (fs::path(NEWSDEDUP_BINARY).parent_path().parent_path() / "benchmarks" / name)
      .string();
}

std::string Fixture(const std::string& name) {
  return std::string(NEWSDEDUP_SOURCE_DIR) + "/tests/fixtures/" + name;
}

// Runs newsdedup_eval --json with `args`; the parsed report, or a
// discarded value (with a test failure) when it did not run cleanly.
nlohmann::json Eval(const std::vector<std::string>& args) {
  std::vector<std::string> argv = {BenchmarkBinary("newsdedup_eval"), "--json"};
  argv.insert(argv.end(), args.begin(), args.end());
  const CommandResult result = RunCommand(argv);
  EXPECT_EQ(result.exit_code, 0) << Describe(result);
  return nlohmann::json::parse(result.out, nullptr, false);
}

// A generated corpus in a fresh folder: `items` listing items over 10 nights
// with every edit type up to 15% of words, and teasers with their articles.
std::string Generate(const std::string& name, const std::string& hard_negative_share) {
  const std::string dir = FreshTempDir(name) + "/corpus";
  const CommandResult result = RunCommand(
      {BenchmarkBinary("corpus_generator"), "--items", "3000", "--seed", "7", "--out", dir,
       "--format", "jsonl", "--max-edit", "0.15", "--teaser-share", "0.1",
       "--hard-negative-share", hard_negative_share});
  EXPECT_EQ(result.exit_code, 0) << Describe(result);
  return dir;
}

// The generated corpus scored on texts alone: the generator gives every
// repeat its story's URL, which rule 0 would match whatever the text.
nlohmann::json EvalCorpus(const std::string& dir) {
  return Eval({"--ignore-urls", "--split-field", "night", "--worst", "5", "--truth",
               dir + "/truth.jsonl", dir + "/corpus.jsonl", dir + "/articles.jsonl"});
}

class QualityTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* name : {"newsdedup_eval", "corpus_generator"}) {
      if (!fs::exists(BenchmarkBinary(name))) {
        GTEST_SKIP() << BenchmarkBinary(name) << " not built (NEWSDEDUP_BUILD_BENCHMARKS=OFF)";
      }
    }
  }
};

TEST_F(QualityTest, SeedsEveryStoryRightAndNoTrapMerged) {
  std::vector<std::string> args = {"--truth", Fixture("seeds_truth.jsonl"), "--traps",
                                   Fixture("seeds_traps.jsonl")};
  for (const std::string& file : SeedFiles()) args.push_back(file);
  const nlohmann::json report = Eval(args);
  ASSERT_FALSE(report.is_discarded());
  EXPECT_EQ(report["items"], 85);
  EXPECT_EQ(report["predicted_stories"], report["true_clusters"]);
  EXPECT_EQ(report["pairs"]["correct_pairs"], report["pairs"]["true_pairs"]);
  EXPECT_EQ(report["pairs"]["correct_pairs"], report["pairs"]["predicted_pairs"]);
  EXPECT_TRUE(report["worst_false_merges"].empty()) << report["worst_false_merges"].dump(1);
  EXPECT_TRUE(report["worst_false_splits"].empty()) << report["worst_false_splits"].dump(1);
  EXPECT_EQ(report["traps"]["pairs"], 18);
  EXPECT_EQ(report["traps"]["merged"], 0) << report["traps"].dump(1);
}

TEST_F(QualityTest, NearDuplicatesAndTeasersFound) {
  const nlohmann::json report = EvalCorpus(Generate("quality_near", "0"));
  ASSERT_FALSE(report.is_discarded());
  EXPECT_GE(report["pairs"]["f1"].get<double>(), 0.98) << report.dump(1);
  EXPECT_GE(report["by_type"]["near"]["f1"].get<double>(), 0.98) << report.dump(1);
  EXPECT_GE(report["teaser_article"]["recall"].get<double>(), 0.95) << report.dump(1);
}

TEST_F(QualityTest, HardNegativesOfOneTemplateNeverMerged) {
  const nlohmann::json report = EvalCorpus(Generate("quality_hard_negatives", "0.15"));
  ASSERT_FALSE(report.is_discarded());
  const nlohmann::json& hard = report["by_type"]["hard_negative"];
  EXPECT_EQ(hard["predicted_pairs"], hard["correct_pairs"])
      << "hard negatives merged; worst cases:\n"
      << report["worst_false_merges"].dump(1);
  EXPECT_GE(report["pairs"]["f1"].get<double>(), 0.98) << report["pairs"].dump(1);
  // No story, night after night, gathers texts naming disjoint event dates.
  EXPECT_EQ(report["stories_with_date_conflicts"], 0);
}

}  // namespace
}  // namespace newsdedup
