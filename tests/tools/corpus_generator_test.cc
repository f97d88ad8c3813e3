// Runs the real benchmarks/corpus_generator binary and checks what the
// benchmarks and the quality evaluation rely on: determinism, the requested
// shares, a truth line for every item, bounded edits and well-formed dumps.

#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "nlohmann/json.hpp"

namespace newsdedup {
namespace {

namespace fs = std::filesystem;

// NEWSDEDUP_BINARY is <build>/tools/newsdedup; the generator is built in
// <build>/benchmarks.
fs::path GeneratorPath() {
  return fs::path(NEWSDEDUP_BINARY).parent_path().parent_path() / "benchmarks" /
         "corpus_generator";
}

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::vector<nlohmann::json> ReadJsonl(const fs::path& path) {
  std::vector<nlohmann::json> records;
  for (const std::string& line : Lines(ReadFile(path))) {
    records.push_back(nlohmann::json::parse(line));
  }
  return records;
}

// Runs the generator into a fresh TempDir()/`name` and returns that
// directory; `exit_code` gets the generator's exit status.
fs::path Generate(const std::string& name, const std::string& flags,
                  int* exit_code) {
  const fs::path dir = fs::path(::testing::TempDir()) / name;
  fs::remove_all(dir);  // TempDir() survives between runs.
  const std::string command = GeneratorPath().string() + " --out " +
                              dir.string() + " " + flags + " 2>" +
                              dir.string() + ".stderr";
  const int status = std::system(command.c_str());
  *exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return dir;
}

// Every file under `dir` by relative path, with its bytes.
std::map<std::string, std::string> Tree(const fs::path& dir) {
  std::map<std::string, std::string> files;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (entry.is_regular_file()) {
      files[fs::relative(entry.path(), dir).string()] = ReadFile(entry.path());
    }
  }
  return files;
}

class CorpusGeneratorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!fs::exists(GeneratorPath())) {
      GTEST_SKIP() << "not built: " << GeneratorPath();
    }
  }
};

constexpr char kListing[] =
    "--items 4000 --seed 11 --nights 6 --exact-share 0.2 --near-share 0.25 "
    "--teaser-share 0.05 --hard-negative-share 0.1 --max-edit 0.1";

TEST_F(CorpusGeneratorTest, SameSeedGivesSameBytes) {
  int code1 = -1, code2 = -1;
  const fs::path a = Generate("gen_same_a", kListing, &code1);
  const fs::path b = Generate("gen_same_b", kListing, &code2);
  ASSERT_EQ(code1, 0);
  ASSERT_EQ(code2, 0);
  const auto tree_a = Tree(a);
  EXPECT_GT(tree_a.size(), 6u);  // Nights, pages and the JSONL files.
  EXPECT_TRUE(tree_a == Tree(b));
}

TEST_F(CorpusGeneratorTest, DifferentSeedGivesDifferentCorpus) {
  int code1 = -1, code2 = -1;
  const fs::path a = Generate("gen_seed_a", "--items 500 --seed 1", &code1);
  const fs::path b = Generate("gen_seed_b", "--items 500 --seed 2", &code2);
  ASSERT_EQ(code1, 0);
  ASSERT_EQ(code2, 0);
  EXPECT_NE(ReadFile(a / "corpus.jsonl"), ReadFile(b / "corpus.jsonl"));
}

TEST_F(CorpusGeneratorTest, TruthHasTheRequestedShares) {
  int code = -1;
  const fs::path dir = Generate("gen_shares", kListing, &code);
  ASSERT_EQ(code, 0);
  std::map<std::string, int> types;
  int articles = 0;
  for (const nlohmann::json& t : ReadJsonl(dir / "truth.jsonl")) {
    const std::string id = t["id"];
    if (id[0] == 'a') {
      ++articles;
      EXPECT_EQ(t["type"], "article");
    } else {
      ++types[t["type"].get<std::string>()];
    }
  }
  const double n = 4000;
  EXPECT_NEAR(types["exact"] / n, 0.2, 0.005);
  EXPECT_NEAR(types["near"] / n, 0.25, 0.005);
  EXPECT_NEAR(types["teaser"] / n, 0.05, 0.005);
  EXPECT_NEAR(types["hard_negative"] / n, 0.1, 0.005);
  EXPECT_NEAR(types["original"] / n, 0.4, 0.005);
  EXPECT_EQ(articles, types["teaser"]);  // One article per teaser.
}

TEST_F(CorpusGeneratorTest, EveryItemHasOneTruthLine) {
  int code = -1;
  const fs::path dir = Generate("gen_ids", kListing, &code);
  ASSERT_EQ(code, 0);
  std::map<std::string, nlohmann::json> truth;
  for (const nlohmann::json& t : ReadJsonl(dir / "truth.jsonl")) {
    EXPECT_TRUE(truth.emplace(t["id"], t).second) << "duplicate " << t["id"];
  }
  size_t items = 0;
  for (const char* file : {"corpus.jsonl", "articles.jsonl"}) {
    for (const nlohmann::json& item : ReadJsonl(dir / file)) {
      ++items;
      const auto it = truth.find(item["id"]);
      ASSERT_NE(it, truth.end()) << item["id"] << " has no truth line";
      EXPECT_EQ(it->second["cluster"], item["label"]);
      EXPECT_EQ(it->second["edit"], item["edit"]);
    }
  }
  EXPECT_EQ(items, truth.size());
}

TEST_F(CorpusGeneratorTest, NearDuplicatesStayWithinMaxEdit) {
  int code = -1;
  const fs::path dir = Generate("gen_edits", kListing, &code);
  ASSERT_EQ(code, 0);
  std::map<std::string, int> edits;
  for (const nlohmann::json& t : ReadJsonl(dir / "truth.jsonl")) {
    const double fraction = t["edit_fraction"];
    if (t["type"] == "near") {
      EXPECT_GT(fraction, 0) << t;
      EXPECT_LE(fraction, 0.1) << t;
      ++edits[t["edit"].get<std::string>()];
    } else {
      EXPECT_EQ(fraction, 0) << t;
      EXPECT_EQ(t["edit"], "none") << t;
    }
  }
  for (const char* edit : {"substitute", "insert", "delete", "punctuation",
                           "case", "accent", "truncate", "retitle", "mixed"}) {
    EXPECT_GT(edits[edit], 0) << edit;
  }
}

TEST_F(CorpusGeneratorTest, NightsAreTitleAndLedeLines) {
  int code = -1;
  const fs::path dir = Generate("gen_nights", kListing, &code);
  ASSERT_EQ(code, 0);
  std::map<int, std::vector<nlohmann::json>> by_night;
  for (const nlohmann::json& item : ReadJsonl(dir / "corpus.jsonl")) {
    by_night[item["night"]].push_back(item);
  }
  ASSERT_EQ(by_night.size(), 6u);
  for (const auto& [night, items] : by_night) {
    char name[32];
    std::snprintf(name, sizeof(name), "night-%03d.txt", night);
    const std::vector<std::string> lines = Lines(ReadFile(dir / name));
    // The first item may be an orphan lede whose title was cut off.
    const bool orphan = lines.size() == 2 * items.size() - 1;
    ASSERT_TRUE(orphan || lines.size() == 2 * items.size()) << name;
    size_t line = 0;
    for (size_t i = 0; i < items.size(); ++i) {
      if (i > 0 || !orphan) EXPECT_EQ(lines[line++], items[i]["title"]);
      EXPECT_EQ(lines[line++], items[i]["text"]);
    }
  }
}

TEST_F(CorpusGeneratorTest, TeaserLedeIsTheArticleFirstParagraph) {
  int code = -1;
  const fs::path dir = Generate("gen_teasers", kListing, &code);
  ASSERT_EQ(code, 0);
  std::map<std::string, std::string> article_by_cluster;
  for (const nlohmann::json& a : ReadJsonl(dir / "articles.jsonl")) {
    article_by_cluster[a["label"]] = a["text"];
  }
  int teasers = 0;
  for (const nlohmann::json& item : ReadJsonl(dir / "corpus.jsonl")) {
    if (item["edit"] != "none") continue;
    const auto it = article_by_cluster.find(item["label"]);
    if (it == article_by_cluster.end()) continue;
    ++teasers;
    const std::string& article = it->second;
    const std::string lede = item["text"];
    EXPECT_EQ(article.substr(0, article.find("\n\n")), lede);
    EXPECT_GT(article.size(), 5 * lede.size());
  }
  EXPECT_EQ(teasers, 200);
}

TEST_F(CorpusGeneratorTest, ArticleKindWritesPages) {
  int code = -1;
  const fs::path dir = Generate(
      "gen_articles", "--kind article --items 300 --seed 5 --nights 3", &code);
  ASSERT_EQ(code, 0);
  EXPECT_FALSE(fs::exists(dir / "articles.jsonl"));
  std::map<std::string, std::string> type_by_id;
  for (const nlohmann::json& t : ReadJsonl(dir / "truth.jsonl")) {
    type_by_id[t["id"]] = t["type"];
  }
  int pages = 0;
  int teasers = 0;
  for (const nlohmann::json& item : ReadJsonl(dir / "corpus.jsonl")) {
    char name[32];
    std::snprintf(name, sizeof(name), "night-%03d", item["night"].get<int>());
    const fs::path page =
        dir / "pages" / name / (item["id"].get<std::string>() + ".txt");
    if (type_by_id[item["id"]] == "teaser") {  // In the night's listing.
      EXPECT_FALSE(fs::exists(page));
      ++teasers;
      continue;
    }
    EXPECT_EQ(ReadFile(page), item["title"].get<std::string>() + "\n\n" +
                                  item["text"].get<std::string>() + "\n");
    ++pages;
  }
  EXPECT_EQ(teasers, 15);
  EXPECT_EQ(pages, 285);
}

TEST_F(CorpusGeneratorTest, RejectsBadFlags) {
  int code = -1;
  Generate("gen_bad", "--items 10 --near-share 1.5", &code);
  EXPECT_EQ(code, 2);
  Generate("gen_bad", "--items 10 --exact-share 0.6 --near-share 0.6", &code);
  EXPECT_EQ(code, 2);
  Generate("gen_bad", "--seed 3", &code);
  EXPECT_EQ(code, 2);
}

}  // namespace
}  // namespace newsdedup
