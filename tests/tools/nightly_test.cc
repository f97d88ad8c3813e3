// End-to-end tests of what a nightly cron job relies on, through the real
// binary and a real store: flags anywhere, exit codes, write errors, report
// filters, the snapshot list, compressed and directory inputs, capture times,
// the diff of two files, the story view, interrupts and the store lock.

#include <fcntl.h>
#include <pty.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <regex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "store/story_store.h"
#include "tests/tools/run_command.h"
#include "tests/tools/test_dumps.h"

namespace newsdedup {
namespace {

using ::newsdedup::testing::CommandResult;
using ::newsdedup::testing::Describe;
using ::newsdedup::testing::FreshTempDir;
using ::newsdedup::testing::Gzip;
using ::newsdedup::testing::IngestSeeds;
using ::newsdedup::testing::LargeListing;
using ::newsdedup::testing::Lines;
using ::newsdedup::testing::ReadWholeFile;
using ::newsdedup::testing::Redirects;
using ::newsdedup::testing::RunNewsdedup;
using ::newsdedup::testing::SeedDates;
using ::newsdedup::testing::SeedFiles;
using ::newsdedup::testing::StartedCommand;
using ::newsdedup::testing::StartNewsdedup;
using ::newsdedup::testing::WaitForCommand;
using ::newsdedup::testing::WriteWholeFile;
using ::newsdedup::testing::Zstd;
using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::SizeIs;

nlohmann::json ParseJson(const std::string& text) {
  return nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
}

// `stats --format json` without bytes_on_disk, which moves with RocksDB's
// own files.
nlohmann::json StoredCounts(const std::string& db) {
  const CommandResult stats = RunNewsdedup({"stats", "--db", db, "--format", "json"});
  EXPECT_EQ(stats.exit_code, 0) << Describe(stats);
  nlohmann::json json = ParseJson(stats.out);
  if (json.is_object()) json.erase("bytes_on_disk");
  return json;
}

// One line on stderr with `words`, exit `exit_code`, nothing on stdout.
void ExpectOneLineError(const CommandResult& result, int exit_code, const std::string& words) {
  EXPECT_EQ(result.exit_code, exit_code) << Describe(result);
  EXPECT_THAT(Lines(result.err), SizeIs(1)) << Describe(result);
  EXPECT_THAT(result.err, HasSubstr(words)) << Describe(result);
  EXPECT_EQ(result.out, "");
}

// Ingests seed `index` into `db` as `source` at its seed date (or `at`).
CommandResult IngestSeed(const std::string& db, int index, const std::string& source = "novastan",
                         const std::string& at = "") {
  return RunNewsdedup({"ingest", "--db", db, "--source", source, "--at",
                       at.empty() ? SeedDates()[index] : at, "--format", "json",
                       SeedFiles()[index]});
}

std::string TestDir() {
  return FreshTempDir(absl::StrCat("nightly_",
                                   ::testing::UnitTest::GetInstance()->current_test_info()->name()));
}

// --- Flags

TEST(NightlyFlagsTest, GlobalFlagsWorkBeforeAndAfterTheCommand) {
  const std::string db = TestDir() + "/db";
  ASSERT_EQ(IngestSeed(db, 0).exit_code, 0);
  // A second ingest of the same dump says "already ingested" at info level:
  // -q silences it wherever it stands.
  const std::vector<std::string> again = {"ingest", "--db", db, "--source", "novastan",
                                          "--at", "2025-03-29", SeedFiles()[0]};
  const CommandResult loud = RunNewsdedup(again);
  ASSERT_EQ(loud.exit_code, 0) << Describe(loud);
  EXPECT_THAT(loud.err, HasSubstr("already ingested"));
  std::vector<std::string> before = {"-q"};
  before.insert(before.end(), again.begin(), again.end());
  std::vector<std::string> after = again;
  after.push_back("-q");
  for (const std::vector<std::string>& args : {before, after}) {
    const CommandResult quiet = RunNewsdedup(args);
    EXPECT_EQ(quiet.exit_code, 0) << Describe(quiet);
    EXPECT_EQ(quiet.err, "") << args[0];
  }
  // A flag that takes a value may stand before the command too.
  const CommandResult report =
      RunNewsdedup({"--db", db, "--format", "json", "report", "--snapshot", "1"});
  EXPECT_EQ(report.exit_code, 0) << Describe(report);
  EXPECT_EQ(ParseJson(report.out)["snapshot"]["id"], 1);
}

TEST(NightlyFlagsTest, ShortThreadsFlagTakesAnAttachedValue) {
  const std::vector<std::string> seeds = SeedFiles();
  const CommandResult attached = RunNewsdedup({"dups", "-j1", seeds[0], seeds[1]});
  const CommandResult spelled = RunNewsdedup({"dups", "--threads", "1", seeds[0], seeds[1]});
  ASSERT_EQ(attached.exit_code, 0) << Describe(attached);
  EXPECT_EQ(attached.out, spelled.out);
  EXPECT_THAT(Lines(attached.out), SizeIs(4));
}

TEST(NightlyFlagsTest, HelpOfEachCommandSaysWhatItDoesToTheStore) {
  const CommandResult ingest = RunNewsdedup({"ingest", "--help"});
  EXPECT_THAT(ingest.out, AllOf(HasSubstr("store: writes"), HasSubstr("created when missing"),
                                HasSubstr("--wait")));
  for (const char* command : {"report", "story", "stats", "check", "snapshots"}) {
    SCOPED_TRACE(command);
    const CommandResult help = RunNewsdedup({"help", command});
    EXPECT_EQ(help.exit_code, 0) << Describe(help);
    EXPECT_THAT(help.out, HasSubstr("store: read only"));
    EXPECT_THAT(help.out, Not(HasSubstr("created when missing")));
  }
  for (const char* command : {"diff", "dups"}) {
    EXPECT_THAT(RunNewsdedup({command, "--help"}).out, HasSubstr("store: none")) << command;
  }
}

// --- Exit codes and write errors

TEST(NightlyExitCodeTest, DiffExitCodeSaysWhetherAnythingChanged) {
  const std::vector<std::string> seeds = SeedFiles();
  const CommandResult same = RunNewsdedup({"diff", "--exit-code", seeds[0], seeds[0]});
  EXPECT_EQ(same.exit_code, 0) << Describe(same);
  const CommandResult changed = RunNewsdedup({"diff", "--exit-code", seeds[0], seeds[1]});
  EXPECT_EQ(changed.exit_code, 1) << Describe(changed);
  EXPECT_EQ(changed.err, "");
  EXPECT_THAT(changed.out, HasSubstr("17 new"));
  // Without the flag a difference is a success; with it a failure is 2.
  EXPECT_EQ(RunNewsdedup({"diff", seeds[0], seeds[1]}).exit_code, 0);
  ExpectOneLineError(RunNewsdedup({"diff", "--exit-code", seeds[0], "/nonexistent/x.txt"}), 2,
                     "x.txt");
}

TEST(NightlyExitCodeTest, IngestExitCodeSaysWhetherAnythingChanged) {
  const std::string db = TestDir() + "/db";
  const std::vector<std::string> args = {"ingest", "--db", db, "--exit-code", "--at",
                                         "2025-03-29", SeedFiles()[0]};
  const CommandResult first = RunNewsdedup(args);
  EXPECT_EQ(first.exit_code, 1) << Describe(first);
  EXPECT_EQ(first.err, "");
  // The same dump again changes nothing.
  EXPECT_EQ(RunNewsdedup(args).exit_code, 0);
  const CommandResult repeat =
      RunNewsdedup({"ingest", "--db", db, "--exit-code", "--at", "2025-03-30", SeedFiles()[0]});
  EXPECT_EQ(repeat.exit_code, 0) << Describe(repeat);
  EXPECT_THAT(repeat.out, HasSubstr("0 new, 0 updated, 21 unchanged, 0 dropped"));
}

TEST(NightlyWriteErrorTest, FullStandardOutputIsOneLineAndExitOne) {
  const std::string db = TestDir() + "/db";
  ASSERT_EQ(IngestSeeds(db).exit_code, 0);
  const std::vector<std::string> seeds = SeedFiles();
  const std::vector<std::vector<std::string>> commands = {
      {"report", "--db", db},
      {"report", "--db", db, "--format", "json"},
      {"stats", "--db", db},
      {"snapshots", "--db", db},
      {"story", "--db", db, "3"},
      {"check", "--db", db},
      {"diff", seeds[0], seeds[1]},
      {"-q", "dups", seeds[0], seeds[1]},
      {"--help"},
      {"ingest", "--help"}};
  for (const std::vector<std::string>& args : commands) {
    SCOPED_TRACE(absl::StrJoin(args, " "));
    const CommandResult result = RunNewsdedup(args, "", "", Redirects{.out = "/dev/full", .err = ""});
    EXPECT_EQ(result.exit_code, 1) << Describe(result);
    EXPECT_THAT(Lines(result.err), SizeIs(1)) << Describe(result);
    EXPECT_THAT(result.err, HasSubstr("cannot write to standard output"));
  }
}

TEST(NightlyWriteErrorTest, IngestWithFullStandardOutputSaysTheSnapshotIsCommitted) {
  const std::string db = TestDir() + "/db";
  const CommandResult result =
      RunNewsdedup({"ingest", "--db", db, "--at", "2025-03-29", SeedFiles()[0]}, "", "",
                   Redirects{.out = "/dev/full", .err = ""});
  EXPECT_EQ(result.exit_code, 1) << Describe(result);
  EXPECT_THAT(Lines(result.err), SizeIs(1)) << Describe(result);
  EXPECT_THAT(result.err, AllOf(HasSubstr("cannot write to standard output"),
                                HasSubstr("snapshot 1 of"), HasSubstr("is committed")));
  EXPECT_EQ(StoredCounts(db)["snapshots"], 1);
}

TEST(NightlyWriteErrorTest, FullStandardErrorFailsTheCommand) {
  const std::string dir = TestDir();
  // A JSON Lines dump with a bad line: accepted with a warning on stderr.
  WriteWholeFile(dir + "/mixed.jsonl",
                 "{\"title\": \"Un titre\", \"text\": \"Un texte.\"}\nnot json\n");
  const CommandResult result =
      RunNewsdedup({"ingest", "--db", dir + "/db", "--at", "2025-03-29", dir + "/mixed.jsonl"}, "",
                   "", Redirects{.out = "", .err = "/dev/full"});
  EXPECT_EQ(result.exit_code, 1) << Describe(result);
  const CommandResult diff = RunNewsdedup({"diff", dir + "/mixed.jsonl", dir + "/mixed.jsonl"},
                                          "", "", Redirects{.out = "", .err = "/dev/full"});
  EXPECT_EQ(diff.exit_code, 1) << Describe(diff);
}

// --- Report filters and latest per source

class NightlyReportTest : public ::testing::Test {
 protected:
  // Seeds 0 and 1 as source "alpha", seed 2 as source "beta" captured before
  // alpha's second night, so that the last ingested is not the latest.
  static void SetUpTestSuite() {
    db_ = new std::string(FreshTempDir("nightly_report") + "/db");
    ASSERT_EQ(IngestSeed(*db_, 0, "alpha").exit_code, 0);
    ASSERT_EQ(IngestSeed(*db_, 1, "alpha").exit_code, 0);
    ASSERT_EQ(IngestSeed(*db_, 2, "beta", "2025-04-01").exit_code, 0);
  }
  static void TearDownTestSuite() { delete db_; }

  static CommandResult Report(std::vector<std::string> args) {
    args.insert(args.begin(), {"report", "--db", *db_});
    return RunNewsdedup(args);
  }
  static std::string* db_;
};
std::string* NightlyReportTest::db_ = nullptr;

TEST_F(NightlyReportTest, OnlyListsTheGivenStatusesAndKeepsTheCounts) {
  const CommandResult json = Report({"--snapshot", "2", "--only", "new,dropped", "--format", "json"});
  ASSERT_EQ(json.exit_code, 0) << Describe(json);
  const nlohmann::json report = ParseJson(json.out);
  EXPECT_EQ(report["counts"], nlohmann::json({{"new", 17}, {"updated", 0}, {"unchanged", 4},
                                              {"dropped", 17}}));
  EXPECT_THAT(report["stories"], SizeIs(34));
  for (const nlohmann::json& entry : report["stories"]) {
    EXPECT_TRUE(entry["status"] == "new" || entry["status"] == "dropped") << entry;
  }
  EXPECT_EQ(report["listed"], nlohmann::json({"new", "dropped"}));

  const CommandResult text = Report({"--snapshot", "2", "--only", "unchanged"});
  EXPECT_THAT(text.out, AllOf(HasSubstr("UNCHANGED (4)"), Not(HasSubstr("NEW (")),
                              Not(HasSubstr("DROPPED (")), HasSubstr("showing unchanged only")));
  ExpectOneLineError(Report({"--only", "new,moved"}), 2, "moved");
}

TEST_F(NightlyReportTest, SummaryIsTheCountsOnly) {
  const CommandResult text = Report({"--snapshot", "2", "--summary"});
  ASSERT_EQ(text.exit_code, 0) << Describe(text);
  EXPECT_THAT(Lines(text.out), SizeIs(2)) << text.out;
  EXPECT_THAT(text.out, HasSubstr("17 new, 0 updated, 4 unchanged, 17 dropped"));
  const nlohmann::json json = ParseJson(Report({"--snapshot", "2", "--summary", "--format", "json"}).out);
  EXPECT_THAT(json["stories"], SizeIs(0));
  EXPECT_EQ(json["counts"]["new"], 17);
}

TEST_F(NightlyReportTest, LatestIsTheLatestCaptureOfEachSource) {
  const CommandResult all = Report({"--format", "json"});
  ASSERT_EQ(all.exit_code, 0) << Describe(all);
  std::vector<std::pair<std::string, int>> reports;
  for (const std::string& line : Lines(all.out)) {
    const nlohmann::json report = ParseJson(line);
    reports.push_back({report["snapshot"]["source"], report["snapshot"]["id"]});
  }
  EXPECT_THAT(reports, ElementsAre(std::pair<std::string, int>{"alpha", 2},
                                   std::pair<std::string, int>{"beta", 3}));
  const CommandResult alpha = Report({"--source", "alpha", "--format", "json"});
  EXPECT_EQ(ParseJson(alpha.out)["snapshot"]["id"], 2);
  ExpectOneLineError(Report({"--source", "gamma"}), 1, "gamma");
  ExpectOneLineError(Report({"--snapshot", "1", "--source", "beta"}), 1, "alpha");
}

TEST_F(NightlyReportTest, SnapshotsListsEverySnapshotWithItsCounts) {
  const CommandResult json = RunNewsdedup({"snapshots", "--db", *db_, "--format", "json"});
  ASSERT_EQ(json.exit_code, 0) << Describe(json);
  const nlohmann::json list = ParseJson(json.out)["snapshots"];
  ASSERT_THAT(list, SizeIs(3));
  EXPECT_EQ(list[1]["id"], 2);
  EXPECT_EQ(list[1]["source"], "alpha");
  EXPECT_EQ(list[1]["captured_at"], "2025-05-02T00:00:00Z");
  EXPECT_EQ(list[1]["kind"], "listing");
  EXPECT_EQ(list[1]["items"], 21);
  EXPECT_EQ(list[1]["file"], std::filesystem::path(SeedFiles()[1]).filename().string());
  EXPECT_EQ(list[1]["counts"], nlohmann::json({{"new", 17}, {"updated", 0}, {"unchanged", 4},
                                                {"dropped", 17}}));

  const CommandResult beta = RunNewsdedup({"snapshots", "--db", *db_, "--source", "beta"});
  ASSERT_EQ(beta.exit_code, 0) << Describe(beta);
  ASSERT_THAT(Lines(beta.out), SizeIs(2)) << beta.out;  // Header and one snapshot.
  EXPECT_THAT(Lines(beta.out)[1], AllOf(HasSubstr("beta"), HasSubstr("2025-04-01T00:00:00Z")));
  const CommandResult last = RunNewsdedup({"snapshots", "--db", *db_, "--last", "1", "--format", "json"});
  EXPECT_EQ(ParseJson(last.out)["snapshots"][0]["id"], 3);
}

// --- Inputs

TEST(NightlyInputTest, CompressedDumpsAreTheSameSnapshotAsThePlainFile) {
  const std::string dir = TestDir();
  const std::string plain = ReadWholeFile(SeedFiles()[0]);
  WriteWholeFile(dir + "/000.txt.gz", Gzip(plain));
  WriteWholeFile(dir + "/000.txt.zst", Zstd(plain));
  const CommandResult original = IngestSeed(dir + "/plain", 0);
  ASSERT_EQ(original.exit_code, 0) << Describe(original);
  nlohmann::json expected = ParseJson(original.out);
  expected["snapshot"].erase("file");
  for (const char* name : {"000.txt.gz", "000.txt.zst"}) {
    SCOPED_TRACE(name);
    const CommandResult result =
        RunNewsdedup({"ingest", "--db", dir + "/" + name + ".db", "--source", "novastan", "--at",
                      "2025-03-29", "--format", "json", dir + "/" + name});
    ASSERT_EQ(result.exit_code, 0) << Describe(result);
    nlohmann::json report = ParseJson(result.out);
    EXPECT_EQ(report["snapshot"]["file"], name);
    report["snapshot"].erase("file");
    EXPECT_EQ(report, expected);
  }
  // Standard input may be compressed too.
  const CommandResult piped = RunNewsdedup({"diff", "--summary", SeedFiles()[0], "-"}, Gzip(plain));
  EXPECT_THAT(piped.out, HasSubstr("0 new, 0 updated, 21 unchanged, 0 dropped")) << Describe(piped);
}

TEST(NightlyInputTest, CompressedJsonlIsReadAsJsonlByItsName) {
  const std::string dir = TestDir();
  // The first line is broken: only the name says it is JSON Lines.
  WriteWholeFile(dir + "/items.jsonl.gz",
                 Gzip("{\"title\": \"cut\n{\"title\": \"Un titre\", \"text\": \"Un texte.\"}\n"));
  const CommandResult result = RunNewsdedup(
      {"ingest", "--db", dir + "/db", "--at", "2025-03-29", "--format", "json", dir + "/items.jsonl.gz"});
  ASSERT_EQ(result.exit_code, 0) << Describe(result);
  EXPECT_EQ(ParseJson(result.out)["snapshot"]["format"], "jsonl");
}

// A folder of nightly dumps named by their capture dates, listed so that
// name order is not time order.
std::string NightlyFolder(const std::string& dir) {
  const std::string folder = dir + "/dumps";
  std::filesystem::create_directories(folder);
  const std::vector<std::string> names = {"c_2025-03-29.txt", "b_2025-05-02.txt.gz",
                                          "a_2025-07-31.txt.zst"};
  for (int i = 0; i < 3; ++i) {
    const std::string bytes = ReadWholeFile(SeedFiles()[i]);
    WriteWholeFile(folder + "/" + names[i], i == 0 ? bytes : i == 1 ? Gzip(bytes) : Zstd(bytes));
  }
  return folder;
}

// (id, captured_at, file) of every snapshot.
std::vector<std::string> SnapshotSummaries(const std::string& db) {
  const CommandResult list = RunNewsdedup({"snapshots", "--db", db, "--format", "json"});
  EXPECT_EQ(list.exit_code, 0) << Describe(list);
  std::vector<std::string> out;
  const nlohmann::json json = ParseJson(list.out);
  for (const nlohmann::json& s : json["snapshots"]) {
    out.push_back(absl::StrCat(s["id"].get<int>(), " ", s["captured_at"].get<std::string>(), " ",
                               s["file"].get<std::string>()));
  }
  return out;
}

TEST(NightlyInputTest, DirectoryIsIngestedInTheTimeOrderOfItsFileNames) {
  const std::string dir = TestDir();
  const std::string folder = NightlyFolder(dir);
  const CommandResult result = RunNewsdedup({"ingest", "--db", dir + "/db", "--source", "novastan",
                                             "--at-from-name", "%Y-%m-%d", "--summary", folder});
  ASSERT_EQ(result.exit_code, 0) << Describe(result);
  EXPECT_THAT(SnapshotSummaries(dir + "/db"),
              ElementsAre("1 2025-03-29T00:00:00Z c_2025-03-29.txt",
                          "2 2025-05-02T00:00:00Z b_2025-05-02.txt.gz",
                          "3 2025-07-31T00:00:00Z a_2025-07-31.txt.zst"));
  // The same reports as the seeds ingested one by one.
  EXPECT_THAT(result.out, HasSubstr("17 new, 0 updated, 4 unchanged, 17 dropped"));
  EXPECT_THAT(result.out, HasSubstr("21 new, 0 updated, 0 unchanged, 21 dropped"));
}

TEST(NightlyInputTest, GlobWithZoneLessNamesTakesTheTzZone) {
  const std::string dir = TestDir();
  const std::string folder = NightlyFolder(dir);
  const CommandResult result =
      RunNewsdedup({"ingest", "--db", dir + "/db", "--at-from-name", "%Y-%m-%d", "--tz",
                    "Europe/Paris", "--summary", folder + "/[bc]_*"});
  ASSERT_EQ(result.exit_code, 0) << Describe(result);
  EXPECT_THAT(SnapshotSummaries(dir + "/db"),
              ElementsAre("1 2025-03-28T23:00:00Z c_2025-03-29.txt",
                          "2 2025-05-01T22:00:00Z b_2025-05-02.txt.gz"));
}

TEST(NightlyInputTest, DirectoryWithoutAPatternUsesModificationTimes) {
  const std::string dir = TestDir();
  const std::string folder = NightlyFolder(dir);
  // Modification times in the reverse order of the names' dates.
  const std::vector<std::pair<std::string, int64_t>> mtimes = {
      {"a_2025-07-31.txt.zst", 1735725600},  // 2025-01-01T10:00:00Z
      {"b_2025-05-02.txt.gz", 1735812000},   // 2025-01-02T10:00:00Z
      {"c_2025-03-29.txt", 1735898400}};     // 2025-01-03T10:00:00Z
  for (const auto& [name, seconds] : mtimes) {
    const struct timespec times[2] = {{seconds, 0}, {seconds, 0}};
    ASSERT_EQ(utimensat(AT_FDCWD, (folder + "/" + name).c_str(), times, 0), 0);
  }
  const CommandResult result = RunNewsdedup({"ingest", "--db", dir + "/db", "--summary", folder});
  ASSERT_EQ(result.exit_code, 0) << Describe(result);
  EXPECT_THAT(SnapshotSummaries(dir + "/db"),
              ElementsAre("1 2025-01-01T10:00:00Z a_2025-07-31.txt.zst",
                          "2 2025-01-02T10:00:00Z b_2025-05-02.txt.gz",
                          "3 2025-01-03T10:00:00Z c_2025-03-29.txt"));
}

TEST(NightlyInputTest, DirectoryArgumentsAreRefusedBeforeTheStoreIsTouched) {
  const std::string dir = TestDir();
  const std::string folder = NightlyFolder(dir);
  ExpectOneLineError(RunNewsdedup({"ingest", "--db", dir + "/db", "--at", "2025-03-29", folder}), 2,
                     "--at-from-name");
  // A name without the pattern's time.
  WriteWholeFile(folder + "/notes.txt", ReadWholeFile(SeedFiles()[4]));
  ExpectOneLineError(
      RunNewsdedup({"ingest", "--db", dir + "/db", "--at-from-name", "%Y-%m-%d", folder}), 1,
      "notes.txt");
  ExpectOneLineError(
      RunNewsdedup({"ingest", "--db", dir + "/db", "--at-from-name", "%d/%b", folder}), 2,
      "unsupported");
  ExpectOneLineError(RunNewsdedup({"ingest", "--db", dir + "/db", folder + "/*.xml"}), 1,
                     "no file matches");
  EXPECT_FALSE(std::filesystem::exists(dir + "/db"));
}

TEST(NightlyInputTest, StandardInputCanBeReadOnlyOnce) {
  const std::string dir = TestDir();
  ExpectOneLineError(RunNewsdedup({"ingest", "--db", dir + "/db", "-", "-"}, "Titre\nUn texte.\n"),
                     2, "only once");
  ExpectOneLineError(RunNewsdedup({"diff", "-", "-"}, "Titre\nUn texte.\n"), 2, "only once");
  EXPECT_FALSE(std::filesystem::exists(dir + "/db"));
}

// --- Times

TEST(NightlyTimeTest, OffsetsZonesAndFractionsAreStoredInUtc) {
  const std::string dir = TestDir();
  const std::string db = dir + "/db";
  const auto ingest = [&](int seed, std::vector<std::string> flags) {
    std::vector<std::string> args = {"ingest", "--db", db, "--summary"};
    args.insert(args.end(), flags.begin(), flags.end());
    args.push_back(SeedFiles()[seed]);
    return RunNewsdedup(args);
  };
  EXPECT_EQ(ingest(0, {"--at", "2025-03-29T10:00:00+02:00"}).exit_code, 0);
  EXPECT_EQ(ingest(1, {"--at", "2025-05-02T19:00:00", "--tz", "Europe/Paris"}).exit_code, 0);
  const CommandResult fraction = ingest(2, {"--at", "2025-07-31T06:00:00.750Z"});
  EXPECT_EQ(fraction.exit_code, 0) << Describe(fraction);
  EXPECT_THAT(fraction.err, HasSubstr("stored to the second, as 2025-07-31T06:00:00Z"));
  EXPECT_THAT(SnapshotSummaries(db),
              ElementsAre(HasSubstr("1 2025-03-29T08:00:00Z"), HasSubstr("2 2025-05-02T17:00:00Z"),
                          HasSubstr("3 2025-07-31T06:00:00Z")));
  ExpectOneLineError(ingest(3, {"--at", "2025-08-15", "--tz", "Mars/Olympus"}), 2, "Mars/Olympus");
  ExpectOneLineError(ingest(3, {"--at", "15/08/2025"}), 2, "15/08/2025");
}

// The first and last sighting of story `id` in `db`.
std::pair<std::string, std::string> Seen(const std::string& db, const std::string& id) {
  const nlohmann::json story =
      ParseJson(RunNewsdedup({"story", "--db", db, "--format", "json", id}).out);
  return {story.value("first_seen", ""), story.value("last_seen", "")};
}

TEST(NightlyTimeTest, AllowPastPutsACaptureInItsPlaceInTime) {
  const std::string db = TestDir() + "/db";
  ASSERT_EQ(IngestSeed(db, 0).exit_code, 0);
  ASSERT_EQ(IngestSeed(db, 2).exit_code, 0);
  // Seed 1 (May) arrives after seed 2 (July): refused, then stored with
  // --allow-past and compared with the capture before it, seed 0.
  EXPECT_EQ(IngestSeed(db, 1).exit_code, 1);
  const CommandResult late = RunNewsdedup({"ingest", "--db", db, "--source", "novastan", "--at",
                                           "2025-05-02", "--allow-past", "--format", "json",
                                           SeedFiles()[1]});
  ASSERT_EQ(late.exit_code, 0) << Describe(late);
  const nlohmann::json report = ParseJson(late.out);
  EXPECT_EQ(report["previous_snapshot"], 1);
  EXPECT_EQ(report["counts"], nlohmann::json({{"new", 17}, {"updated", 0}, {"unchanged", 4},
                                              {"dropped", 17}}));
  std::string repeated;  // A story of seeds 0 and 1, absent from seed 2.
  for (const nlohmann::json& entry : report["stories"]) {
    if (entry["status"] == "unchanged") repeated = entry["story"];
  }
  ASSERT_NE(repeated, "");
  EXPECT_EQ(Seen(db, repeated),
            std::make_pair(std::string("2025-03-29T00:00:00Z"), std::string("2025-05-02T00:00:00Z")));

  // Earlier than everything: the first capture of the source, every story new,
  // and the repeated one first seen then.
  const CommandResult earliest = RunNewsdedup({"ingest", "--db", db, "--source", "novastan", "--at",
                                               "2025-03-01", "--allow-past", "--format", "json",
                                               SeedFiles()[1]});
  ASSERT_EQ(earliest.exit_code, 0) << Describe(earliest);
  EXPECT_EQ(ParseJson(earliest.out)["counts"]["new"], 21);
  EXPECT_EQ(Seen(db, repeated),
            std::make_pair(std::string("2025-03-01T00:00:00Z"), std::string("2025-05-02T00:00:00Z")));
  EXPECT_EQ(RunNewsdedup({"check", "--db", db}).exit_code, 0);
}

TEST(NightlyTimeTest, AllowFutureStoresATimeAhead) {
  const std::string db = TestDir() + "/db";
  EXPECT_EQ(IngestSeed(db, 0, "novastan", "2099-01-01").exit_code, 1);
  const CommandResult forced = RunNewsdedup(
      {"ingest", "--db", db, "--at", "2099-01-01", "--allow-future", "--summary", SeedFiles()[0]});
  EXPECT_EQ(forced.exit_code, 0) << Describe(forced);
  // "Tomorrow" is within the day of slack: a zone ahead of UTC.
  const CommandResult soon = RunNewsdedup(
      {"ingest", "--db", db, "--source", "other", "--at",
       absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", absl::Now() + absl::Hours(12), absl::UTCTimeZone()),
       "--summary", SeedFiles()[0]});
  EXPECT_EQ(soon.exit_code, 0) << Describe(soon);
}

// --- Diff of two files

TEST(NightlyDiffTest, DiffHasAHeaderOfBothFilesAndNoMadeUpTimesOrSource) {
  const std::vector<std::string> seeds = SeedFiles();
  const CommandResult text = RunNewsdedup({"diff", seeds[0], seeds[1]});
  ASSERT_EQ(text.exit_code, 0) << Describe(text);
  const std::vector<std::string> lines = Lines(text.out);
  ASSERT_GE(lines.size(), 3u);
  EXPECT_EQ(lines[0], absl::StrCat("--- ", std::filesystem::path(seeds[0]).filename().string(),
                                   "  (listing, 21 items)"));
  EXPECT_EQ(lines[1], absl::StrCat("+++ ", std::filesystem::path(seeds[1]).filename().string(),
                                   "  (listing, 21 items)"));
  EXPECT_THAT(text.out, AllOf(Not(HasSubstr("1970")), Not(HasSubstr("first seen")),
                              Not(HasSubstr("snapshot ")), Not(HasSubstr(" diff "))));
  const nlohmann::json json = ParseJson(RunNewsdedup({"diff", "--format", "json", seeds[0], seeds[1]}).out);
  EXPECT_TRUE(json["snapshot"]["source"].is_null());
  EXPECT_TRUE(json["snapshot"]["captured_at"].is_null());
  EXPECT_EQ(json["old"]["file"], std::filesystem::path(seeds[0]).filename().string());
  EXPECT_EQ(json["old"]["items"], 21);
  EXPECT_THAT(json.dump(), Not(HasSubstr("1970")));
}

TEST(NightlyDiffTest, WarningsOfBothFilesGoToStandardError) {
  const std::string dir = TestDir();
  WriteWholeFile(dir + "/old.jsonl", "{\"title\": \"Un\", \"text\": \"Texte un.\"}\nbroken old\n");
  WriteWholeFile(dir + "/new.jsonl", "{\"title\": \"Deux\", \"text\": \"Texte deux.\"}\nbroken new\n");
  const CommandResult result = RunNewsdedup({"diff", dir + "/old.jsonl", dir + "/new.jsonl"});
  ASSERT_EQ(result.exit_code, 0) << Describe(result);
  EXPECT_THAT(Lines(result.err), ElementsAre(HasSubstr(dir + "/old.jsonl: line 2"),
                                             HasSubstr(dir + "/new.jsonl: line 2")));
  EXPECT_THAT(result.out, Not(HasSubstr("warning")));
}

// --- Word diffs and stories

class NightlySeedsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    db_ = new std::string(FreshTempDir("nightly_seeds") + "/db");
    ASSERT_EQ(IngestSeeds(*db_).exit_code, 0);
  }
  static void TearDownTestSuite() { delete db_; }
  static std::string* db_;
};
std::string* NightlySeedsTest::db_ = nullptr;

TEST_F(NightlySeedsTest, WordDiffIsCutBetweenWordsAndStaysOnOneLine) {
  const CommandResult report =
      RunNewsdedup({"report", "--db", *db_, "--snapshot", "4", "--format", "json"});
  ASSERT_EQ(report.exit_code, 0) << Describe(report);
  const nlohmann::json entry = ParseJson(report.out)["stories"][0];
  const std::string diff = entry["diff"];
  EXPECT_EQ(diff.find('\n'), std::string::npos) << diff;
  // The shortened start "… " is followed by a whole word of the teaser.
  ASSERT_EQ(diff.rfind("… ", 0), 0u) << diff;
  const std::string kept = diff.substr(std::string("… ").size(), 12);
  const CommandResult story =
      RunNewsdedup({"story", "--db", *db_, "--format", "json", entry["story"]});
  const nlohmann::json versions = ParseJson(story.out)["versions"];
  const std::string teaser = versions[0]["text"];
  const size_t at = teaser.find(kept);
  ASSERT_NE(at, std::string::npos) << kept;
  EXPECT_EQ(teaser[at - 1], ' ') << "cut inside a word: " << diff;

  // The ops rebuild both texts.
  std::string before, after;
  for (const nlohmann::json& op : entry["ops"]) {
    if (op["op"] != "insert") before += op["text"].get<std::string>();
    if (op["op"] != "delete") after += op["text"].get<std::string>();
  }
  EXPECT_EQ(before, teaser);
  EXPECT_EQ(after, versions[1]["text"]);
}

TEST_F(NightlySeedsTest, StoryNumbersItsVersionsAndAcceptsItsNumber) {
  const CommandResult by_id = RunNewsdedup({"story", "--db", *db_, "s-000003"});
  const CommandResult by_number = RunNewsdedup({"story", "--db", *db_, "3"});
  ASSERT_EQ(by_number.exit_code, 0) << Describe(by_number);
  EXPECT_EQ(by_number.out, by_id.out);
  EXPECT_THAT(by_number.out, AllOf(HasSubstr("2 versions"), HasSubstr("\nv1 (version "),
                                   HasSubstr("\nv2 (version "), HasSubstr(", canonical)")));
  // The first version's preview ends with an ellipsis: it is cut.
  const std::vector<std::string> lines = Lines(by_number.out);
  const auto v1 = std::find_if(lines.begin(), lines.end(),
                               [](const std::string& l) { return absl::StartsWith(l, "v1 "); });
  ASSERT_NE(v1, lines.end());
  EXPECT_TRUE(absl::EndsWith(*(v1 + 1), "…")) << *(v1 + 1);

  const nlohmann::json json =
      ParseJson(RunNewsdedup({"story", "--db", *db_, "--format", "json", "3"}).out);
  EXPECT_EQ(json["versions"][0]["number"], 1);
  EXPECT_EQ(json["versions"][1]["number"], 2);
  EXPECT_TRUE(json["versions"][1]["ops"].is_array());
  ExpectOneLineError(RunNewsdedup({"story", "--db", *db_, "999"}), 1, "s-000999");
}

TEST_F(NightlySeedsTest, StoryFullShowsEveryWholeText) {
  const nlohmann::json json =
      ParseJson(RunNewsdedup({"story", "--db", *db_, "--format", "json", "3"}).out);
  const std::string article = json["versions"][1]["text"];
  const CommandResult full = RunNewsdedup({"story", "--db", *db_, "--full", "3"});
  ASSERT_EQ(full.exit_code, 0) << Describe(full);
  // Every paragraph of the article, whole, and no shortened diff.
  for (absl::string_view paragraph : absl::StrSplit(article, '\n', absl::SkipEmpty())) {
    EXPECT_THAT(full.out, HasSubstr(std::string(paragraph)));
  }
  EXPECT_THAT(full.out, Not(HasSubstr("more words)")));
  const CommandResult short_view = RunNewsdedup({"story", "--db", *db_, "3"});
  EXPECT_LT(short_view.out.size() * 3, full.out.size());
}

TEST_F(NightlySeedsTest, CountsAreSpelledInTheSingularForOne) {
  const CommandResult article = RunNewsdedup({"report", "--db", *db_, "--snapshot", "4"});
  EXPECT_THAT(article.out, AllOf(HasSubstr("(article, 1 item)"), HasSubstr("[item 0]")));
  const CommandResult story = RunNewsdedup({"story", "--db", *db_, "1"});
  EXPECT_THAT(story.out, AllOf(HasSubstr(", 1 version\n"), HasSubstr("snapshot 1 (")));
}

// --- dups

// `words` lowercase made-up words from `seed`: no names, no dates, so that
// only the share of shared word triples decides.
std::vector<std::string> Words(int words, uint64_t seed) {
  std::vector<std::string> out;
  for (int i = 0; i < words; ++i) {
    seed = seed * 6364136223846793005u + 1442695040888963407u;
    std::string w;
    for (int c = 0; c < 4 + static_cast<int>((seed >> 60) % 4); ++c) {
      w.push_back('a' + (seed >> (8 + 5 * c)) % 26);
    }
    out.push_back(w);
  }
  return out;
}

std::string JsonlItem(const std::string& id, const std::string& title,
                      const std::vector<std::string>& words, const std::string& url = "") {
  nlohmann::json item = {{"id", id}, {"title", title}, {"text", absl::StrJoin(words, " ")}};
  if (!url.empty()) item["url"] = url;
  return item.dump() + "\n";
}

TEST(NightlyDupsTest, ClustersCarryTheScoreOfEachItem) {
  const CommandResult dups = RunNewsdedup({"-q", "dups", SeedFiles()[0], SeedFiles()[1]});
  ASSERT_EQ(dups.exit_code, 0) << Describe(dups);
  ASSERT_THAT(Lines(dups.out), SizeIs(4));
  for (const std::string& line : Lines(dups.out)) {
    const nlohmann::json cluster = ParseJson(line);
    ASSERT_THAT(cluster["scores"], SizeIs(cluster["items"].size())) << line;
    EXPECT_TRUE(cluster["scores"][0].is_null()) << line;
    EXPECT_EQ(cluster["scores"][1], nlohmann::json({{"rule", "exact"}, {"similarity", 1.0},
                                                    {"containment", 1.0}}))
        << line;
  }
}

TEST(NightlyDupsTest, ThresholdDecidesWhatIsANearDuplicate) {
  const std::string dir = TestDir();
  // Eight of 100 words replaced, twelve apart: Jaccard of the word triples
  // about 0.61, containment 0.76 (below the containment rule's 0.8).
  std::vector<std::string> a = Words(100, 1);
  std::vector<std::string> b = a;
  const std::vector<std::string> other = Words(8, 99);
  for (int i = 0; i < 8; ++i) b[6 + 12 * i] = other[i];
  WriteWholeFile(dir + "/pair.jsonl", JsonlItem("a", "Premier titre", a) +
                                          JsonlItem("b", "Autre chose entièrement", b));
  const CommandResult loose = RunNewsdedup({"-q", "dups", dir + "/pair.jsonl"});
  ASSERT_EQ(loose.exit_code, 0) << Describe(loose);
  ASSERT_THAT(Lines(loose.out), SizeIs(1)) << loose.out;
  const nlohmann::json cluster = ParseJson(Lines(loose.out)[0]);
  EXPECT_EQ(cluster["scores"][1]["rule"], "near_duplicate");
  const double similarity = cluster["scores"][1]["similarity"];
  EXPECT_GT(similarity, 0.55);
  EXPECT_LT(similarity, 0.65);
  const CommandResult strict =
      RunNewsdedup({"-q", "dups", "--threshold", "0.7", dir + "/pair.jsonl"});
  EXPECT_EQ(strict.exit_code, 0) << Describe(strict);
  EXPECT_EQ(strict.out, "");
  ExpectOneLineError(RunNewsdedup({"dups", "--threshold", "1.5", dir + "/pair.jsonl"}), 2, "1.5");
}

TEST(NightlyDupsTest, IgnoreUrlsLetsOnlyTextsDecide) {
  const std::string dir = TestDir();
  WriteWholeFile(dir + "/urls.jsonl",
                 JsonlItem("a", "Un titre", Words(60, 1), "https://example.com/x") +
                     JsonlItem("b", "Rien à voir", Words(60, 2), "https://www.example.com/x#top"));
  EXPECT_THAT(Lines(RunNewsdedup({"-q", "dups", dir + "/urls.jsonl"}).out), SizeIs(1));
  const CommandResult ignored = RunNewsdedup({"-q", "dups", "--ignore-urls", dir + "/urls.jsonl"});
  EXPECT_EQ(ignored.exit_code, 0) << Describe(ignored);
  EXPECT_EQ(ignored.out, "");
}

TEST(NightlyDupsTest, KeepFirstWritesTheCorpusWithoutItsDuplicates) {
  const std::string dir = TestDir();
  const std::vector<std::string> text = Words(60, 3);
  const std::string lines = JsonlItem("n1", "Un", text) + JsonlItem("n2", "Deux", Words(60, 4)) +
                            JsonlItem("n3", "Un", text) + JsonlItem("n4", "Trois", Words(60, 5));
  WriteWholeFile(dir + "/corpus.jsonl", lines);
  WriteWholeFile(dir + "/corpus.jsonl.gz", Gzip(lines));
  const CommandResult dups =
      RunNewsdedup({"-q", "dups", "--keep-first", dir + "/kept.jsonl", dir + "/corpus.jsonl"});
  ASSERT_EQ(dups.exit_code, 0) << Describe(dups);
  // The file's own lines, in order, without n3.
  const std::vector<std::string> all = Lines(lines);
  EXPECT_THAT(Lines(ReadWholeFile(dir + "/kept.jsonl")), ElementsAre(all[0], all[1], all[3]));
  // A compressed corpus keeps the same items, rewritten from their fields.
  ASSERT_EQ(RunNewsdedup({"-q", "dups", "--keep-first", dir + "/kept_gz.jsonl",
                          dir + "/corpus.jsonl.gz"})
                .exit_code,
            0);
  std::vector<std::string> ids;
  for (const std::string& line : Lines(ReadWholeFile(dir + "/kept_gz.jsonl"))) {
    ids.push_back(ParseJson(line)["id"]);
  }
  EXPECT_THAT(ids, ElementsAre("n1", "n2", "n4"));
  ExpectOneLineError(RunNewsdedup({"dups", "--keep-first", "/nonexistent/dir/kept.jsonl",
                                   dir + "/corpus.jsonl"}),
                     1, "/nonexistent/dir/kept.jsonl");
}

TEST(NightlyDupsTest, WarningsNameTheRightLineOnEveryThreadCount) {
  const std::string dir = TestDir();
  std::string lines;
  for (int i = 1; i <= 200; ++i) {
    lines += i == 150 ? "not json\n" : JsonlItem(absl::StrCat("n", i), "Titre", Words(30, i));
  }
  WriteWholeFile(dir + "/corpus.jsonl", lines);
  for (const char* threads : {"1", "2", "7"}) {
    const CommandResult dups = RunNewsdedup({"dups", "-j", threads, dir + "/corpus.jsonl"});
    EXPECT_THAT(dups.err, HasSubstr("corpus.jsonl: line 150: not a JSON object")) << threads;
  }
}

TEST(NightlyDupsTest, ProgressOnATerminalCountsTheBytesOfOneLargeInput) {
  const std::string dir = TestDir();
  const std::string fifo = dir + "/corpus.jsonl";
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  int master = -1, terminal = -1;
  ASSERT_EQ(openpty(&master, &terminal, nullptr, nullptr, nullptr), 0);
  const std::string binary = NEWSDEDUP_BINARY;
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    const int null = open("/dev/null", O_WRONLY);
    dup2(null, STDOUT_FILENO);
    dup2(terminal, STDERR_FILENO);
    execl(binary.c_str(), binary.c_str(), "dups", fifo.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  close(terminal);
  int writer = -1;
  for (int tries = 0; writer < 0 && tries < 6000; ++tries) {
    writer = open(fifo.c_str(), O_WRONLY | O_NONBLOCK);
    if (writer < 0) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_GE(writer, 0) << "dups never opened the pipe";
  fcntl(writer, F_SETFL, 0);  // Blocking writes from here on.
  std::string half;
  for (int i = 0; i < 6000; ++i) half += JsonlItem(absl::StrCat("n", i), "Titre", Words(60, i));
  // The bar shows once a second has passed: the second half comes later.
  ASSERT_EQ(write(writer, half.data(), half.size()), static_cast<ssize_t>(half.size()));
  std::this_thread::sleep_for(std::chrono::milliseconds(1300));
  ASSERT_EQ(write(writer, half.data(), half.size()), static_cast<ssize_t>(half.size()));
  close(writer);
  std::string shown;
  char buffer[4096];
  for (ssize_t n; (n = read(master, buffer, sizeof(buffer))) > 0;) shown.append(buffer, n);
  close(master);
  int status = 0;
  waitpid(pid, &status, 0);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << shown;
  EXPECT_TRUE(std::regex_search(shown, std::regex("[0-9]+\\.[0-9] MB read"))) << shown;
}

// --- Interrupts

// A named pipe as the dump: ingest blocks reading it until the test writes,
// so a signal sent meanwhile surely lands before any commit.
class NightlyInterruptTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = TestDir();
    db_ = dir_ + "/db";
    ASSERT_EQ(IngestSeed(db_, 0).exit_code, 0);
    before_ = StoredCounts(db_);
  }
  std::string dir_, db_;
  nlohmann::json before_;
};

void ExpectInterruptedBeforeTheCommit(const std::string& dir, const std::string& db,
                                      const nlohmann::json& before, int signal) {
  const std::string fifo = dir + "/night.txt";
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  const StartedCommand ingest = StartNewsdedup(
      {"ingest", "--db", db, "--at", "2025-05-02", "--at", "2025-05-03", SeedFiles()[1], fifo});
  // A non-blocking open for writing succeeds once ingest has opened the pipe
  // for reading (after its interrupt handler is in place).
  int writer = -1;
  for (int tries = 0; writer < 0 && tries < 6000; ++tries) {
    writer = open(fifo.c_str(), O_WRONLY | O_NONBLOCK);
    if (writer < 0) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  if (writer < 0) {
    kill(ingest.pid, SIGKILL);
    FAIL() << "ingest never opened the pipe: " << Describe(WaitForCommand(ingest));
  }
  ASSERT_EQ(write(writer, "Titre\n", 6), 6);
  kill(ingest.pid, signal);
  const CommandResult result = WaitForCommand(ingest);
  close(writer);
  EXPECT_EQ(result.exit_code, 128 + signal) << Describe(result);
  EXPECT_THAT(Lines(result.err), SizeIs(1)) << Describe(result);
  EXPECT_THAT(result.err, AllOf(HasSubstr(signal == SIGINT ? "interrupted by SIGINT"
                                                           : "interrupted by SIGTERM"),
                                HasSubstr("during " + fifo + ": nothing was committed")));
  EXPECT_EQ(StoredCounts(db), before);
}

TEST_F(NightlyInterruptTest, CtrlCBeforeTheCommitSaysNothingWasCommitted) {
  ExpectInterruptedBeforeTheCommit(dir_, db_, before_, SIGINT);
}

TEST_F(NightlyInterruptTest, SigtermBeforeTheCommitSaysNothingWasCommitted) {
  ExpectInterruptedBeforeTheCommit(dir_, db_, before_, SIGTERM);
}

TEST_F(NightlyInterruptTest, CtrlCAfterACommitSaysWhichSnapshotsWereCommitted) {
  // A small night, then one long enough to be interrupted during its ingest.
  WriteWholeFile(dir_ + "/large.txt", LargeListing(40000, 7));
  const StartedCommand ingest = StartNewsdedup(
      {"ingest", "--db", db_, "--at", "2025-05-02", "--at", "2025-05-03", SeedFiles()[1],
       dir_ + "/large.txt"});
  // The first report is printed (and flushed) once its snapshot is committed.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  while (ReadWholeFile(ingest.out_path).find("dropped") == std::string::npos &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  kill(ingest.pid, SIGINT);
  const CommandResult result = WaitForCommand(ingest);
  EXPECT_EQ(result.exit_code, 130) << Describe(result);
  EXPECT_THAT(Lines(result.err), SizeIs(1)) << Describe(result);
  // The line says what the store now holds: snapshot 2, and snapshot 3 only
  // if its commit was under way when the signal came.
  const int snapshots = StoredCounts(db_)["snapshots"];
  if (snapshots == 2) {
    EXPECT_THAT(result.err, HasSubstr("snapshot 2 (001_8a463b74158542bd.txt) was committed; "
                                      "nothing of " + dir_ + "/large.txt was"));
  } else {
    EXPECT_EQ(snapshots, 3);
    EXPECT_THAT(result.err, HasSubstr("snapshots 2 to 3 were committed"));
  }
  EXPECT_EQ(RunNewsdedup({"check", "--db", db_}).exit_code, 0);
}

// --- The store lock

TEST(NightlyLockTest, WaitRetriesUntilTheOtherWriterIsDone) {
  const std::string dir = TestDir();
  const std::string db = dir + "/db";
  ASSERT_EQ(IngestSeed(db, 0).exit_code, 0);
  StoryStore::Options options;
  options.create_if_missing = false;
  absl::StatusOr<std::unique_ptr<StoryStore>> holder = StoryStore::Open(db, "", options);
  ASSERT_TRUE(holder.ok()) << holder.status();

  ExpectOneLineError(RunNewsdedup({"ingest", "--db", db, "--wait", "0.3", "--at", "2025-05-02",
                                   SeedFiles()[1]}),
                     1, "in use by another process (waited 0.3 s)");
  const StartedCommand waiting = StartNewsdedup(
      {"ingest", "--db", db, "--wait", "60", "--summary", "--source", "novastan", "--at",
       "2025-05-02", SeedFiles()[1]});
  std::this_thread::sleep_for(std::chrono::milliseconds(800));
  int status = 0;
  EXPECT_EQ(waitpid(waiting.pid, &status, WNOHANG), 0) << "did not wait for the lock";
  holder->reset();
  const CommandResult result = WaitForCommand(waiting);
  EXPECT_EQ(result.exit_code, 0) << Describe(result);
  EXPECT_THAT(result.out, HasSubstr("17 new"));
  EXPECT_EQ(StoredCounts(db)["snapshots"], 2);
  ExpectOneLineError(
      RunNewsdedup({"ingest", "--db", db, "--wait", "soon", SeedFiles()[2]}), 2, "soon");
}

}  // namespace
}  // namespace newsdedup
