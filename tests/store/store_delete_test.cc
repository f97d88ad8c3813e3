// Snapshot deletion (store/store_delete.cc) on stores the real Ingester made
// from the seeds.

#include <fstream>
#include <iterator>

#include "absl/strings/str_join.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "store/ingest.h"
#include "store/snapshot_report.h"
#include "tests/store/store_testing.h"
#include "tests/testing/status_matchers.h"

namespace newsdedup {
namespace {

using ::newsdedup::testing::IsOk;
using ::newsdedup::testing::IsOkAndHolds;
using ::newsdedup::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::SizeIs;

constexpr const char* kSeeds[][2] = {
    {"000_cf8142584f5eb925.txt", "2025-03-29T00:00:00Z"},
    {"001_8a463b74158542bd.txt", "2025-05-02T00:00:00Z"},
    {"002_be30da7762e67050.txt", "2025-07-31T00:00:00Z"},
    {"003_3e9d996f7f80b2c1.txt", "2025-08-15T00:00:00Z"},
    {"004_9e2104cae3fc0cc9.txt", "2025-09-26T00:00:00Z"},
};

class StoreDeleteTest : public ::testing::Test {
 protected:
  std::unique_ptr<StoryStore> SeedStore(const std::string& name, std::vector<int> nights) {
    absl::StatusOr<std::unique_ptr<StoryStore>> store = OpenRealStore(FreshDir(name));
    EXPECT_THAT(store, IsOk());
    for (int night : nights) EXPECT_THAT(Ingest(**store, night), IsOk());
    return *std::move(store);
  }

  absl::StatusOr<IngestResult> Ingest(StoryStore& store, int night) {
    IngestRequest request;
    request.source = "novastan";
    request.captured_at = kSeeds[night][1];
    request.file_name = kSeeds[night][0];
    std::ifstream in(std::string(NEWSDEDUP_SOURCE_DIR) + "/seeds/" + kSeeds[night][0]);
    request.bytes.assign(std::istreambuf_iterator<char>(in), {});
    return Ingester(&store, MatchParams()).Ingest(request);
  }

  // What a report says, without the ids that depend on ingest order.
  static std::string Summary(StoryStore& store, uint64_t snapshot) {
    absl::StatusOr<SnapshotReport> report = BuildSnapshotReport(&store, snapshot);
    EXPECT_THAT(report, IsOk());
    if (!report.ok()) return "";
    std::vector<std::string> lines = {
        absl::StrCat(report->new_count, " new ", report->updated_count, " updated ",
                     report->unchanged_count, " unchanged ", report->dropped_count, " dropped")};
    for (const ReportEntry& entry : report->stories) {
      lines.push_back(absl::StrCat(std::string(StoryStatusName(entry.status)), " ", entry.title, " [",
                                   absl::StrJoin(entry.items, ","), "] ", entry.first_seen));
    }
    return absl::StrJoin(lines, "\n");
  }
};

TEST_F(StoreDeleteTest, DeletingTheLastSnapshotIsAsIfItWasNeverIngested) {
  std::unique_ptr<StoryStore> deleted = SeedStore("delete_last", {0, 1, 2, 3});
  ASSERT_THAT(deleted->DeleteSnapshots(std::vector<uint64_t>{4}, MatchParams()), IsOk());
  EXPECT_THAT(CheckProblems(*deleted), IsEmpty());
  EXPECT_THAT(DeepCheckProblems(*deleted), IsEmpty());
  absl::StatusOr<IngestResult> next = Ingest(*deleted, 4);
  ASSERT_THAT(next, IsOk());
  EXPECT_EQ(next->snapshot.id, 5u) << "a deleted id is never handed out again";

  std::unique_ptr<StoryStore> never = SeedStore("delete_last_never", {0, 1, 2, 4});
  EXPECT_EQ(Summary(*deleted, 5), Summary(*never, 4));
  EXPECT_THAT(CheckProblems(*deleted), IsEmpty());
  absl::StatusOr<StoreStats> a = deleted->Stats(), b = never->Stats();
  ASSERT_THAT(a, IsOk());
  ASSERT_THAT(b, IsOk());
  EXPECT_EQ(a->snapshots, b->snapshots);
  EXPECT_EQ(a->stories, b->stories);
  EXPECT_EQ(a->versions, b->versions);
  EXPECT_EQ(a->items, b->items);
}

TEST_F(StoreDeleteTest, DeletingAMiddleSnapshotLeavesAWholeStoreWhoseReportsRender) {
  std::unique_ptr<StoryStore> store = SeedStore("delete_middle", {0, 1, 2, 3, 4});
  absl::StatusOr<DeleteResult> deleted =
      store->DeleteSnapshots(std::vector<uint64_t>{2}, MatchParams());
  ASSERT_THAT(deleted, IsOk());
  EXPECT_THAT(deleted->snapshots, ElementsAre(2u));
  EXPECT_EQ(deleted->items, 21u);
  EXPECT_GT(deleted->versions, 0u);
  EXPECT_GT(deleted->postings, 0u);
  EXPECT_THAT(CheckProblems(*store), IsEmpty());
  EXPECT_THAT(DeepCheckProblems(*store), IsEmpty());
  for (uint64_t id : {1, 3, 4, 5}) {
    EXPECT_THAT(BuildSnapshotReport(store.get(), id), IsOk()) << id;
  }
  EXPECT_THAT(store->GetSnapshot(2), StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(store->GetSnapshotItems(2), IsOkAndHolds(IsEmpty()));
  // No story refers to the snapshot any more.
  absl::StatusOr<std::vector<SnapshotRecord>> snapshots = store->ListSnapshots();
  ASSERT_THAT(snapshots, IsOkAndHolds(SizeIs(4)));
  for (const SnapshotRecord& snapshot : *snapshots) {
    absl::StatusOr<std::vector<ItemRecord>> items = store->GetSnapshotItems(snapshot.id);
    ASSERT_THAT(items, IsOk());
    for (const ItemRecord& item : *items) {
      absl::StatusOr<StoryRecord> story = store->GetStory(item.story_id);
      ASSERT_THAT(story, IsOk());
      EXPECT_NE(story->first_snapshot, 2u);
      EXPECT_NE(story->last_snapshot, 2u);
      for (const StoryAppearance& appearance : story->appearances) {
        EXPECT_NE(appearance.snapshot, 2u) << story->id;
      }
    }
  }
  // The next night goes in and the store stays whole.
  ASSERT_THAT(Ingest(*store, 1), StatusIs(absl::StatusCode::kOk));
  EXPECT_THAT(DeepCheckProblems(*store), IsEmpty());
}

TEST_F(StoreDeleteTest, SeveralSnapshotsGoInOneBatch) {
  std::unique_ptr<StoryStore> store = SeedStore("delete_several", {0, 1, 2, 3, 4});
  absl::StatusOr<DeleteResult> deleted =
      store->DeleteSnapshots(std::vector<uint64_t>{1, 2, 3, 4}, MatchParams());
  ASSERT_THAT(deleted, IsOk());
  EXPECT_THAT(CheckProblems(*store), IsEmpty());
  absl::StatusOr<StoreStats> stats = store->Stats();
  ASSERT_THAT(stats, IsOk());
  EXPECT_EQ(stats->snapshots, 1u);
  EXPECT_EQ(stats->items, 21u);
  // What remains is snapshot 5's stories and versions only.
  EXPECT_EQ(stats->stories, 21u);
  ASSERT_THAT(BuildSnapshotReport(store.get(), 5), IsOk());
}

TEST_F(StoreDeleteTest, UnknownAndAlreadyDeletedIdsAreRefusedWithNothingDeleted) {
  std::unique_ptr<StoryStore> store = SeedStore("delete_unknown", {0, 1});
  EXPECT_THAT(store->DeleteSnapshots(std::vector<uint64_t>{1, 9}, MatchParams()),
              StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(store->ListSnapshots(), IsOkAndHolds(SizeIs(2)));
  ASSERT_THAT(store->DeleteSnapshots(std::vector<uint64_t>{1}, MatchParams()), IsOk());
  EXPECT_THAT(store->DeleteSnapshots(std::vector<uint64_t>{1}, MatchParams()),
              StatusIs(absl::StatusCode::kNotFound));
  MatchParams other;
  other.shingle_size = 4;
  EXPECT_THAT(store->DeleteSnapshots(std::vector<uint64_t>{2}, other),
              StatusIs(absl::StatusCode::kFailedPrecondition));
}

TEST_F(StoreDeleteTest, LostSnapshotIsRecordedAsDeletedAndItsIdNeverReused) {
  const std::string dir = FreshDir("delete_lost");
  {
    absl::StatusOr<std::unique_ptr<StoryStore>> store = OpenRealStore(dir);
    ASSERT_THAT(store, IsOk());
    ASSERT_THAT(Ingest(**store, 0), IsOk());
    ASSERT_THAT(Ingest(**store, 1), IsOk());
  }
  // As if snapshot 3 had been committed, then lost with a damaged log.
  std::ofstream(dir + "/SNAPSHOT-LEDGER", std::ios::app) << "commit 3 0123456789abcdef\n";
  EXPECT_THAT(OpenRealStore(dir), StatusIs(absl::StatusCode::kDataLoss));
  {
    absl::StatusOr<std::unique_ptr<StoryStore>> store =
        OpenRealStore(dir, {.accept_lost_snapshots = true});
    ASSERT_THAT(store, IsOk());
    EXPECT_THAT((*store)->LostSnapshots(), IsOkAndHolds(ElementsAre(3u)));
    ASSERT_THAT((*store)->DeleteSnapshots(std::vector<uint64_t>{3}, MatchParams()), IsOk());
  }
  absl::StatusOr<std::unique_ptr<StoryStore>> store = OpenRealStore(dir);
  ASSERT_THAT(store, IsOk());
  EXPECT_THAT(CheckProblems(**store), IsEmpty());
  absl::StatusOr<IngestResult> next = Ingest(**store, 2);
  ASSERT_THAT(next, IsOk());
  EXPECT_EQ(next->snapshot.id, 4u);
  EXPECT_THAT(CheckProblems(**store), IsEmpty());
}

}  // namespace
}  // namespace newsdedup
