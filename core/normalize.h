#ifndef NEWSDEDUP_CORE_NORMALIZE_H_
#define NEWSDEDUP_CORE_NORMALIZE_H_

// Two normal forms of a text:
//  - the *canonical* form decides whether two texts are the same version: it
//    only removes differences a reader cannot see (whitespace runs, NBSP and
//    narrow NBSP, curly vs straight quotes, « » vs ", dash variants such as
//    U+2011 vs '-', NFC vs NFD). Case, accents, punctuation and words are kept.
//  - the *matching* form is for finding duplicates: NFKC, case folded,
//    diacritics folded (é -> e), superscript ordinals made plain ("1ᵉʳ" ->
//    "1er"), every non letter/digit dropped; words joined by one space.
// Both repair invalid UTF-8 (each bad byte becomes U+FFFD) and never fail.

#include <cstdint>
#include <string>
#include <string_view>

namespace newsdedup {

// Changes whenever the output of CanonicalForm, MatchingForm or the word
// tokenizer changes for some input: stores record it and refuse a mismatch.
inline constexpr int kNormalizerVersion = 1;

// See the file comment. Same version <=> equal CanonicalForm.
std::string CanonicalForm(std::string_view text);

// See the file comment. Equal to the words of WordTokenizer::ForEachWord
// (core/tokenizer.h) joined by single spaces.
std::string MatchingForm(std::string_view text);

}  // namespace newsdedup

#endif  // NEWSDEDUP_CORE_NORMALIZE_H_
