#include "core/tokenizer.h"

#include <cctype>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace newsdedup {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

std::vector<std::string> Words(std::string_view text) {
  std::vector<std::string> words;
  WordTokenizer tokenizer;
  tokenizer.ForEachWord(
      text, [&words](std::string_view word) { words.emplace_back(word); });
  return words;
}

TEST(WordTokenizerTest, SplitsOnPunctuationAndSpaces) {
  EXPECT_THAT(Words("Une nation, 130 ethnies : le Kazakhstan célèbre"),
              ElementsAre("une", "nation", "130", "ethnies", "le", "kazakhstan",
                          "celebre"));
}

TEST(WordTokenizerTest, CurlyApostropheIsASeparator) {
  EXPECT_THAT(Words("d’Asie"), ElementsAre("d", "asie"));
}

TEST(WordTokenizerTest, CombiningMarksStayInsideTheWord) {
  EXPECT_THAT(Words("e\u0301te\u0301 x\u0308y"), ElementsAre("ete", "xy"));
  // A mark with no word before it starts nothing.
  EXPECT_THAT(Words("\u0301 a"), ElementsAre("a"));
}

TEST(WordTokenizerTest, SuperscriptLettersFoldToPlainLetters) {
  EXPECT_THAT(Words("1ᵉʳ 80ᵉ"), ElementsAre("1er", "80e"));
}

TEST(WordTokenizerTest, NonLatinScriptsAreWords) {
  EXPECT_THAT(Words("Қазақстан Кыргызстан Ελλάδα"),
              ElementsAre("қазақстан", "кыргызстан", "ελλαδα"));
  EXPECT_THAT(Words("東京 (日本)"), ElementsAre("東京", "日本"));
}

TEST(WordTokenizerTest, FullwidthFormsFoldToAscii) {
  EXPECT_THAT(Words("ＡＢＣ１２"), ElementsAre("abc12"));
}

TEST(WordTokenizerTest, NoWordsInPunctuationOnlyOrEmptyText) {
  EXPECT_THAT(Words(""), IsEmpty());
  EXPECT_THAT(Words(" « » — … ’ "), IsEmpty());
}

TEST(WordTokenizerTest, InvalidBytesSeparateWordsAndNeverCrash) {
  EXPECT_THAT(Words("ab\x80"
                    "cd\xC3\xE9"
                    "ef\xF0\x9F"),
              ElementsAre("ab", "cd", "ef"));
  // Every byte value, alone and after a lead byte: only must not crash.
  for (int byte = 0; byte < 256; ++byte) {
    const char c = static_cast<char>(byte);
    Words(std::string(1, c));
    Words(std::string("\xC3") + c + "x");
    Words(std::string("\xE2\x80") + c);
    Words(std::string("\xF0\x9F\x93") + c);
  }
}

// Runs of ASCII letters and digits are found eight bytes at a time: checked
// against a byte-by-byte reading on random texts of every ASCII byte, "é"
// (a 2-byte letter, folded to "e") and "’" (a 3-byte separator), at every
// length and so at every position of a word in an 8-byte chunk.
TEST(WordTokenizerTest, AgreesWithAByteByByteReadingOnRandomTexts) {
  std::mt19937 random(11);
  for (int trial = 0; trial < 4000; ++trial) {
    std::string text;
    std::vector<std::string> expected;
    std::string word;
    const auto end_word = [&] {
      if (!word.empty()) expected.push_back(word);
      word.clear();
    };
    const int length = static_cast<int>(random() % 40);
    for (int k = 0; k < length; ++k) {
      const unsigned pick = random() % 100;
      if (pick < 5) {
        text += "\xC3\xA9";
        word += 'e';
      } else if (pick < 8) {
        text += "\xE2\x80\x99";
        end_word();
      } else if (pick < 60) {
        const char c = static_cast<char>('a' + random() % 26);
        text += random() % 2 ? c : static_cast<char>(c - 'a' + 'A');
        word += c;
      } else {
        const char c = static_cast<char>(random() % 128);
        text += c;
        if (std::isalnum(static_cast<unsigned char>(c))) {
          word += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        } else {
          end_word();
        }
      }
    }
    end_word();
    ASSERT_EQ(Words(text), expected) << "text: " << text;
  }
}

TEST(WordTokenizerTest, NextWordAdvancesPastEachWord) {
  WordTokenizer tokenizer;
  const std::string_view text = "Astana, Bichkek";
  size_t pos = 0;
  ASSERT_TRUE(tokenizer.NextWord(text, &pos));
  EXPECT_EQ(pos, 7u);  // Past "Astana,".
  ASSERT_TRUE(tokenizer.NextWord(text, &pos));
  EXPECT_EQ(pos, text.size());
  EXPECT_FALSE(tokenizer.NextWord(text, &pos));
}

// A word's end is before the separator NextWord consumed with it, in the
// ASCII fast path and the folding one alike: what lies between two words
// (a full stop) is text.substr(word_end(), next word_start()).
TEST(WordTokenizerTest, WordEndIsBeforeTheSeparatorConsumed) {
  WordTokenizer tokenizer;
  const std::string_view text = "Astana. Réunion… Été";
  size_t pos = 0;
  std::vector<std::string_view> gaps;
  size_t previous_end = 0;
  while (tokenizer.NextWord(text, &pos)) {
    if (previous_end > 0) {
      gaps.push_back(text.substr(previous_end, tokenizer.word_start() - previous_end));
    }
    previous_end = tokenizer.word_end();
  }
  EXPECT_THAT(gaps, ElementsAre(". ", "… "));
  EXPECT_EQ(previous_end, text.size());
}

}  // namespace
}  // namespace newsdedup
