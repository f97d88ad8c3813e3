// `check` (store/store_check.cc) finds what a damaged store lacks, both ways,
// and rebuild-index (store/store_rebuild.cc) repairs the indexes.

#include <filesystem>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "store/record_codec.h"
#include "store/store_format.h"
#include "tests/fault/store_faults.h"
#include "tests/store/store_testing.h"
#include "tests/testing/status_matchers.h"

namespace newsdedup {
namespace {

using ::newsdedup::testing::IsOk;
using ::newsdedup::testing::IsOkAndHolds;
using ::newsdedup::testing::StatusIs;
using ::testing::AllOf;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::SizeIs;

// A store of two snapshots with real postings, closed.
std::string RealStore(const std::string& name, uint32_t items = 40) {
  const std::string dir = FreshDir(name);
  absl::StatusOr<std::unique_ptr<StoryStore>> store = OpenRealStore(dir);
  EXPECT_THAT(store, IsOk());
  EXPECT_THAT(CommitRealStories(**store, "a", "2025-01-01T00:00:00Z", items), IsOk());
  EXPECT_THAT(CommitRealStories(**store, "a", "2025-01-02T00:00:00Z", items), IsOk());
  EXPECT_THAT(CheckProblems(**store), IsEmpty());
  EXPECT_THAT(DeepCheckProblems(**store), IsEmpty());
  return dir;
}

TEST(StoreCheckTest, LostIndexFamiliesAreFoundAndRebuildIndexRepairsThem) {
  const std::string dir = RealStore("check_lost_index");
  std::vector<std::vector<uint64_t>> exact_before;
  const std::vector<uint64_t> first_exact = [&] {
    absl::StatusOr<std::unique_ptr<StoryStore>> store = OpenRealStore(dir);
    absl::StatusOr<std::vector<std::optional<VersionRecord>>> versions =
        (*store)->MultiGetVersions(std::vector<uint64_t>{1, 80});
    return std::vector<uint64_t>{(*versions)[0]->matching_hash, (*versions)[1]->matching_hash};
  }();
  // What a MANIFEST that lost the index families' files leaves.
  for (const char* family : {"lsh", "exact", "title"}) {
    ASSERT_THAT(testing::DropFamilyKeys(dir, family), IsOk());
  }
  absl::StatusOr<std::unique_ptr<StoryStore>> store = OpenRealStore(dir);
  ASSERT_THAT(store, IsOk());
  const std::vector<std::string> problems = CheckProblems(**store);
  EXPECT_THAT(problems, Contains(AllOf(HasSubstr("80 versions lack their posting in the exact index"),
                                       HasSubstr("rebuild-index"))));
  EXPECT_THAT(problems, Contains(HasSubstr("80 versions lack postings in the lsh index (each has 25 or 50)")));
  EXPECT_THAT(DeepCheckProblems(**store),
              Contains(HasSubstr("80 versions lack postings in the title index")));

  absl::StatusOr<RebuildResult> rebuilt = (*store)->RebuildIndexes(MatchParams());
  ASSERT_THAT(rebuilt, IsOk());
  EXPECT_EQ(rebuilt->versions, 80u);
  EXPECT_THAT(CheckProblems(**store), IsEmpty());
  EXPECT_THAT(DeepCheckProblems(**store), IsEmpty());
  EXPECT_THAT((*store)->LookupPostings(IndexKind::kExactHash, first_exact),
              IsOkAndHolds(ElementsAre(ElementsAre(1u), ElementsAre(80u))));
}

TEST(StoreCheckTest, LostTitleIndexAloneIsFoundByTheDeepCheck) {
  const std::string dir = RealStore("check_lost_title");
  ASSERT_THAT(testing::DropFamilyKeys(dir, "title"), IsOk());
  absl::StatusOr<std::unique_ptr<StoryStore>> store = OpenRealStore(dir, {.read_only = true});
  ASSERT_THAT(store, IsOk());
  EXPECT_THAT(DeepCheckProblems(**store),
              ElementsAre(AllOf(HasSubstr("80 versions lack postings in the title index"),
                                HasSubstr("(versions 1-5, ...)"))));
}

TEST(StoreCheckTest, DeepCheckRefusesOtherParams) {
  const std::string dir = RealStore("check_deep_params");
  absl::StatusOr<std::unique_ptr<StoryStore>> store = OpenRealStore(dir);
  MatchParams other;
  other.shingle_size = 4;
  CheckOptions options;
  options.deep = &other;
  std::vector<std::string> problems;
  EXPECT_THAT((*store)->Check(options, &problems),
              StatusIs(absl::StatusCode::kFailedPrecondition));
}

TEST(StoreCheckTest, SnapshotGoneWithoutDeletionIsLost) {
  const std::string dir = FreshDir("check_snapshot_gone");
  {
    absl::StatusOr<std::unique_ptr<StoryStore>> store = OpenStore(dir);
    ASSERT_THAT(store, IsOk());
    for (const char* at : {"2025-01-01T00:00:00Z", "2025-01-02T00:00:00Z", "2025-01-03T00:00:00Z"}) {
      ASSERT_THAT(CommitNewStories(**store, "a", at, 2), IsOk());
    }
  }
  ASSERT_THAT(testing::DeleteRaw(dir, "snapshots", store_format::IdKey(2)), IsOk());
  absl::StatusOr<std::unique_ptr<StoryStore>> store = OpenStore(dir, {.read_only = true});
  ASSERT_THAT(store, IsOk());
  const std::vector<std::string> problems = CheckProblems(**store);
  EXPECT_THAT(problems, Contains(HasSubstr("snapshot 2 is missing and not recorded as deleted")));
  EXPECT_THAT(problems, Contains(HasSubstr("snapshot 2 committed per the ledger is gone")));
  EXPECT_THAT(problems, Contains(HasSubstr("item 0 of snapshot 2 belongs to a missing snapshot")));
}

TEST(StoreCheckTest, VersionGoneFromUnderTheCountersIsFound) {
  const std::string dir = FreshDir("check_version_gone");
  {
    absl::StatusOr<std::unique_ptr<StoryStore>> store = OpenStore(dir);
    ASSERT_THAT(store, IsOk());
    ASSERT_THAT(CommitNewStories(**store, "a", "2025-01-01T00:00:00Z", 3), IsOk());
  }
  ASSERT_THAT(testing::DeleteRaw(dir, "versions", store_format::IdKey(3)), IsOk());
  ASSERT_THAT(testing::DeleteRaw(dir, "texts", store_format::IdKey(3)), IsOk());
  absl::StatusOr<std::unique_ptr<StoryStore>> store = OpenStore(dir, {.read_only = true});
  const std::vector<std::string> problems = CheckProblems(**store);
  EXPECT_THAT(problems, Contains(HasSubstr("2 versions stored and 0 removed, but the counters "
                                           "handed out 3")));
  EXPECT_THAT(problems, Contains(HasSubstr("exact key 0xabcdec lists missing version 3")));
  EXPECT_THAT(problems, Contains(HasSubstr("story s-000003 lists missing version 3")));
}

// What a source repeats (source_texts) is learned statistics: check wants
// each record to decode and a page line to name only stories the counters
// handed out.
TEST(StoreCheckTest, SourceTextHistoriesAreCommittedLookedUpAndChecked) {
  const std::string dir = FreshDir("check_source_texts");
  TextHistory page_line;
  page_line.Add(1);
  page_line.Add(2);
  TextHistory lede;
  lede.Add(0x1234);
  {
    absl::StatusOr<std::unique_ptr<StoryStore>> store = OpenStore(dir);
    ASSERT_THAT(store, IsOk());
    absl::StatusOr<StoreCounters> counters = (*store)->GetCounters();
    ASSERT_THAT(counters, IsOk());
    SnapshotCommit commit = NewStoriesCommit(*counters, "a", "2025-01-01T00:00:00Z", 2);
    commit.source_texts = {{.kind = SourceTextKind::kPageLine, .hash = 7, .history = page_line},
                           {.kind = SourceTextKind::kLede, .hash = 8, .history = lede}};
    ASSERT_THAT((*store)->Commit(commit), IsOk());
    const std::vector<uint64_t> hashes = {8, 7};
    absl::StatusOr<std::vector<TextHistory>> found =
        (*store)->LookupSourceTexts("a", SourceTextKind::kPageLine, hashes);
    ASSERT_THAT(found, IsOk());
    EXPECT_EQ((*found)[0].partners, 0u);  // Hash 8 is a lede, not a page line.
    EXPECT_EQ((*found)[1].partners, 2u);
    EXPECT_THAT(CheckProblems(**store), IsEmpty());
    // A history longer than any kept is refused, and nothing is written.
    counters = (*store)->GetCounters();
    ASSERT_THAT(counters, IsOk());
    commit = NewStoriesCommit(*counters, "a", "2025-01-02T00:00:00Z", 1);
    TextHistory too_long;
    too_long.partners = 9;
    too_long.recent.assign(TextHistory::kRecentPartners + 1, 1);
    commit.source_texts = {{.kind = SourceTextKind::kTitle, .hash = 9, .history = too_long}};
    EXPECT_THAT((*store)->Commit(commit), StatusIs(absl::StatusCode::kInvalidArgument));
  }
  TextHistory beyond;
  beyond.Add(99);
  ASSERT_THAT(testing::PutRawPairs(
                  dir, "source_texts",
                  {{store_format::SourceTextKey("a", SourceTextKind::kPageLine, 10),
                    EncodeTextHistory(beyond)},
                   {store_format::SourceTextKey("a", SourceTextKind::kTitle, 11), "\x04garbage"},
                   {"a-key-without-a-source", EncodeTextHistory(lede)}},
                  /*flush=*/true),
              IsOk());
  absl::StatusOr<std::unique_ptr<StoryStore>> store = OpenStore(dir, {.read_only = true});
  ASSERT_THAT(store, IsOk());
  const std::vector<std::string> problems = CheckProblems(**store);
  EXPECT_THAT(problems, Contains(HasSubstr("source text page_line 0xa of a names story number 99 "
                                           "beyond the counters")));
  EXPECT_THAT(problems, Contains(HasSubstr("source text title 0xb of a: ")));
  EXPECT_THAT(problems, Contains(HasSubstr("source text key of 22 bytes is malformed")));
  EXPECT_THAT(problems, SizeIs(3));
}

TEST(StoreCheckTest, DamagedIndexTableFileIsNamedWithItsFamilyAndRebuilt) {
  const std::string dir = RealStore("check_damaged_table", /*items=*/400);
  absl::StatusOr<std::vector<std::string>> files = testing::TableFilesOf(dir, "lsh");
  ASSERT_THAT(files, IsOkAndHolds(Not(IsEmpty())));
  // Inside the first data block, away from the footer and index.
  ASSERT_THAT(testing::FlipBytes(files->front(), 64, 8), IsOk());
  absl::StatusOr<std::unique_ptr<StoryStore>> store = OpenRealStore(dir);
  ASSERT_THAT(store, IsOk());
  EXPECT_THAT(CheckProblems(**store),
              Contains(AllOf(HasSubstr(std::filesystem::path(files->front()).filename().string()),
                             HasSubstr("of family lsh is damaged"), HasSubstr("rebuild-index"))));
  ASSERT_THAT((*store)->RebuildIndexes(MatchParams()), IsOk());
  EXPECT_THAT(CheckProblems(**store), IsEmpty());
  EXPECT_THAT(CommitRealStories(**store, "a", "2025-01-03T00:00:00Z", 5), IsOk());
}

TEST(StoreCheckTest, InterruptedRebuildRefusesCommitsUntilRunAgain) {
  const std::string dir = RealStore("check_interrupted_rebuild");
  ASSERT_THAT(testing::PutRaw(dir, "meta", store_format::kIndexRebuildKey, ""), IsOk());
  absl::StatusOr<std::unique_ptr<StoryStore>> store = OpenRealStore(dir);
  ASSERT_THAT(store, IsOk());
  const absl::Status refused = CommitRealStories(**store, "a", "2025-01-03T00:00:00Z", 5);
  EXPECT_THAT(refused, StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_THAT(refused.message(), HasSubstr("newsdedup rebuild-index"));
  EXPECT_THAT(CheckProblems(**store), ElementsAre(HasSubstr("an index rebuild was interrupted")));
  ASSERT_THAT((*store)->RebuildIndexes(MatchParams()), IsOk());
  EXPECT_THAT(CommitRealStories(**store, "a", "2025-01-03T00:00:00Z", 5), IsOk());
  EXPECT_THAT(CheckProblems(**store), IsEmpty());
}

TEST(StoreCheckTest, RebuildRefusesOtherParamsAndReadOnlyStores) {
  const std::string dir = RealStore("check_rebuild_refusals");
  MatchParams other;
  other.seed = 2;
  absl::StatusOr<std::unique_ptr<StoryStore>> store = OpenRealStore(dir);
  EXPECT_THAT((*store)->RebuildIndexes(other), StatusIs(absl::StatusCode::kFailedPrecondition));
  store->reset();
  store = OpenRealStore(dir, {.read_only = true});
  EXPECT_THAT((*store)->RebuildIndexes(MatchParams()),
              StatusIs(absl::StatusCode::kFailedPrecondition));
}

}  // namespace
}  // namespace newsdedup
