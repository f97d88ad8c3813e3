#include "core/page_profile.h"

#include <string>
#include <vector>

#include "core/shingler.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace newsdedup {
namespace {

using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

PageLine LineOf(const std::string& text) {
  int words = 1;
  for (char c : text) words += c == ' ';
  return {.shape_hash = LineShapeHash(text), .words_hash = HashOfWords(text), .words = words};
}

TextHistory SeenOn(std::initializer_list<uint64_t> stories) {
  TextHistory history;
  for (uint64_t story : stories) history.Add(story);
  return history;
}

const std::string kMenu = "Accueil Monde Sport Culture";
const std::string kTitle = "Un pont rouvre après deux ans de travaux";
const std::string kLede =
    "Les habitants de la vallée retrouvent leur passage vers la ville, fermé depuis la crue "
    "de l'hiver dernier.";
const std::string kParagraph =
    "Les ingénieurs ont dû reconstruire deux piles et renforcer le tablier avant que les "
    "premières voitures ne passent ce matin.";

TEST(PageProfileTest, LinesOfOtherStoriesPagesAreBoilerplate) {
  const std::vector<PageLine> lines = {LineOf(kMenu), LineOf(kTitle), LineOf(kLede),
                                       LineOf(kParagraph)};
  // The menu was on story 3's page; the rest was never seen.
  const std::vector<TextHistory> histories = {SeenOn({3}), {}, {}, {}};
  const PageProfile profile = ProfilePage(MatchParams(), lines, histories, {});
  EXPECT_THAT(profile.boilerplate, UnorderedElementsAre(lines[0].shape_hash));
  EXPECT_FALSE(profile.anchor.has_value());
}

TEST(PageProfileTest, APageSeenAgainKeepsItsOwnParagraphs) {
  const std::vector<PageLine> lines = {LineOf(kMenu), LineOf(kTitle), LineOf(kLede),
                                       LineOf(kParagraph)};
  // Its own first capture (story 8) showed all of it; story 3's page the menu.
  const std::vector<TextHistory> histories = {SeenOn({3, 8}), SeenOn({8}), SeenOn({8}),
                                              SeenOn({8})};
  const PageProfile profile = ProfilePage(MatchParams(), lines, histories, {});
  EXPECT_EQ(profile.story, 8u);
  EXPECT_THAT(profile.boilerplate, UnorderedElementsAre(lines[0].shape_hash));
}

TEST(PageProfileTest, TheTeaserWhoseLedeFollowsAnchorsThePage) {
  const std::string other = "Une autre histoire du jour à lire aussi";
  const std::vector<PageLine> lines = {LineOf(other), LineOf(kMenu), LineOf(kTitle),
                                       LineOf("Par une envoyée spéciale"), LineOf(kLede),
                                       LineOf(kParagraph)};
  const std::vector<TextHistory> histories(lines.size());
  const std::vector<TeaserInPage> teasers = {
      {.line = 0, .story = 2, .version = 20, .lede_hash = HashOfWords("Un chapeau qui n'est pas ici.")},
      {.line = 2, .story = 5, .version = 50, .lede_hash = HashOfWords(kLede)}};
  const PageProfile profile = ProfilePage(MatchParams(), lines, histories, teasers);
  ASSERT_TRUE(profile.anchor.has_value());
  EXPECT_EQ(profile.anchor->title_line, 2u);
  EXPECT_EQ(profile.anchor->lede_line, 4u);
  EXPECT_EQ(profile.story, 5u);
  EXPECT_EQ(profile.anchor_version, 50u);
}

// The page's own headline differs from the listing's; the lede is the
// teaser's, word for word.
const std::string kWebHeadline = "Après deux ans de travaux, le pont de la vallée rouvre enfin";

TEST(PageProfileTest, ATeasersLedeAnchorsThePageUnderTheHeadlineAboveIt) {
  const std::vector<PageLine> lines = {LineOf(kMenu), LineOf("Vallée"), LineOf(kWebHeadline),
                                       LineOf(kLede), LineOf(kParagraph)};
  const std::vector<TextHistory> histories(lines.size());
  const std::vector<TeaserInPage> teasers = {{.line = 3,
                                              .by = TeaserLine::kLede,
                                              .story = 5,
                                              .version = 50,
                                              .lede_hash = HashOfWords(kLede),
                                              .title = kTitle}};
  const PageProfile profile = ProfilePage(MatchParams(), lines, histories, teasers);
  ASSERT_TRUE(profile.anchor.has_value());
  // The one-word section label between them is not a headline.
  EXPECT_EQ(profile.anchor->title_line, 2u);
  EXPECT_EQ(profile.anchor->lede_line, 3u);
  // The article keeps the teaser's title.
  EXPECT_EQ(profile.anchor->title, kTitle);
  EXPECT_EQ(profile.story, 5u);
  EXPECT_EQ(profile.anchor_version, 50u);
}

TEST(PageProfileTest, AShownTitleOutranksALedeSeenElsewhereInThePage) {
  const std::string other_lede =
      "Une association a racheté le bâtiment et ouvrira ses portes aux visiteurs dès le "
      "printemps prochain.";
  const std::vector<PageLine> lines = {LineOf("Le vieux moulin devient un musée"),
                                       LineOf(other_lede), LineOf(kTitle), LineOf(kLede),
                                       LineOf(kParagraph)};
  const std::vector<TextHistory> histories(lines.size());
  const std::vector<TeaserInPage> teasers = {
      {.line = 1, .by = TeaserLine::kLede, .story = 2, .version = 20,
       .lede_hash = HashOfWords(other_lede)},
      {.line = 2, .story = 5, .version = 50, .lede_hash = HashOfWords(kLede)}};
  const PageProfile profile = ProfilePage(MatchParams(), lines, histories, teasers);
  ASSERT_TRUE(profile.anchor.has_value());
  EXPECT_EQ(profile.anchor->title_line, 2u);
  EXPECT_EQ(profile.story, 5u);
  EXPECT_THAT(profile.anchor->title, IsEmpty());  // The line's own text.
}

TEST(PageProfileTest, ALedeWithNoHeadlineAboveItAnchorsNothing) {
  const std::vector<PageLine> lines = {LineOf("Vallée"), LineOf(kLede), LineOf(kParagraph)};
  const std::vector<TextHistory> histories(lines.size());
  const std::vector<TeaserInPage> teasers = {
      {.line = 1, .by = TeaserLine::kLede, .story = 5, .version = 50,
       .lede_hash = HashOfWords(kLede)}};
  const PageProfile profile = ProfilePage(MatchParams(), lines, histories, teasers);
  EXPECT_FALSE(profile.anchor.has_value());
  EXPECT_EQ(profile.anchor_version, 0u);
}

TEST(PageProfileTest, TheAnchorsLinesAreNeverBoilerplate) {
  const std::vector<PageLine> lines = {LineOf(kTitle), LineOf(kLede), LineOf(kParagraph)};
  // The title was also a link on story 2's page.
  const std::vector<TextHistory> histories = {SeenOn({2}), {}, {}};
  const std::vector<TeaserInPage> teasers = {
      {.line = 0, .story = 5, .version = 50, .lede_hash = HashOfWords(kLede)}};
  const PageProfile profile = ProfilePage(MatchParams(), lines, histories, teasers);
  EXPECT_THAT(profile.boilerplate, IsEmpty());
}

}  // namespace
}  // namespace newsdedup
