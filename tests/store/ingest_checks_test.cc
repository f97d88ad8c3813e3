#include "store/ingest_checks.h"

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "store/ingest.h"
#include "tests/testing/status_matchers.h"

namespace newsdedup {
namespace {

using ::newsdedup::testing::IsOk;
using ::newsdedup::testing::StatusIs;
using ::testing::Optional;

std::string ReadSeed(const std::string& name) {
  std::ifstream in(std::string(NEWSDEDUP_SOURCE_DIR) + "/seeds/" + name, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), {});
}

const std::string& Seed0() {
  static const std::string* bytes = new std::string(ReadSeed("000_cf8142584f5eb925.txt"));
  return *bytes;
}
const std::string& Seed1() {
  static const std::string* bytes = new std::string(ReadSeed("001_8a463b74158542bd.txt"));
  return *bytes;
}

IngestRequest Request(const std::string& at, std::string bytes,
                      IngestChecks checks = IngestChecks::Nightly()) {
  IngestRequest request;
  request.source = "novastan";
  request.captured_at = at;
  request.file_name = "dump.txt";
  request.bytes = std::move(bytes);
  request.checks = std::move(checks);
  return request;
}

class IngestChecksTest : public ::testing::Test {
 protected:
  void SetUp() override {
    StoryStore::Options options;
    options.in_memory = true;
    absl::StatusOr<std::unique_ptr<StoryStore>> store =
        StoryStore::Open("/ingest-checks-test", params_.Describe(), options);
    ASSERT_THAT(store, IsOk());
    store_ = std::move(*store);
    ASSERT_THAT(Ingest(Request("2025-03-29T00:00:00Z", Seed0())), IsOk());
  }

  absl::StatusOr<IngestResult> Ingest(const IngestRequest& request) {
    return Ingester(store_.get(), params_, 1).Ingest(request);
  }

  MatchParams params_;
  std::unique_ptr<StoryStore> store_;
};

TEST_F(IngestChecksTest, DefaultChecksNothing) {
  EXPECT_THAT(Ingest(Request("2025-03-01T00:00:00Z", "", IngestChecks())), IsOk());
}

TEST_F(IngestChecksTest, EmptyAndTitleOnlyDumpsAreRefusedWhenParsed) {
  absl::StatusOr<PreparedDump> empty = Ingester::Prepare(Request("2025-05-02T00:00:00Z", "\n \n"));
  EXPECT_THAT(empty, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(RefusedBy(empty.status()), Optional(IngestCheck::kEmpty));
  IngestRequest titles = Request("2025-05-02T00:00:00Z", "{\"title\": \"Un titre\"}\n");
  absl::StatusOr<PreparedDump> no_text = Ingester::Prepare(std::move(titles));
  EXPECT_THAT(RefusedBy(no_text.status()), Optional(IngestCheck::kNoText));
}

TEST_F(IngestChecksTest, ShrunkListingPastAndFutureAreRefusedByTheirCheck) {
  absl::StatusOr<IngestResult> cut = Ingest(Request("2025-05-02T00:00:00Z", Seed1().substr(0, 700)));
  EXPECT_THAT(RefusedBy(cut.status()), Optional(IngestCheck::kShrunk));
  absl::StatusOr<IngestResult> past = Ingest(Request("2025-03-28T00:00:00Z", Seed1()));
  EXPECT_THAT(RefusedBy(past.status()), Optional(IngestCheck::kPast));
  IngestChecks checks = IngestChecks::Nightly();
  checks.latest_allowed_time = "2025-06-01T00:00:00Z";
  absl::StatusOr<IngestResult> future = Ingest(Request("2025-07-01T00:00:00Z", Seed1(), checks));
  EXPECT_THAT(RefusedBy(future.status()), Optional(IngestCheck::kFuture));
  EXPECT_EQ(RefusedBy(absl::InvalidArgumentError("other")), std::nullopt);
  EXPECT_EQ(store_->GetCounters()->last_snapshot_id, 1u);
}

TEST_F(IngestChecksTest, SameTimeAndSameDumpAgainPass) {
  // Another file of the same capture, and the same file again (a no-op).
  EXPECT_THAT(Ingest(Request("2025-03-29T00:00:00Z", Seed1())), IsOk());
  absl::StatusOr<IngestResult> again = Ingest(Request("2025-03-29T00:00:00Z", Seed0()));
  ASSERT_THAT(again, IsOk());
  EXPECT_TRUE(again->already_ingested);
}

TEST_F(IngestChecksTest, CheckerCountsTheDumpsItCheckedAsIngested) {
  IngestChecker checker(store_.get());
  absl::StatusOr<PreparedDump> july = Ingester::Prepare(Request("2025-07-31T00:00:00Z", Seed1()));
  absl::StatusOr<PreparedDump> may = Ingester::Prepare(Request("2025-05-02T00:00:00Z", Seed1()));
  absl::StatusOr<PreparedDump> august_cut =
      Ingester::Prepare(Request("2025-08-01T00:00:00Z", Seed1().substr(0, 700)));
  ASSERT_THAT(july, IsOk());
  EXPECT_THAT(checker.Check(*july), IsOk());
  // Before the July dump checked, though nothing of it is stored yet.
  EXPECT_THAT(RefusedBy(checker.Check(*may)), Optional(IngestCheck::kPast));
  // Compared with the July listing checked, not the stored March one.
  absl::Status cut = checker.Check(*august_cut);
  EXPECT_THAT(RefusedBy(cut), Optional(IngestCheck::kShrunk));
  EXPECT_THAT(std::string(cut.message()), ::testing::HasSubstr("(2025-07-31T00:00:00Z)"));
}

}  // namespace
}  // namespace newsdedup
