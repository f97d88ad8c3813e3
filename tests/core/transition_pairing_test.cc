#include "core/transition_pairing.h"

#include <cstdint>
#include <string>
#include <vector>

#include "core/similarity.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace newsdedup {
namespace {

class TransitionPairingTest : public ::testing::Test {
 protected:
  const TextFeatures& Add(const std::string& title, const std::string& lede) {
    texts_.push_back(extractor_.Extract(title, lede, "", "", /*with_band_keys=*/false));
    return texts_.back();
  }
  // One side per text, positions as given.
  std::vector<TransitionSide> Sides(std::initializer_list<std::pair<size_t, uint32_t>> texts) {
    std::vector<TransitionSide> sides;
    for (const auto& [index, position] : texts) {
      sides.push_back({.texts = {&texts_[index]}, .position = position, .listing_items = 20});
    }
    return sides;
  }
  std::vector<TransitionPair> Pair(const std::vector<TransitionSide>& departed,
                                   const std::vector<TransitionSide>& arrivals) {
    return PairTransitions(params_, departed, arrivals, TemplateTexts(params_, texts_, {}));
  }

  MatchParams params_;
  FeatureExtractor extractor_{params_};
  std::vector<TextFeatures> texts_ = [] {
    std::vector<TextFeatures> v;
    v.reserve(16);  // Sides point into it.
    return v;
  }();
};

TEST_F(TransitionPairingTest, ARewrittenHeadlineAndLedePairWithTheStoryTheyReplaced) {
  Add("Au Portugal, le garçon tombé dans un puits près de Braga toujours coincé",
      "Les secours creusent depuis trois jours un tunnel parallèle.");
  Add("Au Portugal, le garçon tombé dans un puits est mort",
      "Les sauveteurs l'ont atteint dans la nuit près de Braga ; le pays est en deuil.");
  Add("La bourse termine en hausse", "Les valeurs bancaires ont tiré l'indice vers le haut.");
  const std::vector<TransitionPair> pairs = Pair(Sides({{0, 3}}), Sides({{2, 0}, {1, 2}}));
  ASSERT_EQ(pairs.size(), 1u);
  EXPECT_EQ(pairs[0].departed, 0u);
  EXPECT_EQ(pairs[0].arrival, 1u);
  EXPECT_GE(pairs[0].evidence.title_similarity, params_.transition_jaccard);
  // Braga: Portugal is in both titles, as a series' kicker would be.
  EXPECT_EQ(pairs[0].evidence.shared, 1);
  EXPECT_EQ(pairs[0].evidence.previous_position, 3u);
  EXPECT_EQ(pairs[0].evidence.position, 2u);
}

TEST_F(TransitionPairingTest, EachStoryPairsAtMostOnceBestFirst) {
  Add("Grève des contrôleurs aériens à Lyon : des vols annulés samedi",
      "Le trafic sera perturbé à l'aéroport Saint-Exupéry, selon la direction.");
  Add("Grève des contrôleurs aériens à Lyon : la moitié des vols annulés samedi",
      "La direction de Saint-Exupéry annonce la moitié des vols annulés.");
  Add("Grève des contrôleurs aériens à Lyon : des vols annulés samedi et dimanche",
      "Le trafic sera perturbé tout le week-end à Saint-Exupéry.");
  const std::vector<TransitionPair> first = Pair(Sides({{0, 1}}), Sides({{1, 1}}));
  const std::vector<TransitionPair> second = Pair(Sides({{0, 1}}), Sides({{2, 1}}));
  ASSERT_EQ(first.size(), 1u);
  ASSERT_EQ(second.size(), 1u);
  const std::vector<TransitionPair> both = Pair(Sides({{0, 1}}), Sides({{2, 1}, {1, 1}}));
  ASSERT_EQ(both.size(), 1u);
  const bool first_is_better = first[0].evidence.Score() > second[0].evidence.Score();
  EXPECT_EQ(both[0].arrival, first_is_better ? 1u : 0u);
}

TEST_F(TransitionPairingTest, AnotherDayIsAnotherStoryEvenWhenItReplacedOne) {
  Add("Au marché de Noël de Colmar, la foule du 4 décembre",
      "Le marché de Colmar a accueilli des milliers de visiteurs le 4 décembre.");
  Add("Au marché de Noël de Colmar, la foule du 11 décembre",
      "Le marché de Colmar a accueilli des milliers de visiteurs le 11 décembre.");
  EXPECT_THAT(Pair(Sides({{0, 0}}), Sides({{1, 0}})), ::testing::IsEmpty());
}

TEST_F(TransitionPairingTest, TemplateTextAndMissingTitlesAreNoEvidence) {
  const std::string lede = "Chaque matin, notre envoyé spécial raconte la course d'hier à Lille.";
  Add("Cols, fromages et maillots", lede);
  Add("Pavés, vent et chutes", lede);
  Add("Orages sur le lac, victoire au sprint", lede);  // The third title: a template lede.
  EXPECT_THAT(Pair(Sides({{0, 0}}), Sides({{2, 0}})), ::testing::IsEmpty());
  // Two orphan ledes have no titles to compare.
  Add("", "Le Conseil de Lyon a voté un budget en hausse pour les écoles de la ville.");
  Add("", "Le Conseil de Lyon a voté la fermeture d'une piscine pour l'été prochain.");
  EXPECT_THAT(Pair(Sides({{3, 0}}), Sides({{4, 0}})), ::testing::IsEmpty());
}

// A title the source gives many stories names a series, whose next
// instalment takes the last one's place in the feed: what a rewrite looks
// like to the pairing, however alike the ledes.
TEST_F(TransitionPairingTest, ASeriesTitleIsNeverATransitionsSide) {
  Add("Le croquis de la semaine", "Le regard de Martin Duval sur la semaine politique à Paris.");
  Add("Le croquis de la semaine", "Le regard de Lucie Perrin sur la semaine politique à Paris.");
  Add("Un croquis de la semaine", "Le regard de Lucie Perrin sur la semaine politique à Paris.");
  Add("Un croquis du lundi", "Le regard de Lucie Perrin sur la semaine sportive à Paris.");
  // Two more instalments with ledes of their own: the title is a template.
  Add("Le croquis de la semaine", "Quatre élus dessinés au marché de Rennes, sous la pluie.");
  Add("Le croquis de la semaine", "Une finale de handball vue depuis les tribunes de Nantes.");
  EXPECT_THAT(Pair(Sides({{0, 0}}), Sides({{1, 0}})), ::testing::IsEmpty());
  EXPECT_THAT(Pair(Sides({{1, 0}}), Sides({{2, 0}})), ::testing::IsEmpty());
  EXPECT_THAT(Pair(Sides({{2, 0}}), Sides({{1, 0}})), ::testing::IsEmpty());
  // Away from the series' title, ledes as alike pair.
  EXPECT_THAT(Pair(Sides({{2, 0}}), Sides({{3, 0}})), ::testing::SizeIs(1));
}

TEST_F(TransitionPairingTest, NamesOnlyTheTitlesShareAreASeriesKicker) {
  Add("Guerre au Levant, en direct : des frappes sur la côte sud",
      "Des combats ont repris pendant la nuit.");
  Add("Guerre au Levant, en direct : des frappes sur la côte nord",
      "Les négociateurs se retrouvent ce matin.");
  EXPECT_THAT(Pair(Sides({{0, 0}}), Sides({{1, 0}})), ::testing::IsEmpty());
  // The same with a name carried into the new text pairs.
  Add("Guerre au Levant, en direct : des frappes sur la côte nord",
      "Les négociateurs de Damas se retrouvent ce matin.");
  texts_[0] = extractor_.Extract("Guerre au Levant, en direct : des frappes sur la côte sud",
                                 "Des combats ont repris près de Damas.", "", "", false);
  EXPECT_THAT(Pair(Sides({{0, 0}}), Sides({{2, 0}})), ::testing::SizeIs(1));
}

// A lede kept (here shortened) under a new headline pairs on the ledes' own
// overlap, with no name beyond the titles' in common; ledes as alike that
// replace a name are another instalment.
TEST_F(TransitionPairingTest, ALedeKeptUnderANewHeadlineStandsInForNames) {
  const std::string kept =
      "Dans cette vallée ravagée par trois semaines de pluie, chaque équipe avance lentement "
      "vers les hameaux du nord.";
  Add("Au Chili, les secours à la peine dans les montagnes",
      "Routes coupées, villages isolés… " + kept);
  Add("Au Chili, les secours en terrain difficile", kept);
  const std::vector<TransitionPair> pairs = Pair(Sides({{0, 0}}), Sides({{1, 0}}));
  ASSERT_THAT(pairs, ::testing::SizeIs(1));
  EXPECT_EQ(pairs[0].evidence.shared, 0);
  Add("Au Chili, le regard de Paul Girard sur la vallée",
      "Chaque semaine, le photographe Paul Girard raconte une vallée du pays en images.");
  Add("Au Chili, le regard de Marie Roux sur la vallée",
      "Chaque semaine, la photographe Marie Roux raconte une vallée du pays en images.");
  EXPECT_THAT(Pair(Sides({{2, 0}}), Sides({{3, 0}})), ::testing::IsEmpty());
}

TEST_F(TransitionPairingTest, NoSharedNameOrNumberNoPair) {
  Add("Trois livres pour grandir", "Une sélection de lectures pour les plus jeunes.");
  Add("Trois livres pour rêver", "Des histoires illustrées pour les plus jeunes lecteurs.");
  EXPECT_THAT(Pair(Sides({{0, 0}}), Sides({{1, 0}})), ::testing::IsEmpty());
}

// Made-up words of letters only (titles with numbers are another rule).
std::string Spelled(const std::string& stem, int i) {
  std::string word = stem;
  for (int k = 0; k < 3; ++k, i /= 26) word.push_back(static_cast<char>('a' + i % 26));
  return word;
}

// Hundreds of departed stories and arrivals, each pair at exactly the
// Jaccard threshold (8 shared lead words of 16, a name), among one another:
// the masks that skip most pairs must never skip one of these.
TEST_F(TransitionPairingTest, EveryPairAtTheThresholdIsFoundAmongHundreds) {
  constexpr int kStories = 300;
  texts_.clear();
  texts_.reserve(2 * kStories);
  const auto lede = [](int i) {
    return "Le conseil de " + Spelled("Zelbor", i) + " vote " + Spelled("xal", i) + " " +
           Spelled("xob", i) + " " + Spelled("xuc", i) + ".";
  };
  for (int i = 0; i < kStories; ++i) {
    Add(Spelled("dorv", i) + " " + Spelled("mel", i) + " " + Spelled("tarv", i) + " " +
            Spelled("quen", i),
        lede(i));
  }
  for (int i = 0; i < kStories; ++i) {
    Add(Spelled("bris", i) + " " + Spelled("fol", i) + " " + Spelled("gant", i) + " " +
            Spelled("hiv", i),
        lede(i));
  }
  std::vector<TransitionSide> departed, arrivals;
  for (int i = 0; i < kStories; ++i) {
    departed.push_back({.texts = {&texts_[i]}, .position = uint32_t(i), .listing_items = kStories});
    // Arrivals in reverse order: pairs are found by evidence, not by index.
    arrivals.push_back({.texts = {&texts_[2 * kStories - 1 - i]},
                        .position = uint32_t(i),
                        .listing_items = kStories});
  }
  ASSERT_DOUBLE_EQ(Jaccard(texts_[0].lead_words, texts_[kStories].lead_words),
                   params_.transition_jaccard);
  const std::vector<TransitionPair> pairs = Pair(departed, arrivals);
  ASSERT_EQ(pairs.size(), size_t{kStories});
  for (const TransitionPair& pair : pairs) {
    EXPECT_EQ(pair.arrival, kStories - 1 - pair.departed);
    EXPECT_DOUBLE_EQ(pair.evidence.lead_similarity, params_.transition_jaccard);
  }
  // Spread over cores (300 departed stories are five blocks of them): the
  // same pairs in the same order.
  for (int threads : {2, 3}) {
    const std::vector<TransitionPair> spread = PairTransitions(
        params_, departed, arrivals, TemplateTexts(params_, texts_, {}), {.threads = threads});
    ASSERT_EQ(spread.size(), pairs.size()) << threads << " threads";
    for (size_t k = 0; k < pairs.size(); ++k) {
      EXPECT_EQ(spread[k].departed, pairs[k].departed) << threads << " threads, pair " << k;
      EXPECT_EQ(spread[k].arrival, pairs[k].arrival) << threads << " threads, pair " << k;
    }
  }
}

// Beyond the budget of pairs, a departed story meets only the arrivals
// nearest its relative position: its rewrite at the same place in the feed
// is found, one at the other end of it is not.
TEST_F(TransitionPairingTest, BeyondTheBudgetOnlyNearbyArrivalsAreTried) {
  constexpr int kArrivals = 40;
  texts_.clear();
  texts_.reserve(2 + kArrivals);
  const auto lede = [](int i) {
    return "Le conseil de " + Spelled("Zelbor", i) + " vote " + Spelled("xal", i) + " " +
           Spelled("xob", i) + " " + Spelled("xuc", i) + ".";
  };
  const auto title = [](const std::string& stem, int i) {
    return Spelled(stem, i) + " " + Spelled("mel", i) + " " + Spelled("tarv", i) + " " +
           Spelled("quen", i);
  };
  Add(title("dorv", 0), lede(0));  // Departed at the top of the feed.
  Add(title("dorv", 1), lede(1));  // Departed at the top too.
  // Arrivals 0..39 from the top; the rewrite of story 0 is the first, that
  // of story 1 the last.
  for (int i = 0; i < kArrivals; ++i) {
    const int story = i == 0 ? 0 : i == kArrivals - 1 ? 1 : 100 + i;
    Add(title("bris", story), lede(story));
  }
  std::vector<TransitionSide> departed, arrivals;
  for (int d = 0; d < 2; ++d) {
    departed.push_back({.texts = {&texts_[d]}, .position = uint32_t(d), .listing_items = 20});
  }
  for (int i = 0; i < kArrivals; ++i) {
    arrivals.push_back(
        {.texts = {&texts_[2 + i]}, .position = uint32_t(i), .listing_items = kArrivals});
  }
  const TemplateTexts templates(params_, texts_, {});
  EXPECT_THAT(PairTransitions(params_, departed, arrivals, templates), ::testing::SizeIs(2));
  const std::vector<TransitionPair> nearby =
      PairTransitions(params_, departed, arrivals, templates, {.pairs = 2 * 5});
  ASSERT_THAT(nearby, ::testing::SizeIs(1));
  EXPECT_EQ(nearby[0].departed, 0u);
  EXPECT_EQ(nearby[0].arrival, 0u);
}

}  // namespace
}  // namespace newsdedup
