// One story-identity engine: `dups` over a corpus gives exactly the clusters
// that ingesting the same items as one snapshot into an empty store makes,
// and comparing a dump with itself reports no change. Runs the real binary
// on generated corpora with hard negatives and on the seeds.

#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "core/dump_parser.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/tools/run_command.h"

namespace newsdedup {
namespace {

namespace fs = std::filesystem;
using ::newsdedup::testing::CommandResult;
using ::newsdedup::testing::Describe;
using ::newsdedup::testing::FreshTempDir;
using ::newsdedup::testing::Lines;
using ::newsdedup::testing::ReadWholeFile;
using ::newsdedup::testing::RunCommand;
using ::newsdedup::testing::RunNewsdedup;
using ::newsdedup::testing::SeedFiles;
using ::newsdedup::testing::WriteWholeFile;

using Clusters = std::set<std::vector<std::string>>;

std::string GeneratorBinary() {
  return (fs::path(NEWSDEDUP_BINARY).parent_path().parent_path() / "benchmarks" /
          "corpus_generator")
      .string();
}

// The clusters `dups` prints.
Clusters DupsClusters(const std::vector<std::string>& files) {
  std::vector<std::string> args = {"dups"};
  args.insert(args.end(), files.begin(), files.end());
  const CommandResult dups = RunNewsdedup(args);
  EXPECT_EQ(dups.exit_code, 0) << Describe(dups);
  Clusters clusters;
  for (const std::string& line : Lines(dups.out)) {
    const nlohmann::json cluster = nlohmann::json::parse(line);
    std::vector<std::string> items = cluster["items"].get<std::vector<std::string>>();
    std::sort(items.begin(), items.end());
    clusters.insert(items);
  }
  return clusters;
}

// The stories of two or more items that one ingest of `jsonl` into a fresh
// store reports, each item named by its `id`.
Clusters IngestClusters(const std::string& jsonl, const std::string& name) {
  std::vector<std::string> ids;
  for (const std::string& line : Lines(ReadWholeFile(jsonl))) {
    ids.push_back(nlohmann::json::parse(line)["id"].get<std::string>());
  }
  const CommandResult ingest = RunNewsdedup({"ingest", "--db", FreshTempDir(name), "--at",
                                             "2025-01-01", "--format", "json", jsonl});
  EXPECT_EQ(ingest.exit_code, 0) << Describe(ingest);
  const nlohmann::json report = nlohmann::json::parse(ingest.out);
  Clusters clusters;
  for (const nlohmann::json& story : report["stories"]) {
    if (story["items"].size() < 2) continue;
    std::vector<std::string> items;
    for (const nlohmann::json& position : story["items"]) {
      items.push_back(ids.at(position.get<size_t>()));
    }
    std::sort(items.begin(), items.end());
    clusters.insert(items);
  }
  return clusters;
}

// A generated corpus with near-duplicates, teasers and same-template hard
// negatives (live blogs, results tables, "Le dessin du jour").
std::string Generate(const std::string& name, const std::string& items,
                     const std::string& seed) {
  const std::string dir = FreshTempDir(name) + "/corpus";
  const CommandResult result = RunCommand(
      {GeneratorBinary(), "--items", items, "--seed", seed, "--out", dir, "--format", "jsonl",
       "--near-share", "0.4", "--max-edit", "0.15", "--teaser-share", "0.1",
       "--hard-negative-share", "0.15"});
  EXPECT_EQ(result.exit_code, 0) << Describe(result);
  return dir;
}

class ResolverAgreementTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!fs::exists(GeneratorBinary())) {
      GTEST_SKIP() << GeneratorBinary() << " not built (NEWSDEDUP_BUILD_BENCHMARKS=OFF)";
    }
  }
};

TEST_F(ResolverAgreementTest, DupsGivesTheClustersOfOneIngestOnAGeneratedCorpus) {
  const std::string dir = Generate("agreement_corpus", "3000", "7");
  const Clusters dups = DupsClusters({dir + "/corpus.jsonl"});
  const Clusters ingest = IngestClusters(dir + "/corpus.jsonl", "agreement_corpus_db");
  EXPECT_GT(dups.size(), 300u);  // The corpus has clusters to agree on.
  EXPECT_EQ(dups, ingest);
}

TEST(ResolverAgreementSeedsTest, DupsGivesTheClustersOfOneIngestOnTheSeeds) {
  // The seeds' items (listings and the article page) as one JSON Lines dump,
  // named as `dups` names them.
  const std::string dir = FreshTempDir("agreement_seeds");
  std::string jsonl;
  for (const std::string& file : SeedFiles()) {
    absl::StatusOr<ParsedDump> dump = ParseDump(ReadWholeFile(file));
    ASSERT_TRUE(dump.ok()) << dump.status();
    for (const Item& item : dump->items) {
      const std::string text = item.body.empty() ? item.lede : item.lede + "\n" + item.body;
      jsonl += nlohmann::json{{"id", absl::StrCat(file, ":", item.position)},
                              {"title", item.title},
                              {"text", text}}
                   .dump() +
               "\n";
    }
  }
  WriteWholeFile(dir + "/seeds.jsonl", jsonl);
  const Clusters dups = DupsClusters(SeedFiles());
  EXPECT_FALSE(dups.empty());
  EXPECT_EQ(dups, IngestClusters(dir + "/seeds.jsonl", "agreement_seeds_db"));
}

// `diff F F` reports every story unchanged, for every seed and every night
// of a generated corpus (near-copies and shared URLs included).
TEST_F(ResolverAgreementTest, ADumpComparedWithItselfHasNoChange) {
  const std::string dir = FreshTempDir("agreement_diff") + "/nights";
  const CommandResult nights = RunCommand(
      {GeneratorBinary(), "--items", "1500", "--seed", "11", "--out", dir, "--format", "both",
       "--nights", "3", "--near-share", "0.4", "--exact-share", "0.1", "--teaser-share", "0.1",
       "--hard-negative-share", "0.15"});
  ASSERT_EQ(nights.exit_code, 0) << Describe(nights);
  std::vector<std::string> files = SeedFiles();
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().filename().string().rfind("night", 0) == 0) {
      files.push_back(entry.path().string());
    }
  }
  files.push_back(dir + "/corpus.jsonl");
  ASSERT_GT(files.size(), SeedFiles().size() + 1);
  for (const std::string& file : files) {
    const CommandResult diff = RunNewsdedup({"diff", "--format", "json", file, file});
    ASSERT_EQ(diff.exit_code, 0) << Describe(diff);
    const nlohmann::json report = nlohmann::json::parse(diff.out);
    EXPECT_EQ(report["counts"]["new"], 0) << file;
    EXPECT_EQ(report["counts"]["updated"], 0) << file;
    EXPECT_EQ(report["counts"]["dropped"], 0) << file;
    EXPECT_EQ(report["counts"]["unchanged"], report["stories"].size()) << file;
  }
}

}  // namespace
}  // namespace newsdedup
