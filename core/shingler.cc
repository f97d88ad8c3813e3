#include "core/shingler.h"

#include <algorithm>
#include <cassert>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

// Word hashing is the hot loop of every text: XXH3 inlined here rather than
// called through the shared library (same algorithm, same hashes).
#define XXH_INLINE_ALL
#include "xxhash.h"

namespace newsdedup {

uint64_t HashWord(std::string_view folded_word) {
  return XXH3_64bits(folded_word.data(), folded_word.size());
}

uint64_t HashOfWords(std::string_view text) {
  std::vector<uint64_t> hashes;
  WordTokenizer tokenizer;
  tokenizer.ForEachWord(text, [&](std::string_view word) { hashes.push_back(HashWord(word)); });
  if (hashes.empty()) return 0;
  return XXH3_64bits(hashes.data(), hashes.size() * sizeof(uint64_t));
}

Shingler::Shingler(int n) : n_(n) { assert(n >= 1); }

void Shingler::WordHashesInto(std::string_view text,
                              std::vector<uint64_t>* out) {
  out->clear();
  tokenizer_.ForEachWord(
      text, [out](std::string_view word) { out->push_back(HashWord(word)); });
}

void Shingler::ShingleInto(std::string_view text, ShingleSet* out) {
  WordHashesInto(text, &word_hashes_);
  out->clear();
  const size_t num_words = word_hashes_.size();
  if (num_words == 0) return;
  const size_t n = std::min(static_cast<size_t>(n_), num_words);
  const std::span<const uint64_t> words(word_hashes_);
  for (size_t start = 0; start + n <= num_words; ++start) {
    out->push_back(CombineWordHashes(words.subspan(start, n)));
  }
  std::sort(out->begin(), out->end());
  out->erase(std::unique(out->begin(), out->end()), out->end());
}

ShingleSet Shingler::Shingle(std::string_view text) {
  ShingleSet shingles;
  ShingleInto(text, &shingles);
  return shingles;
}

}  // namespace newsdedup
