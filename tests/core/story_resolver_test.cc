// The resolver's phases with the template rules (core/story_resolver.h,
// core/pair_rules.h): templates found over the dump, and what the store
// learned of the source, change which texts are one story.

#include "core/story_resolver.h"

#include <algorithm>
#include <span>
#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace newsdedup {
namespace {

class StoryResolverTest : public ::testing::Test {
 protected:
  std::vector<TextFeatures> Features(const std::vector<std::string>& titles) {
    std::vector<TextFeatures> items;
    for (const std::string& title : titles) {
      items.push_back(extractor_.Extract(title, lede_, "", "", /*with_band_keys=*/true));
    }
    return items;
  }
  // How many stories the dump's items make.
  static uint32_t Stories(const std::vector<Resolution>& resolutions) {
    uint32_t stories = 0;
    for (const Resolution& r : resolutions) {
      if (r.new_story) stories = std::max(stories, r.story + 1);
    }
    return stories;
  }

  MatchParams params_;
  FeatureExtractor extractor_{params_};
  StoryResolver resolver_{params_, 1};
  const std::string lede_ =
      "Chaque matin pendant la course, notre envoyé spécial raconte l'étape de la veille, les "
      "coulisses du peloton et les rencontres au bord de la route.";
  const std::vector<std::string> titles_ = {"Carnet de route : cols, fromages et maillots",
                                            "Carnet de route : pavés, vent et chutes",
                                            "Carnet de route : orages sur le lac"};
};

TEST_F(StoryResolverTest, ALedeUnderTwoTitlesStillJoinsThem) {
  const std::vector<TextFeatures> items = Features({titles_[0], titles_[1]});
  EXPECT_EQ(Stories(resolver_.Resolve(items, StoredContext())), 1u);
}

TEST_F(StoryResolverTest, ALedeUnderThreeTitlesOfTheDumpIsATemplate) {
  const std::vector<TextFeatures> items = Features(titles_);
  EXPECT_EQ(Stories(resolver_.Resolve(items, StoredContext())), 3u);
}

TEST_F(StoryResolverTest, WhatTheStoreLearnedMakesATemplateOfTwo) {
  const std::vector<TextFeatures> items = Features({titles_[0], titles_[1]});
  StoredContext stored;
  stored.templates.lede_titles[items[0].lede_hash].Add(
      Features({titles_[2]})[0].title_hash);
  EXPECT_EQ(Stories(resolver_.Resolve(items, stored)), 2u);
}

// Sketches completed only where the resolver asks, against full features
// for every item: the answers must be the same.
class SketchResolverTest : public StoryResolverTest {
 protected:
  struct Text {
    std::string title;
    std::string lede;
  };
  std::vector<Resolution> ResolveSketches(const std::vector<Text>& texts,
                                          std::vector<uint32_t>* completed) {
    std::vector<TextFeatures> sketches;
    for (const Text& t : texts) sketches.push_back(extractor_.ExtractSketch(t.title, t.lede, "", ""));
    return StoryResolver(params_, 1).Resolve(sketches, StoredContext(),
                             [&](std::span<const uint32_t> items, std::span<TextFeatures> features) {
                               completed->assign(items.begin(), items.end());
                               for (uint32_t i : items) {
                                 extractor_.Complete(texts[i].title, texts[i].lede, "", &features[i]);
                               }
                             });
  }
  std::vector<Resolution> ResolveFull(const std::vector<Text>& texts) {
    std::vector<TextFeatures> items;
    for (const Text& t : texts) {
      items.push_back(extractor_.Extract(t.title, t.lede, "", "", /*with_band_keys=*/true));
    }
    return StoryResolver(params_, 1).Resolve(items, StoredContext());
  }
  static std::vector<uint32_t> StoryOfEach(const std::vector<Resolution>& resolutions) {
    std::vector<uint32_t> stories;
    for (const Resolution& r : resolutions) stories.push_back(r.story);
    return stories;
  }

  const std::string base_ =
      "Le conseil municipal a voté le budget de la rénovation du stade après trois heures de "
      "débat, malgré l'opposition qui réclamait une consultation des habitants du quartier";
};

TEST_F(SketchResolverTest, ExactRepeatsOfOneTextAloneAreNeverCompleted) {
  const std::string other =
      "Les pompiers ont maîtrisé dans la nuit un incendie qui avait détruit trois hangars de la "
      "zone artisanale, sans faire de victime selon la préfecture du département";
  std::vector<uint32_t> completed;
  const std::vector<Text> texts = {{"Budget du stade", base_ + "."},
                                   {"Incendie de hangars", other + "."},
                                   {"Budget du stade", base_ + "."},
                                   {"Incendie de hangars", other + " voisin."}};
  const std::vector<Resolution> sketched = ResolveSketches(texts, &completed);
  EXPECT_EQ(completed, (std::vector<uint32_t>{1, 3}));
  EXPECT_EQ(StoryOfEach(sketched), StoryOfEach(ResolveFull(texts)));
  EXPECT_EQ(StoryOfEach(sketched), (std::vector<uint32_t>{0, 1, 0, 1}));
  EXPECT_EQ(sketched[2].evidence.rule, MatchRule::kExact);
}

TEST_F(SketchResolverTest, TwinsOfATextComparedWithAnotherAreAllCompleted) {
  // Each key looks at its newest earlier item only, so the 18 April text
  // meets only the undated edit, never the first 17 April text; that text
  // is the version of their story it is checked against, and must be
  // complete for the 18th to be refused as on full features.
  params_.max_candidates_per_key = 1;
  std::vector<uint32_t> completed;
  const Text dated = {"Conseil municipal", base_ + ", le 17 avril."};
  const std::vector<Text> texts = {dated, dated, dated,
                                   {"Conseil municipal", base_ + "."},
                                   {"Conseil municipal", base_ + ", le 18 avril."}};
  const std::vector<Resolution> sketched = ResolveSketches(texts, &completed);
  EXPECT_EQ(completed, (std::vector<uint32_t>{0, 1, 2, 3, 4}));
  const std::vector<uint32_t> stories = StoryOfEach(sketched);
  EXPECT_EQ(stories, StoryOfEach(ResolveFull(texts)));
  EXPECT_EQ(stories, (std::vector<uint32_t>{0, 0, 0, 0, 1}));
}

}  // namespace
}  // namespace newsdedup
