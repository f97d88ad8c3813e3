#include "store/story_store.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/store/store_testing.h"
#include "tests/testing/status_matchers.h"

namespace newsdedup {
namespace {

using ::newsdedup::testing::IsOk;
using ::newsdedup::testing::IsOkAndHolds;
using ::newsdedup::testing::StatusIs;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::Eq;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::SizeIs;

TEST(StoryStoreTest, CreatesAndReopensWithData) {
  const std::string dir = FreshDir("story_store_reopen");
  {
    absl::StatusOr<std::unique_ptr<StoryStore>> store = OpenStore(dir);
    ASSERT_THAT(store, IsOk());
    EXPECT_EQ((*store)->params(), kParams);
    EXPECT_THAT((*store)->ListSnapshots(), IsOkAndHolds(IsEmpty()));
    ASSERT_THAT(
        CommitNewStories(**store, "novastan", "2025-03-29T00:00:00Z", 3),
        IsOk());
  }
  absl::StatusOr<std::unique_ptr<StoryStore>> store = OpenStore(dir);
  ASSERT_THAT(store, IsOk());
  absl::StatusOr<StoreCounters> counters = (*store)->GetCounters();
  ASSERT_THAT(counters, IsOk());
  EXPECT_EQ(counters->last_snapshot_id, 1u);
  EXPECT_EQ(counters->last_story_number, 3u);
  EXPECT_EQ(counters->last_version_id, 3u);
  EXPECT_THAT((*store)->GetSnapshotItems(1), IsOkAndHolds(SizeIs(3)));
}

TEST(StoryStoreTest, RefusesOtherParamsNamingEachDifference) {
  const std::string dir = FreshDir("story_store_params");
  ASSERT_THAT(OpenStore(dir), IsOk());
  const absl::StatusOr<std::unique_ptr<StoryStore>> other = StoryStore::Open(
      dir, "normalizer=1\nshingle_size=4\nseed=7\n", StoryStore::Options());
  EXPECT_THAT(other, StatusIs(absl::StatusCode::kFailedPrecondition));
  const std::string message(other.status().message());
  EXPECT_THAT(message, HasSubstr("store was created with shingle_size=3, "
                                 "this build uses shingle_size=4"));
  EXPECT_THAT(message, HasSubstr("store was created with num_hashes=128, "
                                 "this build does not set num_hashes"));
  EXPECT_THAT(message, HasSubstr("store was created without seed, this "
                                 "build uses seed=7"));
  EXPECT_THAT(message, Not(HasSubstr("normalizer")));

  // Empty params skip the check and report what the store was made with.
  absl::StatusOr<std::unique_ptr<StoryStore>> any =
      StoryStore::Open(dir, "", StoryStore::Options());
  ASSERT_THAT(any, IsOk());
  EXPECT_EQ((*any)->params(), kParams);
}

TEST(StoryStoreTest, RefusesFolderThatIsNotAStore) {
  const std::string dir = FreshDir("story_store_not_a_store");
  std::filesystem::create_directories(dir);
  std::ofstream(dir + "/notes.txt") << "my notes\n";
  EXPECT_THAT(OpenStore(dir), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(OpenStore(dir).status().message(),
              HasSubstr("is not a newsdedup store"));
  // Nothing was added to the folder.
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir),
                          std::filesystem::directory_iterator()),
            1);

  const std::string file = dir + "/notes.txt";
  EXPECT_THAT(OpenStore(file), StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(StoryStoreTest, MissingStoreIsNotFoundUnlessCreated) {
  const std::string dir = FreshDir("story_store_missing");
  EXPECT_THAT(OpenStore(dir, {.create_if_missing = false}),
              StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(OpenStore(dir, {.read_only = true}),
              StatusIs(absl::StatusCode::kNotFound));
  EXPECT_FALSE(std::filesystem::exists(dir));
}

TEST(StoryStoreTest, SecondOpenInTheSameProcessIsRefused) {
  const std::string dir = FreshDir("story_store_same_process");
  absl::StatusOr<std::unique_ptr<StoryStore>> first = OpenStore(dir);
  ASSERT_THAT(first, IsOk());
  const absl::StatusOr<std::unique_ptr<StoryStore>> second = OpenStore(dir);
  EXPECT_THAT(second, StatusIs(absl::StatusCode::kUnavailable));
  EXPECT_THAT(second.status().message(),
              HasSubstr("store is in use by another process"));
}

// Run by OpenFromAnotherProcessIsRefused in a second process.
TEST(StoryStoreHelper, DISABLED_OpenExpectingInUse) {
  const char* dir = std::getenv(kHelperDirVariable);
  if (dir == nullptr) GTEST_SKIP() << "only run as a helper process";
  const absl::StatusOr<std::unique_ptr<StoryStore>> store = OpenStore(dir);
  EXPECT_THAT(store, StatusIs(absl::StatusCode::kUnavailable));
  EXPECT_THAT(store.status().message(),
              HasSubstr("store is in use by another process"));
}

TEST(StoryStoreTest, OpenFromAnotherProcessIsRefused) {
  const std::string dir = FreshDir("story_store_other_process");
  absl::StatusOr<std::unique_ptr<StoryStore>> held = OpenStore(dir);
  ASSERT_THAT(held, IsOk());
  const pid_t helper =
      SpawnHelper("StoryStoreHelper.DISABLED_OpenExpectingInUse", dir,
                  /*quiet=*/false);
  ASSERT_GT(helper, 0);
  EXPECT_EQ(WaitForExit(helper), 0);
}

TEST(StoryStoreTest, ReadOnlyOpenWorksWhileAnotherHandleWrites) {
  const std::string dir = FreshDir("story_store_read_only");
  absl::StatusOr<std::unique_ptr<StoryStore>> writer = OpenStore(dir);
  ASSERT_THAT(writer, IsOk());
  ASSERT_THAT(CommitNewStories(**writer, "a", "2025-01-01T00:00:00Z", 2),
              IsOk());

  absl::StatusOr<std::unique_ptr<StoryStore>> reader =
      StoryStore::Open(dir, "", {.read_only = true});
  ASSERT_THAT(reader, IsOk());
  EXPECT_THAT((*reader)->GetSnapshotItems(1), IsOkAndHolds(SizeIs(2)));
  EXPECT_THAT((*reader)->Stats(), IsOk());
  EXPECT_THAT(CheckProblems(**reader), IsEmpty());
  absl::StatusOr<StoreCounters> counters = (*reader)->GetCounters();
  ASSERT_THAT(counters, IsOk());
  const absl::Status commit = (*reader)->Commit(
      NewStoriesCommit(*counters, "a", "2025-01-02T00:00:00Z", 1));
  EXPECT_THAT(commit, StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_THAT(commit.message(), HasSubstr("read-only"));
}

TEST(StoryStoreTest, CommitRoundTripsEveryRecord) {
  const std::string dir = FreshDir("story_store_round_trip");
  absl::StatusOr<std::unique_ptr<StoryStore>> opened = OpenStore(dir);
  ASSERT_THAT(opened, IsOk());
  StoryStore& store = **opened;

  SnapshotCommit commit =
      NewStoriesCommit(StoreCounters(), "novastan", "2025-08-15T00:00:00Z", 2,
                       SnapshotKind::kArticle, /*body_bytes=*/100000);
  commit.snapshot.warnings = {"line 3: no title"};
  commit.items[1].change = ChangeClass::kExpanded;
  commit.items[1].similarity = 0.09;
  commit.items[1].containment = 1.0;
  commit.items[1].returned = true;
  commit.stories[0].url = "https://example.org/a";
  commit.stories[0].appearances = {{.source = "novastan",
                                    .kind = SnapshotKind::kArticle,
                                    .snapshot = 1,
                                    .captured_at = "2025-08-15T00:00:00Z",
                                    .versions = {1}}};
  commit.versions[1].title = "Titre accentué";
  ASSERT_THAT(store.Commit(commit), IsOk());

  absl::StatusOr<SnapshotRecord> snapshot = store.GetSnapshot(1);
  ASSERT_THAT(snapshot, IsOk());
  EXPECT_EQ(snapshot->source, "novastan");
  EXPECT_EQ(snapshot->kind, SnapshotKind::kArticle);
  EXPECT_EQ(snapshot->item_count, 2u);
  EXPECT_THAT(snapshot->warnings, ElementsAre("line 3: no title"));
  EXPECT_THAT(store.GetSnapshot(2), StatusIs(absl::StatusCode::kNotFound));

  absl::StatusOr<std::vector<ItemRecord>> items = store.GetSnapshotItems(1);
  ASSERT_THAT(items, IsOkAndHolds(SizeIs(2)));
  EXPECT_EQ((*items)[0].position, 0u);
  EXPECT_EQ((*items)[1].story_id, "s-000002");
  EXPECT_EQ((*items)[1].change, ChangeClass::kExpanded);
  EXPECT_EQ((*items)[1].similarity, 0.09);
  EXPECT_TRUE((*items)[1].returned);
  EXPECT_THAT(store.GetSnapshotItems(2), IsOkAndHolds(IsEmpty()));

  absl::StatusOr<StoryRecord> story = store.GetStory("s-000001");
  ASSERT_THAT(story, IsOk());
  EXPECT_EQ(story->url, "https://example.org/a");
  ASSERT_EQ(story->appearances.size(), 1u);
  EXPECT_THAT(story->appearances[0].versions, ElementsAre(1u));
  EXPECT_THAT(story->versions, ElementsAre(1u));
  EXPECT_THAT(store.GetStory("s-999999"),
              StatusIs(absl::StatusCode::kNotFound));
  const std::vector<std::string> story_ids = {"s-000002", "nope", "s-000001"};
  absl::StatusOr<std::vector<std::optional<StoryRecord>>> stories =
      store.MultiGetStories(story_ids);
  ASSERT_THAT(stories, IsOkAndHolds(SizeIs(3)));
  EXPECT_EQ((*stories)[0]->id, "s-000002");
  EXPECT_FALSE((*stories)[1].has_value());
  EXPECT_EQ((*stories)[2]->id, "s-000001");

  const std::vector<uint64_t> version_ids = {2, 99, 1};
  absl::StatusOr<std::vector<std::optional<VersionRecord>>> versions =
      store.MultiGetVersions(version_ids);
  ASSERT_THAT(versions, IsOkAndHolds(SizeIs(3)));
  ASSERT_TRUE((*versions)[0].has_value());
  EXPECT_EQ((*versions)[0]->title, "Titre accentué");
  EXPECT_EQ((*versions)[0]->lede, "Lede of 2");
  EXPECT_EQ((*versions)[0]->body, commit.versions[1].body);
  EXPECT_EQ((*versions)[0]->matching_hash, commit.versions[1].matching_hash);
  EXPECT_THAT((*versions)[0]->snapshots, ElementsAre(1u));
  EXPECT_FALSE((*versions)[1].has_value());
  EXPECT_EQ((*versions)[2]->story_id, "s-000001");
}

TEST(StoryStoreTest, UpdatedVersionKeepsItsTexts) {
  const std::string dir = FreshDir("story_store_updated_version");
  absl::StatusOr<std::unique_ptr<StoryStore>> store = OpenStore(dir);
  ASSERT_THAT(store, IsOk());
  ASSERT_THAT(CommitNewStories(**store, "a", "2025-01-01T00:00:00Z", 1),
              IsOk());
  // The next snapshot sees version 1 again: only its seen-times change.
  absl::StatusOr<std::vector<std::optional<VersionRecord>>> seen =
      (*store)->MultiGetVersions(std::vector<uint64_t>{1});
  ASSERT_THAT(seen, IsOk());
  SnapshotCommit commit;
  commit.snapshot.id = 2;
  commit.snapshot.source = "a";
  commit.snapshot.captured_at = "2025-01-02T00:00:00Z";
  commit.snapshot.kind = SnapshotKind::kListing;
  commit.snapshot.item_count = 1;
  ItemRecord& item = commit.items.emplace_back();
  item.story_id = "s-000001";
  item.version_id = 1;
  item.status = StoryStatus::kUnchanged;
  VersionRecord version = *(*seen)[0];
  version.last_seen = "2025-01-02T00:00:00Z";
  version.snapshots.push_back(2);
  commit.versions.push_back(version);
  commit.counters = {
      .last_snapshot_id = 2, .last_story_number = 1, .last_version_id = 1};
  ASSERT_THAT((*store)->Commit(commit), IsOk());

  absl::StatusOr<std::vector<std::optional<VersionRecord>>> after =
      (*store)->MultiGetVersions(std::vector<uint64_t>{1});
  ASSERT_THAT(after, IsOk());
  EXPECT_EQ((*after)[0]->last_seen, "2025-01-02T00:00:00Z");
  EXPECT_THAT((*after)[0]->snapshots, ElementsAre(1u, 2u));
  EXPECT_EQ((*after)[0]->body, version.body);
  EXPECT_THAT(CheckProblems(**store), IsEmpty());
}

TEST(StoryStoreTest, PostingsAppendAcrossCommitsInOrder) {
  const std::string dir = FreshDir("story_store_postings");
  {
    absl::StatusOr<std::unique_ptr<StoryStore>> store = OpenStore(dir);
    ASSERT_THAT(store, IsOk());
    SnapshotCommit first =
        NewStoriesCommit(StoreCounters(), "a", "2025-01-01T00:00:00Z", 2);
    first.postings.push_back({IndexKind::kTitleHash, 77, 2});
    first.postings.push_back({IndexKind::kTitleHash, 77, 1});
    ASSERT_THAT((*store)->Commit(first), IsOk());
    SnapshotCommit second =
        NewStoriesCommit(first.counters, "a", "2025-01-02T00:00:00Z", 1);
    second.postings.push_back({IndexKind::kTitleHash, 77, 3});
    ASSERT_THAT((*store)->Commit(second), IsOk());
    const std::vector<uint64_t> keys = {77, 78};
    EXPECT_THAT((*store)->LookupPostings(IndexKind::kTitleHash, keys),
                IsOkAndHolds(ElementsAre(ElementsAre(2u, 1u, 3u), IsEmpty())));
  }
  // Merged postings read the same after reopening (and replaying the WAL).
  absl::StatusOr<std::unique_ptr<StoryStore>> store = OpenStore(dir);
  ASSERT_THAT(store, IsOk());
  const std::vector<uint64_t> keys = {16 * 3 + 1, 12345, 77, 16 * 1 + 0};
  EXPECT_THAT((*store)->LookupPostings(IndexKind::kTitleHash, keys),
              IsOkAndHolds(ElementsAre(IsEmpty(), IsEmpty(),
                                       ElementsAre(2u, 1u, 3u), IsEmpty())));
  EXPECT_THAT((*store)->LookupPostings(IndexKind::kLshBand, keys),
              IsOkAndHolds(ElementsAre(ElementsAre(3u), IsEmpty(), IsEmpty(),
                                       ElementsAre(1u))));
  const std::vector<uint64_t> exact = {2 ^ 0xabcdef};
  EXPECT_THAT((*store)->LookupPostings(IndexKind::kExactHash, exact),
              IsOkAndHolds(ElementsAre(ElementsAre(2u))));
  EXPECT_THAT((*store)->LookupPostings(IndexKind::kUrl, exact),
              IsOkAndHolds(ElementsAre(IsEmpty())));
}

TEST(StoryStoreTest, FindsSnapshotsBySourceTimeAndKind) {
  const std::string dir = FreshDir("story_store_find");
  absl::StatusOr<std::unique_ptr<StoryStore>> opened = OpenStore(dir);
  ASSERT_THAT(opened, IsOk());
  StoryStore& store = **opened;
  ASSERT_THAT(CommitNewStories(store, "a", "2025-01-01T00:00:00Z", 1), IsOk());
  ASSERT_THAT(CommitNewStories(store, "b", "2025-01-01T00:00:00Z", 1), IsOk());
  ASSERT_THAT(
      CommitNewStories(store, "a", "2025-01-02T00:00:00Z", 1, SnapshotKind::kArticle),
      IsOk());
  ASSERT_THAT(CommitNewStories(store, "a", "2025-01-03T00:00:00Z", 1), IsOk());
  // A source whose name extends another's must not be mistaken for it.
  ASSERT_THAT(CommitNewStories(store, "ab", "2025-01-04T00:00:00Z", 1), IsOk());

  absl::StatusOr<std::optional<SnapshotRecord>> found =
      store.FindSnapshot("b", "2025-01-01T00:00:00Z", "00000000000000ff");
  ASSERT_THAT(found, IsOk());
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->id, 2u);
  EXPECT_THAT(store.FindSnapshot("b", "2025-01-02T00:00:00Z", "00000000000000ff"),
              IsOkAndHolds(Eq(std::nullopt)));
  EXPECT_THAT(store.FindSnapshot("b", "2025-01-01T00:00:00Z", "other content"),
              IsOkAndHolds(Eq(std::nullopt)));

  const auto previous_time = [&](const std::string& source, SnapshotKind kind,
                                 const std::string& at) -> std::string {
    absl::StatusOr<std::optional<std::string>> previous =
        store.PreviousCaptureTime(source, kind, at);
    EXPECT_THAT(previous, IsOk());
    return previous.ok() && previous->has_value() ? **previous : "none";
  };
  constexpr SnapshotKind kListing = SnapshotKind::kListing;
  constexpr SnapshotKind kArticle = SnapshotKind::kArticle;
  EXPECT_EQ(previous_time("a", kListing, "2025-01-03T00:00:00Z"), "2025-01-01T00:00:00Z");
  EXPECT_EQ(previous_time("a", kListing, "2025-01-04T00:00:00Z"), "2025-01-03T00:00:00Z");
  EXPECT_EQ(previous_time("a", kListing, "2025-01-01T00:00:00Z"), "none");
  EXPECT_EQ(previous_time("a", kArticle, "2025-01-03T00:00:00Z"), "2025-01-02T00:00:00Z");
  EXPECT_EQ(previous_time("a", kArticle, "2025-01-02T00:00:00Z"), "none");
  EXPECT_EQ(previous_time("b", kListing, "2025-01-05T00:00:00Z"), "2025-01-01T00:00:00Z");
  EXPECT_EQ(previous_time("ab", kListing, "2025-01-05T00:00:00Z"), "2025-01-04T00:00:00Z");
  EXPECT_EQ(previous_time("c", kListing, "2025-01-05T00:00:00Z"), "none");
  absl::StatusOr<std::vector<SnapshotRecord>> at_first =
      store.SnapshotsAt("a", kListing, "2025-01-01T00:00:00Z");
  ASSERT_THAT(at_first, IsOkAndHolds(SizeIs(1)));
  EXPECT_EQ((*at_first)[0].id, 1u);
  EXPECT_THAT(store.SnapshotsAt("a", kArticle, "2025-01-01T00:00:00Z"),
              IsOkAndHolds(IsEmpty()));

  absl::StatusOr<std::vector<SnapshotRecord>> all = store.ListSnapshots();
  ASSERT_THAT(all, IsOkAndHolds(SizeIs(5)));
  for (size_t i = 0; i < all->size(); ++i) EXPECT_EQ((*all)[i].id, i + 1);
}

TEST(StoryStoreTest, StaleSnapshotIdIsRefusedAndNothingWritten) {
  const std::string dir = FreshDir("story_store_stale");
  absl::StatusOr<std::unique_ptr<StoryStore>> opened = OpenStore(dir);
  ASSERT_THAT(opened, IsOk());
  StoryStore& store = **opened;
  const SnapshotCommit first =
      NewStoriesCommit(StoreCounters(), "a", "2025-01-01T00:00:00Z", 2);
  ASSERT_THAT(store.Commit(first), IsOk());

  // Prepared against the empty store, as a concurrent ingest would have.
  const SnapshotCommit stale =
      NewStoriesCommit(StoreCounters(), "b", "2025-01-01T00:00:00Z", 3);
  EXPECT_THAT(store.Commit(stale),
              StatusIs(absl::StatusCode::kInvalidArgument));
  SnapshotCommit skipping =
      NewStoriesCommit(first.counters, "b", "2025-01-01T00:00:00Z", 3);
  skipping.snapshot.id = 3;
  skipping.counters.last_snapshot_id = 3;
  EXPECT_THAT(store.Commit(skipping),
              StatusIs(absl::StatusCode::kInvalidArgument));
  SnapshotCommit shrinking =
      NewStoriesCommit(first.counters, "b", "2025-01-01T00:00:00Z", 1);
  shrinking.counters.last_version_id = 1;
  EXPECT_THAT(store.Commit(shrinking),
              StatusIs(absl::StatusCode::kInvalidArgument));
  const SnapshotCommit same_time =
      NewStoriesCommit(first.counters, "a", "2025-01-01T00:00:00Z", 1);
  EXPECT_THAT(store.Commit(same_time),
              StatusIs(absl::StatusCode::kAlreadyExists));

  absl::StatusOr<StoreCounters> counters = store.GetCounters();
  ASSERT_THAT(counters, IsOk());
  EXPECT_EQ(counters->last_snapshot_id, 1u);
  EXPECT_EQ(counters->last_version_id, 2u);
  EXPECT_THAT(store.GetSnapshotItems(1), IsOkAndHolds(SizeIs(2)));
  EXPECT_THAT(store.GetStory("s-000003"),
              StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(store.FindSnapshot("b", "2025-01-01T00:00:00Z", "00000000000000ff"),
              IsOkAndHolds(Eq(std::nullopt)));
  EXPECT_THAT(CheckProblems(store), IsEmpty());
}

TEST(StoryStoreTest, CommitRefusesItemsThatDisagreeWithTheSnapshot) {
  const std::string dir = FreshDir("story_store_item_count");
  absl::StatusOr<std::unique_ptr<StoryStore>> store = OpenStore(dir);
  ASSERT_THAT(store, IsOk());
  SnapshotCommit short_commit =
      NewStoriesCommit(StoreCounters(), "a", "2025-01-01T00:00:00Z", 3);
  short_commit.items.pop_back();
  EXPECT_THAT((*store)->Commit(short_commit),
              StatusIs(absl::StatusCode::kInvalidArgument));
  SnapshotCommit twice =
      NewStoriesCommit(StoreCounters(), "a", "2025-01-01T00:00:00Z", 3);
  twice.items[2].position = 0;
  EXPECT_THAT((*store)->Commit(twice),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(StoryStoreTest, CheckIsCleanOnFreshAndHealthyStores) {
  const std::string dir = FreshDir("story_store_check_clean");
  absl::StatusOr<std::unique_ptr<StoryStore>> store = OpenStore(dir);
  ASSERT_THAT(store, IsOk());
  EXPECT_THAT(CheckProblems(**store), IsEmpty());
  ASSERT_THAT(CommitNewStories(**store, "a", "2025-01-01T00:00:00Z", 3000),
              IsOk());
  ASSERT_THAT(CommitNewStories(**store, "a", "2025-01-02T00:00:00Z", 10),
              IsOk());
  EXPECT_THAT(CheckProblems(**store), IsEmpty());
}

TEST(StoryStoreTest, CheckFindsItemPointingToMissingStory) {
  const std::string dir = FreshDir("story_store_check_dangling");
  absl::StatusOr<std::unique_ptr<StoryStore>> store = OpenStore(dir);
  ASSERT_THAT(store, IsOk());
  SnapshotCommit commit =
      NewStoriesCommit(StoreCounters(), "a", "2025-01-01T00:00:00Z", 2);
  // Commit does not validate references; Check does.
  commit.items[1].story_id = "s-ghost";
  commit.postings.push_back({IndexKind::kUrl, 5, 42});
  ASSERT_THAT((*store)->Commit(commit), IsOk());
  const std::vector<std::string> problems = CheckProblems(**store);
  EXPECT_THAT(problems,
              Contains(HasSubstr("item 1 of snapshot 1 points to missing "
                                 "story s-ghost")));
  EXPECT_THAT(problems, Contains(HasSubstr("url key 0x5 lists missing "
                                           "version 42")));
}

TEST(StoryStoreTest, InMemoryStoreWorksAndLeavesNoFiles) {
  const std::string dir = FreshDir("story_store_in_memory");
  {
    absl::StatusOr<std::unique_ptr<StoryStore>> store =
        OpenStore(dir, {.in_memory = true});
    ASSERT_THAT(store, IsOk());
    ASSERT_THAT(CommitNewStories(**store, "a", "2025-01-01T00:00:00Z", 50),
                IsOk());
    ASSERT_THAT(CommitNewStories(**store, "a", "2025-01-02T00:00:00Z", 50),
                IsOk());
    EXPECT_THAT((*store)->GetSnapshotItems(2), IsOkAndHolds(SizeIs(50)));
    const std::vector<uint64_t> keys = {100 ^ 0xabcdef};
    EXPECT_THAT((*store)->LookupPostings(IndexKind::kExactHash, keys),
                IsOkAndHolds(ElementsAre(ElementsAre(100u))));
    EXPECT_THAT(CheckProblems(**store), IsEmpty());
    // A second in-memory store is separate from the first.
    absl::StatusOr<std::unique_ptr<StoryStore>> other =
        OpenStore(dir, {.in_memory = true});
    ASSERT_THAT(other, IsOk());
    EXPECT_THAT((*other)->ListSnapshots(), IsOkAndHolds(IsEmpty()));
  }
  EXPECT_FALSE(std::filesystem::exists(dir));
  EXPECT_FALSE(std::filesystem::exists("/newsdedup-in-memory"));
}

TEST(StoryStoreTest, StatsCountEverything) {
  const std::string dir = FreshDir("story_store_stats");
  absl::StatusOr<std::unique_ptr<StoryStore>> store = OpenStore(dir);
  ASSERT_THAT(store, IsOk());
  ASSERT_THAT(CommitNewStories(**store, "a", "2025-01-01T00:00:00Z", 10),
              IsOk());
  ASSERT_THAT(CommitNewStories(**store, "a", "2025-01-02T00:00:00Z", 5),
              IsOk());
  absl::StatusOr<StoreStats> stats = (*store)->Stats();
  ASSERT_THAT(stats, IsOk());
  EXPECT_EQ(stats->snapshots, 2u);
  EXPECT_EQ(stats->stories, 15u);
  EXPECT_EQ(stats->versions, 15u);
  EXPECT_EQ(stats->items, 15u);
  ASSERT_THAT(stats->index_keys, SizeIs(4));
  EXPECT_EQ(stats->index_keys[0].first, "lsh");
  EXPECT_EQ(stats->index_keys[0].second, 60u);
  EXPECT_EQ(stats->index_keys[1].second, 15u);
  EXPECT_GT(stats->bytes_on_disk, 0u);
}

// Run by KilledCommitsLeaveWholeSnapshots in a second process: commits
// large snapshots until it is killed.
TEST(StoryStoreHelper, DISABLED_CommitUntilKilled) {
  const char* dir = std::getenv(kHelperDirVariable);
  if (dir == nullptr) GTEST_SKIP() << "only run as a helper process";
  // Do not outlive a parent that dies before killing us.
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  absl::StatusOr<std::unique_ptr<StoryStore>> store = OpenStore(dir);
  ASSERT_THAT(store, IsOk());
  for (int round = 0; round < 100; ++round) {
    absl::StatusOr<StoreCounters> counters = (*store)->GetCounters();
    ASSERT_THAT(counters, IsOk());
    const SnapshotCommit commit = NewStoriesCommit(
        *counters, "crash",
        absl::StrCat("2025-01-01T00:00:", counters->last_snapshot_id, "Z"),
        20000, SnapshotKind::kListing, /*body_bytes=*/300);
    ASSERT_THAT((*store)->Commit(commit), IsOk());
  }
}

TEST(StoryStoreCrashTest, KilledCommitsLeaveWholeSnapshots) {
  const std::string dir = FreshDir("story_store_crash");
  ASSERT_THAT(OpenStore(dir), IsOk());
  std::mt19937 random(20250815);
  std::uniform_int_distribution<int> delay_ms(150, 1500);
  constexpr int kKills = 5;
  int kills = 0;
  for (int round = 0; round < kKills; ++round) {
    const pid_t child = SpawnHelper(
        "StoryStoreHelper.DISABLED_CommitUntilKilled", dir, /*quiet=*/true);
    ASSERT_GT(child, 0);
    std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms(random)));
    ASSERT_EQ(kill(child, SIGKILL), 0);
    int status = 0;
    ASSERT_EQ(waitpid(child, &status, 0), child);
    ASSERT_TRUE(WIFSIGNALED(status)) << "helper ended before it was killed";
    ++kills;

    absl::StatusOr<std::unique_ptr<StoryStore>> store = OpenStore(dir);
    ASSERT_THAT(store, IsOk());
    absl::StatusOr<StoreCounters> counters = (*store)->GetCounters();
    ASSERT_THAT(counters, IsOk());
    absl::StatusOr<std::vector<SnapshotRecord>> snapshots =
        (*store)->ListSnapshots();
    ASSERT_THAT(snapshots, IsOkAndHolds(SizeIs(counters->last_snapshot_id)));
    for (const SnapshotRecord& snapshot : *snapshots) {
      EXPECT_THAT((*store)->GetSnapshotItems(snapshot.id),
                  IsOkAndHolds(SizeIs(snapshot.item_count)))
          << "snapshot " << snapshot.id;
    }
    EXPECT_EQ(counters->last_version_id, 20000 * counters->last_snapshot_id);
    EXPECT_THAT(CheckProblems(**store), IsEmpty());
    std::printf("kill %d: %llu whole snapshots\n", round + 1,
                static_cast<unsigned long long>(counters->last_snapshot_id));
  }
  EXPECT_EQ(kills, kKills);
}

}  // namespace
}  // namespace newsdedup
