// The bad-input catalogue (issue 8), run through the real binary against a
// real store: every bad input gets exactly one clear line on stderr and a
// non-zero exit, and leaves the store as it was (same stats, `check` passes).
// Inputs a scraper plausibly writes (invalid UTF-8, BOM + CRLF, JSON Lines
// with some bad lines) are accepted with a warning instead; signs of a failed
// scrape (an empty file, titles without text, a listing cut short) and times
// out of order are refused, each with the flag that stores it anyway.
//
// Not covered here: a store made with other parameters needs a binary built
// with other MatchParams; tests/store covers the refusal at the store level.

#include <sys/mount.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "store/story_store.h"
#include "tests/tools/run_command.h"
#include "tests/tools/test_dumps.h"

namespace newsdedup {
namespace {

using ::newsdedup::testing::CommandResult;
using ::newsdedup::testing::Describe;
using ::newsdedup::testing::FreshTempDir;
using ::newsdedup::testing::Gzip;
using ::newsdedup::testing::LargeListing;
using ::newsdedup::testing::Lines;
using ::newsdedup::testing::ReadWholeFile;
using ::newsdedup::testing::RunNewsdedup;
using ::newsdedup::testing::SeedFiles;
using ::newsdedup::testing::WriteWholeFile;
using ::newsdedup::testing::Zstd;
using ::testing::HasSubstr;
using ::testing::SizeIs;

// Each test gets a store holding seed 000 (source novastan) and a folder for
// its bad files.
class BadInputTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string name =
        ::testing::UnitTest::GetInstance()->current_test_info()->name();
    dir_ = FreshTempDir(absl::StrCat("bad_input_", name));
    db_ = dir_ + "/db";
    const CommandResult seeded =
        RunNewsdedup({"ingest", "--db", db_, "--source", "novastan", "--at",
                      "2025-03-29", SeedFiles()[0]});
    ASSERT_EQ(seeded.exit_code, 0) << Describe(seeded);
    stats_before_ = Stats();
  }

  std::string Stats() {
    const CommandResult stats =
        RunNewsdedup({"stats", "--db", db_, "--format", "json"});
    EXPECT_EQ(stats.exit_code, 0) << Describe(stats);
    // bytes_on_disk moves with RocksDB's own logs; the contents may not.
    nlohmann::json json = nlohmann::json::parse(stats.out, nullptr, false);
    if (json.is_object()) json.erase("bytes_on_disk");
    return json.dump();
  }

  // `newsdedup ingest` of `file` into the store as a later snapshot.
  CommandResult Ingest(const std::string& file,
                       const std::string& source = "novastan") {
    return RunNewsdedup({"ingest", "--db", db_, "--source", source, "--at",
                         "2025-05-02", "--format", "json", file});
  }

  std::string Write(const std::string& name, const std::string& bytes) {
    const std::string path = dir_ + "/" + name;
    WriteWholeFile(path, bytes);
    return path;
  }

  void ExpectStoreUnchanged() {
    EXPECT_EQ(Stats(), stats_before_);
    const CommandResult check = RunNewsdedup({"check", "--db", db_});
    EXPECT_EQ(check.exit_code, 0) << Describe(check);
  }

  // One line on stderr containing `words`, exit `exit_code`, no report, and
  // the store as before.
  void ExpectRefused(const CommandResult& result, int exit_code,
                     const std::string& words) {
    EXPECT_EQ(result.exit_code, exit_code) << Describe(result);
    EXPECT_THAT(Lines(result.err), SizeIs(1)) << Describe(result);
    EXPECT_THAT(result.err, HasSubstr(words)) << Describe(result);
    EXPECT_EQ(result.out, "");
    ExpectStoreUnchanged();
  }

  // The accepted snapshot's JSON report, after checking that the store grew
  // by exactly one snapshot and stayed consistent.
  nlohmann::json ExpectAccepted(const CommandResult& result) {
    EXPECT_EQ(result.exit_code, 0) << Describe(result);
    const CommandResult check = RunNewsdedup({"check", "--db", db_});
    EXPECT_EQ(check.exit_code, 0) << Describe(check);
    return nlohmann::json::parse(result.out, nullptr, false);
  }

  std::string dir_;
  std::string db_;
  std::string stats_before_;
};

TEST_F(BadInputTest, MissingFile) {
  ExpectRefused(Ingest(dir_ + "/absent.txt"), 1, "absent.txt");
}

TEST_F(BadInputTest, MissingFileAmongGoodOnesIngestsNothing) {
  const CommandResult result = RunNewsdedup(
      {"ingest", "--db", db_, "--source", "novastan", "--at", "2025-05-02",
       "--at", "2025-07-31", SeedFiles()[1], dir_ + "/absent.txt"});
  ExpectRefused(result, 1, "absent.txt");
}

TEST_F(BadInputTest, EmptyDirectory) {
  std::filesystem::create_directory(dir_ + "/folder");
  ExpectRefused(Ingest(dir_ + "/folder"), 1, "directory holds no dump files");
}

TEST_F(BadInputTest, UnreadableFile) {
  const std::string path =
      Write("unreadable.txt", ReadWholeFile(SeedFiles()[1]));
  std::filesystem::permissions(path, std::filesystem::perms::none);
  if (access(path.c_str(), R_OK) == 0) {
    GTEST_SKIP() << "running as root (or with CAP_DAC_OVERRIDE): chmod 000 "
                    "does not stop reads";
  }
  ExpectRefused(Ingest(path), 1, "ermission denied");
}

// --- Failed scrapes (refused by default, each with a flag to store it)

TEST_F(BadInputTest, EmptyOrWhitespaceFileIsRefusedAsAFailedScrape) {
  ExpectRefused(Ingest(Write("empty.txt", "")), 1, "empty dump (no items): a failed scrape?");
  ExpectRefused(Ingest(Write("blank.txt", " \n\n\t \r\n")), 1, "--allow-empty");
}

TEST_F(BadInputTest, EmptyFileIsStoredWithAllowEmpty) {
  const CommandResult result = RunNewsdedup({"ingest", "--db", db_, "--source", "novastan", "--at",
                                             "2025-05-02", "--format", "json", "--allow-empty",
                                             Write("empty.txt", "")});
  const nlohmann::json report = ExpectAccepted(result);
  EXPECT_EQ(report["snapshot"]["items"], 0) << report;
  EXPECT_EQ(report["counts"]["dropped"], 21) << report;
  EXPECT_THAT(Lines(result.err), SizeIs(1)) << Describe(result);
  EXPECT_THAT(result.err, HasSubstr("empty"));
}

TEST_F(BadInputTest, ListingCutShortIsRefused) {
  // The first 700 bytes of the next night's listing: 2 items of 21.
  const std::string cut = ReadWholeFile(SeedFiles()[1]).substr(0, 700);
  ExpectRefused(Ingest(Write("cut.txt", cut)), 1,
                "2 of the 21 items of the last listing of 'novastan' (2025-03-29T00:00:00Z), "
                "below 50%: a scrape cut short? (--min-listing-share 0 stores it anyway)");
  // Another source has no last listing to compare with.
  const CommandResult other = Ingest(Write("cut.txt", cut), "other-source");
  EXPECT_EQ(other.exit_code, 0) << Describe(other);
  const CommandResult forced =
      RunNewsdedup({"ingest", "--db", db_, "--source", "novastan", "--at", "2025-05-02",
                    "--min-listing-share", "0", "--summary", dir_ + "/cut.txt"});
  EXPECT_EQ(forced.exit_code, 0) << Describe(forced);
}

TEST_F(BadInputTest, DumpOfTitlesWithoutTextIsRefused) {
  const std::string titles = "{\"title\": \"Un titre\"}\n{\"title\": \"Un autre titre\"}\n";
  ExpectRefused(Ingest(Write("titles.jsonl", titles), "jsonl-source"), 1,
                "no text in 2 items, only titles");
  const CommandResult forced =
      RunNewsdedup({"ingest", "--db", db_, "--source", "jsonl-source", "--at", "2025-05-02",
                    "--allow-no-text", "--summary", dir_ + "/titles.jsonl"});
  EXPECT_EQ(forced.exit_code, 0) << Describe(forced);
}

TEST_F(BadInputTest, RefusedFileAmongGoodOnesIngestsNothing) {
  const CommandResult result = RunNewsdedup(
      {"ingest", "--db", db_, "--source", "novastan", "--at", "2025-05-02", "--at", "2025-07-31",
       SeedFiles()[1], Write("empty.txt", "")});
  ExpectRefused(result, 1, "empty.txt: empty dump");
}

// --- Times

TEST_F(BadInputTest, CaptureBeforeTheSourcesLatestIsRefused) {
  ExpectRefused(RunNewsdedup({"ingest", "--db", db_, "--source", "novastan", "--at", "2025-03-01",
                              SeedFiles()[1]}),
                1,
                "captured at 2025-03-01T00:00:00Z, before the latest capture of 'novastan' "
                "(2025-03-29T00:00:00Z): a wrong capture time? (--allow-past stores it anyway)");
}

TEST_F(BadInputTest, TimesOutOfOrderInOneCommandIngestNothing) {
  ExpectRefused(RunNewsdedup({"ingest", "--db", db_, "--source", "novastan", "--at", "2025-07-31",
                              "--at", "2025-05-02", SeedFiles()[2], SeedFiles()[1]}),
                1, "before the latest capture of 'novastan' (2025-07-31T00:00:00Z)");
}

TEST_F(BadInputTest, CaptureMoreThanADayAheadIsRefused) {
  ExpectRefused(RunNewsdedup({"ingest", "--db", db_, "--source", "novastan", "--at", "2099-01-01",
                              SeedFiles()[1]}),
                1, "captured at 2099-01-01T00:00:00Z, later than");
}

TEST_F(BadInputTest, ZoneThatIsNotAZone) {
  ExpectRefused(RunNewsdedup({"ingest", "--db", db_, "--tz", "Europe/Atlantis", "--at",
                              "2025-05-02T08:00:00", SeedFiles()[1]}),
                2, "Europe/Atlantis");
}

TEST_F(BadInputTest, FileNameWithoutTheTimeOfItsPattern) {
  std::filesystem::create_directory(dir_ + "/nights");
  WriteWholeFile(dir_ + "/nights/latest.txt", ReadWholeFile(SeedFiles()[1]));
  ExpectRefused(RunNewsdedup({"ingest", "--db", db_, "--at-from-name", "%Y-%m-%d", dir_ + "/nights"}),
                1, "latest.txt: no time matching --at-from-name '%Y-%m-%d' in the name");
}

// --- Inputs

TEST_F(BadInputTest, CorruptOrTruncatedCompressedFile) {
  const std::string gz = Gzip(ReadWholeFile(SeedFiles()[1]));
  ExpectRefused(Ingest(Write("cut.txt.gz", gz.substr(0, gz.size() / 2))), 1, "truncated gzip data");
  ExpectRefused(Ingest(Write("bad.txt.gz", gz.substr(0, 30) + std::string(300, '!'))), 1,
                "corrupt gzip data");
  const std::string zst = Zstd(ReadWholeFile(SeedFiles()[1]));
  ExpectRefused(Ingest(Write("cut.txt.zst", zst.substr(0, zst.size() / 2))), 1, "truncated zstd data");
}

TEST_F(BadInputTest, StandardInputGivenTwice) {
  ExpectRefused(RunNewsdedup({"ingest", "--db", db_, "-", "-"}, ReadWholeFile(SeedFiles()[1])), 2,
                "only once");
}

TEST_F(BadInputTest, JsonlWithOtherFieldNamesOnly) {
  const std::string bytes =
      "{\"headline\": \"Réunion à Achgabat\", \"link\": \"https://example.com/a\"}\n";
  ExpectRefused(Ingest(Write("feed.jsonl", bytes), "jsonl-source"), 1, "usable");
}

TEST_F(BadInputTest, BinaryFileWithNulBytes) {
  ExpectRefused(Ingest(Write("binary.txt",
                             std::string("Titre\0\x01\x02\x03 lede\n", 15))),
                1, "NUL");
}

TEST_F(BadInputTest, InvalidUtf8IsRepairedWithAWarning) {
  std::string bytes = ReadWholeFile(SeedFiles()[1]);
  bytes.insert(bytes.find('\n'), "\xff\xfe");  // Inside the first line.
  const CommandResult result = Ingest(Write("latin1.txt", bytes));
  const nlohmann::json report = ExpectAccepted(result);
  EXPECT_EQ(report["snapshot"]["items"], 21) << report;
  EXPECT_THAT(Lines(result.err), SizeIs(1)) << Describe(result);
  EXPECT_THAT(result.err, HasSubstr("UTF-8"));
}

TEST_F(BadInputTest, BomAndCrlfGiveTheSameStoriesAsThePlainFile) {
  const std::string plain = ReadWholeFile(SeedFiles()[0]);
  const std::string windows =
      "\xef\xbb\xbf" + absl::StrReplaceAll(plain, {{"\n", "\r\n"}});
  const CommandResult result = Ingest(Write("windows.txt", windows));
  const nlohmann::json report = ExpectAccepted(result);
  // The same page saved by a Windows tool: nothing new, nothing dropped.
  EXPECT_EQ(
      report["counts"],
      nlohmann::json(
          {{"new", 0}, {"updated", 0}, {"unchanged", 21}, {"dropped", 0}}))
      << report;

  const CommandResult first = RunNewsdedup(
      {"report", "--db", db_, "--snapshot", "1", "--format", "json"});
  ASSERT_EQ(first.exit_code, 0) << Describe(first);
  // Item by item, the same stories under the same titles.
  auto story_of_item = [](const nlohmann::json& report) {
    std::map<int, std::pair<std::string, std::string>> stories;
    for (const nlohmann::json& entry : report["stories"]) {
      for (const nlohmann::json& item : entry["items"]) {
        stories[item.get<int>()] = {entry["story"], entry["title"]};
      }
    }
    return stories;
  };
  EXPECT_EQ(story_of_item(report),
            story_of_item(nlohmann::json::parse(first.out)));
}

constexpr char kGoodJsonl[] =
    R"({"id": "n1", "title": "Au Kazakhstan, les marketplaces étrangères sous menace", )"
    R"("text": "Elles promettaient une révolution du commerce en ligne."})";

TEST_F(BadInputTest, JsonlLinesThatAreNotJsonOrLackFieldsAreSkipped) {
  const std::string bytes =
      absl::StrCat(kGoodJsonl, "\n", "this is not JSON\n",
                   R"({"author": "nobody"})", "\n", "[1, 2, 3]\n");
  const CommandResult result =
      Ingest(Write("mixed.jsonl", bytes), "jsonl-source");
  const nlohmann::json report = ExpectAccepted(result);
  EXPECT_EQ(report["snapshot"]["items"], 1) << report;
  // One warning per skipped line, and one naming the field never read.
  EXPECT_THAT(Lines(result.err), SizeIs(4)) << result.err;
  EXPECT_THAT(result.err, HasSubstr("fields not read: author (1 line)"));
}

TEST_F(BadInputTest, JsonlWhoseFirstLineIsBrokenIsStillJsonl) {
  // A .jsonl file must not fall back to being read as an article page
  // because its first line happens to be the bad one.
  const std::string bytes =
      absl::StrCat("{\"id\": \"n0\", \"title\": \"cut off\n", kGoodJsonl, "\n");
  const CommandResult result =
      Ingest(Write("first_broken.jsonl", bytes), "jsonl-source");
  const nlohmann::json report = ExpectAccepted(result);
  EXPECT_EQ(report["snapshot"]["items"], 1) << report;
  EXPECT_EQ(report["snapshot"]["format"], "jsonl") << report;
  EXPECT_THAT(Lines(result.err), SizeIs(1)) << Describe(result);
}

TEST_F(BadInputTest, JsonlWithoutAUsableLine) {
  const std::string bytes =
      absl::StrCat(R"({"author": "nobody"})", "\n", "not JSON either\n");
  ExpectRefused(Ingest(Write("useless.jsonl", bytes), "jsonl-source"), 1,
                "usable");
}

TEST_F(BadInputTest, HtmlPageWithoutText) {
  const std::string bytes =
      "<!DOCTYPE html><html><head><script>var x = 1;</script></head>"
      "<body><div><img src=\"a.png\"></div></body></html>";
  ExpectRefused(Ingest(Write("empty.html", bytes), "html-source"), 1, "HTML page without text");
}

TEST_F(BadInputTest, HtmlArticlePageIsReadForItsTitleAndText) {
  const std::string bytes = absl::StrCat(
      "<!DOCTYPE html><html><head><title>Un pont rouvre | La Gazette</title>",
      "<link rel=\"canonical\" href=\"https://gazette.example/pont.html\"></head><body>",
      "<nav><a href=\"/a\">Monde</a> <a href=\"/b\">Sport</a></nav><article>",
      "<h1>Un pont rouvre après deux ans de travaux</h1>",
      "<p>Les habitants de la vallée retrouvent leur passage vers la ville, fermé depuis ",
      "la crue de l'hiver dernier, et les commerçants respirent enfin.</p>",
      "<p>Les ingénieurs ont dû reconstruire deux piles et renforcer le tablier avant que ",
      "les premières voitures ne passent ce matin, sous les applaudissements.</p>",
      "</article></body></html>");
  const nlohmann::json report = ExpectAccepted(Ingest(Write("page.html", bytes), "html-source"));
  ASSERT_TRUE(report.is_object()) << report;
  EXPECT_EQ(report["snapshot"]["kind"], "article") << report;
  ASSERT_EQ(report["stories"].size(), 1u) << report;
  EXPECT_EQ(report["stories"][0]["title"], "Un pont rouvre après deux ans de travaux") << report;
}

TEST_F(BadInputTest, AtThatIsNotATime) {
  ExpectRefused(RunNewsdedup({"ingest", "--db", db_, "--at", "yesterday",
                              SeedFiles()[1]}),
                2, "yesterday");
}

TEST_F(BadInputTest, AtCountThatDoesNotMatchTheFiles) {
  ExpectRefused(RunNewsdedup({"ingest", "--db", db_, "--at", "2025-05-02",
                              SeedFiles()[1], SeedFiles()[2]}),
                2, "--at");
}

TEST_F(BadInputTest, StoreInUseByAnotherProcess) {
  StoryStore::Options options;
  options.create_if_missing = false;
  // Empty params: this test only holds the lock, whatever the store's
  // parameters are.
  absl::StatusOr<std::unique_ptr<StoryStore>> holder =
      StoryStore::Open(db_, "", options);
  ASSERT_TRUE(holder.ok()) << holder.status();
  const CommandResult result = Ingest(SeedFiles()[1]);
  EXPECT_EQ(result.exit_code, 1) << Describe(result);
  EXPECT_THAT(Lines(result.err), SizeIs(1)) << Describe(result);
  EXPECT_THAT(result.err, HasSubstr("in use by another process"));
  holder->reset();
  ExpectStoreUnchanged();
}

TEST_F(BadInputTest, FolderThatIsNotAStore) {
  const std::string folder = dir_ + "/not_a_store";
  std::filesystem::create_directory(folder);
  WriteWholeFile(folder + "/notes.txt", "my own notes, not a database\n");
  for (const char* command : {"ingest", "report", "stats", "check"}) {
    SCOPED_TRACE(command);
    std::vector<std::string> args = {command, "--db", folder};
    if (std::string(command) == "ingest") args.push_back(SeedFiles()[1]);
    const CommandResult result = RunNewsdedup(args);
    EXPECT_EQ(result.exit_code, 1) << Describe(result);
    EXPECT_THAT(Lines(result.err), SizeIs(1)) << Describe(result);
    EXPECT_THAT(result.err, HasSubstr("not a newsdedup store"));
  }
  // Nothing was written into someone else's folder.
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(folder)) {
    names.push_back(entry.path().filename().string());
  }
  EXPECT_THAT(names, ::testing::ElementsAre("notes.txt"));
}

// Unmounts the tmpfs on scope exit, whatever the test asserted.
class ScopedTmpfs {
 public:
  explicit ScopedTmpfs(const std::string& dir, const std::string& size)
      : dir_(dir) {
    mounted_ =
        mount("tmpfs", dir.c_str(), "tmpfs", 0, ("size=" + size).c_str()) == 0;
    if (!mounted_) error_ = std::strerror(errno);
  }
  ~ScopedTmpfs() {
    if (mounted_) umount2(dir_.c_str(), MNT_DETACH);
  }
  bool mounted() const { return mounted_; }
  const std::string& error() const { return error_; }
  // Grows the filesystem, as an operator freeing space would.
  bool Resize(const std::string& size) {
    return mount("tmpfs", dir_.c_str(), "tmpfs", MS_REMOUNT,
                 ("size=" + size).c_str()) == 0;
  }

 private:
  std::string dir_;
  bool mounted_ = false;
  std::string error_;
};

TEST_F(BadInputTest, FullDisk) {
  const std::string mount_point = dir_ + "/small_disk";
  std::filesystem::create_directory(mount_point);
  ScopedTmpfs tmpfs(mount_point, "2m");
  if (!tmpfs.mounted()) {
    GTEST_SKIP() << "cannot mount a small tmpfs here (" << tmpfs.error() << ")";
  }
  // A store of its own on the small disk, then a dump that cannot fit.
  db_ = mount_point + "/db";
  const CommandResult seeded =
      RunNewsdedup({"ingest", "--db", db_, "--source", "novastan", "--at",
                    "2025-03-29", SeedFiles()[0]});
  ASSERT_EQ(seeded.exit_code, 0) << Describe(seeded);
  stats_before_ = Stats();

  const CommandResult result = Ingest(Write("large.txt", LargeListing(6000)));
  EXPECT_EQ(result.term_signal, 0)
      << "killed by a signal on a full disk: " << Describe(result);
  EXPECT_EQ(result.exit_code, 1) << Describe(result);
  EXPECT_THAT(Lines(result.err), SizeIs(1)) << Describe(result);
  EXPECT_EQ(result.out, "");

  // Once space is back, the store holds what it held before.
  ASSERT_TRUE(tmpfs.Resize("64m"));
  ExpectStoreUnchanged();
}

}  // namespace
}  // namespace newsdedup
