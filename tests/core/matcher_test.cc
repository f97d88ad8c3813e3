#include "core/matcher.h"

#include <fstream>
#include <iterator>
#include <string>

#include "absl/strings/match.h"
#include "core/dump_parser.h"
#include "core/shingler.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace newsdedup {
namespace {

std::vector<Item> SeedItems(const std::string& name) {
  std::ifstream in(std::string(NEWSDEDUP_SOURCE_DIR) + "/seeds/" + name, std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)), {});
  absl::StatusOr<ParsedDump> dump = ParseDump(bytes);
  EXPECT_TRUE(dump.ok()) << dump.status().ToString();
  return dump.ok() ? dump->items : std::vector<Item>();
}

const Item& ItemTitled(const std::vector<Item>& items, const std::string& prefix) {
  for (const Item& item : items) {
    if (absl::StartsWith(item.title, prefix)) return item;
  }
  ADD_FAILURE() << "no item titled " << prefix;
  static const Item kNone;
  return kNone;
}

class MatcherTest : public ::testing::Test {
 protected:
  TextFeatures Features(const Item& item) {
    return extractor_.Extract(item.title, item.lede, item.body, item.url, true);
  }
  TextFeatures Features(const std::string& title, const std::string& lede) {
    return extractor_.Extract(title, lede, "", "", true);
  }
  std::optional<MatchEvidence> Match(const TextFeatures& a, const TextFeatures& b,
                                     bool weak_title = false) {
    return Verify(params_, a, b, weak_title);
  }

  MatchParams params_;
  FeatureExtractor extractor_{params_};
  const std::vector<Item> listing_000_ = SeedItems("000_cf8142584f5eb925.txt");
  const std::vector<Item> listing_001_ = SeedItems("001_8a463b74158542bd.txt");
  const std::vector<Item> article_003_ = SeedItems("003_3e9d996f7f80b2c1.txt");
};

TEST_F(MatcherTest, SameListingItemNextNightIsAnExactRepeat) {
  const std::optional<MatchEvidence> evidence =
      Match(Features(ItemTitled(listing_001_, "UE-Asie centrale : Kaja Kallas")),
            Features(ItemTitled(listing_000_, "UE-Asie centrale : Kaja Kallas")));
  ASSERT_TRUE(evidence.has_value());
  EXPECT_EQ(evidence->rule, MatchRule::kExact);
}

TEST_F(MatcherTest, TeaserAndItsArticleAreOneStoryByContainment) {
  ASSERT_EQ(article_003_.size(), 1u);
  const std::optional<MatchEvidence> evidence =
      Match(Features(article_003_[0]),
            Features(ItemTitled(listing_000_, "UE-Asie centrale : Kaja Kallas")));
  ASSERT_TRUE(evidence.has_value());
  EXPECT_EQ(evidence->rule, MatchRule::kContainment);
  EXPECT_LT(evidence->similarity, 0.2);  // Jaccard alone would miss it.
  EXPECT_GE(evidence->containment, 0.95);
}

TEST_F(MatcherTest, AnnouncementBeforeTheMeetingIsAnotherStory) {
  const TextFeatures report = Features(ItemTitled(listing_000_, "UE-Asie centrale : Kaja Kallas"));
  const TextFeatures announcement =
      Features(ItemTitled(listing_000_, "Rencontre ministérielle UE-Asie centrale"));
  EXPECT_FALSE(Match(announcement, report).has_value());
  EXPECT_FALSE(Match(announcement, Features(article_003_[0])).has_value());
}

TEST_F(MatcherTest, SpeechesOpeningAlikeAreDifferentStories) {
  std::vector<TextFeatures> speeches;
  for (const Item& item : listing_001_) {
    if (absl::StrContains(item.lede, "COP29")) speeches.push_back(Features(item));
  }
  ASSERT_GE(speeches.size(), 3u);
  for (size_t a = 0; a < speeches.size(); ++a) {
    for (size_t b = a + 1; b < speeches.size(); ++b) {
      EXPECT_FALSE(Match(speeches[a], speeches[b]).has_value()) << a << " vs " << b;
    }
  }
}

TEST_F(MatcherTest, EditedLedeIsANearDuplicate) {
  const Item& original = ItemTitled(listing_000_, "Le Kazakhstan lance une enquête");
  std::string edited = original.lede;
  edited.replace(edited.find("examiner"), 8, "étudier");
  const std::optional<MatchEvidence> evidence =
      Match(Features(original.title, edited), Features(original));
  ASSERT_TRUE(evidence.has_value());
  EXPECT_EQ(evidence->rule, MatchRule::kNearDuplicate);
  EXPECT_GT(evidence->similarity, 0.7);
}

TEST_F(MatcherTest, SameWordsAboutAnotherDayAreAnotherStory) {
  const TextFeatures monday = Features(
      "Le dessin du jour", "Le dessin du jour du 4 janvier, par notre dessinateur, sur l'actualité.");
  const TextFeatures tuesday = Features(
      "Le dessin du jour", "Le dessin du jour du 13 janvier, par notre dessinateur, sur l'actualité.");
  EXPECT_FALSE(Match(monday, tuesday).has_value());
}

TEST_F(MatcherTest, RecurringTitleIsNoEvidence) {
  const TextFeatures a = Features(
      "Guerre en Ukraine, en direct",
      "Les combats continuent dans la région, selon les autorités, qui font état de frappes "
      "nocturnes sur des dépôts.");
  const TextFeatures b = Features(
      "Guerre en Ukraine, en direct",
      "Les combats continuent dans la région, selon les autorités, alors que les évacuations de "
      "civils se poursuivent.");
  EXPECT_TRUE(Match(a, b, /*weak_title=*/false).has_value());
  EXPECT_FALSE(Match(a, b, /*weak_title=*/true).has_value());
}

TEST_F(MatcherTest, SameFeatureByAnotherAuthorIsAnotherStory) {
  const TextFeatures plantu = Features(
      "Le dessin du jour", "Le dessin du jour du 21 mars 2025, signé Plantu, sur la réforme des "
                           "retraites et le vote de l'Assemblée nationale.");
  const TextFeatures gorce = Features(
      "Le dessin du jour", "Le dessin du jour du 21 mars 2025, signé Xavier Gorce, sur la réforme "
                           "des retraites et le vote de l'Assemblée nationale.");
  // Under a recurring title a replaced name is another instance of the
  // feature; under a one-off title it may be a correction.
  EXPECT_FALSE(Match(plantu, gorce, /*weak_title=*/true).has_value());
  EXPECT_TRUE(Match(plantu, gorce, /*weak_title=*/false).has_value());
}

// A weekly column's lede never changes; its titles name the week's books.
// Over one lede, titles naming other people are other instances, from the
// second week on (before the lede is learned as a template); a story
// retitled over its lede keeps the lede's names and stays one.
TEST_F(MatcherTest, OneLedeUnderTitlesNamingOthersIsAnotherInstance) {
  const std::string lede = "Les lectures de la semaine de notre critique.";
  const TextFeatures first =
      Features("Marguerite Duras, Albert Camus : les poches de la semaine", lede);
  const TextFeatures second = Features("Colette, Jean Giono : les poches de la semaine", lede);
  EXPECT_TRUE(Conflict(params_, first, second, /*weak_title=*/false));
  const std::string news = "Le chef du gouvernement britannique, Boris Johnson, a obtenu lundi "
                           "la confiance de son groupe parlementaire.";
  const TextFeatures before = Features("Boris Johnson survit à un vote de défiance", news);
  const TextFeatures after = Features("Le premier ministre sauve sa place à Londres", news);
  EXPECT_FALSE(Conflict(params_, before, after, /*weak_title=*/false));
}

// Names are capitalized words inside sentences: a word that opens one after
// a full stop is not a name, however the word before the stop is spelled.
TEST_F(MatcherTest, WordsOpeningASentenceAreNotNames) {
  const TextFeatures f =
      Features("Sommet régional", "Le sommet a eu lieu à Douchanbé. Les ministres ont signé. "
                                  "Un accord suivra, selon Tachkent. Des délégués? Oui… Enfin.");
  EXPECT_EQ(f.names.size(), 2u);  // Douchanbé and Tachkent.
}

TEST_F(MatcherTest, HeadlineTemplateWithOtherNumbersIsAnotherStory) {
  const TextFeatures seventh = Features(
      "Ligue 1, 7e journée : tous les résultats et le classement",
      "Retrouvez tous les résultats de la journée de championnat, les buteurs et le classement "
      "complet des équipes.");
  const TextFeatures seventeenth = Features(
      "Ligue 1, 17e journée : tous les résultats et le classement",
      "Retrouvez tous les résultats de la journée de championnat, avec les réactions des "
      "entraîneurs après les matchs.");
  // Without the number rule the title rule would join them.
  const TextFeatures seventh_again = Features(
      "Ligue 1, 7e journée : tous les résultats et le classement",
      "Retrouvez tous les résultats de la journée de championnat, avec les réactions des "
      "entraîneurs après les matchs.");
  EXPECT_TRUE(Match(seventh, seventh_again).has_value());
  EXPECT_FALSE(Match(seventh, seventeenth).has_value());
}

TEST_F(MatcherTest, SameUrlIsSameStoryWhateverTheText) {
  TextFeatures a = extractor_.Extract("Titre un", "Premier texte.", "", "https://ex.org/a?utm_source=x", true);
  TextFeatures b = extractor_.Extract("Autre titre", "Tout autre chose.", "", "http://www.ex.org/a#top", true);
  const std::optional<MatchEvidence> evidence = Match(a, b);
  ASSERT_TRUE(evidence.has_value());
  EXPECT_EQ(evidence->rule, MatchRule::kUrl);
}

// A live page retitled: its URL's slug follows the headline, its id stays.
TEST_F(MatcherTest, SameUrlArticleIdIsSameStoryWhateverTheText) {
  const TextFeatures a = extractor_.Extract(
      "Live : first headline", "What happened this morning.", "",
      "https://ex.org/live/2022/06/01/live-first-headline_6128449_3210.html", true);
  const TextFeatures b = extractor_.Extract(
      "Live : another headline", "Everything else that happened tonight.", "",
      "https://ex.org/live/2022/06/01/live-another-headline_6128449_3210.html", true);
  const TextFeatures c = extractor_.Extract(
      "Live : another headline", "Everything else that happened tonight.", "",
      "https://ex.org/live/2022/06/02/live-another-headline_6128921_3210.html", true);
  const std::optional<MatchEvidence> evidence = Match(a, b);
  ASSERT_TRUE(evidence.has_value());
  EXPECT_EQ(evidence->rule, MatchRule::kUrl);
  EXPECT_NE(a.url_hash, b.url_hash);
  const std::optional<MatchEvidence> other_live = Match(b, c);
  EXPECT_FALSE(other_live.has_value() && other_live->rule == MatchRule::kUrl);
}

TEST_F(MatcherTest, ClassifiesChanges) {
  const Item& item = ItemTitled(listing_000_, "UE-Asie centrale : Kaja Kallas");
  const TextFeatures before = Features(item);
  EXPECT_EQ(ClassifyChange(params_, before, before), ChangeClass::kNone);
  std::string lowered = item.title;
  lowered[0] = 'u';
  EXPECT_EQ(ClassifyChange(params_, before, Features(lowered, item.lede)), ChangeClass::kMinor);
  EXPECT_EQ(ClassifyChange(params_, before, Features("Kaja Kallas à Achgabat", item.lede)),
            ChangeClass::kRetitled);
  EXPECT_EQ(ClassifyChange(params_, before, Features(article_003_[0])), ChangeClass::kExpanded);
  EXPECT_EQ(ClassifyChange(params_, Features(article_003_[0]), before), ChangeClass::kTruncated);
  EXPECT_EQ(ClassifyChange(params_, before, Features(item.title, item.lede + " Une phrase ajoutée.")),
            ChangeClass::kEdited);
}

TEST_F(MatcherTest, WhitespaceAndQuoteVariantsAreTheSameVersion) {
  const TextFeatures curly = Features("L’Union européenne", "Le « partenariat » durable.");
  const TextFeatures straight = Features("L'Union  européenne", "Le \"partenariat\" durable.");
  EXPECT_EQ(curly.canonical_hash, straight.canonical_hash);
  const TextFeatures accent = Features("L'Union europeenne", "Le \"partenariat\" durable.");
  EXPECT_NE(curly.canonical_hash, accent.canonical_hash);
  EXPECT_EQ(curly.matching_hash, accent.matching_hash);
}

TEST_F(MatcherTest, MonthlyFeaturesOfOtherMonthsAreOtherStories) {
  const TextFeatures january =
      Features("Le mois de janvier en dessins", "Les dessins de nos caricaturistes.");
  const TextFeatures february =
      Features("Le mois de février en dessins", "Les dessins de nos caricaturistes.");
  EXPECT_TRUE(Conflict(params_, january, february, /*weak_title=*/false));
  EXPECT_FALSE(Match(january, february).has_value());
}

TEST_F(MatcherTest, StagesOfARaceAreOtherStories) {
  const TextFeatures fifth = Features("Tour cycliste, 5e étape : victoire au sprint",
                                      "Le peloton est arrivé groupé sous la pluie.");
  const TextFeatures sixth = Features("Tour cycliste, 6e étape : victoire au sprint",
                                      "Le peloton est arrivé groupé sous la pluie.");
  EXPECT_TRUE(Conflict(params_, fifth, sixth, /*weak_title=*/false));
}

TEST_F(MatcherTest, OrdinalWordsAreTitleNumbers) {
  const TextFeatures word = Features("Un troisième homme mis en examen", "Lede.");
  const TextFeatures digits = Features("Un 3e homme mis en examen", "Lede.");
  const TextFeatures cardinal = Features("Deux hommes en garde à vue", "Lede.");
  EXPECT_EQ(word.title_numbers, digits.title_numbers);
  EXPECT_NE(word.title_numbers, cardinal.title_numbers);
  EXPECT_THAT(word.title_ordinals, ::testing::ElementsAre(3));
}

TEST_F(MatcherTest, TitleAndLedeHashesAreHashesOfTheirWords) {
  const TextFeatures f = Features("Un titre, court !", "Et un chapeau.");
  EXPECT_EQ(f.title_hash, HashOfWords("un TITRE court"));
  EXPECT_EQ(f.lede_hash, HashOfWords("Et un chapeau"));
  EXPECT_EQ(Features("", "Et un chapeau.").title_hash, 0u);
}

TEST_F(MatcherTest, TemplateLedeNeedsNearDuplicateTitles) {
  const TextFeatures a = Features("Olivier Martin, Paul Durand : la chronique des poches",
                                  "Le journal des lectures en poche du critique.");
  const TextFeatures b = Features("Jeanne Petit, Marc Blanc : la chronique des poches",
                                  "Le journal des lectures en poche du critique.");
  const TextFeatures retitled = Features("Olivier Martin et Paul Durand : la chronique des poches",
                                         "Le journal des lectures en poche du critique.");
  const std::optional<MatchEvidence> ab = Match(a, b);
  ASSERT_TRUE(ab.has_value());  // Without knowing the lede is a template.
  EXPECT_FALSE(SupportedBesidesLede(params_, a, b, *ab));
  const std::optional<MatchEvidence> retitle = Match(a, retitled);
  ASSERT_TRUE(retitle.has_value());
  EXPECT_TRUE(SupportedBesidesLede(params_, a, retitled, *retitle));
  // Two of the title's words replaced still leave more than half of them
  // (6 of 10): a retitled copy, below rule 3's bar but over a template's.
  const TextFeatures reworded = Features("Olivier Martin, Paul Durand : la sélection de poches",
                                         "Le journal des lectures en poche du critique.");
  const std::optional<MatchEvidence> reword = Match(a, reworded);
  ASSERT_TRUE(reword.has_value());
  EXPECT_NEAR(reword->title_similarity, 0.6, 1e-9);
  EXPECT_TRUE(SupportedBesidesLede(params_, a, reworded, *reword));
  MatchParams strict = params_;
  strict.template_lede_title_jaccard = 0.7;
  EXPECT_FALSE(SupportedBesidesLede(strict, a, reworded, *reword));
}

TEST(MatchParamsTest, DescribeNamesEveryStoredParameter) {
  const std::string described = MatchParams().Describe();
  for (const char* name :
       {"normalizer_version=", "shingle_size=", "num_hashes=", "seed=", "lsh_bands=", "lsh_rows=",
        "containment=", "boilerplate_page_stories=", "template_partners=",
        "template_lede_title_jaccard=", "template_same_lede_bits=", "fingerprint_min_words=",
        "transition_jaccard=", "transition_shared="}) {
    EXPECT_TRUE(absl::StrContains(described, name)) << name;
  }
  MatchParams other;
  other.shingle_size = 4;
  EXPECT_NE(other.Describe(), described);
}

}  // namespace
}  // namespace newsdedup
