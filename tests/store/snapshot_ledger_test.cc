#include "store/snapshot_ledger.h"

#include <filesystem>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/store/store_testing.h"
#include "tests/testing/status_matchers.h"
#include "tests/tools/run_command.h"

namespace newsdedup {
namespace {

using ::newsdedup::testing::IsOk;
using ::newsdedup::testing::ReadWholeFile;
using ::newsdedup::testing::StatusIs;
using ::newsdedup::testing::WriteWholeFile;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

LedgerEvent Commit(uint64_t id, std::string hash) {
  return {.kind = LedgerEvent::Kind::kCommit, .snapshot_id = id, .content_hash = std::move(hash)};
}
LedgerEvent Delete(uint64_t id) {
  return {.kind = LedgerEvent::Kind::kDelete, .snapshot_id = id, .content_hash = ""};
}

std::string LedgerPath(const std::string& name) {
  const std::string dir = FreshDir(name);
  std::filesystem::create_directories(dir);
  return dir + "/SNAPSHOT-LEDGER";
}

TEST(SnapshotLedgerTest, WrittenAndAppendedEventsReadBack) {
  const std::string path = LedgerPath("ledger_round_trip");
  const std::vector<LedgerEvent> first = {Commit(1, "aa"), Commit(2, "")};
  ASSERT_THAT(WriteLedger(path, first), IsOk());
  const std::vector<LedgerEvent> more = {Delete(1), Commit(3, "cc")};
  ASSERT_THAT(AppendToLedger(path, more), IsOk());
  absl::StatusOr<Ledger> ledger = ReadLedger(path);
  ASSERT_THAT(ledger, IsOk());
  ASSERT_EQ(ledger->snapshots.size(), 3u);
  EXPECT_TRUE(ledger->snapshots.at(1).deleted);
  EXPECT_EQ(ledger->snapshots.at(2).content_hash, "");
  EXPECT_EQ(ledger->snapshots.at(3).content_hash, "cc");
  EXPECT_EQ(ledger->LastId(), 3u);
  EXPECT_EQ(ReadWholeFile(path),
            "newsdedup snapshot ledger 1\ncommit 1 aa\ncommit 2 -\ndelete 1\ncommit 3 cc\n");
}

TEST(SnapshotLedgerTest, LastLineCutByACrashIsIgnored) {
  const std::string path = LedgerPath("ledger_torn");
  WriteWholeFile(path, "newsdedup snapshot ledger 1\ncommit 1 aa\ncommit 2 b");
  absl::StatusOr<Ledger> ledger = ReadLedger(path);
  ASSERT_THAT(ledger, IsOk());
  EXPECT_EQ(ledger->LastId(), 1u);
}

TEST(SnapshotLedgerTest, DamagedLineIsDataLossNamingIt) {
  const std::string path = LedgerPath("ledger_damaged");
  WriteWholeFile(path, "newsdedup snapshot ledger 1\ncommit 1 aa\ncomm\x01t 2 bb\ncommit 3 cc\n");
  EXPECT_THAT(ReadLedger(path), StatusIs(absl::StatusCode::kDataLoss));
  EXPECT_THAT(ReadLedger(path).status().message(), HasSubstr("line 3"));
  WriteWholeFile(path, "not a ledger\n");
  EXPECT_THAT(ReadLedger(path), StatusIs(absl::StatusCode::kDataLoss));
  EXPECT_THAT(ReadLedger(path + ".missing"), StatusIs(absl::StatusCode::kNotFound));
}

TEST(SnapshotLedgerTest, ComparisonTellsLostFromDeletedAndReplaced) {
  Ledger ledger;
  ledger.snapshots[1] = {.deleted = false, .content_hash = "a"};
  ledger.snapshots[2] = {.deleted = false, .content_hash = "b"};  // Deleted since: not lost.
  ledger.snapshots[3] = {.deleted = false, .content_hash = "c"};  // Gone: lost.
  ledger.snapshots[4] = {.deleted = false, .content_hash = "d"};  // Another took its id.
  ledger.snapshots[5] = {.deleted = true, .content_hash = ""};    // Deleted, but back.
  StoredSnapshotIds stored;
  stored.present = {{1, "a"}, {4, "x"}, {5, "e"}, {6, "f"}};
  stored.deleted = {2};
  const LedgerComparison comparison = CompareWithLedger(ledger, stored);
  EXPECT_THAT(comparison.lost, ElementsAre(3u));
  EXPECT_THAT(comparison.replaced, ElementsAre(4u));
  EXPECT_THAT(comparison.undeleted, ElementsAre(5u));
  ASSERT_EQ(comparison.missing_from_ledger.size(), 2u);
  EXPECT_EQ(comparison.missing_from_ledger[0].snapshot_id, 6u);
  EXPECT_EQ(comparison.missing_from_ledger[1].kind, LedgerEvent::Kind::kDelete);
  EXPECT_FALSE(comparison.Consistent());

  const LedgerComparison fresh = CompareWithLedger(Ledger(), stored);
  EXPECT_TRUE(fresh.Consistent());
  EXPECT_THAT(fresh.lost, IsEmpty());
}

TEST(SnapshotLedgerTest, IdsAreDescribedAsRanges) {
  const std::vector<uint64_t> ids = {3, 5, 6, 7, 8, 9, 12};
  EXPECT_EQ(DescribeIds(ids), "3, 5-9, 12");
  EXPECT_EQ(DescribeIds(ids, 2), "3, 5-9, ... (1 more)");
}

}  // namespace
}  // namespace newsdedup
