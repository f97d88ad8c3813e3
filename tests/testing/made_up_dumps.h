#ifndef NEWSDEDUP_TESTS_TESTING_MADE_UP_DUMPS_H_
#define NEWSDEDUP_TESTS_TESTING_MADE_UP_DUMPS_H_

// Listings of made-up stories for tests that need large snapshots: every
// item of every night is a story of its own (its words share almost no
// shingles with any other), so a night's commit adds records to every
// column family.

#include <cstdint>
#include <string>

#include "absl/strings/str_cat.h"

namespace newsdedup::testing {

// A made-up word, the same for the same seed.
inline std::string MadeUpWord(uint64_t seed) {
  static constexpr const char* kSyllables[] = {"ka",  "lo",  "mi",  "ne",  "ru",  "sa",
                                               "ti",  "vo",  "ber", "dan", "gul", "hor",
                                               "jin", "pel", "zor", "quan"};
  std::string word;
  for (int s = 0; s < 3; ++s) {
    seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
    word += kSyllables[(seed >> 59) & 15];
  }
  return word;
}

// A listing of `items` distinct stories for night `night`: a title of six
// words, then a lede of `words` words.
inline std::string MadeUpNight(int night, int items, int words = 30) {
  std::string dump;
  for (int i = 0; i < items; ++i) {
    const uint64_t base = (static_cast<uint64_t>(night) << 32 | static_cast<uint64_t>(i)) * 1000;
    std::string title, text;
    for (int w = 0; w < 6; ++w) absl::StrAppend(&title, w ? " " : "", MadeUpWord(base + w));
    for (int w = 0; w < words; ++w) {
      absl::StrAppend(&text, w ? " " : "", MadeUpWord(base + 100 + w));
    }
    absl::StrAppend(&dump, "Le ", title, "\n", "Un ", text, ".\n");
  }
  return dump;
}

}  // namespace newsdedup::testing

#endif  // NEWSDEDUP_TESTS_TESTING_MADE_UP_DUMPS_H_
