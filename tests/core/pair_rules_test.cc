// The pairwise rules with what the corpus says of the two texts
// (core/pair_rules.h): template titles are weak, a shared template lede is no
// evidence and, as under a recurring title, a replaced name is a conflict.

#include "core/pair_rules.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace newsdedup {
namespace {

class PairRulesTest : public ::testing::Test {
 protected:
  TextFeatures Features(const std::string& title, const std::string& lede) {
    return extractor_.Extract(title, lede, "", "", /*with_band_keys=*/false);
  }

  MatchParams params_;
  FeatureExtractor extractor_{params_};
  WeakTitles weak_;
  TemplateTexts templates_;
  const PairRules rules_{params_, weak_, templates_};
  const std::string column_ = "Le journal des lectures en poche du critique.";
};

TEST_F(PairRulesTest, ASharedTemplateLedeIsNoEvidence) {
  const TextFeatures a = Features("Olivier Martin, Paul Durand : la chronique des poches", column_);
  const TextFeatures b = Features("Jeanne Petit, Marc Blanc : la chronique des poches", column_);
  const TextFeatures retitled =
      Features("Olivier Martin et Paul Durand : la chronique des poches", column_);
  // Unknown as a template, the lede joins them.
  ASSERT_TRUE(rules_.Verifies(a, b).has_value());
  templates_.InsertLede(a.lede_hash);
  EXPECT_FALSE(rules_.Verifies(a, b).has_value());
  // Near-duplicate titles still join two texts over the template lede.
  EXPECT_TRUE(rules_.Verifies(a, retitled).has_value());
  // And names replaced under it are another instance of the template.
  EXPECT_TRUE(rules_.Conflicts(a, b));
}

TEST_F(PairRulesTest, ATemplateTitleIsWeakAsARecurringOneIs) {
  const TextFeatures a = Features("Vu par un dessinateur", "Le dessin du lundi, signé Anne Roux.");
  const TextFeatures b = Features("Vu par un dessinateur", "Le dessin du mardi, signé Paul Noir.");
  EXPECT_FALSE(rules_.WeakPair(a, b));
  templates_.InsertTitle(a.title_hash);
  EXPECT_TRUE(rules_.WeakPair(a, b));
  EXPECT_EQ(rules_.Verifies(a, b).has_value(), Verify(params_, a, b, /*weak_title=*/true).has_value());
  EXPECT_EQ(rules_.Conflicts(a, b), Conflict(params_, a, b, /*weak_title=*/true));
  weak_.Insert(b.title_hash);
  EXPECT_TRUE(rules_.WeakTitle(b.title_hash));
}

}  // namespace
}  // namespace newsdedup
