// The resolver's phases with the template rules (core/story_resolver.h,
// core/pair_rules.h): templates found over the dump, and what the store
// learned of the source, change which texts are one story.

#include "core/story_resolver.h"

#include <algorithm>
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

}  // namespace
}  // namespace newsdedup
