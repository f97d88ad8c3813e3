#include "core/html_page.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace newsdedup {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

// A small hand-made article page: a site header and menu, the article with
// its header, a related-stories aside, a footer and scripts.
constexpr char kArticle[] = R"(<!DOCTYPE html>
<html lang="fr"><head>
<title>Un pont rouvre après deux ans de travaux | La Gazette du Val</title>
<meta property="og:title" content="Un pont rouvre après deux ans de travaux">
<link rel="canonical" href="https://gazette.example/vallee/2024/pont-rouvre.html">
<script>var tracking = "ne pas lire";</script>
</head><body>
<header><a href="/">La Gazette du Val</a><nav><a href="/monde">Monde</a> <a href="/sport">Sport</a></nav></header>
<div class="menu"><a href="/a">Économie</a> · <a href="/b">Culture</a> · <a href="/c">Sciences</a></div>
<article>
  <header><h1>Un pont rouvre après deux ans de travaux</h1>
  <p class="chapo">Les habitants de la vallée retrouvent leur passage vers la ville, fermé depuis la crue de l'hiver dernier.</p></header>
  <p>Les ingénieurs ont dû reconstruire deux piles et <a href="/dossier">renforcer le tablier</a> avant que les premières voitures ne passent ce matin.</p>
  <figure><img src="pont.jpg"><figcaption>Le pont, mardi matin.</figcaption></figure>
  <p>Le maire a promis une piste cyclable d'ici l'été, financée par la région et par l'État.</p>
</article>
<aside><h2><a href="/autre">Une autre histoire</a></h2><p>À lire aussi.</p></aside>
<footer><p>© La Gazette du Val. Mentions légales.</p></footer>
<script>document.write("nope")</script>
</body></html>)";

TEST(HtmlPageTest, ReadsTheArticleTitleUrlAndText) {
  const HtmlPage page = ReadHtmlPage(kArticle);
  EXPECT_EQ(page.title, "Un pont rouvre après deux ans de travaux");
  EXPECT_EQ(page.url, "https://gazette.example/vallee/2024/pont-rouvre.html");
  EXPECT_THAT(page.blocks, Contains(HasSubstr("renforcer le tablier avant")));
  EXPECT_THAT(page.blocks, Contains(HasSubstr("Les habitants de la vallée")));
  for (const char* chrome : {"Monde", "Économie", "Une autre histoire", "Mentions", "nope",
                             "tracking"}) {
    EXPECT_THAT(page.blocks, Not(Contains(HasSubstr(chrome)))) << chrome;
  }
  EXPECT_FALSE(page.LooksLikeListing());
}

TEST(HtmlPageTest, TheTitleFallsBackToOgTitleThenTitle) {
  EXPECT_EQ(ReadHtmlPage("<html><head><meta property=\"og:title\" content=\" Seul titre \">"
                         "<title>Autre | Site</title></head><body><p>Texte.</p></body></html>")
                .title,
            "Seul titre");
  EXPECT_EQ(ReadHtmlPage("<html><head><title>Le titre | Site</title></head><body></body></html>")
                .title,
            "Le titre | Site");
}

TEST(HtmlPageTest, ManyHeadlinesWithTeasersMakeAListing) {
  std::string html = "<html><body><main>";
  for (int i = 1; i <= 6; ++i) {
    const std::string n = std::to_string(i);
    html += "<article><h2><a href=\"/story/" + n + "\">Titre numéro " + n +
            "</a></h2><p>Le chapeau de l'histoire " + n + ", en une phrase.</p></article>";
  }
  html += "</main></body></html>";
  const HtmlPage page = ReadHtmlPage(html);
  ASSERT_EQ(page.headlines.size(), 6u);
  EXPECT_EQ(page.headlines[0].title, "Titre numéro 1");
  EXPECT_EQ(page.headlines[0].teaser, "Le chapeau de l'histoire 1, en une phrase.");
  EXPECT_EQ(page.headlines[0].url, "/story/1");
  EXPECT_TRUE(page.LooksLikeListing());
}

TEST(HtmlPageTest, LinkDenseBlocksAreLeftOut) {
  const HtmlPage page = ReadHtmlPage(
      "<html><body><div><a href=\"/1\">Politique</a> <a href=\"/2\">International</a> "
      "<a href=\"/3\">Planète</a></div><p>Un vrai paragraphe, avec <a href=\"/x\">un lien</a> "
      "dedans, reste du texte.</p></body></html>");
  EXPECT_THAT(page.blocks, ElementsAre("Un vrai paragraphe, avec un lien dedans, reste du texte."));
}

TEST(HtmlPageTest, DeepNestingDoesNotOverflowTheStack) {
  std::string html = "<html><body>";
  for (int i = 0; i < 20000; ++i) html += "<div>";
  html += "<p>Au fond du puits.</p></body></html>";
  EXPECT_THAT(ReadHtmlPage(html).blocks, ElementsAre("Au fond du puits."));
}

TEST(HtmlPageTest, DetectsHtmlByItsOpening) {
  EXPECT_TRUE(LooksLikeHtml("\xEF\xBB\xBF  <!doctype html><html>"));
  EXPECT_TRUE(LooksLikeHtml("<!-- saved from url=(0042) -->\n<HTML><BODY>"));
  EXPECT_FALSE(LooksLikeHtml("Un titre\nUn chapeau <b>gras</b>."));
  EXPECT_FALSE(LooksLikeHtml("{\"title\": \"<html>\"}"));
}

TEST(HtmlPageTest, ResolvesLinksAgainstThePageUrl) {
  const std::string base = "https://site.example/a/b/page.html";
  EXPECT_EQ(ResolveUrl(base, "https://other.example/x"), "https://other.example/x");
  EXPECT_EQ(ResolveUrl(base, "//cdn.example/y"), "https://cdn.example/y");
  EXPECT_EQ(ResolveUrl(base, "/z"), "https://site.example/z");
  EXPECT_EQ(ResolveUrl(base, "w.html"), "https://site.example/a/b/w.html");
  EXPECT_EQ(ResolveUrl("", "w.html"), "w.html");
}

}  // namespace
}  // namespace newsdedup
