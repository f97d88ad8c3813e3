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

#include "core/tokenizer.h"

namespace newsdedup {

// A sorted vector of distinct shingle hashes.
using ShingleSet = std::vector<uint64_t>;

// The XXH3 hash of one matching-form word.
uint64_t HashWord(std::string_view folded_word);

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

  // Combines n consecutive word hashes into a shingle hash.
  static uint64_t CombineWordHashes(std::span<const uint64_t> word_hashes);

 private:
  int n_;
  WordTokenizer tokenizer_;
  std::vector<uint64_t> word_hashes_;  // Reused between calls.
};

}  // namespace newsdedup

#endif  // NEWSDEDUP_CORE_SHINGLER_H_
