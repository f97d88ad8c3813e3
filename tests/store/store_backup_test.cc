// Backups and restores (store/store_backup.h) with RocksDB's BackupEngine.

#include "store/store_backup.h"

#include <signal.h>
#include <sys/prctl.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/fault/store_faults.h"
#include "tests/store/store_testing.h"
#include "tests/testing/status_matchers.h"
#include "tests/tools/run_command.h"

namespace newsdedup {
namespace {

namespace fs = std::filesystem;
using ::newsdedup::testing::IsOk;
using ::newsdedup::testing::IsOkAndHolds;
using ::newsdedup::testing::StatusIs;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;

TEST(StoreBackupTest, RestoredBackupIsTheStoreAsItWasWithItsLedger) {
  const std::string dir = FreshDir("backup_round_trip");
  const std::string backups = FreshDir("backup_round_trip_backups");
  {
    absl::StatusOr<std::unique_ptr<StoryStore>> store = OpenStore(dir);
    ASSERT_THAT(store, IsOk());
    ASSERT_THAT(CommitNewStories(**store, "a", "2025-01-01T00:00:00Z", 30), IsOk());
    absl::StatusOr<StoreBackup> first = (*store)->Backup(backups, 0);
    ASSERT_THAT(first, IsOk());
    EXPECT_EQ(first->backup_id, 1u);
    EXPECT_EQ(first->last_snapshot_id, 1u);
    ASSERT_THAT(CommitNewStories(**store, "a", "2025-01-02T00:00:00Z", 30), IsOk());
    absl::StatusOr<StoreBackup> second = (*store)->Backup(backups, 0);
    ASSERT_THAT(second, IsOk());
    EXPECT_EQ(second->last_snapshot_id, 2u);
    ASSERT_THAT(CommitNewStories(**store, "a", "2025-01-03T00:00:00Z", 30), IsOk());
  }
  EXPECT_THAT(ListBackups(backups), IsOkAndHolds(SizeIs(2)));

  absl::StatusOr<RestoreResult> restored = RestoreStore(backups, dir, 0);
  ASSERT_THAT(restored, IsOk());
  EXPECT_EQ(restored->backup.backup_id, 2u);
  ASSERT_FALSE(restored->replaced_dir.empty());
  EXPECT_TRUE(fs::exists(restored->replaced_dir + "/CURRENT")) << "the old store was not kept";
  {
    absl::StatusOr<std::unique_ptr<StoryStore>> store = OpenStore(dir);
    ASSERT_THAT(store, IsOk());
    EXPECT_THAT((*store)->ListSnapshots(), IsOkAndHolds(SizeIs(2)));
    EXPECT_THAT(CheckProblems(**store), IsEmpty());
    // It goes on from there.
    ASSERT_THAT(CommitNewStories(**store, "a", "2025-01-03T00:00:00Z", 5), IsOk());
  }
  const std::string older = FreshDir("backup_round_trip_older");
  ASSERT_THAT(RestoreStore(backups, older, 1), IsOk());
  absl::StatusOr<std::unique_ptr<StoryStore>> store = OpenStore(older);
  ASSERT_THAT(store, IsOk());
  EXPECT_THAT((*store)->ListSnapshots(), IsOkAndHolds(SizeIs(1)));
  EXPECT_THAT(CheckProblems(**store), IsEmpty());
}

TEST(StoreBackupTest, KeepLatestPurgesOlderBackups) {
  const std::string dir = FreshDir("backup_keep");
  const std::string backups = FreshDir("backup_keep_backups");
  absl::StatusOr<std::unique_ptr<StoryStore>> store = OpenStore(dir);
  ASSERT_THAT(store, IsOk());
  for (int night = 1; night <= 3; ++night) {
    ASSERT_THAT(CommitNewStories(**store, "a", absl::StrCat("2025-01-0", night, "T00:00:00Z"), 5),
                IsOk());
    ASSERT_THAT((*store)->Backup(backups, 2), IsOk());
  }
  absl::StatusOr<std::vector<StoreBackup>> listed = ListBackups(backups);
  ASSERT_THAT(listed, IsOkAndHolds(SizeIs(2)));
  EXPECT_EQ((*listed)[0].backup_id, 2u);
  EXPECT_THAT(RestoreStore(backups, FreshDir("backup_keep_restore"), 1),
              StatusIs(absl::StatusCode::kNotFound));
}

TEST(StoreBackupTest, DamagedBackupIsRefusedAndNothingReplaced) {
  const std::string dir = FreshDir("backup_damaged");
  const std::string backups = FreshDir("backup_damaged_backups");
  {
    absl::StatusOr<std::unique_ptr<StoryStore>> store = OpenStore(dir);
    ASSERT_THAT(CommitNewStories(**store, "a", "2025-01-01T00:00:00Z", 300), IsOk());
    ASSERT_THAT((*store)->Backup(backups, 0), IsOk());
  }
  std::string largest;
  uintmax_t largest_size = 0;
  for (const fs::directory_entry& entry : fs::recursive_directory_iterator(backups)) {
    if (entry.is_regular_file() && entry.path().extension() == ".sst" &&
        entry.file_size() > largest_size) {
      largest = entry.path();
      largest_size = entry.file_size();
    }
  }
  ASSERT_FALSE(largest.empty());
  ASSERT_THAT(testing::FlipBytes(largest, 100, 4), IsOk());
  const absl::StatusOr<RestoreResult> restored = RestoreStore(backups, dir, 0);
  EXPECT_THAT(restored, StatusIs(absl::StatusCode::kDataLoss));
  EXPECT_THAT(restored.status().message(), HasSubstr("is damaged"));
  absl::StatusOr<std::unique_ptr<StoryStore>> store = OpenStore(dir);
  ASSERT_THAT(store, IsOk());
  EXPECT_THAT((*store)->GetSnapshotItems(1), IsOkAndHolds(SizeIs(300)));
}

TEST(StoreBackupTest, NoBackupsIsNotFound) {
  EXPECT_THAT(ListBackups(FreshDir("backup_none")), StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(RestoreStore(FreshDir("backup_none_2"), FreshDir("backup_none_db"), 0),
              StatusIs(absl::StatusCode::kNotFound));
}

// Run by RestoreRefusesAStoreInUse in a second process: holds the store.
TEST(StoryStoreHelper, DISABLED_HoldOpen) {
  const char* dir = std::getenv(kHelperDirVariable);
  if (dir == nullptr) GTEST_SKIP() << "only run as a helper process";
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  absl::StatusOr<std::unique_ptr<StoryStore>> store = OpenStore(dir);
  ASSERT_THAT(store, IsOk());
  std::ofstream(std::string(dir) + ".held") << "held\n";
  std::this_thread::sleep_for(std::chrono::seconds(60));
}

TEST(StoreBackupTest, RestoreRefusesAStoreInUse) {
  const std::string dir = FreshDir("backup_in_use");
  const std::string backups = FreshDir("backup_in_use_backups");
  {
    absl::StatusOr<std::unique_ptr<StoryStore>> store = OpenStore(dir);
    ASSERT_THAT(CommitNewStories(**store, "a", "2025-01-01T00:00:00Z", 3), IsOk());
    ASSERT_THAT((*store)->Backup(backups, 0), IsOk());
  }
  fs::remove(dir + ".held");
  const pid_t holder = SpawnHelper("StoryStoreHelper.DISABLED_HoldOpen", dir, true);
  ASSERT_GT(holder, 0);
  for (int wait = 0; wait < 200 && !fs::exists(dir + ".held"); ++wait) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  const absl::StatusOr<RestoreResult> restored = RestoreStore(backups, dir, 0);
  kill(holder, SIGKILL);
  WaitForExit(holder);
  fs::remove(dir + ".held");
  EXPECT_THAT(restored, StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_THAT(restored.status().message(), HasSubstr("in use"));
}

TEST(StoreBackupTest, ReadOnlyAndInMemoryStoresCannotBeBackedUp) {
  const std::string dir = FreshDir("backup_read_only");
  ASSERT_THAT(OpenStore(dir), IsOk());
  absl::StatusOr<std::unique_ptr<StoryStore>> reader = OpenStore(dir, {.read_only = true});
  EXPECT_THAT((*reader)->Backup(FreshDir("backup_read_only_to"), 0),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  absl::StatusOr<std::unique_ptr<StoryStore>> memory = OpenStore(dir, {.in_memory = true});
  EXPECT_THAT((*memory)->Backup(FreshDir("backup_memory_to"), 0),
              StatusIs(absl::StatusCode::kFailedPrecondition));
}

}  // namespace
}  // namespace newsdedup
