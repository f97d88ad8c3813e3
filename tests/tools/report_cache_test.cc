#include "tools/report_cache.h"

#include <thread>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/status_matchers.h"
#include "tests/tools/run_command.h"

namespace newsdedup {
namespace {

using ::newsdedup::testing::FreshTempDir;
using ::newsdedup::testing::IngestSeeds;
using ::newsdedup::testing::IsOk;
using ::newsdedup::testing::RunNewsdedup;
using ::newsdedup::testing::SeedFiles;
using ::newsdedup::testing::StatusIs;

std::unique_ptr<StoreFollower> Follow(const std::string& db) {
  absl::StatusOr<std::unique_ptr<StoreFollower>> follower = StoreFollower::Open(db);
  EXPECT_THAT(follower, IsOk());
  return follower.ok() ? *std::move(follower) : nullptr;
}

TEST(ReportCacheTest, AReportIsBuiltOnceAndSharedByEveryReader) {
  const std::string db = FreshTempDir("report_cache_once") + "/db";
  ASSERT_EQ(IngestSeeds(db).exit_code, 0);
  std::unique_ptr<StoreFollower> follower = Follow(db);
  ReportCache cache(64 << 20);
  std::vector<ReportCache::Entry> entries(8);
  std::vector<std::thread> readers;
  for (ReportCache::Entry& entry : entries) {
    readers.emplace_back([&] {
      absl::StatusOr<ReportCache::Entry> got = cache.Get(follower->Acquire(), 2);
      ASSERT_THAT(got, IsOk());
      entry = *got;
    });
  }
  for (std::thread& reader : readers) reader.join();
  for (const ReportCache::Entry& entry : entries) {
    EXPECT_EQ(entry.report.get(), entries[0].report.get()) << "one build for all";
    EXPECT_EQ(entry.json.get(), entries[0].json.get());
  }
  EXPECT_EQ(entries[0].report->snapshot.id, 2u);
  const testing::CommandResult cli =
      RunNewsdedup({"report", "--db", db, "--snapshot", "2", "--format", "json"});
  EXPECT_EQ(*entries[0].json, cli.out) << "the same bytes as the CLI";
}

TEST(ReportCacheTest, AMissingSnapshotIsNotKeptAndIsFoundOnceCommitted) {
  const std::string db = FreshTempDir("report_cache_missing") + "/db";
  ASSERT_EQ(RunNewsdedup({"ingest", "--db", db, "--at", "2025-03-29", SeedFiles()[0]}).exit_code,
            0);
  std::unique_ptr<StoreFollower> follower = Follow(db);
  ReportCache cache(64 << 20);
  EXPECT_THAT(cache.Get(follower->Acquire(), 2), StatusIs(absl::StatusCode::kNotFound));
  ASSERT_EQ(RunNewsdedup({"ingest", "--db", db, "--at", "2025-05-02", SeedFiles()[1]}).exit_code,
            0);
  ASSERT_THAT(follower->Refresh(), IsOk());
  absl::StatusOr<ReportCache::Entry> found = cache.Get(follower->Acquire(), 2);
  ASSERT_THAT(found, IsOk());
  EXPECT_EQ(found->report->snapshot.id, 2u);
}

TEST(ReportCacheTest, OverTheBudgetTheLeastRecentlyUsedGoesFirst) {
  const std::string db = FreshTempDir("report_cache_budget") + "/db";
  ASSERT_EQ(IngestSeeds(db).exit_code, 0);
  std::unique_ptr<StoreFollower> follower = Follow(db);
  ReportCache cache(/*max_bytes=*/1);  // Room for one report only.
  absl::StatusOr<ReportCache::Entry> first = cache.Get(follower->Acquire(), 1);
  ASSERT_THAT(first, IsOk());
  absl::StatusOr<ReportCache::Entry> again = cache.Get(follower->Acquire(), 1);
  EXPECT_EQ(first->report.get(), again->report.get());
  ASSERT_THAT(cache.Get(follower->Acquire(), 2), IsOk());
  absl::StatusOr<ReportCache::Entry> rebuilt = cache.Get(follower->Acquire(), 1);
  ASSERT_THAT(rebuilt, IsOk());
  EXPECT_NE(first->report.get(), rebuilt->report.get()) << "evicted, then built again";
  EXPECT_EQ(*first->json, *rebuilt->json);
}

}  // namespace
}  // namespace newsdedup
