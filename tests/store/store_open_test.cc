// Opening and creating stores (store/store_open.cc): atomic creation, folders
// left by interrupted creations, lost files named, the write-ahead log
// recovery mode, and the ledger that tells lost snapshots from deleted ones.

#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <thread>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "store/store_format.h"
#include "tests/fault/store_faults.h"
#include "tests/store/store_testing.h"
#include "tests/testing/status_matchers.h"
#include "tests/tools/run_command.h"

namespace newsdedup {
namespace {

namespace fs = std::filesystem;
using ::newsdedup::testing::IsOk;
using ::newsdedup::testing::ReadWholeFile;
using ::newsdedup::testing::StatusIs;
using ::newsdedup::testing::WriteWholeFile;
using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;

std::string LedgerOf(const std::string& dir) { return ReadWholeFile(dir + "/SNAPSHOT-LEDGER"); }

std::vector<std::string> CreationFoldersBeside(const std::string& dir) {
  std::vector<std::string> found;
  for (const fs::directory_entry& entry : fs::directory_iterator(fs::path(dir).parent_path())) {
    const std::string name = entry.path().filename().string();
    if (name.starts_with("." + fs::path(dir).filename().string() + ".creating-")) {
      found.push_back(name);
    }
  }
  return found;
}

TEST(StoreOpenTest, NewStoreIsWholeWithItsLedgerAndNoCreationFolderLeft) {
  const std::string dir = FreshDir("open_new");
  ASSERT_THAT(OpenStore(dir), IsOk());
  EXPECT_TRUE(fs::exists(dir + "/CURRENT"));
  EXPECT_EQ(LedgerOf(dir), "newsdedup snapshot ledger 1\n");
  EXPECT_THAT(CreationFoldersBeside(dir), IsEmpty());
}

TEST(StoreOpenTest, EmptyFolderBecomesTheStore) {
  const std::string dir = FreshDir("open_empty_folder");
  fs::create_directories(dir);
  absl::StatusOr<std::unique_ptr<StoryStore>> store = OpenStore(dir + "/");
  ASSERT_THAT(store, IsOk());
  ASSERT_THAT(CommitNewStories(**store, "a", "2025-01-01T00:00:00Z", 2), IsOk());
  EXPECT_THAT(CheckProblems(**store), IsEmpty());
}

TEST(StoreOpenTest, AbandonedCreationFoldersAreRemoved) {
  const std::string dir = FreshDir("open_abandoned");
  // No process has pid 4194304 (above Linux's pid_max).
  const fs::path abandoned = fs::path(dir).parent_path() /
                             ("." + fs::path(dir).filename().string() + ".creating-4194304");
  fs::create_directories(abandoned);
  WriteWholeFile((abandoned / "LOCK").string(), "");
  ASSERT_THAT(OpenStore(dir), IsOk());
  EXPECT_FALSE(fs::exists(abandoned));
}

// What RocksDB wrote before an older build was killed creating a store: no
// CURRENT, no data.
void WriteInterruptedCreation(const std::string& dir, bool lock_only) {
  fs::create_directories(dir);
  WriteWholeFile(dir + "/LOCK", "");
  if (lock_only) return;
  WriteWholeFile(dir + "/IDENTITY", "b0d2a1f4-0000-0000-0000-000000000000\n");
  WriteWholeFile(dir + "/MANIFEST-000001", std::string(57, '\x03'));
  WriteWholeFile(dir + "/OPTIONS-000007", "[Version]\n");
  WriteWholeFile(dir + "/000004.log", "");
}

TEST(StoreOpenTest, FolderOfAnInterruptedCreationIsCreatedAfresh) {
  for (const bool lock_only : {true, false}) {
    const std::string dir = FreshDir(lock_only ? "open_interrupted_lock" : "open_interrupted");
    WriteInterruptedCreation(dir, lock_only);
    // Readers say what it is, and change nothing.
    EXPECT_THAT(OpenStore(dir, {.read_only = true}), StatusIs(absl::StatusCode::kNotFound));
    EXPECT_THAT(OpenStore(dir, {.read_only = true}).status().message(),
                HasSubstr("interrupted creation"));
    absl::StatusOr<std::unique_ptr<StoryStore>> store = OpenStore(dir);
    ASSERT_THAT(store, IsOk()) << lock_only;
    ASSERT_THAT(CommitNewStories(**store, "a", "2025-01-01T00:00:00Z", 3), IsOk());
    EXPECT_THAT(CheckProblems(**store), IsEmpty());
  }
}

TEST(StoreOpenTest, StoreThatLostItsCurrentFileIsNamedNotCalledForeign) {
  const std::string dir = FreshDir("open_lost_current");
  {
    absl::StatusOr<std::unique_ptr<StoryStore>> store = OpenStore(dir);
    ASSERT_THAT(store, IsOk());
    ASSERT_THAT(CommitNewStories(**store, "a", "2025-01-01T00:00:00Z", 3), IsOk());
  }
  const std::string current = ReadWholeFile(dir + "/CURRENT");
  fs::remove(dir + "/CURRENT");
  for (const bool read_only : {true, false}) {
    const absl::StatusOr<std::unique_ptr<StoryStore>> store =
        OpenStore(dir, {.read_only = read_only});
    EXPECT_THAT(store, StatusIs(absl::StatusCode::kDataLoss));
    EXPECT_THAT(store.status().message(), HasSubstr("lost its CURRENT file"));
  }
  EXPECT_FALSE(fs::exists(dir + "/CURRENT"));  // Nothing was written.
  // The repair the message gives works.
  WriteWholeFile(dir + "/CURRENT", current);
  absl::StatusOr<std::unique_ptr<StoryStore>> store = OpenStore(dir);
  ASSERT_THAT(store, IsOk());
  EXPECT_THAT((*store)->GetSnapshotItems(1), ::newsdedup::testing::IsOkAndHolds(SizeIs(3)));
}

TEST(StoreOpenTest, CommitReturnsOnlyOnceItsSnapshotLeftTheWriteAheadLog) {
  const std::string dir = FreshDir("open_commit_flushed");
  absl::StatusOr<std::unique_ptr<StoryStore>> store = OpenStore(dir);
  ASSERT_THAT(store, IsOk());
  ASSERT_THAT(CommitNewStories(**store, "a", "2025-01-01T00:00:00Z", 500), IsOk());
  uintmax_t log_bytes = 0;
  for (const fs::directory_entry& entry : fs::directory_iterator(dir)) {
    if (entry.path().extension() == ".log") log_bytes += entry.file_size();
  }
  EXPECT_EQ(log_bytes, 0u) << "the snapshot still depends on the write-ahead log";
  EXPECT_THAT(LedgerOf(dir), HasSubstr("commit 1 00000000000000ff\n"));
}

TEST(StoreOpenTest, DamagedWriteAheadLogIsRefusedForWritingNotSkipped) {
  const std::string dir = FreshDir("open_damaged_wal");
  {
    absl::StatusOr<std::unique_ptr<StoryStore>> store = OpenStore(dir);
    ASSERT_THAT(store, IsOk());
    ASSERT_THAT(CommitNewStories(**store, "a", "2025-01-01T00:00:00Z", 3), IsOk());
  }
  // Two writes that live in the log only; the first is damaged.
  ASSERT_THAT(testing::PutRawPairs(
                  dir, "meta", {{"probe-1", std::string(40000, 'x')}, {"probe-2", "y"}}, false),
              IsOk());
  std::string log;
  for (const fs::directory_entry& entry : fs::directory_iterator(dir)) {
    if (entry.path().extension() == ".log" && entry.file_size() > 40000) log = entry.path();
  }
  ASSERT_FALSE(log.empty());
  ASSERT_THAT(testing::FlipBytes(log, 20000, 4), IsOk());
  const std::string before = ReadWholeFile(log);

  const absl::StatusOr<std::unique_ptr<StoryStore>> writer = OpenStore(dir);
  EXPECT_THAT(writer, StatusIs(absl::StatusCode::kDataLoss));
  EXPECT_EQ(ReadWholeFile(log), before) << "the damaged log was changed";
  // Readers recover what they can: the committed snapshot is there.
  absl::StatusOr<std::unique_ptr<StoryStore>> reader = OpenStore(dir, {.read_only = true});
  ASSERT_THAT(reader, IsOk());
  EXPECT_THAT((*reader)->GetSnapshotItems(1), ::newsdedup::testing::IsOkAndHolds(SizeIs(3)));
}

TEST(StoreOpenTest, LostCommittedSnapshotIsRefusedForWritingAndReportedByCheck) {
  const std::string dir = FreshDir("open_lost_snapshot");
  {
    absl::StatusOr<std::unique_ptr<StoryStore>> store = OpenStore(dir);
    ASSERT_THAT(store, IsOk());
    ASSERT_THAT(CommitNewStories(**store, "a", "2025-01-01T00:00:00Z", 3), IsOk());
    ASSERT_THAT(CommitNewStories(**store, "a", "2025-01-02T00:00:00Z", 3), IsOk());
  }
  // As if RocksDB had recovered to the state before snapshot 3.
  std::ofstream(dir + "/SNAPSHOT-LEDGER", std::ios::app) << "commit 3 00000000000000ff\n";
  const absl::StatusOr<std::unique_ptr<StoryStore>> writer = OpenStore(dir);
  EXPECT_THAT(writer, StatusIs(absl::StatusCode::kDataLoss));
  EXPECT_THAT(writer.status().message(), HasSubstr("snapshot 3 was committed"));
  EXPECT_THAT(writer.status().message(), HasSubstr("newsdedup restore"));

  absl::StatusOr<std::unique_ptr<StoryStore>> reader = OpenStore(dir, {.read_only = true});
  ASSERT_THAT(reader, IsOk());
  EXPECT_THAT(CheckProblems(**reader), Contains(HasSubstr("snapshot 3 committed per the ledger")));
  reader->reset();
  EXPECT_THAT(OpenStore(dir, {.accept_lost_snapshots = true}), IsOk());
}

TEST(StoreOpenTest, LedgerBehindTheStoreIsCaughtUp) {
  const std::string dir = FreshDir("open_ledger_behind");
  {
    absl::StatusOr<std::unique_ptr<StoryStore>> store = OpenStore(dir);
    ASSERT_THAT(store, IsOk());
    ASSERT_THAT(CommitNewStories(**store, "a", "2025-01-01T00:00:00Z", 3), IsOk());
    ASSERT_THAT(CommitNewStories(**store, "a", "2025-01-02T00:00:00Z", 3), IsOk());
  }
  // A crash between a commit and its ledger line.
  WriteWholeFile(dir + "/SNAPSHOT-LEDGER", "newsdedup snapshot ledger 1\ncommit 1 00000000000000ff\n");
  {
    absl::StatusOr<std::unique_ptr<StoryStore>> reader = OpenStore(dir, {.read_only = true});
    ASSERT_THAT(reader, IsOk());
    EXPECT_THAT(CheckProblems(**reader), IsEmpty());
  }
  ASSERT_THAT(OpenStore(dir), IsOk());
  EXPECT_THAT(LedgerOf(dir), HasSubstr("commit 2 00000000000000ff\n"));
}

TEST(StoreOpenTest, StoreOfAnOlderBuildGetsItsLedgerAtItsFirstWrite) {
  const std::string dir = FreshDir("open_older_store");
  {
    absl::StatusOr<std::unique_ptr<StoryStore>> store = OpenStore(dir);
    ASSERT_THAT(store, IsOk());
    ASSERT_THAT(CommitNewStories(**store, "a", "2025-01-01T00:00:00Z", 3), IsOk());
  }
  fs::remove(dir + "/SNAPSHOT-LEDGER");
  ASSERT_THAT(testing::DeleteRaw(dir, "meta", store_format::kHasLedgerKey), IsOk());
  {
    absl::StatusOr<std::unique_ptr<StoryStore>> reader = OpenStore(dir, {.read_only = true});
    ASSERT_THAT(reader, IsOk());
    EXPECT_THAT(CheckProblems(**reader), IsEmpty());
  }
  ASSERT_THAT(OpenStore(dir), IsOk());
  EXPECT_EQ(LedgerOf(dir), "newsdedup snapshot ledger 1\ncommit 1 00000000000000ff\n");
}

TEST(StoreOpenTest, MissingLedgerOfAStoreThatHadOneIsAProblem) {
  const std::string dir = FreshDir("open_ledger_missing");
  {
    absl::StatusOr<std::unique_ptr<StoryStore>> store = OpenStore(dir);
    ASSERT_THAT(store, IsOk());
    ASSERT_THAT(CommitNewStories(**store, "a", "2025-01-01T00:00:00Z", 3), IsOk());
  }
  fs::remove(dir + "/SNAPSHOT-LEDGER");
  EXPECT_THAT(OpenStore(dir), StatusIs(absl::StatusCode::kDataLoss));
  {
    absl::StatusOr<std::unique_ptr<StoryStore>> reader = OpenStore(dir, {.read_only = true});
    ASSERT_THAT(reader, IsOk());
    EXPECT_THAT(CheckProblems(**reader), Contains(HasSubstr("ledger SNAPSHOT-LEDGER is missing")));
  }
  // Accepting writes a new one from what the store holds.
  ASSERT_THAT(OpenStore(dir, {.accept_lost_snapshots = true}), IsOk());
  EXPECT_THAT(LedgerOf(dir), HasSubstr("commit 1 "));
}

// Run by KilledCreationLeavesNoStoreOrAWholeOne in a second process: creates
// the store and commits one snapshot.
TEST(StoryStoreHelper, DISABLED_CreateAndCommit) {
  const char* dir = std::getenv(kHelperDirVariable);
  if (dir == nullptr) GTEST_SKIP() << "only run as a helper process";
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  absl::StatusOr<std::unique_ptr<StoryStore>> store = OpenStore(dir);
  ASSERT_THAT(store, IsOk());
  ASSERT_THAT(CommitNewStories(**store, "a", "2025-01-01T00:00:00Z", 2000), IsOk());
}

// The first ingest of a nightly job creates the store: a kill at any moment
// of it leaves no store or a whole one, never a folder every later open
// refuses.
TEST(StoryStoreCrashTest, KilledCreationLeavesNoStoreOrAWholeOne) {
  // How long a whole creation takes here, to spread the kills over it.
  const std::string timing_dir = FreshDir("crash_creation_timing");
  const auto start = std::chrono::steady_clock::now();
  const pid_t timed = SpawnHelper("StoryStoreHelper.DISABLED_CreateAndCommit", timing_dir, true);
  ASSERT_EQ(WaitForExit(timed), 0);
  const int whole_ms = static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                            std::chrono::steady_clock::now() - start)
                                            .count());
  std::mt19937 random(20251201);
  std::uniform_int_distribution<int> delay_ms(0, whole_ms);
  constexpr int kKills = 12;
  int absent = 0, whole = 0, finished = 0;
  for (int round = 0; round < kKills; ++round) {
    const std::string dir = FreshDir(absl::StrCat("crash_creation_", round));
    const pid_t child = SpawnHelper("StoryStoreHelper.DISABLED_CreateAndCommit", dir, true);
    ASSERT_GT(child, 0);
    std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms(random)));
    kill(child, SIGKILL);
    int status = 0;
    ASSERT_EQ(waitpid(child, &status, 0), child);
    if (!WIFSIGNALED(status)) ++finished;
    absl::StatusOr<std::unique_ptr<StoryStore>> existing =
        OpenStore(dir, {.create_if_missing = false});
    if (absl::IsNotFound(existing.status())) {
      ++absent;
    } else {
      ASSERT_THAT(existing, IsOk()) << "round " << round;
      EXPECT_THAT(CheckProblems(**existing), IsEmpty()) << "round " << round;
      ++whole;
    }
    existing = absl::UnknownError("closed");
    // Whatever the kill left, the next ingest can go on.
    absl::StatusOr<std::unique_ptr<StoryStore>> next = OpenStore(dir);
    ASSERT_THAT(next, IsOk()) << "round " << round;
    ASSERT_THAT(CommitNewStories(**next, "b", "2025-01-02T00:00:00Z", 3), IsOk());
    EXPECT_THAT(CheckProblems(**next), IsEmpty());
  }
  std::printf("creation kills: %d, store absent after %d, whole after %d (%d finished first)\n",
              kKills, absent, whole, finished);
}

}  // namespace
}  // namespace newsdedup
