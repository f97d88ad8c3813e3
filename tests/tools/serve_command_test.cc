// `newsdedup serve` as a user runs it: the real binary on a free loopback
// port, beside `newsdedup ingest` processes writing the same store; and
// `report --format html`, the same page as a file.

#include <algorithm>
#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/testing/made_up_dumps.h"
#include "tests/tools/http_testing.h"
#include "tests/tools/run_command.h"

namespace newsdedup {
namespace {

using ::newsdedup::testing::BackgroundProcess;
using ::newsdedup::testing::Describe;
using ::newsdedup::testing::FreshTempDir;
using ::newsdedup::testing::HttpGet;
using ::newsdedup::testing::HttpReply;
using ::newsdedup::testing::Lines;
using ::newsdedup::testing::MadeUpNight;
using ::newsdedup::testing::ParseHtml;
using ::newsdedup::testing::RunNewsdedup;
using ::newsdedup::testing::SeedDates;
using ::newsdedup::testing::SeedFiles;
using ::newsdedup::testing::XmlDoc;
using ::newsdedup::testing::XPathCount;
using ::newsdedup::testing::XPathStrings;
using ::testing::HasSubstr;
using ::testing::SizeIs;

// Ingests seeds [first, last) as novastan into `db`.
testing::CommandResult IngestSeedRange(const std::string& db, size_t first, size_t last) {
  std::vector<std::string> args = {"ingest", "--db", db, "--source", "novastan"};
  for (size_t s = first; s < last; ++s) {
    args.push_back("--at");
    args.push_back(SeedDates()[s]);
  }
  for (size_t s = first; s < last; ++s) args.push_back(SeedFiles()[s]);
  return RunNewsdedup(args);
}

// `newsdedup serve` on a free port; port() is 0 when it did not start.
class ServeProcess {
 public:
  explicit ServeProcess(const std::string& db, std::vector<std::string> extra = {})
      : process_([&] {
          std::vector<std::string> argv = {NEWSDEDUP_BINARY, "serve", "--db",         db,
                                           "--listen",       ":0",    "--refresh-ms", "50"};
          argv.insert(argv.end(), extra.begin(), extra.end());
          return argv;
        }()) {
    const std::string port = process_.WaitForOutput(R"(listening on http://127\.0\.0\.1:([0-9]+) )",
                                                    std::chrono::seconds(30));
    if (!absl::SimpleAtoi(port, &port_)) port_ = 0;
  }
  int port() const { return port_; }
  BackgroundProcess& process() { return process_; }

 private:
  BackgroundProcess process_;
  int port_ = 0;
};

nlohmann::json GetJson(int port, const std::string& path) {
  const HttpReply reply = HttpGet(port, path);
  EXPECT_EQ(reply.status, 200) << path << ": " << reply.body.substr(0, 300);
  return nlohmann::json::parse(reply.body, nullptr, false);
}

// Polls /api/health until the server sees `snapshots` (or 20 s pass).
// Polls `condition` every 10 ms for up to 30 s; false when it never held.
template <typename Condition>
bool WaitUntil(Condition condition) {
  for (int attempt = 0; attempt < 3000; ++attempt) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return false;
}

bool WaitForSnapshots(int port, int snapshots) {
  for (int attempt = 0; attempt < 400; ++attempt) {
    const HttpReply reply = HttpGet(port, "/api/health");
    if (reply.status == 200 &&
        nlohmann::json::parse(reply.body, nullptr, false)["snapshots"] == snapshots) {
      return true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

TEST(ServeCommandTest, ListensOnLoopbackAndStopsCleanlyOnSigterm) {
  const std::string db = FreshTempDir("serve_cmd_basic") + "/db";
  ASSERT_EQ(IngestSeedRange(db, 0, 1).exit_code, 0);
  ServeProcess serve(db);
  ASSERT_NE(serve.port(), 0) << serve.process().err();
  EXPECT_THAT(serve.process().out(), HasSubstr("read-only"));
  EXPECT_EQ(GetJson(serve.port(), "/api/health")["snapshots"], 1);
  EXPECT_EQ(serve.process().Stop(SIGTERM), 0) << serve.process().err();
}

TEST(ServeCommandTest, BadSetupIsAOneLineError) {
  const std::string dir = FreshTempDir("serve_cmd_errors");
  const testing::CommandResult missing = RunNewsdedup({"serve", "--db", dir + "/none"});
  EXPECT_EQ(missing.exit_code, 1) << Describe(missing);
  EXPECT_THAT(Lines(missing.err), SizeIs(1));
  EXPECT_THAT(missing.err, HasSubstr("holds no newsdedup store"));
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"serve", "--db", dir, "--listen", "8080"},
        std::vector<std::string>{"serve", "--db", dir, "--listen", "127.0.0.1:99999"},
        std::vector<std::string>{"serve", "--db", dir, "--token", "short"},
        std::vector<std::string>{"serve", "--db", dir, "--refresh-ms", "0"},
        std::vector<std::string>{"serve"}}) {
    const testing::CommandResult result = RunNewsdedup(args);
    EXPECT_EQ(result.exit_code, 2) << Describe(result);
    EXPECT_THAT(Lines(result.err), SizeIs(1)) << Describe(result);
  }
}

TEST(ServeCommandTest, AnIngestRunsBesideTheServerAndIsSeenWhenCommitted) {
  const std::string db = FreshTempDir("serve_cmd_ingest") + "/db";
  ASSERT_EQ(IngestSeedRange(db, 0, 2).exit_code, 0);
  ServeProcess serve(db);
  ASSERT_NE(serve.port(), 0) << serve.process().err();
  EXPECT_EQ(GetJson(serve.port(), "/api/health")["snapshots"], 2);
  // The server holds no lock: the nightly job writes while it serves.
  const testing::CommandResult ingest = IngestSeedRange(db, 2, 5);
  ASSERT_EQ(ingest.exit_code, 0) << Describe(ingest);
  ASSERT_TRUE(WaitForSnapshots(serve.port(), 5));
  const testing::CommandResult cli =
      RunNewsdedup({"report", "--db", db, "--snapshot", "latest", "--format", "json"});
  ASSERT_EQ(cli.exit_code, 0) << Describe(cli);
  EXPECT_EQ(GetJson(serve.port(), "/api/snapshots/latest"), nlohmann::json::parse(cli.out));
  EXPECT_EQ(GetJson(serve.port(), "/api/snapshots/4")["counts"]["updated"], 1);
}

// Readers hammer the latest report while large nights are committed: each
// answer is a whole snapshot (every item in one entry), never half of one.
TEST(ServeCommandTest, ReadersDuringAnIngestSeeEachSnapshotWholeOrNotAtAll) {
  const std::string dir = FreshTempDir("serve_cmd_whole");
  const std::string db = dir + "/db";
  std::vector<std::string> args = {"ingest", "--db", db, "--source", "gen"};
  for (int night = 1; night <= 4; ++night) {
    testing::WriteWholeFile(absl::StrCat(dir, "/night", night, ".txt"),
                            MadeUpNight(night, 3000, 40));
  }
  ASSERT_EQ(RunNewsdedup({"ingest", "--db", db, "--source", "gen", "--at", "2025-01-01",
                          dir + "/night1.txt"})
                .exit_code,
            0);
  ServeProcess serve(db);
  ASSERT_NE(serve.port(), 0) << serve.process().err();
  std::atomic<bool> done{false};
  std::atomic<int> answers{0};
  std::atomic<int> newest_seen{0};
  std::atomic<bool> saw_first{false};
  std::thread reader([&] {
    while (!done.load()) {
      const HttpReply reply = HttpGet(serve.port(), "/api/snapshots/latest");
      ASSERT_EQ(reply.status, 200) << reply.body.substr(0, 300);
      const nlohmann::json report = nlohmann::json::parse(reply.body, nullptr, false);
      size_t items = 0;
      for (const nlohmann::json& story : report["stories"]) items += story["items"].size();
      ASSERT_EQ(items, report["snapshot"]["items"].get<size_t>())
          << "snapshot " << report["snapshot"]["id"] << " seen half-committed";
      const int id = report["snapshot"]["id"].get<int>();
      if (id == 1) saw_first = true;
      newest_seen = std::max(newest_seen.load(), id);
      ++answers;
    }
  });
  // The first answer comes before the ingest starts, so it is snapshot 1.
  EXPECT_TRUE(WaitUntil([&] { return answers.load() > 0; }));
  const testing::CommandResult ingest = RunNewsdedup(
      {"ingest", "--db", db, "--source", "gen", "--at", "2025-01-02", "--at", "2025-01-03", "--at",
       "2025-01-04", dir + "/night2.txt", dir + "/night3.txt", dir + "/night4.txt"});
  EXPECT_EQ(ingest.exit_code, 0) << Describe(ingest);
  EXPECT_TRUE(WaitForSnapshots(serve.port(), 4));
  // A request begun before the last commit was seen still answers with the
  // state before it: the reader goes on until an answer shows the last night.
  EXPECT_TRUE(WaitUntil([&] { return newest_seen.load() == 4; }));
  done = true;
  reader.join();
  EXPECT_TRUE(saw_first.load()) << "the reader saw the first state";
  EXPECT_EQ(newest_seen.load(), 4) << "the reader saw the last state";
  ::testing::Test::RecordProperty("answers", answers.load());
  std::filesystem::remove_all(dir);
}

TEST(ReportHtmlTest, WritesTheSnapshotPageAsAFileThatStandsAlone) {
  const std::string db = FreshTempDir("report_html") + "/db";
  ASSERT_EQ(IngestSeedRange(db, 0, 5).exit_code, 0);
  const testing::CommandResult html =
      RunNewsdedup({"report", "--db", db, "--snapshot", "2", "--format", "html"});
  ASSERT_EQ(html.exit_code, 0) << Describe(html);
  const XmlDoc file = ParseHtml(html.out);
  ASSERT_NE(file, nullptr);
  EXPECT_EQ(XPathCount(file.get(), "//head/style"), 1u) << "the stylesheet inline";
  EXPECT_EQ(XPathCount(file.get(), "//link[@rel='stylesheet']"), 0u);
  EXPECT_EQ(XPathCount(file.get(), "//a[starts-with(@href,'/')]"), 0u)
      << "no links to a server that is not there";
  // The same entries as the server's page of that snapshot.
  ServeProcess serve(db);
  ASSERT_NE(serve.port(), 0);
  const XmlDoc page = ParseHtml(HttpGet(serve.port(), "/snapshots/2").body);
  const std::vector<std::string> stories = XPathStrings(file.get(), "//li/@data-story");
  EXPECT_THAT(stories, SizeIs(17 + 4 + 17));
  EXPECT_EQ(stories, XPathStrings(page.get(), "//li/@data-story"));
  EXPECT_EQ(XPathStrings(file.get(), "//ul[@class='counts']/li"),
            XPathStrings(page.get(), "//ul[@class='counts']/li"));
  const testing::CommandResult bad = RunNewsdedup({"report", "--db", db, "--format", "pdf"});
  EXPECT_EQ(bad.exit_code, 2) << Describe(bad);
}

}  // namespace
}  // namespace newsdedup
