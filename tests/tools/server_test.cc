// The server on a free loopback port over a real store of the five seeds:
// each endpoint's status and JSON shape, the feed parsed as XML, the pages
// parsed as HTML, the caps, the errors and the token for writes.

#include "tools/server.h"

#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/testing/status_matchers.h"
#include "tests/tools/http_testing.h"
#include "tests/tools/run_command.h"

namespace newsdedup {
namespace {

using ::newsdedup::testing::Describe;
using ::newsdedup::testing::FreshTempDir;
using ::newsdedup::testing::HttpGet;
using ::newsdedup::testing::HttpPost;
using ::newsdedup::testing::HttpReply;
using ::newsdedup::testing::IngestSeeds;
using ::newsdedup::testing::IsOk;
using ::newsdedup::testing::ParseHtml;
using ::newsdedup::testing::ParseXml;
using ::newsdedup::testing::RunNewsdedup;
using ::newsdedup::testing::StatusIs;
using ::newsdedup::testing::XmlDoc;
using ::newsdedup::testing::XPathCount;
using ::newsdedup::testing::XPathStrings;
using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::SizeIs;
using ::testing::StartsWith;

constexpr char kKallasTitle[] = "UE-Asie centrale : Kaja Kallas mise sur le partenariat durable";
constexpr char kToken[] = "a-test-token-of-32-characters-xx";

nlohmann::json ParseJson(const std::string& text) {
  return nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
}

std::unique_ptr<Server> StartServer(const std::string& db, const std::string& token = "") {
  ServerOptions options;
  options.db = db;
  options.port = 0;
  options.token = token;
  options.threads = 8;
  options.refresh_interval = std::chrono::milliseconds(50);
  options.max_body_bytes = 1 << 20;
  absl::StatusOr<std::unique_ptr<Server>> server = Server::Start(options);
  EXPECT_THAT(server, IsOk());
  return server.ok() ? *std::move(server) : nullptr;
}

// The seeds ingested once by the real binary; one server for the suite.
class ServerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    db_ = new std::string(FreshTempDir("server_test_seeds"));
    const testing::CommandResult ingest = IngestSeeds(*db_);
    ASSERT_EQ(ingest.exit_code, 0) << Describe(ingest);
    server_ = StartServer(*db_).release();
    ASSERT_NE(server_, nullptr);
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
    std::filesystem::remove_all(*db_);
    delete db_;
  }

  static HttpReply Get(const std::string& path) { return HttpGet(server_->port(), path); }

  static nlohmann::json GetJson(const std::string& path, int status = 200) {
    const HttpReply reply = Get(path);
    EXPECT_EQ(reply.status, status) << path << ": " << reply.body.substr(0, 500);
    EXPECT_THAT(reply.content_type, StartsWith("application/json")) << path;
    return ParseJson(reply.body);
  }

  static std::string KallasStory() {
    const nlohmann::json found = GetJson("/api/stories?q=kallas+partenariat");
    if (found["stories"].size() != 1) return "";
    return found["stories"][0]["story"];
  }

  static std::string* db_;
  static Server* server_;
};

std::string* ServerTest::db_ = nullptr;
Server* ServerTest::server_ = nullptr;

TEST_F(ServerTest, HealthSaysHowManySnapshotsTheStoreHolds) {
  const nlohmann::json health = GetJson("/api/health");
  EXPECT_EQ(health["ok"], true);
  EXPECT_EQ(health["snapshots"], 5);
}

TEST_F(ServerTest, SourcesListEachSourceWithItsLatestSnapshots) {
  const nlohmann::json sources = GetJson("/api/sources");
  ASSERT_THAT(sources["sources"], SizeIs(1)) << sources;
  EXPECT_EQ(sources["sources"][0]["source"], "novastan");
  EXPECT_EQ(sources["sources"][0]["snapshots"], 5);
  EXPECT_EQ(sources["sources"][0]["latest"], nlohmann::json::array({5, 4, 3, 2, 1}));
}

TEST_F(ServerTest, SnapshotsArePagedWithACursor) {
  const nlohmann::json first = GetJson("/api/snapshots?limit=2");
  ASSERT_THAT(first["snapshots"], SizeIs(2));
  EXPECT_EQ(first["snapshots"][0]["id"], 1);
  EXPECT_EQ(first["snapshots"][0]["captured_at"], "2025-03-29T00:00:00Z");
  EXPECT_EQ(first["next"], 2);
  const nlohmann::json rest = GetJson("/api/snapshots?limit=10&after=2");
  ASSERT_THAT(rest["snapshots"], SizeIs(3));
  EXPECT_TRUE(rest["next"].is_null());
  const nlohmann::json newest = GetJson("/api/snapshots?limit=1&order=newest&source=novastan");
  EXPECT_EQ(newest["snapshots"][0]["id"], 5);
  EXPECT_THAT(GetJson("/api/snapshots?source=nobody")["snapshots"], SizeIs(0));
}

TEST_F(ServerTest, ReportIsExactlyWhatTheCliPrints) {
  for (const std::string snapshot : {"1", "4", "5"}) {
    const testing::CommandResult cli =
        RunNewsdedup({"report", "--db", *db_, "--snapshot", snapshot, "--format", "json"});
    ASSERT_EQ(cli.exit_code, 0) << Describe(cli);
    EXPECT_EQ(GetJson("/api/snapshots/" + snapshot), ParseJson(cli.out)) << snapshot;
  }
  EXPECT_EQ(GetJson("/api/snapshots/latest")["snapshot"]["id"], 5);
  EXPECT_EQ(GetJson("/api/snapshots/latest?source=novastan")["snapshot"]["id"], 5);
}

TEST_F(ServerTest, ArticleReportShowsTheKallasStoryExpandedWithItsDiff) {
  const nlohmann::json report = GetJson("/api/snapshots/4");
  EXPECT_EQ(report["counts"]["updated"], 1);
  ASSERT_THAT(report["stories"], SizeIs(1));
  const nlohmann::json& entry = report["stories"][0];
  EXPECT_EQ(entry["title"], kKallasTitle);
  EXPECT_EQ(entry["change"], "expanded");
  EXPECT_THAT(entry["diff"].get<std::string>(), HasSubstr("{+"));
}

TEST_F(ServerTest, StoryIsExactlyWhatTheCliPrints) {
  const std::string story = KallasStory();
  ASSERT_FALSE(story.empty());
  const testing::CommandResult cli =
      RunNewsdedup({"story", "--db", *db_, "--format", "json", story});
  ASSERT_EQ(cli.exit_code, 0) << Describe(cli);
  const nlohmann::json json = GetJson("/api/stories/" + story);
  EXPECT_EQ(json, ParseJson(cli.out));
  ASSERT_THAT(json["versions"], SizeIs(2));
  EXPECT_EQ(json["versions"][1]["change"], "expanded");
  EXPECT_EQ(json["versions"][1]["canonical"], true);
}

TEST_F(ServerTest, StoriesAreFoundByTitleWords) {
  const nlohmann::json found = GetJson("/api/stories?q=Kallas&limit=10");
  ASSERT_THAT(found["stories"], SizeIs(2)) << "the teaser's story and the announcement";
  std::vector<std::string> titles;
  for (const nlohmann::json& story : found["stories"]) titles.push_back(story["title"]);
  EXPECT_THAT(titles, Contains(kKallasTitle));
  EXPECT_EQ(found["truncated"], false);
  EXPECT_THAT(GetJson("/api/stories?url=https://example.org/none")["stories"], SizeIs(0));
}

TEST_F(ServerTest, ErrorsAreJsonWithTheirStatus) {
  const struct {
    std::string path;
    int status;
    std::string words;
  } cases[] = {
      {"/api/snapshots/99", 404, "no snapshot 99 (the store has 5)"},
      {"/api/snapshots/0", 400, "positive number"},
      {"/api/snapshots/12abc", 400, "positive number"},
      {"/api/snapshots/99999999999999999999999", 400, "positive number"},
      {"/api/stories/s-999999", 404, "no story s-999999"},
      {"/api/stories/%3Cscript%3E", 400, "story id"},
      {"/api/stories", 400, "q=WORDS"},
      {"/api/snapshots?limit=0", 400, "limit"},
      {"/api/snapshots?limit=100000", 400, "limit"},
      {"/api/snapshots?order=sideways", 400, "order"},
      {"/api/nothing/here", 404, "no such page"},
      {"/api/stories?q=" + std::string(2000, 'a'), 414, "longer than"},
  };
  for (const auto& c : cases) {
    const nlohmann::json error = GetJson(c.path, c.status)["error"];
    EXPECT_EQ(error["code"], c.status) << c.path;
    EXPECT_THAT(error["message"].get<std::string>(), HasSubstr(c.words)) << c.path;
  }
}

TEST_F(ServerTest, UnknownPagesAre404PagesAndNoFileIsServed) {
  for (const std::string path :
       {"/nothing", "/snapshots/99", "/stories/s-999999", "/static/../CMakeLists.txt",
        "/../../etc/passwd", "/feeds/nobody.atom", "/static/other.css"}) {
    const HttpReply reply = Get(path);
    EXPECT_EQ(reply.status, 404) << path;
    EXPECT_THAT(reply.content_type, StartsWith("text/html")) << path;
    EXPECT_THAT(reply.body, Not(HasSubstr("cmake_minimum_required"))) << path;
    EXPECT_THAT(reply.body, Not(HasSubstr("root:"))) << path;
  }
  EXPECT_EQ(Get("/snapshots/abc").status, 400);
}

TEST_F(ServerTest, WritesAreRefusedWithoutAToken) {
  const HttpReply reply =
      HttpPost(server_->port(), "/api/ingest?source=x&at=2026-01-01", "Titre\n");
  EXPECT_EQ(reply.status, 403);
  EXPECT_THAT(ParseJson(reply.body)["error"]["message"].get<std::string>(), HasSubstr("--token"));
  EXPECT_EQ(GetJson("/api/health")["snapshots"], 5) << "nothing was written";
}

TEST_F(ServerTest, PagesCarryAStrictContentSecurityPolicy) {
  httplib::Client client("127.0.0.1", server_->port());
  const httplib::Result result = client.Get("/");
  ASSERT_TRUE(result);
  EXPECT_THAT(result->get_header_value("Content-Security-Policy"), HasSubstr("default-src 'none'"));
  EXPECT_EQ(result->get_header_value("X-Content-Type-Options"), "nosniff");
  const HttpReply css = Get("/static/style.css");
  EXPECT_EQ(css.status, 200);
  EXPECT_THAT(css.content_type, StartsWith("text/css"));
}

TEST_F(ServerTest, HomePageListsTheSourceWithItsSnapshotsAndCounts) {
  const HttpReply reply = Get("/");
  ASSERT_EQ(reply.status, 200);
  const XmlDoc doc = ParseHtml(reply.body);
  ASSERT_NE(doc, nullptr);
  EXPECT_THAT(XPathStrings(doc.get(), "//section[@data-source]/h2"),
              ::testing::ElementsAre("novastan"));
  EXPECT_EQ(XPathCount(doc.get(), "//tr[@data-snapshot]"), 5u);
  // Snapshot 4, the article page: 1 item, 0 new, 1 updated.
  EXPECT_THAT(XPathStrings(doc.get(), "//tr[@data-snapshot='4']/td"),
              ::testing::ElementsAre("4", "2025-08-15 00:00 UTC", "article",
                                     "003_3e9d996f7f80b2c1.txt", "1", "0", "1", "0", "0"));
  EXPECT_THAT(XPathStrings(doc.get(), "//a/@href"), Contains("/feeds/novastan.atom"));
}

TEST_F(ServerTest, SnapshotPageShowsTheDiffAsInsAndDel) {
  const HttpReply reply = Get("/snapshots/4");
  ASSERT_EQ(reply.status, 200);
  const XmlDoc doc = ParseHtml(reply.body);
  EXPECT_THAT(XPathStrings(doc.get(), "//li[contains(@class,'status-updated')]/a"),
              ::testing::ElementsAre(kKallasTitle));
  EXPECT_GE(
      XPathCount(doc.get(), "//li[contains(@class,'status-updated')]//div[@class='diff']/ins"), 1u);
  EXPECT_THAT(XPathStrings(doc.get(), "//span[contains(@class,'change')]"),
              ::testing::ElementsAre("expanded"));
  // Snapshot 2 drops stories of snapshot 1 and adds others.
  const XmlDoc listing = ParseHtml(Get("/snapshots/2").body);
  EXPECT_GT(XPathCount(listing.get(), "//section[@id='new']//li"), 0u);
  EXPECT_GT(XPathCount(listing.get(), "//section[@id='dropped']//li"), 0u);
  EXPECT_THAT(XPathStrings(listing.get(), "//nav[@class='pager']//a/@href"),
              ::testing::ElementsAre("/snapshots/1", "/snapshots/3"));
}

TEST_F(ServerTest, StoryPageShowsBothKallasVersionsAndTheExpandedDiff) {
  const std::string story = KallasStory();
  const HttpReply reply = Get("/stories/" + story);
  ASSERT_EQ(reply.status, 200);
  const XmlDoc doc = ParseHtml(reply.body);
  EXPECT_THAT(XPathStrings(doc.get(), "//h1"), ::testing::ElementsAre(kKallasTitle));
  EXPECT_EQ(XPathCount(doc.get(), "//ol[@class='timeline']/li"), 2u);
  EXPECT_THAT(XPathStrings(doc.get(), "//li[@data-version][2]//span[contains(@class,'change')]"),
              ::testing::ElementsAre("expanded"));
  const std::vector<std::string> inserted =
      XPathStrings(doc.get(), "//li[@data-version][2]//div[@class='diff']/ins");
  ASSERT_FALSE(inserted.empty());
  EXPECT_THAT(inserted[0], HasSubstr("Une dynamique de dialogue structurée"));
  EXPECT_THAT(XPathStrings(doc.get(), "//li[@data-version][1]//ul[@class='seen']//a/@href"),
              ::testing::ElementsAre("/snapshots/1", "/snapshots/2"));
}

TEST_F(ServerTest, SearchPageFindsStoriesByWords) {
  const XmlDoc doc = ParseHtml(Get("/search?q=achgabat+kallas").body);
  EXPECT_THAT(XPathStrings(doc.get(), "//ol[@class='results']/li/a"),
              ::testing::ElementsAre(HasSubstr("est en route pour Achgabat")));
}

TEST_F(ServerTest, FeedIsAtomWithOneEntryPerChangeAndTheDiffInside) {
  const HttpReply reply = Get("/feeds/novastan.atom");
  ASSERT_EQ(reply.status, 200);
  EXPECT_THAT(reply.content_type, StartsWith("application/atom+xml"));
  const XmlDoc doc = ParseXml(reply.body);
  ASSERT_NE(doc, nullptr) << "not well-formed XML:\n" << reply.body.substr(0, 2000);
  EXPECT_THAT(XPathStrings(doc.get(), "/a:feed/a:title"),
              ::testing::ElementsAre("newsdedup: novastan"));
  EXPECT_EQ(XPathCount(doc.get(), "/a:feed/a:updated"), 1u);
  EXPECT_EQ(XPathCount(doc.get(), "/a:feed/a:author/a:name"), 1u);
  // Every new and updated story of the five snapshots.
  const size_t entries = XPathCount(doc.get(), "/a:feed/a:entry");
  size_t changes = 0;
  for (int id = 1; id <= 5; ++id) {
    const nlohmann::json counts = GetJson(absl::StrCat("/api/snapshots/", id))["counts"];
    changes += counts["new"].get<size_t>() + counts["updated"].get<size_t>();
  }
  EXPECT_EQ(entries, changes);
  EXPECT_EQ(XPathCount(doc.get(), "/a:feed/a:entry[not(a:id) or not(a:updated) or not(a:title)]"),
            0u)
      << "every entry has the elements RFC 4287 requires";
  const std::vector<std::string> ids = XPathStrings(doc.get(), "/a:feed/a:entry/a:id");
  EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()).size(), ids.size()) << "unique ids";
  const std::vector<std::string> updated = XPathStrings(
      doc.get(), "/a:feed/a:entry[a:category/@term='updated']/a:content[@type='html']");
  ASSERT_THAT(updated, SizeIs(1));
  EXPECT_THAT(updated[0], HasSubstr("expanded"));
  EXPECT_THAT(updated[0], HasSubstr("<ins>")) << "the diff, as HTML inside the entry";
  EXPECT_THAT(
      XPathStrings(doc.get(), "/a:feed/a:entry[a:category/@term='updated']/a:link/@href"),
      Contains(absl::StrCat("http://127.0.0.1:", server_->port(), "/stories/", KallasStory())));
}

TEST_F(ServerTest, MatchSaysWhichStoryATextWouldJoinWithTheEvidence) {
  const std::string teaser = absl::StrCat(
      kKallasTitle, "\n",
      "Le 27 mars 2025, à Achgabat (Turkménistan), la Haute représentante de l’Union européenne "
      "pour les affaires étrangères, Kaja Kallas, a présidé la 20e réunion ministérielle.\n",
      "Un festival de musique ouvre ses portes à Almaty\n",
      "Des groupes de toute la région jouent pendant trois jours dans les parcs de la ville.\n");
  const HttpReply reply = HttpPost(server_->port(), "/api/match?format=listing", teaser);
  ASSERT_EQ(reply.status, 200) << reply.body;
  const nlohmann::json items = ParseJson(reply.body)["items"];
  ASSERT_THAT(items, SizeIs(2));
  EXPECT_EQ(items[0]["known"], true);
  EXPECT_EQ(items[0]["story"]["story"], KallasStory());
  EXPECT_NE(items[0]["rule"], "new");
  EXPECT_GT(items[0]["containment"].get<double>(), 0.5);
  EXPECT_EQ(items[1]["known"], false);
  EXPECT_EQ(items[1]["title"], "Un festival de musique ouvre ses portes à Almaty");
  EXPECT_EQ(GetJson("/api/health")["snapshots"], 5) << "matching writes nothing";
  EXPECT_EQ(HttpPost(server_->port(), "/api/match?format=pdf", teaser).status, 400);
  EXPECT_EQ(HttpPost(server_->port(), "/api/match", std::string(2 << 20, 'a')).status, 413);
  EXPECT_EQ(HttpPost(server_->port(), "/api/match", "").status, 400) << "no text";
}

// A store whose texts try to inject markup: every page and the feed must
// show them as text.
TEST(ServerEscapingTest, ScriptsInStoredTextsAreShownAsText) {
  const std::string dir = FreshTempDir("server_escaping");
  const std::string db = dir + "/db";
  const std::string dump =
      R"j({"id": "x1", "title": "<script>alert(1)</script> & \"quotes\" 'too'", )j"
      R"j("text": "<img src=x onerror=alert(2)> </div></li></ol><b>bold</b> ]]> \u0001 end", )j"
      R"j("url": "javascript:alert(3)"})j"
      "\n";
  testing::WriteWholeFile(dir + "/evil.jsonl", dump);
  const testing::CommandResult ingest =
      RunNewsdedup({"ingest", "--db", db, "--source", "<b>evil</b>", dir + "/evil.jsonl"});
  ASSERT_EQ(ingest.exit_code, 0) << Describe(ingest);
  std::unique_ptr<Server> server = StartServer(db);
  ASSERT_NE(server, nullptr);
  const nlohmann::json story = ParseJson(HttpGet(server->port(), "/api/stories?q=alert").body);
  ASSERT_THAT(story["stories"], SizeIs(1));
  const std::string id = story["stories"][0]["story"];
  for (const std::string& path :
       std::vector<std::string>{"/", "/snapshots/1", "/stories/" + id, "/search?q=alert+script"}) {
    const HttpReply reply = HttpGet(server->port(), path);
    ASSERT_EQ(reply.status, 200) << path;
    const XmlDoc doc = ParseHtml(reply.body);
    EXPECT_EQ(XPathCount(doc.get(), "//script"), 0u) << path;
    EXPECT_EQ(XPathCount(doc.get(), "//img"), 0u) << path;
    EXPECT_EQ(XPathCount(doc.get(), "//b"), 0u) << path;
    EXPECT_EQ(XPathCount(doc.get(), "//@onerror"), 0u) << path;
    EXPECT_EQ(XPathCount(doc.get(), "//a[starts-with(@href,'javascript')]"), 0u) << path;
    EXPECT_THAT(reply.body, Not(HasSubstr("<script>"))) << path;
  }
  const HttpReply story_page = HttpGet(server->port(), "/stories/" + id);
  EXPECT_THAT(story_page.body,
              HasSubstr("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;"));
  const XmlDoc page = ParseHtml(story_page.body);
  EXPECT_THAT(XPathStrings(page.get(), "//h1"),
              ::testing::ElementsAre("<script>alert(1)</script> & \"quotes\" 'too'"));
  // The source name is in the feed's URL, escaped there too.
  const HttpReply feed = HttpGet(server->port(), "/feeds/%3Cb%3Eevil%3C%2Fb%3E.atom");
  ASSERT_EQ(feed.status, 200) << feed.body;
  const XmlDoc xml = ParseXml(feed.body);
  ASSERT_NE(xml, nullptr) << "the feed stays well-formed XML:\n" << feed.body;
  EXPECT_THAT(XPathStrings(xml.get(), "/a:feed/a:entry/a:title"),
              ::testing::ElementsAre("New: <script>alert(1)</script> & \"quotes\" 'too'"));
  EXPECT_THAT(XPathStrings(xml.get(), "/a:feed/a:title"),
              ::testing::ElementsAre("newsdedup: <b>evil</b>"));
  server.reset();
  std::filesystem::remove_all(dir);
}

TEST(ServerIngestTest, PostedDumpsAreIngestedOnlyWithTheToken) {
  const std::string db = FreshTempDir("server_ingest") + "/db";
  const testing::CommandResult first =
      RunNewsdedup({"ingest", "--db", db, "--source", "novastan", "--at", "2025-03-29",
                    testing::SeedFiles()[0]});
  ASSERT_EQ(first.exit_code, 0) << Describe(first);
  std::unique_ptr<Server> server = StartServer(db, kToken);
  ASSERT_NE(server, nullptr);
  const std::string dump = testing::ReadWholeFile(testing::SeedFiles()[1]);
  const std::string path = "/api/ingest?source=novastan&at=2025-05-02&file=001.txt";
  EXPECT_EQ(HttpPost(server->port(), path, dump).status, 401) << "no token";
  EXPECT_EQ(HttpPost(server->port(), path, dump, {{"Authorization", "Bearer wrong"}}).status, 401);
  EXPECT_EQ(HttpPost(server->port(), path, dump,
                     {{"Authorization", absl::StrCat("Bearer ", kToken, "x")}})
                .status,
            401);
  EXPECT_EQ(ParseJson(HttpGet(server->port(), "/api/health").body)["snapshots"], 1);
  const httplib::Headers auth = {{"Authorization", absl::StrCat("Bearer ", kToken)}};
  const HttpReply created = HttpPost(server->port(), path, dump, auth);
  ASSERT_EQ(created.status, 201) << created.body.substr(0, 500);
  const nlohmann::json report = ParseJson(created.body);
  EXPECT_EQ(report["snapshot"]["id"], 2);
  EXPECT_EQ(report["snapshot"]["file"], "001.txt");
  EXPECT_EQ(report["already_ingested"], false);
  // Seen by the next read at once, and the same again is a no-op.
  EXPECT_EQ(ParseJson(HttpGet(server->port(), "/api/snapshots/latest").body)["snapshot"]["id"], 2);
  const HttpReply again = HttpPost(server->port(), path, dump, auth);
  EXPECT_EQ(again.status, 200);
  EXPECT_EQ(ParseJson(again.body)["already_ingested"], true);
  // Bad requests are refused before anything is written.
  EXPECT_EQ(HttpPost(server->port(), "/api/ingest?at=yesterday", dump, auth).status, 400);
  EXPECT_EQ(HttpPost(server->port(), "/api/ingest?format=pdf", dump, auth).status, 400);
  EXPECT_EQ(
      HttpPost(server->port(), "/api/ingest?at=2025-06-01", std::string(2 << 20, 'a'), auth).status,
      413)
      << "bodies over --max-body-mb";
  EXPECT_EQ(ParseJson(HttpGet(server->port(), "/api/health").body)["snapshots"], 2);
}

TEST(ServerStartTest, AMissingStoreIsNotFound) {
  ServerOptions options;
  options.db = FreshTempDir("server_missing") + "/none";
  options.port = 0;
  EXPECT_THAT(Server::Start(options), StatusIs(absl::StatusCode::kNotFound));
}

TEST(ServerStartTest, ABusyPortIsUnavailable) {
  const std::string db = FreshTempDir("server_busy") + "/db";
  ASSERT_EQ(RunNewsdedup({"ingest", "--db", db, testing::SeedFiles()[0]}).exit_code, 0);
  std::unique_ptr<Server> first = StartServer(db);
  ASSERT_NE(first, nullptr);
  ServerOptions options;
  options.db = db;
  options.port = first->port();
  EXPECT_THAT(Server::Start(options), StatusIs(absl::StatusCode::kUnavailable));
}

}  // namespace
}  // namespace newsdedup
