#include "core/dump_parser.h"

#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "core/normalize.h"
#include "core/shingler.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "xxhash.h"

namespace newsdedup {
namespace {

// tests/testing/status_matchers.h does not compile with this gMock
// (IsOkAndHolds names `arg` in its description), so these tests compare
// status codes directly.
MATCHER_P(HasCode, code, "has status code " + ::testing::PrintToString(code)) {
  *result_listener << "status is " << arg.ToString();
  return arg.code() == code;
}

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::SizeIs;

std::string ReadFile(const std::string& relative_path) {
  std::ifstream in(std::string(NEWSDEDUP_SOURCE_DIR) + "/" + relative_path,
                   std::ios::binary);
  std::stringstream contents;
  contents << in.rdbuf();
  return contents.str();
}

constexpr const char* kListingSeeds[] = {
    "seeds/000_cf8142584f5eb925.txt", "seeds/001_8a463b74158542bd.txt",
    "seeds/002_be30da7762e67050.txt", "seeds/004_9e2104cae3fc0cc9.txt"};
constexpr const char* kArticleSeed = "seeds/003_3e9d996f7f80b2c1.txt";

std::vector<std::string> Lines(const std::string& text) {
  return absl::StrSplit(text, '\n', absl::SkipEmpty());
}

ParsedDump ParseOrDie(std::string_view bytes,
                      const ParseOptions& options = {}) {
  absl::StatusOr<ParsedDump> dump = ParseDump(bytes, options);
  EXPECT_TRUE(dump.ok()) << dump.status().ToString();
  return dump.ok() ? *std::move(dump) : ParsedDump();
}

// --- Format names and detection ---------------------------------------------

TEST(DumpParserTest, FormatNamesRoundTrip) {
  for (const DumpFormat format :
       {DumpFormat::kListing, DumpFormat::kArticle, DumpFormat::kJsonl}) {
    absl::StatusOr<DumpFormat> parsed =
        ParseDumpFormatName(DumpFormatName(format));
    ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
    EXPECT_EQ(*parsed, format);
  }
  EXPECT_THAT(ParseDumpFormatName("csv").status(),
              HasCode(absl::StatusCode::kInvalidArgument));
}

TEST(DumpParserTest, DetectsEverySeed) {
  for (const char* seed : kListingSeeds) {
    EXPECT_EQ(DetectDumpFormat(ReadFile(seed)), DumpFormat::kListing) << seed;
  }
  EXPECT_EQ(DetectDumpFormat(ReadFile(kArticleSeed)), DumpFormat::kArticle);
  EXPECT_EQ(DetectDumpFormat(ReadFile("tests/fixtures/article_en.txt")),
            DumpFormat::kArticle);
  EXPECT_EQ(DetectDumpFormat(ReadFile("tests/fixtures/article_fr.txt")),
            DumpFormat::kArticle);
  EXPECT_EQ(DetectDumpFormat("{\"title\": \"a\", \"text\": \"b\"}\n"),
            DumpFormat::kJsonl);
}

TEST(DumpParserTest, BraceLineThatIsNotJsonIsNotJsonl) {
  EXPECT_NE(DetectDumpFormat("{not json at all\nA lede that ends here.\n"),
            DumpFormat::kJsonl);
}

// --- Listing pages
// ------------------------------------------------------------

// Every seed listing: an orphan lede, then the file's title and lede lines
// in pairs.
TEST(DumpParserTest, ListingSeedsGiveOrphanLedeThenTwentyTitledItems) {
  for (const char* seed : kListingSeeds) {
    SCOPED_TRACE(seed);
    const std::string text = ReadFile(seed);
    const std::vector<std::string> lines = Lines(text);
    ASSERT_THAT(lines, SizeIs(41));
    const ParsedDump dump = ParseOrDie(text);
    EXPECT_EQ(dump.format, DumpFormat::kListing);
    EXPECT_THAT(dump.warnings, IsEmpty());
    ASSERT_THAT(dump.items, SizeIs(21));
    EXPECT_EQ(dump.items[0].title, "");
    EXPECT_EQ(dump.items[0].lede, lines[0]);
    for (int i = 1; i <= 20; ++i) {
      EXPECT_EQ(dump.items[i].position, i);
      EXPECT_EQ(dump.items[i].title, lines[2 * i - 1]);
      EXPECT_EQ(dump.items[i].lede, lines[2 * i]);
      EXPECT_EQ(dump.items[i].body, "");
    }
  }
}

TEST(DumpParserTest, TitlesEndingInQuestionMarkOrGuillemetStayTitles) {
  const ParsedDump dump =
      ParseOrDie(ReadFile("seeds/000_cf8142584f5eb925.txt"));
  ASSERT_THAT(dump.items, SizeIs(21));
  EXPECT_EQ(dump.items[10].title,
            "Asie centrale : bient\xC3\xB4t un \xC2\xAB espace Schengen "
            "\xC2\xBB comprenant les cinq pays de la r\xC3\xA9gion ?");
  EXPECT_EQ(dump.items[15].title,
            "Coop\xC3\xA9ration entre l\xE2\x80\x99Italie et le Kazakhstan : "
            "Sergio Mattarella pointe un \xC2\xAB potentiel inexploit\xC3\xA9 "
            "\xC2\xBB");
}

TEST(DumpParserTest, ShortLedeIsStillALede) {
  const ParsedDump dump =
      ParseOrDie(ReadFile("seeds/004_9e2104cae3fc0cc9.txt"));
  ASSERT_THAT(dump.items, SizeIs(21));
  EXPECT_THAT(dump.items[11].lede, HasSubstr("L\xE2\x80\x99"
                                             "alliance kazakho-kirghize"));
}

TEST(DumpParserTest, CrlfBomTrailingSpacesAndBlankLinesGiveSameItems) {
  const std::string text = ReadFile("seeds/002_be30da7762e67050.txt");
  const ParsedDump plain = ParseOrDie(text);
  std::string messy = "\xEF\xBB\xBF";
  int n = 0;
  for (const std::string& line : Lines(text)) {
    messy += line + " \t\xC2\xA0 \r\n";
    if (++n % 2 == 1) messy += "\r\n  \r\n";  // A blank line between entries.
  }
  const ParsedDump parsed = ParseOrDie(messy);
  ASSERT_EQ(parsed.items.size(), plain.items.size());
  for (size_t i = 0; i < plain.items.size(); ++i) {
    EXPECT_EQ(parsed.items[i].title, plain.items[i].title);
    EXPECT_EQ(parsed.items[i].lede, plain.items[i].lede);
  }
}

// The labelling follows line shapes, so a page that starts with a title, or
// that lost a lede in the middle, is still cut right.
TEST(DumpParserTest, ListingWithoutOrphanLedeStartsWithATitle) {
  const std::vector<std::string> lines =
      Lines(ReadFile("seeds/001_8a463b74158542bd.txt"));
  std::string text;
  for (size_t i = 1; i < lines.size(); ++i) text += lines[i] + "\n";
  const ParsedDump dump = ParseOrDie(text);
  ASSERT_THAT(dump.items, SizeIs(20));
  EXPECT_EQ(dump.items[0].title, lines[1]);
  EXPECT_EQ(dump.items[19].lede, lines[40]);
}

TEST(DumpParserTest, ListingWithAMissingLedeKeepsTheOtherPairs) {
  const std::vector<std::string> lines =
      Lines(ReadFile("seeds/000_cf8142584f5eb925.txt"));
  std::string text;
  for (size_t i = 0; i < lines.size(); ++i) {
    if (i != 8) text += lines[i] + "\n";  // The lede of the 4th title.
  }
  const ParsedDump dump = ParseOrDie(text, {.format = DumpFormat::kListing});
  ASSERT_THAT(dump.items, SizeIs(21));
  EXPECT_EQ(dump.items[4].title, lines[7]);
  EXPECT_EQ(dump.items[4].lede, "");
  EXPECT_EQ(dump.items[5].title, lines[9]);
  EXPECT_EQ(dump.items[5].lede, lines[10]);
  EXPECT_EQ(dump.items[20].title, lines[39]);
}

TEST(DumpParserTest, TitleCutOffAtTheEndHasEmptyLede) {
  const std::vector<std::string> lines =
      Lines(ReadFile("seeds/004_9e2104cae3fc0cc9.txt"));
  std::string text;
  for (size_t i = 0; i + 1 < lines.size(); ++i) text += lines[i] + "\n";
  const ParsedDump dump = ParseOrDie(text);
  ASSERT_THAT(dump.items, SizeIs(21));
  EXPECT_EQ(dump.items[20].title, lines[39]);
  EXPECT_EQ(dump.items[20].lede, "");
}

// --- Article pages
// ------------------------------------------------------------

TEST(DumpParserTest, ArticleSeedIsOneCleanItem) {
  const ParsedDump dump = ParseOrDie(ReadFile(kArticleSeed));
  EXPECT_EQ(dump.format, DumpFormat::kArticle);
  ASSERT_THAT(dump.items, SizeIs(1));
  const Item& item = dump.items[0];
  EXPECT_EQ(item.title,
            "UE-Asie centrale : Kaja Kallas mise sur le partenariat durable");
  const std::vector<std::string> listing =
      Lines(ReadFile("seeds/000_cf8142584f5eb925.txt"));
  ASSERT_EQ(listing[3], item.title);
  EXPECT_EQ(item.lede, listing[4]);
  EXPECT_THAT(item.body, Not(HasSubstr("cookie")));
  EXPECT_THAT(item.body, Not(HasSubstr("Kaja Kallas \xC3\xA0 Achgabat")));
  EXPECT_THAT(item.body, Not(HasSubstr("Kaja Kallas et Kassym-Jomart")));
  EXPECT_THAT(item.body, Not(HasSubstr("Newsletter")));
  EXPECT_THAT(item.body, Not(HasSubstr("Pour rester inform")));
  EXPECT_THAT(item.body, HasSubstr("Global Gateway et corridors"));
  EXPECT_THAT(item.body, HasSubstr("cadre strat\xC3\xA9gique du partenariat."));
}

TEST(DumpParserTest, EnglishArticleWithBannerRelatedLinksAndFooter) {
  const ParsedDump dump = ParseOrDie(ReadFile("tests/fixtures/article_en.txt"));
  EXPECT_EQ(dump.format, DumpFormat::kArticle);
  ASSERT_THAT(dump.items, SizeIs(1));
  const Item& item = dump.items[0];
  EXPECT_EQ(item.title,
            "Kazakhstan and Uzbekistan agree to build a joint water "
            "management agency");
  EXPECT_THAT(item.lede, ::testing::StartsWith("The governments of"));
  EXPECT_THAT(item.body, ::testing::StartsWith("Under the deal"));
  EXPECT_THAT(item.body, HasSubstr("Why the Syr Darya matters"));
  EXPECT_THAT(item.body, HasSubstr("Experts welcomed the agreement"));
  for (const char* chrome :
       {"cookies", "Accept all", "Home |", "By Jane", "Published", "Share",
        "Photo", "Related", "hydropower", "Read more", "newsletter", "inbox",
        "Subscribe", "rights reserved", "Privacy"}) {
    EXPECT_THAT(item.body, Not(HasSubstr(chrome))) << chrome;
  }
}

TEST(DumpParserTest, FrenchArticleWithBreadcrumbBylineCaptionsAndFooter) {
  const ParsedDump dump = ParseOrDie(ReadFile("tests/fixtures/article_fr.txt"));
  EXPECT_EQ(dump.format, DumpFormat::kArticle);
  ASSERT_THAT(dump.items, SizeIs(1));
  const Item& item = dump.items[0];
  EXPECT_EQ(item.title,
            "Ouzb\xC3\xA9kistan : Tachkent inaugure sa premi\xC3\xA8re ligne "
            "de tramway depuis 1991");
  EXPECT_THAT(item.lede, ::testing::StartsWith("La capitale ouzb\xC3\xA8ke"));
  EXPECT_THAT(item.body, ::testing::StartsWith("Construite en deux ans"));
  EXPECT_THAT(item.body, HasSubstr("Un projet attendu par les habitants"));
  EXPECT_THAT(item.body, HasSubstr("\xC2\xAB Avant, il me fallait"));
  EXPECT_THAT(item.body,
              HasSubstr("Banque asiatique de d\xC3\xA9veloppement."));
  for (const char* chrome :
       {"Accueil", "Par Marie", "Publi\xC3\xA9 le", "Photo", "Lire aussi",
        "Tachkent, Ouzb\xC3\xA9kistan", "Partager", "Imprimer",
        "Sur le m\xC3\xAAme sujet", "Almaty", "Bichkek", "droits",
        "Mentions"}) {
    EXPECT_THAT(item.body, Not(HasSubstr(chrome))) << chrome;
  }
}

TEST(DumpParserTest, KnownBoilerplateParagraphsAreDropped) {
  const std::string heading = "Why the Syr Darya matters";
  const absl::flat_hash_set<uint64_t> known = {LineShapeHash(heading)};
  const ParsedDump dump = ParseOrDie(ReadFile("tests/fixtures/article_en.txt"),
                                     {.known_boilerplate = &known});
  ASSERT_THAT(dump.items, SizeIs(1));
  EXPECT_THAT(dump.items[0].body, Not(HasSubstr(heading)));
  EXPECT_THAT(dump.items[0].body, HasSubstr("The river irrigates"));
}

TEST(DumpParserTest, ArticlePageWithoutTextIsRefused) {
  const absl::StatusOr<ParsedDump> dump =
      ParseDump("Menu\nAccueil\nContact\n", {.format = DumpFormat::kArticle});
  EXPECT_EQ(dump.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(dump.status().message(), HasSubstr("article page without text"));
}

TEST(DumpParserTest, AnchoredPageWithOnlyATitleKeepsItAndWarns) {
  const ParsedDump dump =
      ParseOrDie("Menu\nUne exposition rouvre ses portes au public\n",
                 {.format = DumpFormat::kArticle, .anchor = PageAnchor{.title_line = 1}});
  ASSERT_THAT(dump.items, SizeIs(1));
  EXPECT_EQ(dump.items[0].title, "Une exposition rouvre ses portes au public");
  EXPECT_EQ(dump.items[0].lede, "");
  EXPECT_THAT(dump.warnings, ElementsAre(HasSubstr("no paragraph")));
}

TEST(DumpParserTest, AnAnchorGivesTheTitleAndDropsTheChromeBeforeIt) {
  const std::string page =
      "Une autre histoire très lue cette semaine\n"
      "Culture Sport Sciences\n"
      "Un pont rouvre après deux ans de travaux\n"
      "Les habitants.\n"
      "Les habitants de la vallée retrouvent leur passage vers la ville, fermé depuis la crue "
      "de l'hiver dernier et les pluies.\n"
      "Les ingénieurs ont dû reconstruire deux piles et renforcer le tablier avant que les "
      "premières voitures ne passent ce matin sur le pont.\n";
  const ParsedDump plain = ParseOrDie(page, {.format = DumpFormat::kArticle});
  ASSERT_THAT(plain.page_lines, SizeIs(6));
  EXPECT_EQ(plain.page_lines[2].words_hash, HashOfWords("Un pont rouvre après deux ans de travaux"));
  const ParsedDump anchored =
      ParseOrDie(page, {.format = DumpFormat::kArticle,
                        .anchor = PageAnchor{.title_line = 2, .lede_line = 3}});
  ASSERT_THAT(anchored.items, SizeIs(1));
  EXPECT_EQ(anchored.items[0].title, "Un pont rouvre après deux ans de travaux");
  // The teaser's short lede is the lede, whatever its shape.
  EXPECT_EQ(anchored.items[0].lede, "Les habitants.");
  EXPECT_THAT(anchored.items[0].body, HasSubstr("Les ingénieurs"));
  EXPECT_THAT(anchored.items[0].body, Not(HasSubstr("Une autre histoire")));
}

TEST(DumpParserTest, LineShapesIgnoreTheDigits) {
  EXPECT_EQ(LineShapeHash("Il vous reste 48.56% de cet article à lire."),
            LineShapeHash("Il vous reste 7% de cet article à lire"));
  EXPECT_NE(LineShapeHash("Il vous reste 7% de cet article"), LineShapeHash("Il vous reste"));
}

constexpr char kHtmlArticle[] = R"(<!doctype html><html><head>
<meta property="og:title" content="Un pont rouvre après deux ans de travaux">
<link rel="canonical" href="https://gazette.example/pont.html"></head><body>
<nav><a href="/">Accueil</a></nav>
<article><h1>Un pont rouvre après deux ans de travaux</h1>
<p>Les habitants de la vallée retrouvent leur passage vers la ville, fermé depuis la crue de l'hiver dernier.</p>
<p>Les ingénieurs ont dû reconstruire deux piles et renforcer le tablier avant que les premières voitures ne passent.</p>
</article></body></html>)";

TEST(DumpParserTest, HtmlArticleIsOneItemWithTitleUrlAndText) {
  const ParsedDump dump = ParseOrDie(kHtmlArticle);
  EXPECT_EQ(dump.format, DumpFormat::kHtml);
  EXPECT_EQ(dump.kind, SnapshotKind::kArticle);
  ASSERT_THAT(dump.items, SizeIs(1));
  EXPECT_EQ(dump.items[0].title, "Un pont rouvre après deux ans de travaux");
  EXPECT_EQ(dump.items[0].url, "https://gazette.example/pont.html");
  EXPECT_THAT(dump.items[0].lede, HasSubstr("Les habitants de la vallée"));
  EXPECT_THAT(dump.items[0].body, HasSubstr("Les ingénieurs"));
  EXPECT_FALSE(dump.page_lines.empty());
}

TEST(DumpParserTest, HtmlListingPageIsAListing) {
  std::string html = "<html><head><link rel=canonical href=\"https://site.example/news/\"></head><body>";
  for (int i = 1; i <= 5; ++i) {
    const std::string n = std::to_string(i);
    html += "<div><h3><a href=\"/s" + n + "\">Le titre " + n + "</a></h3><p>Le chapeau " + n +
            ".</p></div>";
  }
  const ParsedDump dump = ParseOrDie(html + "</body></html>");
  EXPECT_EQ(dump.kind, SnapshotKind::kListing);
  ASSERT_THAT(dump.items, SizeIs(5));
  EXPECT_EQ(dump.items[4].title, "Le titre 5");
  EXPECT_EQ(dump.items[4].lede, "Le chapeau 5.");
  EXPECT_EQ(dump.items[4].url, "https://site.example/s5");
  EXPECT_EQ(dump.items[4].position, 4);
}

TEST(DumpParserTest, HtmlPageWithoutTextIsRefused) {
  const absl::StatusOr<ParsedDump> dump =
      ParseDump("<!DOCTYPE html><html><head><script>x()</script></head><body></body></html>");
  EXPECT_EQ(dump.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(dump.status().message(), HasSubstr("HTML page without text"));
}

// --- JSON Lines
// -----------------------------------------------------------------

TEST(DumpParserTest, JsonlFieldsAreRead) {
  const ParsedDump dump = ParseOrDie(
      "{\"id\": \"n0000004\", \"title\": \" A title \", \"text\": \"The lede."
      "\\nThe body.\\nMore body.\", \"url\": \"https://example.com/a\", "
      "\"published\": \"2025-03-29T10:00:00Z\"}\n"
      "{\"id\": 137, \"title\": \"Second\", \"description\": \"Teaser.\"}\n"
      "{\"id\": 2.5, \"body\": \"Body only.\"}\n"
      "{\"title\": \"Title only\", \"text\": 42, \"id\": [1]}\n");
  EXPECT_EQ(dump.format, DumpFormat::kJsonl);
  EXPECT_THAT(dump.warnings, IsEmpty());
  ASSERT_THAT(dump.items, SizeIs(4));
  EXPECT_EQ(dump.items[0].id, "n0000004");
  EXPECT_EQ(dump.items[0].title, "A title");
  EXPECT_EQ(dump.items[0].lede, "The lede.");
  EXPECT_EQ(dump.items[0].body, "The body.\nMore body.");
  EXPECT_EQ(dump.items[0].url, "https://example.com/a");
  EXPECT_EQ(dump.items[0].published, "2025-03-29T10:00:00Z");
  EXPECT_EQ(dump.items[1].id, "137");
  EXPECT_EQ(dump.items[1].lede, "Teaser.");
  EXPECT_EQ(dump.items[2].title, "");
  EXPECT_EQ(dump.items[2].lede, "Body only.");
  EXPECT_EQ(dump.items[2].id, "2.5");
  EXPECT_EQ(dump.items[3].title, "Title only");
  EXPECT_EQ(dump.items[3].lede, "");
  EXPECT_EQ(dump.items[3].id, "");
  for (int i = 0; i < 4; ++i) EXPECT_EQ(dump.items[i].position, i);
}

TEST(DumpParserTest, JsonlBadLinesAreSkippedWithTheirLineNumber) {
  const ParsedDump dump = ParseOrDie(
      "{\"title\": \"First\", \"text\": \"Fine.\"}\n"
      "{\"title\": \"broken\n"
      "\n"
      "[1, 2, 3]\n"
      "{\"url\": \"https://example.com/no-text\"}\n"
      "{\"title\": \"Last\", \"text\": \"Fine too.\"}\n");
  ASSERT_THAT(dump.items, SizeIs(2));
  EXPECT_EQ(dump.items[1].title, "Last");
  EXPECT_EQ(dump.items[1].position, 1);
  EXPECT_THAT(dump.warnings,
              ElementsAre(HasSubstr("line 2:"), HasSubstr("line 4:"),
                          HasSubstr("line 5:")));
}

TEST(DumpParserTest, JsonlFieldsThatAreNotReadGetOneWarning) {
  const ParsedDump dump = ParseOrDie(
      "{\"headline\": \"Réunion à Achgabat\", \"link\": \"https://example.com/a\"}\n"
      "{\"headline\": \"Second\", \"text\": \"Fine.\", \"link\": \"https://example.com/b\"}\n"
      "{\"title\": \"Third\", \"text\": \"Fine too.\"}\n");
  ASSERT_THAT(dump.items, SizeIs(2));
  EXPECT_EQ(dump.items[0].title, "");
  EXPECT_THAT(dump.warnings,
              ElementsAre(HasSubstr("line 1: no title and no text, body or description (only "
                                    "headline, link)"),
                          HasSubstr("fields not read: headline (2 lines), link (2 lines)")));
}

TEST(DumpParserTest, JsonlWithoutUsableObjectIsRefused) {
  EXPECT_THAT(ParseDump("{\"title\": 1}\n{\"foo\": \"bar\"}\nnot json\n",
                        {.format = DumpFormat::kJsonl})
                  .status(),
              HasCode(absl::StatusCode::kInvalidArgument));
}

// --- Bad input
// ------------------------------------------------------------------

TEST(DumpParserTest, NulByteIsRefusedWithItsOffset) {
  const std::string bytes("Title\nLede.\0more", 16);
  const absl::StatusOr<ParsedDump> dump = ParseDump(bytes);
  EXPECT_THAT(dump.status(), HasCode(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(std::string(dump.status().message()),
              HasSubstr("binary file: NUL byte at offset 11"));
}

TEST(DumpParserTest, InvalidUtf8IsRepairedAndCounted) {
  const ParsedDump dump = ParseOrDie(
      "Caf\xE9 et cr\xE8me : un titre court\n"
      "Un paragraphe assez long pour \xEAtre une accroche, avec une phrase "
      "compl\xE8te qui se termine par un point.\n");
  EXPECT_THAT(dump.warnings, ElementsAre(HasSubstr("repaired 4 invalid")));
  ASSERT_THAT(dump.items, SizeIs(1));
  EXPECT_EQ(dump.items[0].title,
            "Caf\xEF\xBF\xBD et cr\xEF\xBF\xBDme : un titre court");
}

TEST(DumpParserTest, EmptyDumpIsZeroItemsAndAWarning) {
  for (const char* bytes : {"", " \n\r\n\t  \n", "\xEF\xBB\xBF"}) {
    const ParsedDump dump = ParseOrDie(bytes);
    EXPECT_THAT(dump.items, IsEmpty());
    EXPECT_THAT(dump.warnings, ElementsAre(HasSubstr("empty")));
  }
}

TEST(DumpParserTest, OverlongLineIsCutWithAWarning) {
  std::string title = "Un titre";
  std::string lede(5000, 'a');
  lede += "\xC3\xA9.";  // A two-byte letter across the cut must not be split.
  const ParsedDump dump =
      ParseOrDie(title + "\n" + lede + "\n",
                 {.format = DumpFormat::kListing, .max_line_bytes = 5001});
  EXPECT_THAT(dump.warnings, ElementsAre(HasSubstr("first at line 2")));
  ASSERT_THAT(dump.items, SizeIs(1));
  EXPECT_EQ(dump.items[0].lede, std::string(5000, 'a'));
}

TEST(DumpParserTest, LongJsonLinesAreParsedWholeNotCut) {
  const std::string text(2'200'000, 'x');  // More than the 1 MB cut of page lines.
  const std::string jsonl = absl::StrCat("{\"title\": \"Long\", \"text\": \"", text,
                                         "\"}\n{\"title\": \"Short\", \"text\": \"t\"}\n");
  const ParsedDump dump = ParseOrDie(jsonl, {});
  EXPECT_EQ(dump.format, DumpFormat::kJsonl);
  EXPECT_THAT(dump.warnings, IsEmpty());
  ASSERT_THAT(dump.items, SizeIs(2));
  EXPECT_EQ(dump.items[0].lede.size(), text.size());
}

TEST(DumpParserTest, JsonLineBeyondTheLimitRefusesTheDumpNamingTheLine) {
  const std::string jsonl = absl::StrCat("{\"title\": \"a\", \"text\": \"b\"}\n",
                                         "{\"title\": \"", std::string(300, 'x'), "\"}\n");
  const absl::StatusOr<ParsedDump> dump = ParseDump(jsonl, {.format = std::nullopt, .max_line_bytes = 1 << 20, .max_json_line_bytes = 100});
  EXPECT_THAT(dump.status(), HasCode(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(dump.status().message(), HasSubstr("line 2"));
}

TEST(DumpParserTest, AHugeTitleDoesNotMakeAListingAnArticlePage) {
  const std::string listing = ReadFile("seeds/000_cf8142584f5eb925.txt");
  ASSERT_EQ(DetectDumpFormat(listing), DumpFormat::kListing);
  // Its first title, ten megabytes long.
  const size_t first_line_end = listing.find('\n');
  const std::string huge = std::string(10'000'000, 'T') + listing.substr(first_line_end);
  EXPECT_EQ(DetectDumpFormat(huge), DumpFormat::kListing);
  const std::string titled = listing.substr(0, first_line_end) + " " + std::string(10'000'000, 'T') +
                             listing.substr(first_line_end);
  EXPECT_EQ(DetectDumpFormat(titled), DumpFormat::kListing);
}

TEST(DumpParserTest, GarbageNeverCrashes) {
  uint64_t state = 88172645463325252ULL;
  for (int round = 0; round < 200; ++round) {
    std::string bytes;
    for (int i = 0; i < 1 + round * 7; ++i) {
      state ^= state << 13;
      state ^= state >> 7;
      state ^= state << 17;
      const char c = static_cast<char>(state % 255 + 1);  // Never NUL.
      bytes.push_back(round % 3 == 0 && c % 5 == 0 ? '\n' : c);
    }
    if (round % 4 == 1) bytes.insert(0, "{");
    for (const DumpFormat format :
         {DumpFormat::kListing, DumpFormat::kArticle, DumpFormat::kJsonl}) {
      const absl::StatusOr<ParsedDump> dump =
          ParseDump(bytes, {.format = format, .max_line_bytes = 64});
      if (!dump.ok()) {
        EXPECT_THAT(dump.status(), HasCode(absl::StatusCode::kInvalidArgument));
      }
    }
    (void)ParseDump(bytes);
  }
}

}  // namespace
}  // namespace newsdedup
