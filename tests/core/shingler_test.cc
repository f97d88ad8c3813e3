#include "core/shingler.h"

#include <cstdint>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace newsdedup {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::SizeIs;

TEST(ShinglerTest, HashWordIsPinned) {
  // Word and shingle hashes are stored: these values must never change.
  EXPECT_EQ(HashWord("kazakhstan"), 0xc0d367a3ca1ce229ULL);
  EXPECT_EQ(HashWord("asie"), 0xcf81597a62e0ea88ULL);
  EXPECT_EQ(HashWord(""), 0x2d06800538d394c2ULL);
}

TEST(ShinglerTest, ShingleHashesArePinned) {
  Shingler shingler(3);
  EXPECT_THAT(shingler.Shingle("Kaja Kallas a présidé la 20e réunion"),
              ElementsAre(0x0a530fd84e4ac012ULL, 0x48033acf42ad870bULL,
                          0x50ae24deec8109edULL, 0xadb5c614c77014ecULL,
                          0xe5726f7eb169c91bULL));
}

TEST(ShinglerTest, CombinesWordHashesWithoutStrings) {
  const std::vector<uint64_t> words = {HashWord("asie"), HashWord("centrale")};
  EXPECT_EQ(Shingler::CombineWordHashes(words), 0x2de2f60f933a392aULL);
}

TEST(ShinglerTest, MatchingFormVariantsGiveTheSameShingles) {
  Shingler shingler(3);
  EXPECT_EQ(shingler.Shingle("l’Union européenne et l’Asie centrale"),
            shingler.Shingle("L'UNION EUROPEENNE et l'Asie  centrale !"));
}

TEST(ShinglerTest, CountsOneShinglePerWindow) {
  const char* const text = "un deux trois quatre cinq six sept";  // 7 words.
  for (const int n : {1, 2, 3, 5}) {
    Shingler shingler(n);
    EXPECT_THAT(shingler.Shingle(text), SizeIs(7 - n + 1)) << "n=" << n;
  }
}

TEST(ShinglerTest, OutputIsSortedAndDistinct) {
  Shingler shingler(2);
  // "la la" repeats: 5 windows, 2 distinct bigrams.
  const ShingleSet shingles = shingler.Shingle("la la la la la de");
  EXPECT_THAT(shingles, SizeIs(2));
  EXPECT_TRUE(std::is_sorted(shingles.begin(), shingles.end()));
}

TEST(ShinglerTest, WordOrderMattersForNAtLeastTwo) {
  for (const int n : {2, 3, 5}) {
    Shingler shingler(n);
    EXPECT_NE(shingler.Shingle("le chien mord l homme"),
              shingler.Shingle("l homme mord le chien"))
        << "n=" << n;
  }
  Shingler unigrams(1);
  EXPECT_EQ(unigrams.Shingle("le chien mord l homme"),
            unigrams.Shingle("l homme mord le chien"));
}

TEST(ShinglerTest, TextShorterThanNGivesOneShingleOfAllItsWords) {
  Shingler shingler(5);
  const ShingleSet shingles = shingler.Shingle("Kaja Kallas");
  const std::vector<uint64_t> words = {HashWord("kaja"), HashWord("kallas")};
  EXPECT_THAT(shingles, ElementsAre(Shingler::CombineWordHashes(words)));
  EXPECT_NE(shingles, shingler.Shingle("Kallas Kaja"));
}

TEST(ShinglerTest, EmptyTextHasNoShingles) {
  Shingler shingler(3);
  EXPECT_THAT(shingler.Shingle(""), IsEmpty());
  EXPECT_THAT(shingler.Shingle(" — « » … "), IsEmpty());
}

TEST(ShinglerTest, WordHashesFollowTheText) {
  Shingler shingler(3);
  std::vector<uint64_t> hashes;
  shingler.WordHashesInto("Bruxelles à Samarcande", &hashes);
  EXPECT_THAT(hashes, ElementsAre(HashWord("bruxelles"), HashWord("a"),
                                  HashWord("samarcande")));
}

TEST(ShinglerTest, ShingleIntoClearsAndReusesTheOutput) {
  Shingler shingler(2);
  ShingleSet shingles = {1, 2, 3, 4, 5, 6, 7, 8};
  shingler.ShingleInto("Astana Bichkek", &shingles);
  EXPECT_EQ(shingles, shingler.Shingle("Astana Bichkek"));
}

}  // namespace
}  // namespace newsdedup
