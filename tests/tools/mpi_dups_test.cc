// The MPI dups (tools/mpi/) writes exactly the bytes of the single-process
// `newsdedup dups`, whatever the number of ranks: on a generated corpus with
// hard negatives, on the seeds (dumps read whole by one rank each), and on
// files split across ranks whose items have no id (named FILE:POSITION); with
// --threshold, --ignore-urls and --keep-first (whose file must be the same
// bytes too), with a gzip-compressed file (read whole by one rank), and with
// template titles and ledes counted across ranks.
// Runs the real binaries under the real mpirun, 1, 2 and 4 ranks (4 on this
// 2-core machine with --oversubscribe). Skipped when no MPI was found at
// configure time (newsdedup_mpi is not built then).

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/tools/run_command.h"
#include "tests/tools/test_dumps.h"

namespace newsdedup {
namespace {

namespace fs = std::filesystem;
using ::newsdedup::testing::CommandResult;
using ::newsdedup::testing::Describe;
using ::newsdedup::testing::FreshTempDir;
using ::newsdedup::testing::Gzip;
using ::newsdedup::testing::Lines;
using ::newsdedup::testing::ReadWholeFile;
using ::newsdedup::testing::RunCommand;
using ::newsdedup::testing::RunNewsdedup;
using ::newsdedup::testing::SeedFiles;
using ::newsdedup::testing::WriteWholeFile;

#ifdef NEWSDEDUP_MPI_BINARY
constexpr const char* kMpiBinary = NEWSDEDUP_MPI_BINARY;
constexpr const char* kMpirun = NEWSDEDUP_MPIEXEC;
#else
constexpr const char* kMpiBinary = nullptr;
constexpr const char* kMpirun = nullptr;
#endif

std::string GeneratorBinary() {
  return (fs::path(NEWSDEDUP_BINARY).parent_path().parent_path() / "benchmarks" /
          "corpus_generator")
      .string();
}

class MpiDupsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (kMpiBinary == nullptr) GTEST_SKIP() << "no MPI at configure time: newsdedup_mpi not built";
    // CI runs as root, which mpirun refuses unless told.
    setenv("OMPI_ALLOW_RUN_AS_ROOT", "1", 1);
    setenv("OMPI_ALLOW_RUN_AS_ROOT_CONFIRM", "1", 1);
  }

  // `args`: flags, then files.
  static CommandResult Dups(const std::vector<std::string>& args) {
    std::vector<std::string> argv = {"dups"};
    argv.insert(argv.end(), args.begin(), args.end());
    return RunNewsdedup(argv);
  }

  static CommandResult MpiDups(int ranks, const std::vector<std::string>& args) {
    std::vector<std::string> argv = {kMpirun, "--oversubscribe", "-np", std::to_string(ranks),
                                     kMpiBinary, "dups"};
    argv.insert(argv.end(), args.begin(), args.end());
    return RunCommand(argv);
  }

  // newsdedup dups and the MPI dups on 1, 2 and 4 ranks: the same bytes.
  static void ExpectSameBytes(const std::vector<std::string>& args, size_t min_clusters) {
    const CommandResult expected = Dups(args);
    ASSERT_EQ(expected.exit_code, 0) << Describe(expected);
    ASSERT_GE(Lines(expected.out).size(), min_clusters);  // Something to agree on.
    for (int ranks : {1, 2, 4}) {
      const CommandResult mpi = MpiDups(ranks, args);
      ASSERT_EQ(mpi.exit_code, 0) << ranks << " ranks: " << Describe(mpi);
      EXPECT_EQ(mpi.out, expected.out) << ranks << " ranks";
    }
  }

  static std::vector<std::string> GeneratedCorpus(const std::string& name) {
    const std::string dir = FreshTempDir(name) + "/corpus";
    const CommandResult generated = RunCommand(
        {GeneratorBinary(), "--items", "3000", "--seed", "7", "--out", dir, "--format", "jsonl",
         "--near-share", "0.4", "--max-edit", "0.15", "--teaser-share", "0.1",
         "--hard-negative-share", "0.15"});
    EXPECT_EQ(generated.exit_code, 0) << Describe(generated);
    return {dir + "/corpus.jsonl", dir + "/articles.jsonl"};
  }
};

TEST_F(MpiDupsTest, AnyNumberOfRanksWritesTheBytesOfDupsOnAGeneratedCorpus) {
  if (!fs::exists(GeneratorBinary())) GTEST_SKIP() << GeneratorBinary() << " not built";
  ExpectSameBytes(GeneratedCorpus("mpi_dups_corpus"), 300);
}

// The flags of dups change the clusters alike: another threshold, URLs
// ignored, and the corpus without its duplicates written to a file, also
// the same bytes.
TEST_F(MpiDupsTest, TheFlagsOfDupsGiveTheSameBytes) {
  if (!fs::exists(GeneratorBinary())) GTEST_SKIP() << GeneratorBinary() << " not built";
  const std::vector<std::string> files = GeneratedCorpus("mpi_dups_flags");
  const std::string dir = FreshTempDir("mpi_dups_flags_out");
  std::vector<std::string> args = {"--threshold", "0.7", "--ignore-urls"};
  args.insert(args.end(), files.begin(), files.end());
  ExpectSameBytes(args, 100);
  const CommandResult default_threshold = Dups(files);
  EXPECT_NE(Dups(args).out, default_threshold.out);  // The flags did change something.

  args = {"--keep-first", dir + "/single.jsonl"};
  args.insert(args.end(), files.begin(), files.end());
  const CommandResult single = Dups(args);
  ASSERT_EQ(single.exit_code, 0) << Describe(single);
  const std::string kept = ReadWholeFile(dir + "/single.jsonl");
  EXPECT_LT(Lines(kept).size(),
            Lines(ReadWholeFile(files[0])).size() + Lines(ReadWholeFile(files[1])).size());
  for (int ranks : {2, 4}) {
    args[1] = dir + "/mpi" + std::to_string(ranks) + ".jsonl";
    const CommandResult mpi = MpiDups(ranks, args);
    ASSERT_EQ(mpi.exit_code, 0) << Describe(mpi);
    EXPECT_EQ(mpi.out, single.out) << ranks << " ranks";
    EXPECT_EQ(ReadWholeFile(args[1]), kept) << ranks << " ranks";
  }
}

// A compressed file cannot be cut by byte offsets: one rank reads it whole,
// beside JSON Lines cut between ranks.
TEST_F(MpiDupsTest, ACompressedFileIsReadWholeByOneRank) {
  if (!fs::exists(GeneratorBinary())) GTEST_SKIP() << GeneratorBinary() << " not built";
  const std::vector<std::string> files = GeneratedCorpus("mpi_dups_gzip");
  WriteWholeFile(files[1] + ".gz", Gzip(ReadWholeFile(files[1])));
  ExpectSameBytes({files[0], files[1] + ".gz"}, 300);
}

TEST_F(MpiDupsTest, AnyNumberOfRanksWritesTheBytesOfDupsOnTheSeeds) {
  ExpectSameBytes(SeedFiles(), 3);
}

// JSON Lines without ids, cut between ranks, with broken and blank lines, an
// empty file and a BOM, beside dumps read whole: positions and line numbers
// count across ranks.
TEST_F(MpiDupsTest, ItemsWithoutIdsAreNamedByTheirPositionAcrossRanks) {
  const std::string dir = FreshTempDir("mpi_dups_positions");
  std::string jsonl = "\xEF\xBB\xBF";
  std::vector<std::string> seeds = SeedFiles();
  for (int copy = 0; copy < 3; ++copy) {
    for (const std::string& line : Lines(ReadWholeFile(seeds[0]))) {
      jsonl += nlohmann::json{{"title", absl::StrCat("copy ", copy % 2)}, {"text", line}}.dump();
      jsonl += "\n";
    }
    jsonl += "not json\n\n";
  }
  WriteWholeFile(dir + "/no_ids.jsonl", jsonl);
  WriteWholeFile(dir + "/empty.jsonl", "");
  ExpectSameBytes({dir + "/no_ids.jsonl", seeds[3], dir + "/empty.jsonl", dir + "/no_ids.jsonl",
                   seeds[0]},
                  10);
  // The broken lines are reported by the ranks that read them, under the
  // line numbers the single process gives.
  const auto warnings = [](const std::string& err) {
    std::vector<std::string> lines;
    for (const std::string& line : Lines(err)) {
      if (absl::StrContains(line, "warning")) lines.push_back(line);
    }
    std::sort(lines.begin(), lines.end());
    return lines;
  };
  const CommandResult single = Dups({dir + "/no_ids.jsonl"});
  const CommandResult mpi = MpiDups(2, {dir + "/no_ids.jsonl"});
  EXPECT_TRUE(absl::StrContains(mpi.out, "no_ids.jsonl:0\"")) << mpi.out;
  EXPECT_EQ(warnings(single.err).size(), 3u) << single.err;
  EXPECT_EQ(warnings(mpi.err), warnings(single.err));
}

// Template texts (core/template_texts.h) are counted over the whole corpus,
// as weak titles are: a lede under many titles and a title over many ledes,
// whose items lie on different ranks, some without a title or a lede (whose
// ranks must still learn what the others counted).
TEST_F(MpiDupsTest, TemplateTitlesAndLedesCountAcrossRanks) {
  const std::string dir = FreshTempDir("mpi_dups_templates");
  // Long enough that, unknown as a template, it would join every stage.
  const std::string gazette =
      "Chaque matin pendant la course, notre envoyé spécial raconte l'étape de la veille, les "
      "coulisses du peloton et les rencontres au bord de la route.";
  const std::vector<std::string> stages = {
      "des cols et des fromages", "des pavés et du vent",     "du lac et des orages",
      "des vignes et des châteaux", "de la côte et des embruns", "du plateau et des éoliennes"};
  const auto line = [](const std::string& id, const std::string& title, const std::string& text) {
    nlohmann::json item = {{"id", id}, {"text", text}};
    if (!title.empty()) item["title"] = title;
    return item.dump() + "\n";
  };
  std::string jsonl;
  const std::vector<std::string> seed_lines = Lines(ReadWholeFile(SeedFiles()[0]));
  for (size_t k = 0; k < stages.size(); ++k) {
    // Seed lines between the template items spread them over the ranks.
    for (size_t s = 0; s < seed_lines.size(); ++s) {
      jsonl += line(absl::StrCat("seed-", k, "-", s), "", seed_lines[s]);
    }
    jsonl += line(absl::StrCat("gazette-", k), "Étape " + stages[k], gazette);
    jsonl += line(absl::StrCat("gazette-again-", k), "Étape " + stages[k], gazette);
    jsonl += line(absl::StrCat("untitled-", k), "", gazette);
    jsonl += line(absl::StrCat("cartoon-", k), "Vu par un dessinateur",
                  "Le dessin du jour " + stages[k] + ".");
    jsonl += line(absl::StrCat("cartoon-alone-", k), "Vu par un dessinateur", "");
  }
  WriteWholeFile(dir + "/templates.jsonl", jsonl);
  ExpectSameBytes({dir + "/templates.jsonl"}, 6);
  // The template lede kept the stages apart: no cluster holds two of them.
  const CommandResult single = Dups({dir + "/templates.jsonl"});
  int with_first_stage = 0;
  for (const std::string& cluster : Lines(single.out)) {
    if (!absl::StrContains(cluster, "\"gazette-0\"")) continue;
    ++with_first_stage;
    EXPECT_TRUE(absl::StrContains(cluster, "\"gazette-again-0\"")) << cluster;
    EXPECT_FALSE(absl::StrContains(cluster, "\"gazette-1\"")) << cluster;
  }
  EXPECT_EQ(with_first_stage, 1) << single.out;
}

TEST_F(MpiDupsTest, AFailureIsOneErrorLineFromOneRankAndExitOne) {
  const std::string missing = FreshTempDir("mpi_dups_missing") + "/missing.jsonl";
  const CommandResult mpi = MpiDups(2, {SeedFiles()[0], missing});
  EXPECT_NE(mpi.exit_code, 0);
  EXPECT_EQ(mpi.out, "");
  size_t errors = 0;
  for (const std::string& line : Lines(mpi.err)) {
    if (absl::StartsWith(line, "newsdedup_mpi dups: error:")) {
      ++errors;
      EXPECT_TRUE(absl::StrContains(line, "missing.jsonl: no such file")) << line;
    }
  }
  EXPECT_EQ(errors, 1u) << mpi.err;
}

}  // namespace
}  // namespace newsdedup
