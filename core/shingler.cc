#include "core/shingler.h"

#include <algorithm>
#include <cassert>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "core/mix.h"
#include "xxhash.h"

namespace newsdedup {

uint64_t HashWord(std::string_view folded_word) {
  return XXH3_64bits(folded_word.data(), folded_word.size());
}

Shingler::Shingler(int n) : n_(n) { assert(n >= 1); }

uint64_t Shingler::CombineWordHashes(std::span<const uint64_t> word_hashes) {
  // Each step is a bijection of the running state for a fixed word and of the
  // word for a fixed state, so n-grams differing in one word or in word order
  // only collide by chance; the final mix spreads every bit.
  constexpr uint64_t kMultiplier = 0x9e3779b97f4a7c15ULL;  // Odd: invertible.
  uint64_t state = 0x243f6a8885a308d3ULL;
  for (const uint64_t word_hash : word_hashes) {
    state = (RotateLeft(state, 27) ^ word_hash) * kMultiplier;
  }
  return Fmix64(state);
}

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
