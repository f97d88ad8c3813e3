#ifndef NEWSDEDUP_CORE_TOKENIZER_H_
#define NEWSDEDUP_CORE_TOKENIZER_H_

// Splits text into matching-form words in one pass over the bytes: a word is
// a maximal run of Unicode letters and digits (an apostrophe, hyphen or any
// punctuation ends it), case and diacritics folded as MatchingForm does.
// ASCII and 2-byte UTF-8 (Latin, Greek, Cyrillic...) go through lookup tables;
// only rarer code points call utf8proc. Invalid UTF-8 bytes separate words.

#include <string>
#include <string_view>

namespace newsdedup {

class WordTokenizer {
 public:
  WordTokenizer() = default;

  // Calls on_word(std::string_view folded_word) for each word in order. The
  // view is only valid during the call. Allocates nothing in steady state.
  template <typename OnWord>
  void ForEachWord(std::string_view text, OnWord&& on_word) {
    size_t pos = 0;
    while (NextWord(text, &pos)) on_word(word_);
  }

  // Advances *pos past the next word of `text` (and the separator after it),
  // leaving it folded in word(). Returns false when no word is left.
  bool NextWord(std::string_view text, size_t* pos);

  // The last word found, folded; valid until the next call and while the
  // text lives (a word that folding leaves alone is a view into the text).
  std::string_view word() const { return word_; }
  // Where the last word found starts in its text (its first letter, or the
  // mark before it).
  size_t word_start() const { return word_start_; }
  // Where it ends in its text: just past its last letter or mark, before
  // the separator NextWord consumed with it (a sentence's full stop).
  size_t word_end() const { return word_end_; }

 private:
  // The word in general: found char by char, folded into buffer_.
  bool NextWordFolding(std::string_view text, size_t* pos);

  std::string buffer_;     // Reused buffer for words that folding changes.
  std::string_view word_;  // The last word: in buffer_ or in the text.
  size_t word_start_ = 0;
  size_t word_end_ = 0;
};

}  // namespace newsdedup

#endif  // NEWSDEDUP_CORE_TOKENIZER_H_
