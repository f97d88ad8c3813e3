#include "core/template_texts.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace newsdedup {
namespace {

class TemplateTextsTest : public ::testing::Test {
 protected:
  TextFeatures Features(const std::string& title, const std::string& lede) {
    return extractor_.Extract(title, lede, "", "", /*with_band_keys=*/false);
  }
  MatchParams params_;
  FeatureExtractor extractor_{params_};
  const std::string gazette_ = "Chaque matin, notre envoyé spécial raconte la course d'hier.";
};

TEST_F(TemplateTextsTest, ALedeUnderThreeTitlesOfTheDumpIsATemplate) {
  const std::vector<TextFeatures> two = {Features("Étape des cols et des fromages", gazette_),
                                         Features("Étape des pavés et du vent", gazette_)};
  EXPECT_FALSE(TemplateTexts(params_, two, {}).LedeIsTemplate(two[0].lede_hash));
  std::vector<TextFeatures> three = two;
  three.push_back(Features("Étape du lac et des orages", gazette_));
  const TemplateTexts templates(params_, three, {});
  EXPECT_TRUE(templates.LedeIsTemplate(three[0].lede_hash));
  EXPECT_TRUE(templates.SharedLede(three[0], three[2]));
  EXPECT_FALSE(templates.TitleIsTemplate(three[0].title_hash));
}

TEST_F(TemplateTextsTest, WhatTheStoreLearnedCountsWithTheDump) {
  const TextFeatures today = Features("Étape du lac et des orages", gazette_);
  SourceTemplates learned;
  TextHistory& titles = learned.lede_titles[today.lede_hash];
  titles.Add(Features("Étape des cols et des fromages", gazette_).title_hash);
  titles.Add(Features("Étape des pavés et du vent", gazette_).title_hash);
  EXPECT_TRUE(TemplateTexts(params_, std::vector<TextFeatures>{today}, learned).LedeIsTemplate(today.lede_hash));
  // The same title seen again is no new partner.
  SourceTemplates once;
  once.lede_titles[today.lede_hash].Add(today.title_hash);
  EXPECT_FALSE(TemplateTexts(params_, std::vector<TextFeatures>{today}, once).LedeIsTemplate(today.lede_hash));
}

TEST_F(TemplateTextsTest, ATitleOverThreeLedesIsATemplate) {
  const std::vector<TextFeatures> cartoons = {Features("Vu par un dessinateur", "Le dessin du lundi."),
                                              Features("Vu par un dessinateur", "Le dessin du mardi."),
                                              Features("Vu par un dessinateur", "Le dessin du jeudi.")};
  EXPECT_TRUE(TemplateTexts(params_, cartoons, {}).TitleIsTemplate(cartoons[0].title_hash));
}

}  // namespace
}  // namespace newsdedup
