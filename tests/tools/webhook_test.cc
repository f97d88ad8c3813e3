// Webhooks against a real HTTP listener on a loopback port: what is sent,
// when it is retried, and that `ingest --notify` never fails an ingest.

#include "tools/webhook.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "httplib.h"
#include "nlohmann/json.hpp"
#include "tests/testing/status_matchers.h"
#include "tests/tools/run_command.h"

namespace newsdedup {
namespace {

using ::newsdedup::testing::Describe;
using ::newsdedup::testing::FreshTempDir;
using ::newsdedup::testing::IsOk;
using ::newsdedup::testing::Lines;
using ::newsdedup::testing::RunNewsdedup;
using ::newsdedup::testing::SeedFiles;
using ::newsdedup::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::SizeIs;

// A webhook receiver: answers each POST with the next status of `statuses`
// (the last one repeats), after `delay`, and records what it got.
class Listener {
 public:
  explicit Listener(std::vector<int> statuses,
                    std::chrono::milliseconds delay = std::chrono::milliseconds(0))
      : statuses_(std::move(statuses)), delay_(delay) {
    server_.Post("/hook", [this](const httplib::Request& req, httplib::Response& res) {
      std::this_thread::sleep_for(delay_);
      std::lock_guard<std::mutex> lock(mutex_);
      bodies_.push_back(req.body);
      content_types_.push_back(req.get_header_value("Content-Type"));
      res.status = statuses_[std::min(bodies_.size(), statuses_.size()) - 1];
      res.set_content("{}", "application/json");
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
  }
  ~Listener() {
    server_.stop();
    thread_.join();
  }

  std::string url() const { return absl::StrCat("http://127.0.0.1:", port_, "/hook"); }
  std::vector<std::string> bodies() {
    std::lock_guard<std::mutex> lock(mutex_);
    return bodies_;
  }
  std::vector<std::string> content_types() {
    std::lock_guard<std::mutex> lock(mutex_);
    return content_types_;
  }

 private:
  const std::vector<int> statuses_;
  const std::chrono::milliseconds delay_;
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  std::mutex mutex_;
  std::vector<std::string> bodies_;
  std::vector<std::string> content_types_;
};

// A loopback port nothing listens on: bound, then closed.
std::string RefusingUrl() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof(address);
  EXPECT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)), 0);
  EXPECT_EQ(getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length), 0);
  close(fd);
  return absl::StrCat("http://127.0.0.1:", ntohs(address.sin_port), "/hook");
}

WebhookOptions Quick() {
  WebhookOptions options;
  options.timeout_seconds = 2;
  options.backoff_seconds = 0.01;
  return options;
}

TEST(WebhookTest, PostsTheJsonOnce) {
  Listener listener({200});
  EXPECT_THAT(PostJson(listener.url(), R"({"counts": {}})", Quick()), IsOk());
  EXPECT_THAT(listener.bodies(), ElementsAre(R"({"counts": {}})"));
  EXPECT_THAT(listener.content_types(), ElementsAre("application/json"));
}

TEST(WebhookTest, ServerErrorsAreRetried) {
  Listener listener({500, 503, 204});
  EXPECT_THAT(PostJson(listener.url(), "{}", Quick()), IsOk());
  EXPECT_THAT(listener.bodies(), SizeIs(3));
}

TEST(WebhookTest, GivesUpAfterTheLastAttempt) {
  Listener listener({503});
  const absl::Status status = PostJson(listener.url(), "{}", Quick());
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kUnavailable));
  EXPECT_THAT(status.message(), HasSubstr("failed after 3 attempts: HTTP 503"));
  EXPECT_THAT(listener.bodies(), SizeIs(3));
}

TEST(WebhookTest, ClientErrorsAreNotRetried) {
  Listener listener({404});
  EXPECT_THAT(PostJson(listener.url(), "{}", Quick()),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_THAT(listener.bodies(), SizeIs(1));
}

TEST(WebhookTest, TooManyRequestsIsRetried) {
  Listener listener({429, 200});
  EXPECT_THAT(PostJson(listener.url(), "{}", Quick()), IsOk());
  EXPECT_THAT(listener.bodies(), SizeIs(2));
}

TEST(WebhookTest, NobodyListeningIsUnavailable) {
  const absl::Status status = PostJson(RefusingUrl(), "{}", Quick());
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kUnavailable));
  EXPECT_THAT(std::string(status.message()), HasSubstr("failed after 3 attempts: Connection"));
}

TEST(WebhookTest, ASlowReceiverTimesOut) {
  Listener listener({200}, std::chrono::milliseconds(1500));
  WebhookOptions options = Quick();
  options.timeout_seconds = 0.2;
  options.attempts = 2;
  const auto start = std::chrono::steady_clock::now();
  EXPECT_THAT(PostJson(listener.url(), "{}", options), StatusIs(absl::StatusCode::kUnavailable));
  // Not a speed target: without the timeout each attempt would wait for
  // the receiver's 1.5 s.
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(1400));
}

TEST(WebhookTest, OnlyHttpUrlsWithAHostAreAccepted) {
  EXPECT_THAT(ValidateWebhookUrl("http://127.0.0.1:8080/hook"), IsOk());
  EXPECT_THAT(ValidateWebhookUrl("HTTPS://hooks.example.org"), IsOk());
  for (const char* bad : {"ftp://x/y", "127.0.0.1:80/hook", "http://", "http:///path",
                          "http://user@host/", "javascript:alert(1)", ""}) {
    EXPECT_THAT(ValidateWebhookUrl(bad), StatusIs(absl::StatusCode::kInvalidArgument)) << bad;
  }
}

TEST(WebhookTest, NotifyFilesSkipCommentsAndNameTheBadLine) {
  absl::StatusOr<std::vector<std::string>> urls =
      ParseWebhookList("# nightly hooks\n\nhttp://a.example/x\n  https://b.example/y  \n");
  ASSERT_THAT(urls, IsOk());
  EXPECT_THAT(*urls, ElementsAre("http://a.example/x", "https://b.example/y"));
  absl::StatusOr<std::vector<std::string>> bad = ParseWebhookList("http://a.example/x\nnope\n");
  EXPECT_THAT(bad, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(bad.status().message(), HasSubstr("line 2"));
}

// The real binary: the report each webhook gets is the report ingest prints.
TEST(IngestNotifyTest, EachNewSnapshotsReportIsPostedAfterTheCommit) {
  Listener listener({200});
  const std::string db = FreshTempDir("notify_ingest") + "/db";
  const std::vector<std::string> seeds = SeedFiles();
  const testing::CommandResult ingest = RunNewsdedup(
      {"ingest", "--db", db, "--source", "novastan", "--at", "2025-03-29", "--at", "2025-05-02",
       "--format", "json", "--notify", listener.url(), seeds[0], seeds[1]});
  ASSERT_EQ(ingest.exit_code, 0) << Describe(ingest);
  const std::vector<std::string> printed = Lines(ingest.out);
  const std::vector<std::string> posted = listener.bodies();
  ASSERT_THAT(posted, SizeIs(2));
  for (size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(nlohmann::json::parse(posted[i]), nlohmann::json::parse(printed[i]));
  }
  // Already ingested: nothing new, nothing posted.
  const testing::CommandResult again =
      RunNewsdedup({"ingest", "--db", db, "--source", "novastan", "--at", "2025-03-29", "--notify",
                    listener.url(), seeds[0]});
  ASSERT_EQ(again.exit_code, 0) << Describe(again);
  EXPECT_THAT(listener.bodies(), SizeIs(2));
}

TEST(IngestNotifyTest, AFailedWebhookIsOneWarningAndTheIngestStands) {
  Listener failing({500});
  const std::string dir = FreshTempDir("notify_failing");
  const std::string db = dir + "/db";
  testing::WriteWholeFile(dir + "/hooks.txt",
                          absl::StrCat("# two hooks\n", RefusingUrl(), "\n", failing.url(), "\n"));
  const testing::CommandResult ingest =
      RunNewsdedup({"ingest", "--db", db, "--notify-file", dir + "/hooks.txt", "--notify-timeout",
                    "1", SeedFiles()[0]});
  EXPECT_EQ(ingest.exit_code, 0) << Describe(ingest);
  const std::vector<std::string> warnings = Lines(ingest.err);
  ASSERT_THAT(warnings, SizeIs(2)) << ingest.err;
  for (const std::string& warning : warnings) {
    EXPECT_THAT(warning, HasSubstr("warning: webhook http://127.0.0.1:"));
    EXPECT_THAT(warning, HasSubstr("(the snapshot stays ingested)"));
  }
  EXPECT_THAT(failing.bodies(), SizeIs(3)) << "three attempts";
  const testing::CommandResult report = RunNewsdedup({"report", "--db", db, "--format", "json"});
  ASSERT_EQ(report.exit_code, 0) << Describe(report);
  EXPECT_EQ(nlohmann::json::parse(report.out)["snapshot"]["id"], 1);
}

TEST(IngestNotifyTest, ABadWebhookUrlIsAUsageErrorBeforeAnythingIsIngested) {
  const std::string db = FreshTempDir("notify_bad") + "/db";
  const testing::CommandResult ingest =
      RunNewsdedup({"ingest", "--db", db, "--notify", "hooks.example/x", SeedFiles()[0]});
  EXPECT_EQ(ingest.exit_code, 2) << Describe(ingest);
  EXPECT_THAT(Lines(ingest.err), SizeIs(1));
  EXPECT_THAT(ingest.err, HasSubstr("--notify"));
  EXPECT_FALSE(std::filesystem::exists(db)) << "no store was created";
}

}  // namespace
}  // namespace newsdedup
