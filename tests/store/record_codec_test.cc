#include "store/record_codec.h"

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/status_matchers.h"

namespace newsdedup {
namespace {

using ::newsdedup::testing::IsOk;
using ::newsdedup::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

SnapshotRecord SampleSnapshot() {
  SnapshotRecord snapshot;
  snapshot.id = 42;
  snapshot.source = "novastan";
  snapshot.captured_at = "2025-08-15T00:00:00Z";
  snapshot.file = "003_article.txt";
  snapshot.content_hash = "0123456789abcdef";
  snapshot.kind = SnapshotKind::kArticle;
  snapshot.format = DumpFormat::kArticle;
  snapshot.item_count = 3;
  snapshot.warnings = {"line 7: empty title", "é ünïcode"};
  return snapshot;
}

ItemRecord SampleItem() {
  ItemRecord item;
  item.position = 2;
  item.story_id = "s-000002";
  item.version_id = 300;
  item.status = StoryStatus::kUpdated;
  item.change = ChangeClass::kExpanded;
  item.rule = MatchRule::kContainment;
  item.in_snapshot = true;
  item.previous_version_id = 7;
  item.previous_versions = {7, 8};
  item.similarity = 0.09;
  item.containment = 1.0;
  item.returned = true;
  return item;
}

StoryRecord SampleStory() {
  StoryRecord story;
  story.id = "s-000002";
  story.title = "UE-Asie centrale : Kaja Kallas";
  story.url = "https://example.org/kallas";
  story.first_seen = "2025-03-29T00:00:00Z";
  story.last_seen = "2025-08-15T00:00:00Z";
  story.first_snapshot = 1;
  story.last_snapshot = 4;
  story.versions = {7, 300, std::numeric_limits<uint64_t>::max()};
  story.canonical_version = 300;
  story.first_source = "novastan";
  story.appearances = {
      {.source = "novastan", .kind = SnapshotKind::kListing, .snapshot = 1,
       .captured_at = "2025-03-29T00:00:00Z", .versions = {7}},
      {.source = "novastan", .kind = SnapshotKind::kArticle, .snapshot = 4,
       .captured_at = "2025-08-15T00:00:00Z", .versions = {300, 301}}};
  return story;
}

VersionRecord SampleVersion() {
  VersionRecord version;
  version.id = 300;
  version.story_id = "s-000002";
  version.title = "UE-Asie centrale";
  version.lede = "La haute représentante…";
  version.body = std::string(5000, 'x') + std::string("\0nul inside", 11);
  version.matching_hash = 0xfedcba9876543210;
  version.canonical_hash = 1;
  version.first_seen = "2025-08-15T00:00:00Z";
  version.last_seen = "2025-09-26T00:00:00Z";
  version.snapshots = {4, 5};
  version.rule = MatchRule::kContainment;
  version.url_hash = 0x1234;
  version.similarity = 0.09;
  version.containment = 1.0;
  return version;
}

TEST(RecordCodecTest, SnapshotRoundTrips) {
  const SnapshotRecord snapshot = SampleSnapshot();
  absl::StatusOr<SnapshotRecord> decoded =
      DecodeSnapshot(EncodeSnapshot(snapshot));
  ASSERT_THAT(decoded, IsOk());
  EXPECT_EQ(decoded->id, snapshot.id);
  EXPECT_EQ(decoded->source, snapshot.source);
  EXPECT_EQ(decoded->captured_at, snapshot.captured_at);
  EXPECT_EQ(decoded->file, snapshot.file);
  EXPECT_EQ(decoded->content_hash, snapshot.content_hash);
  EXPECT_EQ(decoded->kind, snapshot.kind);
  EXPECT_EQ(decoded->format, snapshot.format);
  EXPECT_EQ(decoded->item_count, snapshot.item_count);
  EXPECT_EQ(decoded->warnings, snapshot.warnings);
}

TEST(RecordCodecTest, ItemRoundTrips) {
  const ItemRecord item = SampleItem();
  absl::StatusOr<ItemRecord> decoded = DecodeItem(EncodeItem(item));
  ASSERT_THAT(decoded, IsOk());
  EXPECT_EQ(decoded->position, item.position);
  EXPECT_EQ(decoded->story_id, item.story_id);
  EXPECT_EQ(decoded->version_id, item.version_id);
  EXPECT_EQ(decoded->status, item.status);
  EXPECT_EQ(decoded->change, item.change);
  EXPECT_EQ(decoded->rule, item.rule);
  EXPECT_EQ(decoded->in_snapshot, item.in_snapshot);
  EXPECT_EQ(decoded->previous_version_id, item.previous_version_id);
  EXPECT_EQ(decoded->previous_versions, item.previous_versions);
  EXPECT_EQ(decoded->similarity, item.similarity);
  EXPECT_EQ(decoded->containment, item.containment);
  EXPECT_EQ(decoded->returned, item.returned);
}

TEST(RecordCodecTest, StoryRoundTrips) {
  const StoryRecord story = SampleStory();
  absl::StatusOr<StoryRecord> decoded = DecodeStory(EncodeStory(story));
  ASSERT_THAT(decoded, IsOk());
  EXPECT_EQ(decoded->id, story.id);
  EXPECT_EQ(decoded->title, story.title);
  EXPECT_EQ(decoded->url, story.url);
  EXPECT_EQ(decoded->first_seen, story.first_seen);
  EXPECT_EQ(decoded->last_seen, story.last_seen);
  EXPECT_EQ(decoded->first_snapshot, story.first_snapshot);
  EXPECT_EQ(decoded->last_snapshot, story.last_snapshot);
  EXPECT_EQ(decoded->versions, story.versions);
  EXPECT_EQ(decoded->canonical_version, story.canonical_version);
  EXPECT_EQ(decoded->first_source, story.first_source);
  ASSERT_EQ(decoded->appearances.size(), story.appearances.size());
  for (size_t a = 0; a < story.appearances.size(); ++a) {
    EXPECT_EQ(decoded->appearances[a].source, story.appearances[a].source);
    EXPECT_EQ(decoded->appearances[a].kind, story.appearances[a].kind);
    EXPECT_EQ(decoded->appearances[a].snapshot, story.appearances[a].snapshot);
    EXPECT_EQ(decoded->appearances[a].captured_at, story.appearances[a].captured_at);
    EXPECT_EQ(decoded->appearances[a].versions, story.appearances[a].versions);
  }
}

TEST(RecordCodecTest, VersionAndItsTextsRoundTripApart) {
  const VersionRecord version = SampleVersion();
  const std::string record = EncodeVersion(version);
  // Texts live elsewhere: the record stays small however long the body.
  EXPECT_LT(record.size(), 200u);
  absl::StatusOr<VersionRecord> decoded = DecodeVersion(record);
  ASSERT_THAT(decoded, IsOk());
  EXPECT_EQ(decoded->id, version.id);
  EXPECT_EQ(decoded->story_id, version.story_id);
  EXPECT_EQ(decoded->matching_hash, version.matching_hash);
  EXPECT_EQ(decoded->canonical_hash, version.canonical_hash);
  EXPECT_EQ(decoded->url_hash, version.url_hash);
  EXPECT_EQ(decoded->first_seen, version.first_seen);
  EXPECT_EQ(decoded->last_seen, version.last_seen);
  EXPECT_EQ(decoded->snapshots, version.snapshots);
  EXPECT_EQ(decoded->rule, version.rule);
  EXPECT_EQ(decoded->similarity, version.similarity);
  EXPECT_EQ(decoded->containment, version.containment);
  EXPECT_EQ(decoded->title, version.title);  // Reports name versions by it.
  EXPECT_THAT(decoded->lede, IsEmpty());
  EXPECT_THAT(decoded->body, IsEmpty());

  ASSERT_THAT(DecodeVersionTexts(EncodeVersionTexts(version), &*decoded),
              IsOk());
  EXPECT_EQ(decoded->title, version.title);
  EXPECT_EQ(decoded->lede, version.lede);
  EXPECT_EQ(decoded->body, version.body);
}

// The article id of a URL was added to version records after stores were
// written: a record without it reads as having none, and one with it keeps
// it.
TEST(RecordCodecTest, VersionUrlArticleIdIsOptional) {
  VersionRecord version = SampleVersion();
  const std::string without = EncodeVersion(version);
  absl::StatusOr<VersionRecord> decoded = DecodeVersion(without);
  ASSERT_THAT(decoded, IsOk());
  EXPECT_EQ(decoded->url_key_hash, 0u);
  version.url_key_hash = 0xfeedbeef;
  const std::string with = EncodeVersion(version);
  EXPECT_GT(with.size(), without.size());
  decoded = DecodeVersion(with);
  ASSERT_THAT(decoded, IsOk());
  EXPECT_EQ(decoded->url_key_hash, version.url_key_hash);
  EXPECT_EQ(decoded->containment, version.containment);
}

TEST(RecordCodecTest, CountersRoundTrip) {
  const StoreCounters counters{.last_snapshot_id = 5,
                               .last_story_number = 1u << 20,
                               .last_version_id = 1ull << 40};
  absl::StatusOr<StoreCounters> decoded =
      DecodeCounters(EncodeCounters(counters));
  ASSERT_THAT(decoded, IsOk());
  EXPECT_EQ(decoded->last_snapshot_id, counters.last_snapshot_id);
  EXPECT_EQ(decoded->last_story_number, counters.last_story_number);
  EXPECT_EQ(decoded->last_version_id, counters.last_version_id);
}

TEST(RecordCodecTest, StartsWithTheFormatVersion) {
  EXPECT_EQ(EncodeItem(SampleItem())[0], kRecordFormatVersion);
  EXPECT_EQ(EncodeCounters(StoreCounters())[0], kRecordFormatVersion);
}

TEST(RecordCodecTest, PinsTheItemLayout) {
  ItemRecord item;
  item.position = 300;
  item.story_id = "s";
  item.version_id = 1;
  item.returned = true;
  // version 4, varint 300, "s", 1, status, change and rule bytes, false, 0,
  // an empty list, two doubles, true.
  const std::string expected =
      std::string("\x04\xac\x02\x01s\x01\x00\x00\x00\x00\x00\x00", 12) +
      std::string(16, '\0') + "\x01";
  EXPECT_EQ(EncodeItem(item), expected);
}

TEST(RecordCodecTest, TransitionEvidenceFollowsOnlyTheTransitionRule) {
  ItemRecord item = SampleItem();
  item.rule = MatchRule::kTransition;
  item.change = ChangeClass::kRewritten;
  item.transition = {.title_similarity = 0.5, .lead_similarity = 0.25, .shared = 3,
                     .previous_position = 7, .position = 2};
  const std::string with = EncodeItem(item);
  absl::StatusOr<ItemRecord> decoded = DecodeItem(with);
  ASSERT_THAT(decoded, IsOk());
  EXPECT_EQ(decoded->rule, MatchRule::kTransition);
  EXPECT_EQ(decoded->change, ChangeClass::kRewritten);
  EXPECT_EQ(decoded->transition.title_similarity, 0.5);
  EXPECT_EQ(decoded->transition.lead_similarity, 0.25);
  EXPECT_EQ(decoded->transition.shared, 3);
  EXPECT_EQ(decoded->transition.previous_position, 7u);
  EXPECT_EQ(decoded->transition.position, 2u);
  // Two doubles and three one-byte varints more than under another rule.
  item.rule = MatchRule::kNearDuplicate;
  EXPECT_EQ(with.size(), EncodeItem(item).size() + 19);
  // Cut short, the evidence is corrupt, not silently zero.
  EXPECT_FALSE(DecodeItem(with.substr(0, with.size() - 1)).ok());
}

TEST(RecordCodecTest, TextHistoryRoundTripsAndRefusesMoreRecentThanCounted) {
  TextHistory history;
  for (uint64_t story : {5, 9, 5, 12}) history.Add(story);
  absl::StatusOr<TextHistory> decoded = DecodeTextHistory(EncodeTextHistory(history));
  ASSERT_THAT(decoded, IsOk());
  EXPECT_EQ(decoded->partners, 3u);
  EXPECT_THAT(decoded->recent, ElementsAre(5u, 9u, 12u));
  TextHistory broken;
  broken.partners = 1;
  broken.recent = {1, 2};
  EXPECT_FALSE(DecodeTextHistory(EncodeTextHistory(broken)).ok());
}

TEST(RecordCodecTest, ConcatenatedPostingListsDecodeAsOneList) {
  std::string postings;
  const std::vector<uint64_t> first = {1, 300};
  const std::vector<uint64_t> second = {std::numeric_limits<uint64_t>::max()};
  AppendPostings(first, &postings);
  AppendPostings(second, &postings);
  EXPECT_THAT(DecodePostings(postings),
              newsdedup::testing::IsOkAndHolds(
                  ElementsAre(1u, 300u, std::numeric_limits<uint64_t>::max())));
  EXPECT_THAT(DecodePostings(""), newsdedup::testing::IsOkAndHolds(IsEmpty()));
}

TEST(RecordCodecTest, EveryTruncationIsDataLoss) {
  const auto expect_data_loss = [](const std::string& record,
                                   const auto& decode) {
    for (size_t size = 0; size < record.size(); ++size) {
      EXPECT_THAT(decode(record.substr(0, size)),
                  StatusIs(absl::StatusCode::kDataLoss))
          << "truncated to " << size << " of " << record.size() << " bytes";
    }
  };
  expect_data_loss(EncodeSnapshot(SampleSnapshot()), DecodeSnapshot);
  expect_data_loss(EncodeItem(SampleItem()), DecodeItem);
  expect_data_loss(EncodeStory(SampleStory()), DecodeStory);
  expect_data_loss(EncodeVersion(SampleVersion()), DecodeVersion);
  expect_data_loss(EncodeCounters({.last_snapshot_id = 300}), DecodeCounters);
  VersionRecord version;
  expect_data_loss(EncodeVersionTexts(SampleVersion()),
                   [&](std::string_view bytes) {
                     return DecodeVersionTexts(bytes, &version);
                   });
  // A posting list cut inside a varint.
  std::string postings;
  const std::vector<uint64_t> ids = {1ull << 40};
  AppendPostings(ids, &postings);
  postings.pop_back();
  EXPECT_THAT(DecodePostings(postings), StatusIs(absl::StatusCode::kDataLoss));
}

TEST(RecordCodecTest, UnknownVersionAndTrailingBytesAreDataLoss) {
  std::string record = EncodeItem(SampleItem());
  EXPECT_THAT(DecodeItem(record + "x"), StatusIs(absl::StatusCode::kDataLoss));
  record[0] = 2;  // The previous format, no longer read.
  EXPECT_THAT(DecodeItem(record), StatusIs(absl::StatusCode::kDataLoss));
}

TEST(RecordCodecTest, EnumOutOfRangeIsDataLoss) {
  std::string record = EncodeItem(SampleItem());
  // The status byte follows the position, story id and version id.
  const size_t status_at = 1 + 1 + 1 + SampleItem().story_id.size() + 2;
  ASSERT_EQ(record[status_at], static_cast<char>(StoryStatus::kUpdated));
  record[status_at] = 9;
  EXPECT_THAT(DecodeItem(record), StatusIs(absl::StatusCode::kDataLoss));
}

TEST(RecordCodecTest, HugeLengthsAreDataLossNotAllocations) {
  // A snapshot of zeros and empty strings whose warnings list claims 2^63
  // elements with no bytes behind them.
  const std::string huge_list =
      std::string("\x03\x00\x00\x00\x00\x00\x00\x00\x00", 9) +
      "\x80\x80\x80\x80\x80\x80\x80\x80\x80\x01";
  EXPECT_THAT(DecodeSnapshot(huge_list), StatusIs(absl::StatusCode::kDataLoss));
  const std::string overlong_varint =
      "\x03\xff\xff\xff\xff\xff\xff\xff\xff\xff\x7f";
  EXPECT_THAT(DecodeCounters(overlong_varint),
              StatusIs(absl::StatusCode::kDataLoss));
  EXPECT_THAT(DecodePostings("\x80"), StatusIs(absl::StatusCode::kDataLoss));
}

TEST(RecordCodecTest, RandomBytesNeverCrash) {
  uint64_t state = 12345;
  for (int round = 0; round < 20000; ++round) {
    std::string bytes(state % 64, '\0');
    for (char& byte : bytes) {
      state = state * 6364136223846793005ull + 1442695040888963407ull;
      byte = static_cast<char>(state >> 56);
    }
    bytes.insert(bytes.begin(), static_cast<char>(kRecordFormatVersion));
    // Any outcome but a crash will do; most are DataLoss.
    (void)DecodeSnapshot(bytes);
    (void)DecodeItem(bytes);
    (void)DecodeStory(bytes);
    (void)DecodeVersion(bytes);
    VersionRecord version;
    (void)DecodeVersionTexts(bytes, &version);
    (void)DecodeCounters(bytes);
    (void)DecodePostings(bytes);
  }
}

}  // namespace
}  // namespace newsdedup
