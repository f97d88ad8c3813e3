// The real newsdedup binary on what issue 17 found: backups and restores,
// rebuild-index, check --deep, delete and prune, multi-file ingests that are
// all or nothing, hostile strings, resource limits, and kills of the first
// ingest and right after a commit.

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <random>
#include <thread>

#include "absl/strings/str_cat.h"
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
using ::newsdedup::testing::IngestSeeds;
using ::newsdedup::testing::RunCommand;
using ::newsdedup::testing::RunNewsdedup;
using ::newsdedup::testing::SeedDates;
using ::newsdedup::testing::SeedFiles;
using ::newsdedup::testing::WriteWholeFile;
using ::testing::HasSubstr;
using ::testing::Not;

// The JSON report of `snapshot` (a number or latest).
nlohmann::json Report(const std::string& db, const std::string& snapshot = "latest") {
  const CommandResult report =
      RunNewsdedup({"report", "--db", db, "--snapshot", snapshot, "--format", "json"});
  EXPECT_EQ(report.exit_code, 0) << Describe(report);
  return nlohmann::json::parse(report.out, nullptr, false);
}

nlohmann::json Stats(const std::string& db) {
  const CommandResult stats = RunNewsdedup({"stats", "--db", db, "--format", "json"});
  EXPECT_EQ(stats.exit_code, 0) << Describe(stats);
  return nlohmann::json::parse(stats.out, nullptr, false);
}

void ExpectConsistent(const std::string& db, bool deep = false) {
  std::vector<std::string> args = {"check", "--db", db};
  if (deep) args.push_back("--deep");
  const CommandResult check = RunNewsdedup(args);
  EXPECT_EQ(check.exit_code, 0) << Describe(check);
}

// Ingests seed `night` (0-4) as source novastan.
CommandResult IngestNight(const std::string& db, int night, const std::string& format = "json") {
  return RunNewsdedup({"ingest", "--db", db, "--source", "novastan", "--at", SeedDates()[night],
                       "--format", format, SeedFiles()[night]});
}

TEST(DurabilityTest, BackupThenRestoreGivesBackTheStoreAsItWas) {
  const std::string dir = FreshTempDir("durability_backup");
  const std::string db = dir + "/db", backups = dir + "/backups";
  for (int night = 0; night < 4; ++night) ASSERT_EQ(IngestNight(db, night).exit_code, 0);
  const CommandResult backup = RunNewsdedup({"backup", "--db", db, "--to", backups});
  ASSERT_EQ(backup.exit_code, 0) << Describe(backup);
  EXPECT_THAT(backup.out, HasSubstr("backup 1"));
  EXPECT_THAT(backup.out, HasSubstr("snapshots up to 4"));
  const CommandResult night4 = IngestNight(db, 4);
  ASSERT_EQ(night4.exit_code, 0);

  const CommandResult restore = RunNewsdedup({"restore", "--from", backups, "--db", db});
  ASSERT_EQ(restore.exit_code, 0) << Describe(restore);
  EXPECT_THAT(restore.out, HasSubstr("kept in"));
  ExpectConsistent(db, /*deep=*/true);
  EXPECT_EQ(Stats(db)["snapshots"], 4);
  // The same night gives the same report again.
  const CommandResult again = IngestNight(db, 4);
  ASSERT_EQ(again.exit_code, 0);
  EXPECT_EQ(nlohmann::json::parse(again.out), nlohmann::json::parse(night4.out));

  const CommandResult list = RunNewsdedup({"restore", "--from", backups, "--list"});
  EXPECT_EQ(list.exit_code, 0) << Describe(list);
  EXPECT_THAT(list.out, HasSubstr("backup 1"));
  const CommandResult missing = RunNewsdedup({"restore", "--from", dir + "/none", "--db", db});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_THAT(missing.err, HasSubstr("holds no backups"));
}

TEST(DurabilityTest, RebuildIndexRepairsAStoreWhoseIndexesAreGone) {
  const std::string dir = FreshTempDir("durability_rebuild");
  const std::string db = dir + "/db";
  for (int night = 0; night < 4; ++night) ASSERT_EQ(IngestNight(db, night).exit_code, 0);
  const std::string reference = dir + "/reference";
  fs::copy(db, reference);
  const CommandResult expected = IngestNight(reference, 4);
  for (const char* family : {"lsh", "exact", "title"}) {
    const CommandResult dropped =
        RunCommand({NEWSDEDUP_STORE_FAULT, "drop-family", db, family});
    ASSERT_EQ(dropped.exit_code, 0) << Describe(dropped);
  }
  const CommandResult check = RunNewsdedup({"check", "--db", db});
  EXPECT_EQ(check.exit_code, 1);
  EXPECT_THAT(check.out, HasSubstr("lack their posting in the exact index"));
  EXPECT_THAT(check.out, HasSubstr("newsdedup rebuild-index --db"));

  const CommandResult rebuilt = RunNewsdedup({"rebuild-index", "--db", db});
  ASSERT_EQ(rebuilt.exit_code, 0) << Describe(rebuilt);
  EXPECT_THAT(rebuilt.out, HasSubstr("60 versions"));
  ExpectConsistent(db, /*deep=*/true);
  EXPECT_EQ(nlohmann::json::parse(IngestNight(db, 4).out), nlohmann::json::parse(expected.out));
}

TEST(DurabilityTest, DeleteAndPruneThenCheckAndReportsStayWhole) {
  const std::string dir = FreshTempDir("durability_delete");
  const std::string db = dir + "/db";
  ASSERT_EQ(IngestSeeds(db).exit_code, 0);
  const CommandResult dry = RunNewsdedup({"delete", "--db", db, "--snapshot", "2", "--dry-run"});
  EXPECT_EQ(dry.exit_code, 0) << Describe(dry);
  EXPECT_THAT(dry.out, HasSubstr("would delete snapshot 2 (21 items)"));
  EXPECT_EQ(Stats(db)["snapshots"], 5);

  const CommandResult deleted = RunNewsdedup({"delete", "--db", db, "--snapshot", "2"});
  ASSERT_EQ(deleted.exit_code, 0) << Describe(deleted);
  EXPECT_THAT(deleted.out, HasSubstr("deleted snapshot 2: 21 items"));
  ExpectConsistent(db, /*deep=*/true);
  for (const char* snapshot : {"1", "3", "4", "5"}) EXPECT_FALSE(Report(db, snapshot).is_discarded());
  const CommandResult gone = RunNewsdedup({"report", "--db", db, "--snapshot", "2"});
  EXPECT_NE(gone.exit_code, 0);
  const CommandResult twice = RunNewsdedup({"delete", "--db", db, "--snapshot", "2"});
  EXPECT_EQ(twice.exit_code, 1);
  EXPECT_THAT(twice.err, HasSubstr("deleted already"));

  const CommandResult pruned = RunNewsdedup({"prune", "--db", db, "--keep", "2"});
  ASSERT_EQ(pruned.exit_code, 0) << Describe(pruned);
  EXPECT_THAT(pruned.out, HasSubstr("deleted snapshots 1, 3"));
  ExpectConsistent(db, /*deep=*/true);
  EXPECT_EQ(Stats(db)["snapshots"], 2);
  EXPECT_EQ(Stats(db)["items"], 22);
  const CommandResult by_days =
      RunNewsdedup({"prune", "--db", db, "--keep-days", "30", "--source", "novastan"});
  ASSERT_EQ(by_days.exit_code, 0) << Describe(by_days);
  EXPECT_THAT(by_days.out, HasSubstr("deleted snapshot 4"));
  EXPECT_EQ(Stats(db)["snapshots"], 1);
  // Night 1 goes in again (older than the night left: --allow-past) and
  // reports against what is left.
  const CommandResult next =
      RunNewsdedup({"ingest", "--db", db, "--source", "novastan", "--at", SeedDates()[1],
                    "--allow-past", "--format", "json", SeedFiles()[1]});
  ASSERT_EQ(next.exit_code, 0) << Describe(next);
  EXPECT_EQ(nlohmann::json::parse(next.out)["snapshot"]["id"], 6);
  ExpectConsistent(db, /*deep=*/true);

  EXPECT_EQ(RunNewsdedup({"prune", "--db", db}).exit_code, 2);
  EXPECT_EQ(RunNewsdedup({"delete", "--db", db, "--snapshot", "x"}).exit_code, 2);
}

TEST(DurabilityTest, MultiFileIngestWithABadFileCommitsNothing) {
  const std::string dir = FreshTempDir("durability_multi_file");
  const std::string db = dir + "/db";
  const std::string bad = dir + "/bad.jsonl";
  WriteWholeFile(bad, "{\"headline\": \"no title or text field\"}\nnot json\n");
  const CommandResult ingest =
      RunNewsdedup({"ingest", "--db", db, "--source", "s", SeedFiles()[0], bad, SeedFiles()[1]});
  EXPECT_EQ(ingest.exit_code, 1) << Describe(ingest);
  EXPECT_THAT(ingest.err, HasSubstr("bad.jsonl"));
  EXPECT_TRUE(ingest.out.empty()) << "a report was printed: " << ingest.out;
  // The store was made (or not), but holds no snapshot.
  if (fs::exists(db)) EXPECT_EQ(Stats(db)["snapshots"], 0);
  // Without --at, the files are one capture and all go in.
  const CommandResult good =
      RunNewsdedup({"ingest", "--db", db, "--source", "s", "--format", "json", SeedFiles()[0],
                    SeedFiles()[3]});
  ASSERT_EQ(good.exit_code, 0) << Describe(good);
  EXPECT_EQ(Stats(db)["snapshots"], 2);
}

// A dump whose file name and titles carry invalid UTF-8, ANSI escapes and C1
// controls: every report renders, JSON parses, terminals get no control byte.
TEST(DurabilityTest, HostileStringsRenderInEveryOutput) {
  const std::string dir = FreshTempDir("durability_hostile");
  const std::string db = dir + "/db";
  const std::string file = dir + "/night-\xff\x1b[2J.txt";
  const std::string dump =
      "Titre \x1b[31mrouge\x1b[0m et \xc2\x9b cach\xc3\xa9 \xff\xfe\n"
      "Un texte de lede assez long pour \xc3\xaatre un item d'une page de liste.\n\n"
      "Autre titre \x07\n"
      "Autre lede assez long pour \xc3\xaatre un item d'une page de liste aussi.\n";
  WriteWholeFile(file, dump);
  for (const std::string source : {std::string("bad\xff"), std::string("a\x1b[31m"), std::string()}) {
    const CommandResult refused = RunNewsdedup({"ingest", "--db", db, "--source", source, file});
    EXPECT_EQ(refused.exit_code, 2) << Describe(refused);
    EXPECT_THAT(refused.err, HasSubstr("--source"));
  }
  const auto terminal_safe = [](const std::string& text) {
    for (size_t i = 0; i < text.size(); ++i) {
      const unsigned char byte = static_cast<unsigned char>(text[i]);
      if ((byte < 0x20 && byte != '\n' && byte != '\t') || byte == 0x7f) return false;
      if (byte == 0xc2 && i + 1 < text.size() &&
          static_cast<unsigned char>(text[i + 1]) >= 0x80 &&
          static_cast<unsigned char>(text[i + 1]) <= 0x9f) {
        return false;
      }
    }
    return true;
  };
  const CommandResult text = RunNewsdedup({"ingest", "--db", db, "--source", "s", file});
  ASSERT_EQ(text.exit_code, 0) << Describe(text);
  EXPECT_TRUE(terminal_safe(text.out)) << text.out;
  EXPECT_TRUE(terminal_safe(text.err)) << text.err;
  WriteWholeFile(dir + "/next.txt", dump + "Troisi\xc3\xa8me \x1b]0;titre\x07\nUn lede de plus, assez long pour compter.\n");
  ASSERT_EQ(RunNewsdedup({"ingest", "--db", db, "--source", "s", dir + "/next.txt"}).exit_code, 0);
  for (const char* snapshot : {"1", "2"}) {
    const nlohmann::json report = Report(db, snapshot);
    ASSERT_FALSE(report.is_discarded()) << snapshot;
    const CommandResult shown = RunNewsdedup({"report", "--db", db, "--snapshot", snapshot});
    EXPECT_EQ(shown.exit_code, 0);
    EXPECT_TRUE(terminal_safe(shown.out)) << shown.out;
  }
  EXPECT_THAT(Report(db, "1")["snapshot"]["file"].get<std::string>(), HasSubstr("night-"));
  const std::string story = Report(db, "1")["stories"][0]["story"];
  for (const char* format : {"text", "json"}) {
    const CommandResult shown = RunNewsdedup({"story", "--db", db, "--format", format, story});
    EXPECT_EQ(shown.exit_code, 0) << Describe(shown);
    EXPECT_TRUE(terminal_safe(shown.out)) << shown.out;
  }
  const CommandResult diff = RunNewsdedup({"diff", "--format", "json", file, dir + "/next.txt"});
  EXPECT_EQ(diff.exit_code, 0) << Describe(diff);
  EXPECT_FALSE(nlohmann::json::parse(diff.out, nullptr, false).is_discarded());
  const CommandResult diff_text = RunNewsdedup({"diff", file, dir + "/next.txt"});
  EXPECT_TRUE(terminal_safe(diff_text.out)) << diff_text.out;
  const CommandResult dups = RunNewsdedup({"dups", file, dir + "/next.txt"});
  EXPECT_EQ(dups.exit_code, 0) << Describe(dups);
  for (const std::string& line : ::newsdedup::testing::Lines(dups.out)) {
    EXPECT_FALSE(nlohmann::json::parse(line, nullptr, false).is_discarded()) << line;
  }
  ExpectConsistent(db);
}

// Runs newsdedup with `args` under an address-space limit of `kilobytes`.
CommandResult RunLimited(const std::string& kilobytes, const std::vector<std::string>& args) {
  std::vector<std::string> argv = {"/bin/sh", "-c",
                                   absl::StrCat("ulimit -v ", kilobytes, " && exec \"$0\" \"$@\""),
                                   NEWSDEDUP_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  return RunCommand(argv);
}

TEST(DurabilityTest, ResourceLimitsAreOneClearLine) {
  const CommandResult threads = RunNewsdedup({"dups", "--threads", "20000", SeedFiles()[0]});
  EXPECT_EQ(threads.exit_code, 2) << Describe(threads);
  EXPECT_THAT(threads.err, HasSubstr("--threads must be a number from 1 to 256"));

  const std::string dir = FreshTempDir("durability_memory");
  // 400,000 tiny items need about 2.4 GB; a 3 GB address space allows 2.
  std::string dump;
  for (int i = 0; i < 400000; ++i) absl::StrAppend(&dump, "Titre ", i, "\nLede ", i, " mots.\n\n");
  WriteWholeFile(dir + "/big.txt", dump);
  const CommandResult big =
      RunLimited("3000000", {"ingest", "--db", dir + "/db", "--source", "s", dir + "/big.txt"});
  EXPECT_EQ(big.exit_code, 1) << Describe(big);
  EXPECT_THAT(big.err, HasSubstr("ingesting 400000 items needs about"));
  EXPECT_THAT(big.err, HasSubstr("(ulimit -v)"));
  EXPECT_EQ(::newsdedup::testing::Lines(big.err).size(), 1u) << big.err;
  EXPECT_FALSE(fs::exists(dir + "/db")) << "a refused ingest made a store";
  // A device is read only up to what memory allows.
  const CommandResult zero =
      RunLimited("2000000", {"ingest", "--db", dir + "/db", "--source", "s", "/dev/zero"});
  EXPECT_EQ(zero.exit_code, 1) << Describe(zero);
  EXPECT_THAT(zero.err, HasSubstr("/dev/zero holds more than"));
}

// The first ingest of a nightly job creates the store: killed at any moment,
// it leaves no store or a whole one, and the next ingest goes on.
TEST(DurabilityCrashTest, KilledFirstIngestLeavesNoStoreOrAWholeOne) {
  const std::string dir = FreshTempDir("durability_first_kill");
  const auto start = std::chrono::steady_clock::now();
  ASSERT_EQ(IngestNight(dir + "/timing", 0).exit_code, 0);
  const int whole_ms = static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                            std::chrono::steady_clock::now() - start)
                                            .count());
  std::mt19937 random(17);
  std::uniform_int_distribution<int> delay_us(0, whole_ms * 1000);
  for (int round = 0; round < 10; ++round) {
    const std::string db = absl::StrCat(dir, "/db", round);
    const pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      const int null = open("/dev/null", O_WRONLY);
      dup2(null, STDOUT_FILENO);
      dup2(null, STDERR_FILENO);
      execl(NEWSDEDUP_BINARY, NEWSDEDUP_BINARY, "ingest", "-q", "--db", db.c_str(), "--source",
            "novastan", "--at", SeedDates()[0].c_str(), SeedFiles()[0].c_str(), nullptr);
      _exit(127);
    }
    std::this_thread::sleep_for(std::chrono::microseconds(delay_us(random)));
    kill(pid, SIGKILL);
    waitpid(pid, nullptr, 0);
    const CommandResult check = RunNewsdedup({"check", "--db", db});
    EXPECT_TRUE(check.exit_code == 0 || check.err.find("holds no newsdedup store") !=
                                            std::string::npos)
        << "round " << round << ": " << Describe(check);
    const CommandResult next = IngestNight(db, 0);
    EXPECT_EQ(next.exit_code, 0) << "round " << round << ": " << Describe(next);
    ExpectConsistent(db);
    EXPECT_EQ(Stats(db)["snapshots"], 1);
  }
}

// A kill right after the commit's synced write (before its ledger line), and
// right after the ledger line (before the flush): the snapshot is whole and
// there after the next open, never half, never lost.
TEST(DurabilityCrashTest, KillRightAfterTheCommitKeepsTheWholeSnapshot) {
  if (RunCommand({"/usr/bin/strace", "-V"}).exit_code != 0) GTEST_SKIP() << "no strace";
  const std::string dir = FreshTempDir("durability_after_commit");
  for (const auto& [syscall, when] : {std::pair{"openat", "2"}, std::pair{"fsync", "1"}}) {
    const std::string db = absl::StrCat(dir, "/db-", syscall);
    for (int night = 0; night < 3; ++night) ASSERT_EQ(IngestNight(db, night).exit_code, 0);
    const CommandResult killed = RunCommand(
        {"/usr/bin/strace", "-f", "-qq", "-o", "/dev/null", "-P", db + "/SNAPSHOT-LEDGER",
         "-e", absl::StrCat("trace=", syscall), "-e",
         absl::StrCat("inject=", syscall, ":signal=KILL:when=", when), NEWSDEDUP_BINARY,
         "ingest", "-q", "--db", db, "--source", "novastan", "--at", SeedDates()[3],
         SeedFiles()[3]});
    EXPECT_NE(killed.exit_code, 0) << syscall << ": the ingest was not killed";
    ExpectConsistent(db);
    EXPECT_EQ(Stats(db)["snapshots"], 4) << syscall;
    EXPECT_EQ(Report(db, "4")["snapshot"]["items"], 1) << syscall;
    // Ingesting the night again is a no-op that says so.
    const CommandResult again = IngestNight(db, 3, "text");
    EXPECT_EQ(again.exit_code, 0);
    EXPECT_THAT(again.err, HasSubstr("already ingested"));
  }
}

}  // namespace
}  // namespace newsdedup
