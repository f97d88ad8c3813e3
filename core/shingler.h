#ifndef NEWSDEDUP_CORE_SHINGLER_H_
#define NEWSDEDUP_CORE_SHINGLER_H_

// Turns a text into its set of word n-gram shingles, each a 64-bit hash.
// Words are hashed once with XXH3; an n-gram's hash combines its n word
// hashes (no n-gram strings are built). A text with fewer than n words (but
// at least one) yields one shingle of all its words; an empty text none.
// Shingle hashes are stored on disk: they are pinned by golden tests.

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "core/mix.h"
#include "core/tokenizer.h"

namespace newsdedup {

// A sorted vector of distinct shingle hashes.
using ShingleSet = std::vector<uint64_t>;

// The XXH3 hash of one matching-form word.
uint64_t HashWord(std::string_view folded_word);

// The XXH3 hash of the word hashes of `text`, in order (0 for a text without
// words): what TextFeatures keeps as title_hash and lede_hash, so that a
// line of a page can be looked up in the title index.
uint64_t HashOfWords(std::string_view text);

class Shingler {
 public:
  // REQUIRES: n >= 1.
  explicit Shingler(int n);

  int n() const { return n_; }

  // The sorted distinct shingle hashes of `text`.
  ShingleSet Shingle(std::string_view text);

  // Same as Shingle, into *out (cleared first); reuses its capacity.
  void ShingleInto(std::string_view text, ShingleSet* out);

  // Word hashes of `text` in order, into *out (cleared first).
  void WordHashesInto(std::string_view text, std::vector<uint64_t>* out);

  // Combines n consecutive word hashes into a shingle hash. Inline: it runs
  // once per shingle of every text.
  static uint64_t CombineWordHashes(std::span<const uint64_t> word_hashes) {
    // Each step is a bijection of the running state for a fixed word and of
    // the word for a fixed state, so n-grams differing in one word or in word
    // order only collide by chance; the final mix spreads every bit.
    constexpr uint64_t kMultiplier = 0x9e3779b97f4a7c15ULL;  // Odd: invertible.
    uint64_t state = 0x243f6a8885a308d3ULL;
    for (const uint64_t word_hash : word_hashes) {
      state = (RotateLeft(state, 27) ^ word_hash) * kMultiplier;
    }
    return Fmix64(state);
  }

 private:
  int n_;
  WordTokenizer tokenizer_;
  std::vector<uint64_t> word_hashes_;  // Reused between calls.
};

}  // namespace newsdedup

#endif  // NEWSDEDUP_CORE_SHINGLER_H_
