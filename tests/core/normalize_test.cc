#include "core/normalize.h"

#include <string>

#include "core/tokenizer.h"
#include "gtest/gtest.h"

namespace newsdedup {
namespace {

// Golden cases below are taken from the seed dumps (seeds/*.txt).

TEST(CanonicalFormTest, CurlyAndStraightApostrophesAreTheSameVersion) {
  EXPECT_EQ(CanonicalForm("la Haute représentante de l’Union européenne"),
            "la Haute représentante de l'Union européenne");
  EXPECT_EQ(CanonicalForm("l’Union"), CanonicalForm("l'Union"));
  EXPECT_EQ(CanonicalForm("l’Asie"), CanonicalForm("l'Asie"));
}

TEST(CanonicalFormTest, GuillemetsBecomeStraightQuotesWithoutInnerSpaces) {
  EXPECT_EQ(CanonicalForm("baptisés « Khamkorlik‑2025 » ont débuté"),
            "baptisés \"Khamkorlik-2025\" ont débuté");
  EXPECT_EQ(CanonicalForm("le Forum « Asie centrale – Union européenne »"),
            "le Forum \"Asie centrale – Union européenne\"");
  // French typography puts a no-break space inside guillemets.
  EXPECT_EQ(CanonicalForm("«\u00A0espace Schengen\u00A0»"),
            CanonicalForm("« espace Schengen »"));
  EXPECT_EQ(CanonicalForm("« espace Schengen »"),
            CanonicalForm("“espace Schengen”"));
}

TEST(CanonicalFormTest, WhitespaceRunsBecomeOneSpaceAndAreTrimmed) {
  // seeds/003 has a no-break space before a blank line.
  EXPECT_EQ(CanonicalForm("de base du site. ...\u00A0\n\nToujours actif\n"),
            "de base du site. ... Toujours actif");
  EXPECT_EQ(CanonicalForm("  Asie\tcentrale\u202F:\u00A0Kallas  "),
            "Asie centrale : Kallas");
}

TEST(CanonicalFormTest, HyphenVariantsBecomeHyphenMinus) {
  EXPECT_EQ(CanonicalForm("sino‑ouzbèke"), "sino-ouzbèke");
  EXPECT_EQ(CanonicalForm("Ouzbékistan‑Russie"), "Ouzbékistan-Russie");
  EXPECT_EQ(CanonicalForm("sud\u2010ouest"), CanonicalForm("sud-ouest"));
  // En and em dashes are visible: kept.
  EXPECT_EQ(CanonicalForm("Asie centrale – Union"), "Asie centrale – Union");
}

TEST(CanonicalFormTest, NfdAndNfcAreTheSameVersion) {
  EXPECT_EQ(CanonicalForm("Turkme\u0301nistan"), "Turkménistan");
}

TEST(CanonicalFormTest, InvisibleCharactersAreRemoved) {
  EXPECT_EQ(CanonicalForm("inter\u00ADnational\u200B"), "international");
  EXPECT_EQ(CanonicalForm("\uFEFFKazakhstan"), "Kazakhstan");
}

// Found by normalize_fuzz: a removed invisible between a letter and a
// combining mark leaves a pair that composes, so NFC must come after removal.
TEST(CanonicalFormTest, MarksAfterARemovedInvisibleCompose) {
  EXPECT_EQ(CanonicalForm("Poznan\u00AD\u0341"), "Poznań");
  EXPECT_EQ(CanonicalForm("a\u0301\u200B\u0316"), CanonicalForm("a\u0316\u0301"));
  const std::string once = CanonicalForm("enn\u00AD\u0341 \u00AD e \u00ADr");
  EXPECT_EQ(CanonicalForm(once), once);
}

TEST(CanonicalFormTest, VisibleDifferencesAreKept) {
  EXPECT_NE(CanonicalForm("Asie"), CanonicalForm("asie"));
  EXPECT_NE(CanonicalForm("é"), CanonicalForm("e"));
  EXPECT_NE(CanonicalForm("Kaja Kallas, a présidé"),
            CanonicalForm("Kaja Kallas a présidé"));
  EXPECT_EQ(CanonicalForm("Lors de la 80ᵉ session"), "Lors de la 80ᵉ session");
  EXPECT_NE(CanonicalForm("le 1ᵉʳ janvier"), CanonicalForm("le 1er janvier"));
}

TEST(CanonicalFormTest, InvalidUtf8IsRepaired) {
  EXPECT_EQ(CanonicalForm("Achgabat\xFF ok"), "Achgabat\uFFFD ok");
  EXPECT_EQ(CanonicalForm("\xC3"), "\uFFFD");
}

TEST(MatchingFormTest, CaseAndAccentsAreFolded) {
  EXPECT_EQ(MatchingForm("Kazakhstan"), "kazakhstan");
  EXPECT_EQ(MatchingForm("KAZAKHSTAN"), "kazakhstan");
  EXPECT_EQ(MatchingForm("Kazakhstán"), "kazakhstan");
  EXPECT_EQ(MatchingForm("À Samarcande, entre tapisseries historiques"),
            "a samarcande entre tapisseries historiques");
  EXPECT_EQ(MatchingForm("ÉTATS d’Asie"), MatchingForm("états d'asie"));
}

TEST(MatchingFormTest, ApostrophesQuotesAndDashesSeparateWords) {
  EXPECT_EQ(MatchingForm("l’Union européenne"), "l union europeenne");
  EXPECT_EQ(MatchingForm("l’Union"), MatchingForm("l'Union"));
  EXPECT_EQ(MatchingForm("baptisés « Khamkorlik‑2025 » ont débuté"),
            "baptises khamkorlik 2025 ont debute");
  EXPECT_EQ(MatchingForm("Ouzbékistan‑Russie"), "ouzbekistan russie");
  EXPECT_EQ(MatchingForm("Ouzbékistan‑Russie"),
            MatchingForm("Ouzbékistan-Russie"));
  EXPECT_EQ(MatchingForm("“Asie centrale — Union”"),
            MatchingForm("«\u00A0Asie centrale – Union\u202F»"));
  EXPECT_EQ(MatchingForm("Oʻzbekiston"), MatchingForm("O'zbekiston"));
}

TEST(MatchingFormTest, SuperscriptOrdinalsArePlain) {
  EXPECT_EQ(MatchingForm("Lors de la 80ᵉ session de l’Assemblée générale"),
            "lors de la 80e session de l assemblee generale");
  EXPECT_EQ(MatchingForm("entre le 1ᵉʳ janvier et le 30 juin"),
            "entre le 1er janvier et le 30 juin");
  EXPECT_EQ(MatchingForm("1ᵉʳ mai"), MatchingForm("1er mai"));
}

TEST(MatchingFormTest, LigaturesAreSpelledOut) {
  EXPECT_EQ(MatchingForm("au cœur d’un bras de fer"),
            "au coeur d un bras de fer");
  EXPECT_EQ(MatchingForm("mise en Œuvre"), MatchingForm("mise en oeuvre"));
  EXPECT_EQ(MatchingForm("ex æquo"), "ex aequo");
}

// Found by normalize_fuzz: "Ǽ" decomposes to "Æ" and an accent, and the
// ligature must be spelled out there too, or MatchingForm is not idempotent.
TEST(MatchingFormTest, LigaturesWithMarksAreSpelledOut) {
  EXPECT_EQ(MatchingForm("Ǽ ǣ ǿ"), "ae ae o");
  const std::string once = MatchingForm("KazakhsǼtan");
  EXPECT_EQ(MatchingForm(once), once);
}

TEST(MatchingFormTest, NfdAndNfcAreEqual) {
  EXPECT_EQ(MatchingForm("Turkme\u0301nistan e\u0301te\u0301"),
            MatchingForm("Turkménistan été"));
}

TEST(MatchingFormTest, SpacesAndPunctuationCollapse) {
  EXPECT_EQ(MatchingForm("  Pourquoi maintenant ? Et pourquoi\u00A0cette "
                         "région\u202F?\n"),
            "pourquoi maintenant et pourquoi cette region");
  EXPECT_EQ(MatchingForm(""), "");
  EXPECT_EQ(MatchingForm(" … — !"), "");
}

TEST(MatchingFormTest, InvalidUtf8SeparatesWords) {
  EXPECT_EQ(MatchingForm("Astana\xFF\xFE"
                         "Bichkek\xC3"),
            "astana bichkek");
  EXPECT_EQ(MatchingForm("\xE2\x80"), "");
}

TEST(MatchingFormTest, EqualsTokenizerWordsJoinedBySpaces) {
  const std::string text =
      "Le 4 avril 2025, les dirigeants de l’Union européenne et des cinq "
      "pays d’Asie centrale — Kazakhstan, Kirghizstan — se sont réunis.";
  std::string joined;
  WordTokenizer tokenizer;
  tokenizer.ForEachWord(text, [&joined](std::string_view word) {
    if (!joined.empty()) joined += ' ';
    joined += word;
  });
  EXPECT_EQ(MatchingForm(text), joined);
}

}  // namespace
}  // namespace newsdedup
