#include "store/ingest.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "store/queries.h"
#include "store/snapshot_report.h"
#include "tests/testing/status_matchers.h"

namespace newsdedup {
namespace {

using ::newsdedup::testing::IsOk;
using ::newsdedup::testing::StatusIs;

std::string ReadSeed(const std::string& name) {
  std::ifstream in(std::string(NEWSDEDUP_SOURCE_DIR) + "/seeds/" + name, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), {});
}

struct Seed {
  const char* file;
  const char* captured_at;
};
constexpr Seed kSeeds[] = {
    {"000_cf8142584f5eb925.txt", "2025-03-29T00:00:00Z"},
    {"001_8a463b74158542bd.txt", "2025-05-02T00:00:00Z"},
    {"002_be30da7762e67050.txt", "2025-07-31T00:00:00Z"},
    {"003_3e9d996f7f80b2c1.txt", "2025-08-15T00:00:00Z"},
    {"004_9e2104cae3fc0cc9.txt", "2025-09-26T00:00:00Z"},
};

class IngestTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // Per process: other builds on this machine run the same tests at once.
    dir_ = ::testing::TempDir() + "ingest_test_" +
           ::testing::UnitTest::GetInstance()->current_test_info()->name() + "_" +
           std::to_string(getpid());
    std::filesystem::remove_all(dir_);  // TempDir() survives between runs.
    absl::StatusOr<std::unique_ptr<StoryStore>> store =
        StoryStore::Open(dir_, params_.Describe(), {});
    ASSERT_THAT(store, IsOk());
    store_ = std::move(*store);
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  absl::StatusOr<IngestResult> IngestSeed(const Seed& seed, int threads = 0) {
    IngestRequest request;
    request.source = "novastan";
    request.captured_at = seed.captured_at;
    request.file_name = seed.file;
    request.bytes = ReadSeed(seed.file);
    return Ingester(store_.get(), params_, threads).Ingest(request);
  }

  SnapshotReport Report(uint64_t id) {
    absl::StatusOr<SnapshotReport> report = BuildSnapshotReport(store_.get(), id);
    EXPECT_THAT(report, IsOk());
    return report.ok() ? *report : SnapshotReport();
  }

  std::string StoryOf(uint64_t snapshot, const std::string& title_prefix) {
    for (const ReportEntry& entry : Report(snapshot).stories) {
      if (absl::StartsWith(entry.title, title_prefix)) return entry.story_id;
    }
    ADD_FAILURE() << "no story titled " << title_prefix << " in snapshot " << snapshot;
    return "";
  }

  MatchParams params_;
  std::string dir_;
  std::unique_ptr<StoryStore> store_;
};

TEST_F(IngestTest, SeedsGiveTheExpectedNightlyReports) {
  for (const Seed& seed : kSeeds) ASSERT_THAT(IngestSeed(seed), IsOk()) << seed.file;

  const SnapshotReport first = Report(1);
  EXPECT_EQ(first.new_count, 21);
  const SnapshotReport second = Report(2);
  EXPECT_EQ(second.new_count, 17);
  EXPECT_EQ(second.updated_count, 0);
  EXPECT_EQ(second.unchanged_count, 4);
  EXPECT_EQ(second.dropped_count, 17);
  const SnapshotReport third = Report(3);
  EXPECT_EQ(third.new_count, 21);
  EXPECT_EQ(third.unchanged_count + third.updated_count, 0);
  EXPECT_EQ(third.dropped_count, 21);
  const SnapshotReport fifth = Report(5);
  EXPECT_EQ(fifth.new_count, 18);
  EXPECT_EQ(fifth.unchanged_count, 3);
  EXPECT_EQ(fifth.dropped_count, 18);
  ASSERT_EQ(fifth.previous.size(), 1u);
  EXPECT_EQ(fifth.previous[0].id, 3u);  // The article page is not a listing.

  // The article page: the Kallas story, first seen in the first listing,
  // expanded; nothing dropped.
  const SnapshotReport article = Report(4);
  ASSERT_EQ(article.stories.size(), 1u);
  const ReportEntry& kallas = article.stories[0];
  EXPECT_EQ(kallas.status, StoryStatus::kUpdated);
  ASSERT_EQ(kallas.changes.size(), 1u);
  EXPECT_EQ(kallas.changes[0].change, ChangeClass::kExpanded);
  EXPECT_EQ(kallas.first_seen, "2025-03-29T00:00:00Z");
  EXPECT_EQ(kallas.story_id, StoryOf(1, "UE-Asie centrale : Kaja Kallas mise sur"));
  EXPECT_GE(kallas.containment, 0.95);
  EXPECT_EQ(article.dropped_count, 0);
  EXPECT_NE(StoryOf(1, "Rencontre ministérielle UE-Asie centrale : Kaja Kallas est en route"),
            kallas.story_id);
}

TEST_F(IngestTest, EveryItemIsInExactlyOneEntry) {
  for (const Seed& seed : kSeeds) ASSERT_THAT(IngestSeed(seed), IsOk());
  for (uint64_t id = 1; id <= 5; ++id) {
    const SnapshotReport report = Report(id);
    std::vector<int> seen(report.snapshot.item_count, 0);
    for (const ReportEntry& entry : report.stories) {
      for (uint32_t position : entry.items) ++seen.at(position);
    }
    EXPECT_THAT(seen, ::testing::Each(1)) << "snapshot " << id;
  }
}

TEST_F(IngestTest, ReingestingIsANoOp) {
  for (const Seed& seed : kSeeds) ASSERT_THAT(IngestSeed(seed), IsOk());
  const absl::StatusOr<StoreCounters> before = store_->GetCounters();
  ASSERT_THAT(before, IsOk());
  for (const Seed& seed : kSeeds) {
    absl::StatusOr<IngestResult> again = IngestSeed(seed);
    ASSERT_THAT(again, IsOk());
    EXPECT_TRUE(again->already_ingested) << seed.file;
  }
  const absl::StatusOr<StoreCounters> after = store_->GetCounters();
  ASSERT_THAT(after, IsOk());
  EXPECT_EQ(after->last_snapshot_id, before->last_snapshot_id);
  EXPECT_EQ(after->last_story_number, before->last_story_number);
  EXPECT_EQ(after->last_version_id, before->last_version_id);
}

TEST_F(IngestTest, ListingAndArticlePagesOfOneCaptureAreAllIngested) {
  ASSERT_THAT(IngestSeed(kSeeds[0]), IsOk());
  // The next capture holds a listing and two article pages, one of them the
  // full text of a story of that listing.
  const std::string at = kSeeds[1].captured_at;
  ASSERT_THAT(IngestSeed({kSeeds[1].file, at.c_str()}), IsOk());
  ASSERT_THAT(IngestSeed({kSeeds[3].file, at.c_str()}), IsOk());
  IngestRequest other_page;
  other_page.source = "novastan";
  other_page.captured_at = at;
  other_page.file_name = "article_en.txt";
  std::ifstream in(std::string(NEWSDEDUP_SOURCE_DIR) + "/tests/fixtures/article_en.txt");
  other_page.bytes = std::string((std::istreambuf_iterator<char>(in)), {});
  absl::StatusOr<IngestResult> third = Ingester(store_.get(), params_).Ingest(other_page);
  ASSERT_THAT(third, IsOk());
  EXPECT_FALSE(third->already_ingested);
  EXPECT_EQ(third->snapshot.id, 4u);
  // Each file is its own snapshot and reports against its own kind: the
  // article pages drop nothing, and the listing's report is untouched by them.
  EXPECT_EQ(Report(2).dropped_count, 17);
  EXPECT_EQ(Report(3).dropped_count, 0);
  EXPECT_EQ(Report(3).updated_count, 1);
  EXPECT_EQ(Report(4).dropped_count, 0);
  EXPECT_EQ(Report(4).new_count, 1);
  // Re-ingesting one of them at that time is still a no-op.
  absl::StatusOr<IngestResult> again = IngestSeed({kSeeds[3].file, at.c_str()});
  ASSERT_THAT(again, IsOk());
  EXPECT_TRUE(again->already_ingested);
  std::vector<std::string> problems;
  ASSERT_THAT(store_->Check(&problems), IsOk());
  EXPECT_THAT(problems, ::testing::IsEmpty());
}

TEST_F(IngestTest, TheSameDumpOnTwoNightsIsUnchanged) {
  for (const Seed& seed : kSeeds) {
    ASSERT_THAT(IngestSeed(seed), IsOk());
    ASSERT_THAT(IngestSeed({seed.file, "2026-01-01T00:00:00Z"}), IsOk());
    const absl::StatusOr<StoreCounters> counters = store_->GetCounters();
    ASSERT_THAT(counters, IsOk());
    const SnapshotReport again = Report(counters->last_snapshot_id);
    EXPECT_EQ(again.new_count + again.updated_count + again.dropped_count, 0) << seed.file;
    EXPECT_EQ(again.unchanged_count, static_cast<int>(again.stories.size())) << seed.file;
    store_.reset();  // A fresh store for the next seed.
    SetUp();
  }
}

TEST_F(IngestTest, NearCopiesAndSharedUrlsOfOneStoryAreUnchangedNextNight) {
  // One story twice with two texts (a near-copy, and a rewrite under the same
  // URL): the story's state is the set of both versions, night after night.
  IngestRequest request;
  request.file_name = "c1.jsonl";
  request.bytes =
      R"({"id": "1", "title": "Sommet à Astana", "text": "Les dirigeants d'Asie centrale se réunissent à Astana pour parler d'eau et d'énergie.", "url": "https://ex.org/a"})"
      "\n"
      R"({"id": "2", "title": "Sommet à Astana", "text": "Les dirigeants d'Asie centrale se réunissent à Astana pour parler d'eau et d'énergie ce jeudi.", "url": "https://ex.org/b"})"
      "\n"
      R"({"id": "3", "title": "Accord à Astana", "text": "Un accord sur le partage de l'eau est signé.", "url": "https://ex.org/a"})"
      "\n";
  request.captured_at = "2025-01-01T00:00:00Z";
  ASSERT_THAT(Ingester(store_.get(), params_).Ingest(request), IsOk());
  ASSERT_EQ(Report(1).stories.size(), 1u);
  request.captured_at = "2025-01-02T00:00:00Z";
  ASSERT_THAT(Ingester(store_.get(), params_).Ingest(request), IsOk());
  const SnapshotReport second = Report(2);
  ASSERT_EQ(second.stories.size(), 1u);
  EXPECT_EQ(second.stories[0].status, StoryStatus::kUnchanged);
  EXPECT_EQ(second.stories[0].versions.size(), 3u);
  EXPECT_EQ(second.stories[0].versions, second.stories[0].previous_versions);
}

TEST_F(IngestTest, AnUpdateDiffsEachNewVersionAgainstTheClosestOldOne) {
  IngestRequest request;
  request.file_name = "c.jsonl";
  request.captured_at = "2025-01-01T00:00:00Z";
  const std::string a = "Les dirigeants d'Asie centrale se réunissent à Astana pour parler d'eau.";
  const std::string b = "Un accord sur le partage de l'eau du Syr-Daria est signé par cinq pays.";
  const auto line = [](const std::string& title, const std::string& text) {
    return absl::StrCat(R"({"title": ")", title, R"(", "text": ")", text,
                        R"(", "url": "https://ex.org/a"})", "\n");
  };
  request.bytes = line("Sommet", a) + line("Accord", b);
  ASSERT_THAT(Ingester(store_.get(), params_).Ingest(request), IsOk());
  request.captured_at = "2025-01-02T00:00:00Z";
  request.bytes = line("Sommet", a) + line("Accord", b + " Il entre en vigueur en mai.");
  ASSERT_THAT(Ingester(store_.get(), params_).Ingest(request), IsOk());
  const SnapshotReport second = Report(2);
  ASSERT_EQ(second.stories.size(), 1u);
  const ReportEntry& entry = second.stories[0];
  EXPECT_EQ(entry.status, StoryStatus::kUpdated);
  ASSERT_EQ(entry.changes.size(), 1u);
  // Against the accord, not against the summit text it has nothing in common with.
  EXPECT_TRUE(absl::StrContains(entry.changes[0].before_text, "Syr-Daria"));
  EXPECT_GT(entry.changes[0].similarity, 0.5);
}

TEST_F(IngestTest, ResultsDoNotDependOnThreadCount) {
  ASSERT_THAT(IngestSeed(kSeeds[0], /*threads=*/1), IsOk());
  ASSERT_THAT(IngestSeed(kSeeds[1], /*threads=*/1), IsOk());
  const SnapshotReport one_thread = Report(2);

  std::filesystem::remove_all(dir_ + "_threads");
  absl::StatusOr<std::unique_ptr<StoryStore>> other =
      StoryStore::Open(dir_ + "_threads", params_.Describe(), {});
  ASSERT_THAT(other, IsOk());
  store_ = std::move(*other);
  ASSERT_THAT(IngestSeed(kSeeds[0], /*threads=*/4), IsOk());
  ASSERT_THAT(IngestSeed(kSeeds[1], /*threads=*/4), IsOk());
  const SnapshotReport four_threads = Report(2);
  ASSERT_EQ(one_thread.stories.size(), four_threads.stories.size());
  for (size_t s = 0; s < one_thread.stories.size(); ++s) {
    EXPECT_EQ(one_thread.stories[s].story_id, four_threads.stories[s].story_id);
    EXPECT_EQ(one_thread.stories[s].status, four_threads.stories[s].status);
  }
}

TEST_F(IngestTest, StoryListedTwiceInOneDumpIsOneEntry) {
  const std::string bytes = ReadSeed(kSeeds[0].file);
  IngestRequest request;
  request.captured_at = "2025-01-01T00:00:00Z";
  request.file_name = "twice.txt";
  // The whole listing twice: every story appears at two positions.
  request.bytes = bytes + "\n" + bytes;
  absl::StatusOr<IngestResult> result = Ingester(store_.get(), params_).Ingest(request);
  ASSERT_THAT(result, IsOk());
  const SnapshotReport report = Report(result->snapshot.id);
  EXPECT_EQ(report.new_count, 21);
  for (const ReportEntry& entry : report.stories) EXPECT_EQ(entry.items.size(), 2u);
}

TEST_F(IngestTest, JsonLinesUrlKeepsStoryThroughARewrite) {
  IngestRequest first;
  first.captured_at = "2025-01-01T00:00:00Z";
  first.file_name = "a.jsonl";
  first.bytes =
      R"({"id": "a1", "title": "Sommet à Astana", "text": "Les dirigeants se réunissent à Astana.", "url": "https://ex.org/sommet?utm_source=rss"})"
      "\n";
  ASSERT_THAT(Ingester(store_.get(), params_).Ingest(first), IsOk());
  IngestRequest second = first;
  second.captured_at = "2025-01-02T00:00:00Z";
  second.bytes =
      R"({"id": "a1", "title": "Un accord signé à Astana", "text": "Après deux jours de négociations, un accord a été signé.", "url": "https://www.ex.org/sommet"})"
      "\n";
  absl::StatusOr<IngestResult> result = Ingester(store_.get(), params_).Ingest(second);
  ASSERT_THAT(result, IsOk());
  const SnapshotReport report = Report(result->snapshot.id);
  ASSERT_EQ(report.stories.size(), 1u);
  EXPECT_EQ(report.stories[0].status, StoryStatus::kUpdated);
  EXPECT_EQ(report.stories[0].rule, MatchRule::kUrl);
}

// A live page's URL carries its headline as a slug and a stable id: the
// rewritten live, under another URL with the same id, is the same story; the
// next day's live, another id under the same kicker, is a new one.
TEST_F(IngestTest, JsonLinesUrlArticleIdKeepsStoryThroughARetitling) {
  IngestRequest first;
  first.captured_at = "2025-01-01T19:00:00Z";
  first.file_name = "a.jsonl";
  first.bytes =
      R"({"title": "Sommet, en direct : les dirigeants arrivent à Astana", "text": "Les délégations se sont installées dans la matinée.", "url": "https://ex.org/live/2025/01/01/sommet-en-direct-les-dirigeants-arrivent_6128449_3210.html"})"
      "\n";
  ASSERT_THAT(Ingester(store_.get(), params_).Ingest(first), IsOk());
  IngestRequest second = first;
  second.captured_at = "2025-01-02T19:00:00Z";
  second.bytes =
      R"({"title": "Sommet, en direct : un accord signé dans la nuit", "text": "Après deux jours de négociations, le texte a été adopté.", "url": "https://ex.org/live/2025/01/01/sommet-en-direct-un-accord-signe_6128449_3210.html"})"
      "\n"
      R"({"title": "Sommet, en direct : la deuxième journée commence", "text": "Les ministres reprennent leurs travaux ce matin.", "url": "https://ex.org/live/2025/01/02/sommet-en-direct-la-deuxieme-journee_6128921_3210.html"})"
      "\n";
  absl::StatusOr<IngestResult> result = Ingester(store_.get(), params_).Ingest(second);
  ASSERT_THAT(result, IsOk());
  const SnapshotReport report = Report(result->snapshot.id);
  ASSERT_EQ(report.stories.size(), 2u);
  EXPECT_EQ(report.updated_count, 1);
  EXPECT_EQ(report.new_count, 1);
  std::string live;
  for (const ReportEntry& entry : report.stories) {
    if (entry.status != StoryStatus::kUpdated) continue;
    EXPECT_EQ(entry.rule, MatchRule::kUrl);
    live = entry.story_id;
  }
  // A search by a URL never stored, with the live's id, finds it.
  StorySearch search;
  search.url = "https://ex.org/live/2025/01/01/sommet-en-direct-un-titre-de-plus_6128449_3210.html";
  absl::StatusOr<StorySearchResult> found = FindStories(store_.get(), search);
  ASSERT_THAT(found, IsOk());
  ASSERT_EQ(found->stories.size(), 1u);
  EXPECT_EQ(found->stories[0].id, live);
}

}  // namespace
}  // namespace newsdedup
