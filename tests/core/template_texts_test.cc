#include "core/template_texts.h"

#include <algorithm>
#include <span>
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

// A story whose lede was edited twice under one title: three lede hashes,
// one lede. Three other ledes under that title make it a template.
TEST_F(TemplateTextsTest, ALedeEditedTwiceIsOneLede) {
  const std::string title = "Les négociations sur le climat reprennent à Bonn";
  const std::vector<TextFeatures> edits = {
      Features(title, "Les délégués de près de deux cents pays se retrouvent lundi pour une "
                      "semaine de discussions techniques avant la conférence de novembre."),
      Features(title, "Les délégués de près de deux cents pays se retrouvent ce lundi pour une "
                      "semaine de discussions techniques avant la grande conférence de novembre."),
      Features(title, "Les délégués de cent quatre-vingt-dix pays se retrouvent ce lundi pour "
                      "une semaine de discussions techniques avant la grande conférence de "
                      "novembre à Dubaï.")};
  ASSERT_NE(edits[0].lede_hash, edits[1].lede_hash);
  EXPECT_FALSE(TemplateTexts(params_, edits, {}).TitleIsTemplate(edits[0].title_hash));
  const std::vector<TextFeatures> others = {
      Features(title, "Le ministre de l'économie a présenté mardi un budget rectificatif qui "
                      "réduit les dépenses de fonctionnement de l'État."),
      Features(title, "Une tempête a privé d'électricité des milliers de foyers bretons dans la "
                      "nuit de dimanche à lundi, selon le gestionnaire du réseau."),
      Features(title, "Le club lyonnais a remporté la finale de la coupe après une séance de "
                      "tirs au but disputée devant quarante mille spectateurs.")};
  EXPECT_TRUE(TemplateTexts(params_, others, {}).TitleIsTemplate(others[0].title_hash));
  // The store's history counts near ledes once as well.
  SourceTemplates learned;
  const int bits = SamePartnerBits(params_, PartnerKind::kLedeSimHash);
  TextHistory& ledes = learned.title_ledes[edits[0].title_hash];
  ledes.Add(edits[0].lede_fingerprint, bits);
  EXPECT_FALSE(ledes.Add(edits[1].lede_fingerprint, bits));
  EXPECT_FALSE(TemplateTexts(params_, std::vector<TextFeatures>{edits[2]}, learned)
                   .TitleIsTemplate(edits[2].title_hash));
}

// What the MPI ranks do: each gathers the partners of its texts, wherever
// their items are, and counts them; the answer is the whole corpus's.
TEST_F(TemplateTextsTest, PartnersGatheredFromPartsCountAsTheWholeCorpus) {
  const std::vector<TextFeatures> items = {
      Features("Étape des cols et des fromages", gazette_),
      Features("Étape des pavés et du vent", gazette_),
      Features("", gazette_),  // No title: asks about its lede, counts for nothing.
      Features("Étape du lac et des orages", gazette_),
      Features("Étape des pavés et du vent", gazette_)};
  const TemplateTexts whole(params_, items, {});
  std::vector<TextPartner> title_ledes, lede_titles;
  for (size_t part = 0; part < items.size(); part += 2) {
    const size_t n = std::min<size_t>(2, items.size() - part);
    TitleLedePartners(std::span<const TextFeatures>(items).subspan(part, n), &title_ledes,
                      &lede_titles);
  }
  const std::vector<uint64_t> ledes = FindTemplateTexts(params_, PartnerKind::kTitleHash, lede_titles, {});
  EXPECT_EQ(ledes, std::vector<uint64_t>{items[0].lede_hash});
  EXPECT_TRUE(whole.LedeIsTemplate(items[2].lede_hash));
  EXPECT_TRUE(FindTemplateTexts(params_, PartnerKind::kLedeSimHash, title_ledes, {}).empty());
  // Two titles and an untitled item are not three titles.
  std::vector<TextPartner> two = {{items[0].lede_hash, items[0].title_hash},
                                  {items[1].lede_hash, items[1].title_hash},
                                  {items[2].lede_hash, 0},
                                  {items[4].lede_hash, items[4].title_hash}};
  EXPECT_TRUE(FindTemplateTexts(params_, PartnerKind::kTitleHash, two, {}).empty());
}

}  // namespace
}  // namespace newsdedup
