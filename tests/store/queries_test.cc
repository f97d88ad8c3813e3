#include "store/queries.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "store/ingest.h"
#include "tests/testing/status_matchers.h"

namespace newsdedup {
namespace {

using ::newsdedup::testing::IsOk;
using ::newsdedup::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::SizeIs;

constexpr char kKallasTitle[] = "UE-Asie centrale : Kaja Kallas mise sur le partenariat durable";

std::string ReadSeed(const std::string& name) {
  std::ifstream in(std::string(NEWSDEDUP_SOURCE_DIR) + "/seeds/" + name, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), {});
}

SnapshotListRequest Listing(size_t limit, uint64_t after = 0, const std::string& source = "",
                            bool newest_first = false) {
  SnapshotListRequest request;
  request.limit = limit;
  request.after = after;
  request.source = source;
  request.newest_first = newest_first;
  return request;
}

StorySearch Words(const std::string& words, size_t limit = 50, size_t max_scanned = 200000) {
  StorySearch search;
  search.words = words;
  search.limit = limit;
  search.max_scanned = max_scanned;
  return search;
}

StorySearch Url(const std::string& url) {
  StorySearch search;
  search.url = url;
  return search;
}

std::vector<uint64_t> Ids(const std::vector<SnapshotRecord>& snapshots) {
  std::vector<uint64_t> ids;
  for (const SnapshotRecord& snapshot : snapshots) ids.push_back(snapshot.id);
  return ids;
}

// The five seeds as source novastan (snapshots 1-5), with two JSON Lines
// captures of a source "wire" carrying URLs between them (snapshots 3 and 5).
class QueriesTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new std::string(absl::StrCat(::testing::TempDir(), "queries_test_", getpid()));
    std::filesystem::remove_all(*dir_);
    absl::StatusOr<std::unique_ptr<StoryStore>> store =
        StoryStore::Open(*dir_, MatchParams().Describe(), {});
    ASSERT_THAT(store, IsOk());
    store_ = store->release();
    const std::vector<std::pair<std::string, std::string>> seeds = {
        {"000_cf8142584f5eb925.txt", "2025-03-29T00:00:00Z"},
        {"001_8a463b74158542bd.txt", "2025-05-02T00:00:00Z"},
        {"wire", "2025-05-03T00:00:00Z"},
        {"002_be30da7762e67050.txt", "2025-07-31T00:00:00Z"},
        {"wire", "2025-07-31T12:00:00Z"},
        {"003_3e9d996f7f80b2c1.txt", "2025-08-15T00:00:00Z"},
        {"004_9e2104cae3fc0cc9.txt", "2025-09-26T00:00:00Z"},
    };
    Ingester ingester(store_, MatchParams());
    for (const auto& [file, at] : seeds) {
      IngestRequest request;
      request.captured_at = at;
      if (file == "wire") {
        request.source = "wire";
        request.file_name = "wire.jsonl";
        request.bytes = absl::StrCat(
            R"({"id": "w1", "title": "Le Tadjikistan ouvre une ligne ferroviaire", )",
            R"("text": "La nouvelle ligne relie Douchanbé au sud du pays, a annoncé le ministère )",
            at, R"(.", "url": "https://www.example.org/rail?utm_source=feed"})", "\n");
        request.parse_options.format = DumpFormat::kJsonl;
      } else {
        request.source = "novastan";
        request.file_name = file;
        request.bytes = ReadSeed(file);
      }
      ASSERT_THAT(ingester.Ingest(request), IsOk()) << file;
    }
  }
  static void TearDownTestSuite() {
    delete store_;
    std::filesystem::remove_all(*dir_);
    delete dir_;
  }

  static std::string KallasStory() {
    absl::StatusOr<StorySearchResult> found =
        FindStories(store_, Words("kallas partenariat durable"));
    EXPECT_THAT(found, IsOk());
    if (!found.ok() || found->stories.size() != 1) return "";
    return found->stories[0].id;
  }

  static std::string* dir_;
  static StoryStore* store_;
};

std::string* QueriesTest::dir_ = nullptr;
StoryStore* QueriesTest::store_ = nullptr;

TEST_F(QueriesTest, ListSnapshotsPagesThroughEverySnapshotInIdOrder) {
  absl::StatusOr<SnapshotPage> first = ListSnapshots(store_, Listing(3));
  ASSERT_THAT(first, IsOk());
  EXPECT_THAT(Ids(first->snapshots), ElementsAre(1, 2, 3));
  EXPECT_EQ(first->next, 3u);
  absl::StatusOr<SnapshotPage> second = ListSnapshots(store_, Listing(3, first->next));
  ASSERT_THAT(second, IsOk());
  EXPECT_THAT(Ids(second->snapshots), ElementsAre(4, 5, 6));
  absl::StatusOr<SnapshotPage> last = ListSnapshots(store_, Listing(3, second->next));
  ASSERT_THAT(last, IsOk());
  EXPECT_THAT(Ids(last->snapshots), ElementsAre(7));
  EXPECT_EQ(last->next, 0u) << "the last page has no next";
}

TEST_F(QueriesTest, ListSnapshotsOfOneSourceNewestFirst) {
  absl::StatusOr<SnapshotPage> page = ListSnapshots(store_, Listing(2, 0, "novastan", true));
  ASSERT_THAT(page, IsOk());
  EXPECT_THAT(Ids(page->snapshots), ElementsAre(7, 6));
  page = ListSnapshots(store_, Listing(10, page->next, "novastan", true));
  ASSERT_THAT(page, IsOk());
  EXPECT_THAT(Ids(page->snapshots), ElementsAre(4, 2, 1));
  EXPECT_EQ(page->next, 0u);
  page = ListSnapshots(store_, Listing(10, 0, "wire"));
  ASSERT_THAT(page, IsOk());
  EXPECT_THAT(Ids(page->snapshots), ElementsAre(3, 5));
  page = ListSnapshots(store_, Listing(10, 0, "nobody"));
  ASSERT_THAT(page, IsOk());
  EXPECT_THAT(page->snapshots, SizeIs(0));
}

TEST_F(QueriesTest, ListSourcesGivesEachSourceWithItsNewestSnapshots) {
  absl::StatusOr<std::vector<SourceSummary>> sources = ListSources(store_, /*latest=*/3);
  ASSERT_THAT(sources, IsOk());
  ASSERT_THAT(*sources, SizeIs(2));
  EXPECT_EQ((*sources)[0].name, "novastan");
  EXPECT_EQ((*sources)[0].snapshots, 5u);
  EXPECT_THAT((*sources)[0].latest, ElementsAre(7, 6, 4));
  EXPECT_EQ((*sources)[0].first_captured_at, "2025-03-29T00:00:00Z");
  EXPECT_EQ((*sources)[0].last_captured_at, "2025-09-26T00:00:00Z");
  EXPECT_EQ((*sources)[1].name, "wire");
  EXPECT_THAT((*sources)[1].latest, ElementsAre(5, 3));
}

TEST_F(QueriesTest, LatestSnapshotIdOfTheStoreAndOfEachSource) {
  EXPECT_THAT(LatestSnapshotId(store_), ::newsdedup::testing::IsOkAndHolds(7u));
  EXPECT_THAT(LatestSnapshotId(store_, "wire"), ::newsdedup::testing::IsOkAndHolds(5u));
  EXPECT_THAT(LatestSnapshotId(store_, "nobody"), StatusIs(absl::StatusCode::kNotFound));
}

TEST_F(QueriesTest, LatestSnapshotIdOfAnEmptyStoreIsNotFound) {
  const std::string dir = absl::StrCat(::testing::TempDir(), "queries_empty_", getpid());
  std::filesystem::remove_all(dir);
  absl::StatusOr<std::unique_ptr<StoryStore>> empty =
      StoryStore::Open(dir, MatchParams().Describe(), {});
  ASSERT_THAT(empty, IsOk());
  EXPECT_THAT(LatestSnapshotId(empty->get()), StatusIs(absl::StatusCode::kNotFound));
  empty->reset();
  std::filesystem::remove_all(dir);
}

TEST_F(QueriesTest, ReportOfAnUnknownSnapshotIsNotFoundAndSaysHowManyThereAre) {
  for (uint64_t id : {0, 8, 1000}) {
    absl::StatusOr<SnapshotReport> report = GetReport(store_, id);
    EXPECT_THAT(report, StatusIs(absl::StatusCode::kNotFound));
    EXPECT_THAT(report.status().message(), HasSubstr("(the store has 7)"));
  }
}

TEST_F(QueriesTest, ReportOfTheArticlePageShowsTheKallasStoryExpanded) {
  absl::StatusOr<SnapshotReport> report = GetReport(store_, 6);
  ASSERT_THAT(report, IsOk());
  EXPECT_EQ(report->snapshot.kind, SnapshotKind::kArticle);
  ASSERT_THAT(report->stories, SizeIs(1));
  EXPECT_EQ(report->stories[0].story_id, KallasStory());
  EXPECT_EQ(report->stories[0].status, StoryStatus::kUpdated);
  ASSERT_THAT(report->stories[0].changes, SizeIs(1));
  EXPECT_EQ(report->stories[0].changes[0].change, ChangeClass::kExpanded);
}

TEST_F(QueriesTest, NeighboursAreTheSameSourcesSnapshotsOfAnyKind) {
  absl::StatusOr<SnapshotNeighbours> middle = GetNeighbours(store_, 4);
  ASSERT_THAT(middle, IsOk());
  ASSERT_TRUE(middle->previous.has_value());
  ASSERT_TRUE(middle->next.has_value());
  EXPECT_EQ(middle->previous->id, 2u) << "snapshot 3 is another source";
  EXPECT_EQ(middle->next->id, 6u) << "the article page";
  absl::StatusOr<SnapshotNeighbours> first = GetNeighbours(store_, 3);
  ASSERT_THAT(first, IsOk());
  EXPECT_FALSE(first->previous.has_value());
  EXPECT_EQ(first->next->id, 5u);
  EXPECT_THAT(GetNeighbours(store_, 99), StatusIs(absl::StatusCode::kNotFound));
}

TEST_F(QueriesTest, KallasTimelineHasTheTeaserThenTheArticleWithAnExpandedDiff) {
  const std::string id = KallasStory();
  ASSERT_FALSE(id.empty());
  absl::StatusOr<StoryView> view = GetStoryView(store_, id);
  ASSERT_THAT(view, IsOk());
  EXPECT_EQ(view->story.first_seen, "2025-03-29T00:00:00Z");
  ASSERT_THAT(view->versions, SizeIs(2));
  const VersionView& teaser = view->versions[0];
  const VersionView& article = view->versions[1];
  EXPECT_EQ(teaser.version.title, kKallasTitle);
  EXPECT_TRUE(teaser.diff.empty()) << "the first version has nothing to compare with";
  ASSERT_FALSE(teaser.snapshots.empty());
  EXPECT_EQ(teaser.snapshots.front().captured_at, "2025-03-29T00:00:00Z");
  EXPECT_EQ(teaser.snapshots.front().kind, SnapshotKind::kListing);
  ASSERT_THAT(article.snapshots, SizeIs(1));
  EXPECT_EQ(article.snapshots[0].kind, SnapshotKind::kArticle);
  EXPECT_EQ(article.change, ChangeClass::kExpanded);
  EXPECT_GT(article.containment, 0.9);
  EXPECT_LT(article.similarity, 0.2);
  EXPECT_TRUE(article.canonical) << "the full article is the canonical version";
  size_t inserted_words = 0;
  for (const DiffChunk& chunk : article.diff) {
    EXPECT_NE(chunk.kind, DiffChunk::Kind::kDeleted) << chunk.text;
    if (chunk.kind == DiffChunk::Kind::kInserted) inserted_words += chunk.text.size();
  }
  EXPECT_GT(inserted_words, 1000u) << "the article adds its whole body";
}

TEST_F(QueriesTest, UnknownStoryIsNotFound) {
  absl::StatusOr<StoryView> view = GetStoryView(store_, "s-999999");
  EXPECT_THAT(view, StatusIs(absl::StatusCode::kNotFound));
  EXPECT_EQ(view.status().message(), "no story s-999999");
}

TEST_F(QueriesTest, TitleWordsMatchWhateverTheirCaseAndAccents) {
  absl::StatusOr<StorySearchResult> found = FindStories(store_, Words("KALLAS achgabat"));
  ASSERT_THAT(found, IsOk());
  ASSERT_THAT(found->stories, SizeIs(1));
  EXPECT_THAT(found->stories[0].title, HasSubstr("est en route pour Achgabat"));
  found = FindStories(store_, Words("douchanbe"));
  ASSERT_THAT(found, IsOk());
  ASSERT_THAT(found->stories, SizeIs(2));
  for (const StoryRecord& story : found->stories) EXPECT_THAT(story.title, HasSubstr("Douchanbé"));
  found = FindStories(store_, Words("kallas ouzbekistan"));  // Each word is a title's, not both.
  ASSERT_THAT(found, IsOk());
  EXPECT_THAT(found->stories, SizeIs(0));
  found = FindStories(store_, Words("ferroviaire TADJIKISTAN"));
  ASSERT_THAT(found, IsOk());
  EXPECT_THAT(found->stories, SizeIs(1));
  EXPECT_FALSE(found->truncated);
}

TEST_F(QueriesTest, SearchStopsAtTheLimitAndAtTheScanBound) {
  absl::StatusOr<StorySearchResult> all = FindStories(store_, Words("la", 1000));
  ASSERT_THAT(all, IsOk());
  ASSERT_GT(all->stories.size(), 3u);
  absl::StatusOr<StorySearchResult> two = FindStories(store_, Words("la", 2));
  ASSERT_THAT(two, IsOk());
  ASSERT_THAT(two->stories, SizeIs(2));
  EXPECT_EQ(two->stories[0].id, all->stories[0].id);
  absl::StatusOr<StorySearchResult> bounded = FindStories(store_, Words("la", 1000, 5));
  ASSERT_THAT(bounded, IsOk());
  EXPECT_TRUE(bounded->truncated);
  EXPECT_LE(bounded->stories.size(), 5u);
}

TEST_F(QueriesTest, UrlFindsTheStoryWhateverTrackingParametersAndHostCase) {
  absl::StatusOr<StorySearchResult> found = FindStories(store_, Url("http://EXAMPLE.org/rail#top"));
  ASSERT_THAT(found, IsOk());
  ASSERT_THAT(found->stories, SizeIs(1)) << "both wire captures are one story";
  EXPECT_EQ(found->stories[0].title, "Le Tadjikistan ouvre une ligne ferroviaire");
  found = FindStories(store_, Url("https://example.org/other"));
  ASSERT_THAT(found, IsOk());
  EXPECT_THAT(found->stories, SizeIs(0));
  found = FindStories(store_, Url("not a url"));
  ASSERT_THAT(found, IsOk());
  EXPECT_THAT(found->stories, SizeIs(0));
}

TEST_F(QueriesTest, SearchWithoutWordsOrUrlIsRefused) {
  EXPECT_THAT(FindStories(store_, StorySearch()), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(FindStories(store_, Words(" ... ")), StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST_F(QueriesTest, TheKallasArticleMatchesTheTeasersStoryByContainment) {
  absl::StatusOr<std::vector<TextMatch>> matches =
      MatchDump(store_, ReadSeed("003_3e9d996f7f80b2c1.txt"), std::nullopt, 10);
  ASSERT_THAT(matches, IsOk());
  ASSERT_THAT(*matches, SizeIs(1));
  const TextMatch& match = (*matches)[0];
  EXPECT_TRUE(match.known);
  EXPECT_EQ(match.story.id, KallasStory());
  // The store holds the article itself now: an exact repeat.
  EXPECT_EQ(match.evidence.rule, MatchRule::kExact);
}

TEST_F(QueriesTest, AListingTeaserOfTheKallasStoryMatchesWithItsEvidence) {
  const std::string teaser = absl::StrCat(
      kKallasTitle, "\n",
      "Le 27 mars 2025, à Achgabat (Turkménistan), la Haute représentante de l’Union européenne "
      "pour les affaires étrangères, Kaja Kallas, a présidé la 20e réunion ministérielle entre "
      "l’UE et les cinq États d’Asie centrale, consacrée au transport et au numérique.\n");
  absl::StatusOr<std::vector<TextMatch>> matches =
      MatchDump(store_, teaser, DumpFormat::kListing, 10);
  ASSERT_THAT(matches, IsOk());
  ASSERT_THAT(*matches, SizeIs(1));
  EXPECT_TRUE((*matches)[0].known);
  EXPECT_EQ((*matches)[0].story.id, KallasStory());
  EXPECT_NE((*matches)[0].evidence.rule, MatchRule::kNone);
  EXPECT_GT((*matches)[0].evidence.containment, 0.5);
}

TEST_F(QueriesTest, AnUnknownTextIsNewAndNothingIsWritten) {
  absl::StatusOr<StoreCounters> before = store_->GetCounters();
  ASSERT_THAT(before, IsOk());
  absl::StatusOr<std::vector<TextMatch>> matches = MatchDump(
      store_,
      R"({"title": "Le Kirghizstan inaugure un observatoire astronomique", "text": "Au sommet )"
      R"(d'une montagne, des chercheurs suivent désormais les comètes de l'hiver."})",
      std::nullopt, 10);
  ASSERT_THAT(matches, IsOk());
  ASSERT_THAT(*matches, SizeIs(1));
  EXPECT_FALSE((*matches)[0].known);
  EXPECT_EQ((*matches)[0].evidence.rule, MatchRule::kNone);
  EXPECT_EQ((*matches)[0].title, "Le Kirghizstan inaugure un observatoire astronomique");
  absl::StatusOr<StoreCounters> after = store_->GetCounters();
  ASSERT_THAT(after, IsOk());
  EXPECT_EQ(after->last_snapshot_id, before->last_snapshot_id);
  EXPECT_EQ(after->last_version_id, before->last_version_id);
}

TEST_F(QueriesTest, MatchingCapsTheItemsAndRefusesAStoreOfOtherParameters) {
  EXPECT_THAT(MatchDump(store_, ReadSeed("000_cf8142584f5eb925.txt"), std::nullopt, 5),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(MatchDump(store_, "", std::nullopt, 5), StatusIs(absl::StatusCode::kInvalidArgument));
  const std::string dir = absl::StrCat(::testing::TempDir(), "queries_other_params_", getpid());
  std::filesystem::remove_all(dir);
  MatchParams other;
  other.shingle_size = 4;
  absl::StatusOr<std::unique_ptr<StoryStore>> store = StoryStore::Open(dir, other.Describe(), {});
  ASSERT_THAT(store, IsOk());
  EXPECT_THAT(MatchDump(store->get(), "Un titre\nUn texte.\n", std::nullopt, 5),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  store->reset();
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace newsdedup
