#include "store/store_follower.h"

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "store/ingest.h"
#include "store/queries.h"
#include "tests/testing/made_up_dumps.h"
#include "tests/testing/status_matchers.h"

namespace newsdedup {
namespace {

using ::newsdedup::testing::IsOk;
using ::newsdedup::testing::IsOkAndHolds;
using ::newsdedup::testing::MadeUpNight;
using ::newsdedup::testing::StatusIs;

// Every item of the snapshot is in exactly one entry of its report.
size_t ItemsInReport(const SnapshotReport& report) {
  size_t items = 0;
  for (const ReportEntry& entry : report.stories) items += entry.items.size();
  return items;
}

class StoreFollowerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = absl::StrCat(::testing::TempDir(), "store_follower_test_", getpid(), "_",
                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::unique_ptr<StoryStore> OpenWriter() {
    absl::StatusOr<std::unique_ptr<StoryStore>> store =
        StoryStore::Open(dir_, MatchParams().Describe(), {});
    EXPECT_THAT(store, IsOk());
    return store.ok() ? *std::move(store) : nullptr;
  }

  static void IngestNight(StoryStore* store, int night, int items) {
    IngestRequest request;
    request.source = "nightly";
    request.captured_at = absl::StrCat("2025-01-", 10 + night, "T00:00:00Z");
    request.file_name = absl::StrCat("night", night, ".txt");
    request.bytes = MadeUpNight(night, items);
    request.parse_options.format = DumpFormat::kListing;
    ASSERT_THAT(Ingester(store, MatchParams(), /*threads=*/1).Ingest(request), IsOk());
  }

  std::string dir_;
};

TEST_F(StoreFollowerTest, OpeningAMissingStoreIsNotFound) {
  EXPECT_THAT(StoreFollower::Open(dir_), StatusIs(absl::StatusCode::kNotFound));
}

TEST_F(StoreFollowerTest, OpensBesideAWriterAndSeesNewCommitsOnlyAfterRefresh) {
  std::unique_ptr<StoryStore> writer = OpenWriter();
  ASSERT_NE(writer, nullptr);
  IngestNight(writer.get(), 1, 20);
  absl::StatusOr<std::unique_ptr<StoreFollower>> follower = StoreFollower::Open(dir_);
  ASSERT_THAT(follower, IsOk()) << "the writer holds the store's lock";
  {
    StoreFollower::View view = (*follower)->Acquire();
    EXPECT_THAT(LatestSnapshotId(view.store()), IsOkAndHolds(1u));
    IngestNight(writer.get(), 2, 20);
    EXPECT_THAT(LatestSnapshotId(view.store()), IsOkAndHolds(1u)) << "a view never moves";
    EXPECT_THAT(LatestSnapshotId((*follower)->Acquire().store()), IsOkAndHolds(1u))
        << "nothing new before a refresh";
    EXPECT_THAT((*follower)->Refresh(), IsOkAndHolds(true));
    EXPECT_THAT(LatestSnapshotId((*follower)->Acquire().store()), IsOkAndHolds(2u));
    EXPECT_THAT(LatestSnapshotId(view.store()), IsOkAndHolds(1u))
        << "a view taken before the refresh keeps its state";
  }
  EXPECT_THAT((*follower)->Refresh(), IsOkAndHolds(false)) << "nothing new since";
  StoreFollower::View view = (*follower)->Acquire();
  EXPECT_THAT(LatestSnapshotId(view.store()), IsOkAndHolds(2u));
  EXPECT_THAT(GetReport(view.store(), 2), IsOk());
}

TEST_F(StoreFollowerTest, FollowsAWriterThatClosesAndReopensEveryNight) {
  {
    std::unique_ptr<StoryStore> writer = OpenWriter();
    IngestNight(writer.get(), 1, 50);
  }
  absl::StatusOr<std::unique_ptr<StoreFollower>> follower = StoreFollower::Open(dir_);
  ASSERT_THAT(follower, IsOk());
  // Each close flushes the memtables to table files and drops the WAL the
  // followers were reading: a catch-up must find the new files instead.
  for (int night = 2; night <= 6; ++night) {
    {
      std::unique_ptr<StoryStore> writer = OpenWriter();
      IngestNight(writer.get(), night, 50);
    }
    ASSERT_THAT((*follower)->Refresh(), IsOkAndHolds(true)) << "night " << night;
    StoreFollower::View view = (*follower)->Acquire();
    EXPECT_THAT(LatestSnapshotId(view.store()), IsOkAndHolds(static_cast<uint64_t>(night)));
    absl::StatusOr<SnapshotReport> report = GetReport(view.store(), night);
    ASSERT_THAT(report, IsOk());
    EXPECT_EQ(report->new_count, 50) << "night " << night;
    EXPECT_EQ(report->dropped_count, 50) << "night " << night;
  }
}

// A reader refreshing and reading in a loop while the writer commits: every
// snapshot it sees is complete (all its items, a report that builds).
TEST_F(StoreFollowerTest, ReadersSeeEachCommittedSnapshotWholeOrNotAtAll) {
  constexpr int kNights = 16;
  constexpr int kItems = 200;
  std::unique_ptr<StoryStore> writer = OpenWriter();
  IngestNight(writer.get(), 1, kItems);
  absl::StatusOr<std::unique_ptr<StoreFollower>> follower = StoreFollower::Open(dir_);
  ASSERT_THAT(follower, IsOk());
  std::atomic<bool> done{false};
  std::atomic<int> checks{0};
  std::atomic<uint64_t> highest_seen{0};
  std::thread reader([&] {
    while (!done.load()) {
      absl::StatusOr<bool> refreshed = (*follower)->Refresh();
      ASSERT_THAT(refreshed, IsOk());
      StoreFollower::View view = (*follower)->Acquire();
      absl::StatusOr<StoreCounters> counters = view.store()->GetCounters();
      ASSERT_THAT(counters, IsOk());
      const uint64_t id = counters->last_snapshot_id;
      absl::StatusOr<SnapshotRecord> snapshot = view.store()->GetSnapshot(id);
      ASSERT_THAT(snapshot, IsOk()) << "counters and snapshot are one batch";
      // Commits flush their snapshot: a log flushed between a catch-up's
      // MANIFEST read and its log tailing must not hide an earlier commit.
      for (uint64_t earlier = 1; earlier < id; ++earlier) {
        ASSERT_THAT(view.store()->GetSnapshot(earlier), IsOk())
            << "snapshot " << id << " seen without snapshot " << earlier;
      }
      absl::StatusOr<std::vector<ItemRecord>> items = view.store()->GetSnapshotItems(id);
      ASSERT_THAT(items, IsOk());
      ASSERT_EQ(items->size(), snapshot->item_count) << "snapshot " << id << " half there";
      absl::StatusOr<SnapshotReport> report = GetReport(view.store(), id);
      ASSERT_THAT(report, IsOk());
      ASSERT_EQ(ItemsInReport(*report), snapshot->item_count);
      highest_seen = std::max(highest_seen.load(), id);
      ++checks;
    }
  });
  for (int night = 2; night <= kNights; ++night) IngestNight(writer.get(), night, kItems);
  // Let the reader see the last commit before it stops.
  for (int wait = 0; wait < 2000 && highest_seen.load() < kNights; ++wait) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  done = true;
  reader.join();
  EXPECT_EQ(highest_seen.load(), static_cast<uint64_t>(kNights));
  RecordProperty("reader_checks", checks.load());
}

}  // namespace
}  // namespace newsdedup
