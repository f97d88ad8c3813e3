// End-to-end tests of the newsdedup command line: each runs the real binary
// on the real seed dumps and a real store in a temporary folder, and checks
// what scripts rely on (DESIGN.md, "Contracts that scripts rely on").

#include <map>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "core/dump_parser.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/tools/run_command.h"

namespace newsdedup {
namespace {

using ::newsdedup::testing::CommandResult;
using ::newsdedup::testing::Describe;
using ::newsdedup::testing::FreshTempDir;
using ::newsdedup::testing::IngestSeeds;
using ::newsdedup::testing::Lines;
using ::newsdedup::testing::ReadWholeFile;
using ::newsdedup::testing::RunNewsdedup;
using ::newsdedup::testing::SeedDates;
using ::newsdedup::testing::SeedFiles;
using ::newsdedup::testing::WriteWholeFile;
using ::testing::HasSubstr;
using ::testing::SizeIs;

constexpr char kKallasTeaserTitle[] =
    "UE-Asie centrale : Kaja Kallas mise sur le partenariat durable";
constexpr char kKallasAnnouncementTitle[] =
    "Rencontre ministérielle UE-Asie centrale : Kaja Kallas est en route pour "
    "Achgabat";

struct Counts {
  int new_stories, updated, unchanged, dropped;
};

// The five seeds ingested once for the whole suite; tests that write to a
// store make their own.
class CliTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    db_ = new std::string(FreshTempDir("cli_test_seeded"));
    const CommandResult ingest = IngestSeeds(*db_);
    ASSERT_EQ(ingest.exit_code, 0) << Describe(ingest);
  }
  static void TearDownTestSuite() {
    delete db_;
    db_ = nullptr;
  }

  // The JSON report of one snapshot of the seeded store.
  static nlohmann::json FetchReport(const std::string& snapshot) {
    const CommandResult report = RunNewsdedup(
        {"report", "--db", *db_, "--snapshot", snapshot, "--format", "json"});
    EXPECT_EQ(report.exit_code, 0) << Describe(report);
    return nlohmann::json::parse(report.out, nullptr,
                                 /*allow_exceptions=*/false);
  }

  static std::string* db_;
};

std::string* CliTest::db_ = nullptr;

// `stats --format json` of `db` without bytes_on_disk, which moves whenever
// RocksDB opens the store (its own LOG and OPTIONS files).
nlohmann::json StoredCounts(const std::string& db) {
  const CommandResult stats =
      RunNewsdedup({"stats", "--db", db, "--format", "json"});
  EXPECT_EQ(stats.exit_code, 0) << Describe(stats);
  nlohmann::json json = nlohmann::json::parse(stats.out, nullptr, false);
  if (json.is_object()) json.erase("bytes_on_disk");
  return json;
}

// The story id of the entry whose title is `title`, or "" if none.
std::string StoryWithTitle(const nlohmann::json& report,
                           const std::string& title) {
  for (const nlohmann::json& entry : report["stories"]) {
    if (entry["title"] == title) return entry["story"];
  }
  return "";
}

// Checks the shape every JSON report (of a store or a diff) must have, and
// that counts and item positions agree with the story entries. A diff of two
// files has no source and no times: those fields are null there.
void ExpectReportContract(const nlohmann::json& report,
                          const Counts& expected, bool of_store = true) {
  ASSERT_TRUE(report.is_object()) << report;
  const nlohmann::json& snapshot = report["snapshot"];
  ASSERT_TRUE(snapshot.is_object());
  EXPECT_TRUE(snapshot["id"].is_number_unsigned());
  EXPECT_EQ(snapshot["source"].is_string(), of_store) << snapshot;
  EXPECT_TRUE(snapshot["file"].is_string());
  EXPECT_TRUE(snapshot["kind"] == "listing" || snapshot["kind"] == "article")
      << snapshot;
  if (of_store) {
    EXPECT_THAT(snapshot["captured_at"].get<std::string>(),
                ::testing::MatchesRegex(
                    "[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z"));
  } else {
    EXPECT_TRUE(snapshot["captured_at"].is_null()) << snapshot;
  }
  ASSERT_TRUE(snapshot["items"].is_number_unsigned());
  const int items = snapshot["items"];

  const nlohmann::json& counts = report["counts"];
  EXPECT_EQ(counts["new"], expected.new_stories) << counts;
  EXPECT_EQ(counts["updated"], expected.updated) << counts;
  EXPECT_EQ(counts["unchanged"], expected.unchanged) << counts;
  EXPECT_EQ(counts["dropped"], expected.dropped) << counts;

  std::map<std::string, int> entries_per_status;
  std::vector<int> entries_per_item(items, 0);
  ASSERT_TRUE(report["stories"].is_array());
  for (const nlohmann::json& entry : report["stories"]) {
    ASSERT_TRUE(entry["status"].is_string()) << entry;
    const std::string status = entry["status"];
    EXPECT_TRUE(status == "new" || status == "updated" ||
                status == "unchanged" || status == "dropped")
        << entry;
    ++entries_per_status[status];
    EXPECT_THAT(entry["story"].get<std::string>(),
                ::testing::MatchesRegex("s-[0-9]+"));
    EXPECT_TRUE(entry["title"].is_string()) << entry;
    EXPECT_EQ(entry["first_seen"].is_string(), of_store) << entry;
    ASSERT_TRUE(entry["items"].is_array()) << entry;
    if (status == "dropped") {
      EXPECT_TRUE(entry["items"].empty()) << entry;
    } else {
      EXPECT_FALSE(entry["items"].empty()) << entry;
    }
    for (const nlohmann::json& position : entry["items"]) {
      ASSERT_TRUE(position.is_number_integer()) << entry;
      ASSERT_GE(position.get<int>(), 0) << entry;
      ASSERT_LT(position.get<int>(), items) << entry;
      ++entries_per_item[position.get<int>()];
    }
  }
  for (const char* status : {"new", "updated", "unchanged", "dropped"}) {
    EXPECT_EQ(counts[status], entries_per_status[status]) << status;
  }
  for (int i = 0; i < items; ++i) {
    EXPECT_EQ(entries_per_item[i], 1) << "item " << i << " of " << snapshot;
  }
}

TEST_F(CliTest, ReportJsonFollowsTheContractForEverySeedSnapshot) {
  const std::vector<Counts> expected = {{21, 0, 0, 0},
                                        {17, 0, 4, 17},
                                        {21, 0, 0, 21},
                                        {0, 1, 0, 0},
                                        {18, 0, 3, 18}};
  for (size_t id = 1; id <= expected.size(); ++id) {
    SCOPED_TRACE(absl::StrCat("snapshot ", id));
    const nlohmann::json report = FetchReport(absl::StrCat(id));
    ExpectReportContract(report, expected[id - 1]);
    EXPECT_EQ(report["snapshot"]["id"], id);
    EXPECT_EQ(report["snapshot"]["source"], "novastan");
    EXPECT_EQ(report["snapshot"]["captured_at"],
              SeedDates()[id - 1] + "T00:00:00Z");
    EXPECT_EQ(report["snapshot"]["file"],
              std::filesystem::path(SeedFiles()[id - 1]).filename().string());
    EXPECT_EQ(report["snapshot"]["kind"], id == 4 ? "article" : "listing");
  }
}

// --threads bounds the report's reads and rendering; the bytes are the
// same on one thread as on several, for every seed snapshot, text and JSON.
TEST_F(CliTest, ReportIsTheSameOnOneThreadAsOnSeveral) {
  for (int id = 1; id <= 5; ++id) {
    for (const char* format : {"json", "text"}) {
      SCOPED_TRACE(absl::StrCat("snapshot ", id, " ", format));
      std::vector<std::string> outputs;
      for (const char* threads : {"1", "3"}) {
        const CommandResult report = RunNewsdedup(
            {"report", "--db", *db_, "--snapshot", absl::StrCat(id),
             "--format", format, "--threads", threads});
        ASSERT_EQ(report.exit_code, 0) << Describe(report);
        outputs.push_back(report.out);
      }
      EXPECT_FALSE(outputs[0].empty());
      EXPECT_EQ(outputs[0], outputs[1]);
    }
  }
  EXPECT_EQ(RunNewsdedup({"report", "--db", *db_, "--threads", "0"}).exit_code,
            2);
}

TEST_F(CliTest, LatestReportIsTheLastSnapshot) {
  EXPECT_EQ(FetchReport("latest")["snapshot"]["id"], 5);
}

TEST_F(CliTest, ArticleSnapshotExpandsTheKallasTeaser) {
  const nlohmann::json first = FetchReport("1");
  const std::string teaser_story = StoryWithTitle(first, kKallasTeaserTitle);
  const std::string announcement_story =
      StoryWithTitle(first, kKallasAnnouncementTitle);
  ASSERT_NE(teaser_story, "") << first;
  ASSERT_NE(announcement_story, "") << first;
  EXPECT_NE(teaser_story, announcement_story);

  const nlohmann::json article = FetchReport("4");
  EXPECT_EQ(article["snapshot"]["kind"], "article");
  ASSERT_THAT(article["stories"], SizeIs(1)) << article;
  const nlohmann::json& entry = article["stories"][0];
  EXPECT_EQ(entry["status"], "updated");
  EXPECT_EQ(entry["change"], "expanded");
  EXPECT_EQ(entry["first_seen"], "2025-03-29T00:00:00Z");
  EXPECT_EQ(entry["story"], teaser_story);
  EXPECT_EQ(entry["items"], nlohmann::json::array({0}));
  ASSERT_TRUE(entry["containment"].is_number()) << entry;
  EXPECT_GE(entry["containment"].get<double>(), 0.9);
  ASSERT_TRUE(entry["diff"].is_string()) << entry;
  EXPECT_FALSE(entry["diff"].get<std::string>().empty());
  EXPECT_EQ(article["counts"]["dropped"], 0);
}

TEST_F(CliTest, StoryShowsBothVersionsOfTheKallasStory) {
  const std::string story =
      StoryWithTitle(FetchReport("1"), kKallasTeaserTitle);
  ASSERT_NE(story, "");

  const CommandResult json =
      RunNewsdedup({"story", "--db", *db_, "--format", "json", story});
  ASSERT_EQ(json.exit_code, 0) << Describe(json);
  const nlohmann::json out = nlohmann::json::parse(json.out);
  EXPECT_EQ(out["story"], story);
  EXPECT_EQ(out["first_seen"], "2025-03-29T00:00:00Z");
  EXPECT_EQ(out["last_seen"], "2025-08-15T00:00:00Z");
  ASSERT_THAT(out["versions"], SizeIs(2)) << out;
  EXPECT_EQ(out["versions"][0]["snapshots"], nlohmann::json::array({1, 2}));
  EXPECT_EQ(out["versions"][1]["snapshots"], nlohmann::json::array({4}));
  EXPECT_TRUE(out["versions"][1]["diff"].is_string());

  const CommandResult text = RunNewsdedup({"story", "--db", *db_, story});
  ASSERT_EQ(text.exit_code, 0) << Describe(text);
  EXPECT_THAT(text.out, HasSubstr("2 versions"));
  EXPECT_THAT(text.out, HasSubstr(kKallasTeaserTitle));
}

TEST_F(CliTest, CheckPassesOnTheSeededStore) {
  const CommandResult check = RunNewsdedup({"check", "--db", *db_});
  EXPECT_EQ(check.exit_code, 0) << Describe(check);
  EXPECT_THAT(check.out, HasSubstr("consistent"));
}

TEST_F(CliTest, StatsCountsTheSeeds) {
  const CommandResult stats =
      RunNewsdedup({"stats", "--db", *db_, "--format", "json"});
  ASSERT_EQ(stats.exit_code, 0) << Describe(stats);
  const nlohmann::json out = nlohmann::json::parse(stats.out);
  EXPECT_EQ(out["snapshots"], 5);
  EXPECT_EQ(out["items"], 21 + 21 + 21 + 1 + 21);
  // Every new entry of the five reports is one story.
  EXPECT_EQ(out["stories"], 21 + 17 + 21 + 0 + 18);
}

// Errors a script meets: one line on stderr, nothing on stdout, exit 1 for a
// failure and 2 for a usage error.
void ExpectOneLineError(const CommandResult& result, int exit_code,
                        const std::string& words) {
  EXPECT_EQ(result.exit_code, exit_code) << Describe(result);
  EXPECT_THAT(Lines(result.err), SizeIs(1)) << Describe(result);
  EXPECT_THAT(result.err, HasSubstr(words));
  EXPECT_EQ(result.out, "");
}

TEST_F(CliTest, UnknownStoryIsAOneLineFailure) {
  ExpectOneLineError(RunNewsdedup({"story", "--db", *db_, "s-999999"}), 1,
                     "s-999999");
}

TEST_F(CliTest, UnknownSnapshotIsAOneLineFailure) {
  ExpectOneLineError(RunNewsdedup({"report", "--db", *db_, "--snapshot", "99"}),
                     1, "99");
}

TEST_F(CliTest, SnapshotThatIsNotANumberIsAUsageError) {
  ExpectOneLineError(
      RunNewsdedup({"report", "--db", *db_, "--snapshot", "abc"}), 2, "abc");
}

TEST_F(CliTest, UnknownCommandIsAUsageError) {
  ExpectOneLineError(RunNewsdedup({"frobnicate"}), 2, "frobnicate");
}

TEST_F(CliTest, UnknownFlagIsAUsageError) {
  ExpectOneLineError(RunNewsdedup({"report", "--db", *db_, "--frobnicate"}), 2,
                     "--frobnicate");
}

TEST_F(CliTest, BadFormatIsAUsageError) {
  ExpectOneLineError(RunNewsdedup({"report", "--db", *db_, "--format", "xml"}),
                     2, "xml");
}

TEST_F(CliTest, MissingDbIsAOneLineError) {
  for (const char* command : {"report", "stats", "check"}) {
    SCOPED_TRACE(command);
    const CommandResult result = RunNewsdedup({command});
    EXPECT_TRUE(result.exit_code == 1 || result.exit_code == 2)
        << Describe(result);
    EXPECT_THAT(Lines(result.err), SizeIs(1)) << Describe(result);
    EXPECT_THAT(result.err, HasSubstr("--db"));
  }
}

TEST_F(CliTest, StoreThatDoesNotExistIsAOneLineFailure) {
  const std::string missing = FreshTempDir("cli_test_no_store") + "/absent";
  ExpectOneLineError(RunNewsdedup({"report", "--db", missing}), 1, missing);
  EXPECT_FALSE(std::filesystem::exists(missing)) << "a reader created a store";
}

TEST_F(CliTest, HelpListsCommandsAndFlags) {
  const CommandResult help = RunNewsdedup({"--help"});
  EXPECT_EQ(help.exit_code, 0) << Describe(help);
  for (const char* command :
       {"ingest", "report", "diff", "story", "dups", "stats", "check"}) {
    EXPECT_THAT(help.out, HasSubstr(command));
  }

  const CommandResult ingest = RunNewsdedup({"help", "ingest"});
  EXPECT_EQ(ingest.exit_code, 0) << Describe(ingest);
  for (const char* flag : {"--db", "--source", "--at", "--format"}) {
    EXPECT_THAT(ingest.out, HasSubstr(flag));
  }
  const CommandResult flag = RunNewsdedup({"ingest", "--help"});
  EXPECT_EQ(flag.exit_code, 0) << Describe(flag);
  EXPECT_EQ(flag.out, ingest.out);
}

TEST_F(CliTest, VersionPrintsTheVersion) {
  const CommandResult version = RunNewsdedup({"--version"});
  EXPECT_EQ(version.exit_code, 0) << Describe(version);
  EXPECT_THAT(version.out,
              ::testing::MatchesRegex("newsdedup [0-9]+\\.[0-9]+\\.[0-9]+\n"));
}

TEST(CliDiffTest, FirstTwoSeedsDifferBySeventeenStories) {
  const std::vector<std::string> seeds = SeedFiles();
  const CommandResult json =
      RunNewsdedup({"diff", seeds[0], seeds[1], "--format", "json"});
  ASSERT_EQ(json.exit_code, 0) << Describe(json);
  const nlohmann::json report = nlohmann::json::parse(json.out);
  ExpectReportContract(report, {17, 0, 4, 17}, /*of_store=*/false);
  EXPECT_EQ(report["snapshot"]["file"],
            std::filesystem::path(seeds[1]).filename().string());

  const CommandResult text = RunNewsdedup({"diff", seeds[0], seeds[1]});
  ASSERT_EQ(text.exit_code, 0) << Describe(text);
  std::smatch summary;
  ASSERT_TRUE(std::regex_search(
      text.out, summary,
      std::regex("([0-9]+) new, ([0-9]+) updated, ([0-9]+) unchanged, "
                 "([0-9]+) dropped")))
      << text.out;
  EXPECT_EQ(summary[1], "17");
  EXPECT_EQ(summary[2], "0");
  EXPECT_EQ(summary[3], "4");
  EXPECT_EQ(summary[4], "17");
  EXPECT_THAT(text.out, HasSubstr("NEW"));
  EXPECT_THAT(text.out, HasSubstr("DROPPED"));
}

TEST(CliDiffTest, DiffWritesNoStore) {
  const std::string dir = FreshTempDir("cli_test_diff_cwd");
  const std::vector<std::string> seeds = SeedFiles();
  ASSERT_EQ(
      RunNewsdedup({"diff", seeds[0], seeds[1]}, "", /*cwd=*/dir).exit_code, 0);
  EXPECT_TRUE(std::filesystem::is_empty(dir));
}

TEST(CliIngestTest, ReingestingTheSameDumpsIsANoOp) {
  const std::string db = FreshTempDir("cli_test_reingest");
  ASSERT_EQ(IngestSeeds(db).exit_code, 0);
  const nlohmann::json before = StoredCounts(db);
  ASSERT_EQ(before["snapshots"], 5);

  const CommandResult again = IngestSeeds(db);
  EXPECT_EQ(again.exit_code, 0) << Describe(again);
  for (const std::string& seed : SeedFiles()) {
    EXPECT_THAT(again.err, HasSubstr(seed + ": already ingested")) << again.err;
  }
  EXPECT_EQ(again.out, "");

  EXPECT_EQ(StoredCounts(db), before);
}

TEST(CliIngestTest, AListingAndTwoArticlePagesOfOneCaptureIngestInOneCommand) {
  const std::string db = FreshTempDir("cli_test_capture");
  const std::vector<std::string> seeds = SeedFiles();
  const std::string fixtures = std::string(NEWSDEDUP_SOURCE_DIR) + "/tests/fixtures/";
  const std::vector<std::string> command = {
      "ingest", "--db", db, "--source", "novastan", "--at", "2025-03-29", "--at", "2025-03-29",
      "--at", "2025-03-29", "--format", "json", seeds[0], seeds[3], fixtures + "article_fr.txt"};
  const CommandResult first = RunNewsdedup(command);
  ASSERT_EQ(first.exit_code, 0) << Describe(first);
  const std::vector<std::string> reports = Lines(first.out);
  ASSERT_THAT(reports, SizeIs(3));
  const nlohmann::json article = nlohmann::json::parse(reports[1]);
  EXPECT_EQ(article["snapshot"]["kind"], "article");
  // The article page of a teaser of the same capture's listing: its full text.
  EXPECT_EQ(article["counts"]["updated"], 1);
  EXPECT_EQ(article["stories"][0]["change"], "expanded");
  EXPECT_EQ(nlohmann::json::parse(reports[2])["counts"]["new"], 1);
  EXPECT_EQ(StoredCounts(db)["snapshots"], 3);

  // The same command again: every file was ingested at that time already.
  const nlohmann::json before = StoredCounts(db);
  const CommandResult again = RunNewsdedup(command);
  ASSERT_EQ(again.exit_code, 0) << Describe(again);
  EXPECT_THAT(again.err, HasSubstr("already ingested"));
  EXPECT_EQ(StoredCounts(db), before);
  EXPECT_EQ(RunNewsdedup({"check", "--db", db}).exit_code, 0);
}

TEST(CliIngestTest, DashReadsTheDumpFromStandardInput) {
  const std::vector<std::string> seeds = SeedFiles();
  const std::string piped_db = FreshTempDir("cli_test_stdin");
  const CommandResult piped =
      RunNewsdedup({"ingest", "--db", piped_db, "--at", "2025-03-29",
                    "--format", "json", "-"},
                   ReadWholeFile(seeds[0]));
  ASSERT_EQ(piped.exit_code, 0) << Describe(piped);
  const std::string file_db = FreshTempDir("cli_test_stdin_file");
  const CommandResult named =
      RunNewsdedup({"ingest", "--db", file_db, "--at", "2025-03-29", "--format",
                    "json", seeds[0]});
  ASSERT_EQ(named.exit_code, 0) << Describe(named);

  nlohmann::json from_stdin = nlohmann::json::parse(piped.out);
  nlohmann::json from_file = nlohmann::json::parse(named.out);
  EXPECT_EQ(from_stdin["snapshot"]["file"], "-");
  EXPECT_EQ(from_stdin["snapshot"]["items"], 21);
  // Apart from its name, a dump read from stdin is the same snapshot.
  from_stdin["snapshot"].erase("file");
  from_file["snapshot"].erase("file");
  EXPECT_EQ(from_stdin, from_file);
}

// The title of every item of a seed dump, by position, as the real parser
// cuts it.
std::vector<std::string> ItemTitles(const std::string& file) {
  absl::StatusOr<ParsedDump> dump = ParseDump(ReadWholeFile(file));
  EXPECT_TRUE(dump.ok()) << dump.status();
  std::vector<std::string> titles;
  if (!dump.ok()) return titles;
  for (const Item& item : dump->items) titles.push_back(item.title);
  return titles;
}

TEST(CliDupsTest, ExactRepeatsOfTheFirstTwoSeedsClusterAndNothingElse) {
  const std::vector<std::string> seeds = SeedFiles();
  const CommandResult dups =
      RunNewsdedup({"dups", seeds[0], seeds[1], seeds[2], seeds[3], seeds[4]});
  ASSERT_EQ(dups.exit_code, 0) << Describe(dups);

  // Items named FILE:POSITION, mapped back to their titles.
  std::map<std::string, std::string> title_of;
  for (int f = 0; f < 2; ++f) {
    const std::vector<std::string> titles = ItemTitles(seeds[f]);
    for (size_t i = 0; i < titles.size(); ++i)
      title_of[absl::StrCat(seeds[f], ":", i)] = titles[i];
  }
  // The repeats the diff reports as unchanged, by title.
  std::set<std::string> repeated_titles;
  for (const auto& [name, title] : title_of) {
    if (absl::StartsWith(name, seeds[1])) continue;
    for (const auto& [other, other_title] : title_of) {
      if (absl::StartsWith(other, seeds[1]) && !title.empty() &&
          other_title == title) {
        repeated_titles.insert(title);
      }
    }
  }
  ASSERT_THAT(repeated_titles, SizeIs(4));

  std::set<std::string> clustered_titles;
  int cluster_number = 0;
  for (const std::string& line : Lines(dups.out)) {
    const nlohmann::json cluster = nlohmann::json::parse(line, nullptr, false);
    ASSERT_TRUE(cluster.is_object()) << line;
    EXPECT_EQ(cluster["cluster"], cluster_number++);
    ASSERT_TRUE(cluster["items"].is_array()) << line;
    EXPECT_GE(cluster["items"].size(), 2u) << line;
    std::set<std::string> titles;
    for (const nlohmann::json& item : cluster["items"]) {
      ASSERT_TRUE(item.is_string()) << line;
      EXPECT_THAT(item.get<std::string>(),
                  ::testing::MatchesRegex(".*/seeds/00[0-4]_.*:[0-9]+"));
      if (title_of.contains(item)) titles.insert(title_of[item]);
    }
    if (titles.empty()) continue;
    EXPECT_THAT(titles, SizeIs(1))
        << "merged different items of seeds 000/001: " << line;
    clustered_titles.insert(*titles.begin());
  }
  EXPECT_EQ(clustered_titles, repeated_titles);
}

TEST(CliDupsTest, JsonlItemsAreNamedByTheirId) {
  const std::string dir = FreshTempDir("cli_test_dups_jsonl");
  const std::string text =
      "Les ministres des Affaires étrangères de l'Union européenne et des cinq "
      "pays d'Asie "
      "centrale se sont réunis à Achgabat pour parler de transport, d'énergie "
      "et de climat.";
  WriteWholeFile(
      dir + "/a.jsonl",
      nlohmann::json(
          {{"id", "n0000004"}, {"title", "Réunion à Achgabat"}, {"text", text}})
              .dump() +
          "\n" +
          nlohmann::json({{"id", "n0000005"},
                          {"title", "Le Kazakhstan lance une enquête"},
                          {"text",
                           "Le Kazakhstan lance une enquête sur les projets "
                           "financés par l'agence américaine USAID."}})
              .dump() +
          "\n");
  WriteWholeFile(
      dir + "/b.jsonl",
      nlohmann::json(
          {{"id", "n0000137"}, {"title", "Réunion à Achgabat"}, {"text", text}})
              .dump() +
          "\n");
  const CommandResult dups =
      RunNewsdedup({"dups", dir + "/a.jsonl", dir + "/b.jsonl"});
  ASSERT_EQ(dups.exit_code, 0) << Describe(dups);
  ASSERT_THAT(Lines(dups.out), SizeIs(1)) << dups.out;
  const nlohmann::json cluster = nlohmann::json::parse(Lines(dups.out)[0]);
  EXPECT_EQ(cluster["cluster"], 0);
  EXPECT_EQ(cluster["items"], nlohmann::json({"n0000004", "n0000137"}));
  // Fields are only ever added: the evidence that joined each item.
  EXPECT_EQ(cluster["scores"][1]["rule"], "exact") << cluster;
}

TEST(CliDupsTest, DashReadsStandardInput) {
  const std::vector<std::string> seeds = SeedFiles();
  const CommandResult dups =
      RunNewsdedup({"dups", "-", seeds[1]}, ReadWholeFile(seeds[0]));
  ASSERT_EQ(dups.exit_code, 0) << Describe(dups);
  // The four exact repeats, the first of each named after standard input.
  ASSERT_THAT(Lines(dups.out), SizeIs(4)) << dups.out;
  for (const std::string& line : Lines(dups.out)) {
    EXPECT_THAT(line, HasSubstr("\"-:")) << line;
  }
}

TEST(CliDupsTest, DirectoryIsAOneLineFailure) {
  const std::string dir = FreshTempDir("cli_test_dups_directory");
  ExpectOneLineError(RunNewsdedup({"dups", dir}), 1, "directory");
}

TEST(CliDupsTest, MissingFileIsAOneLineFailure) {
  const std::string dir = FreshTempDir("cli_test_dups_missing");
  ExpectOneLineError(RunNewsdedup({"dups", dir + "/absent.txt"}), 1,
                     "absent.txt");
}

}  // namespace
}  // namespace newsdedup
