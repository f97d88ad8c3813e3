// The normalizers and the tokenizer on arbitrary bytes, with the invariants
// the store relies on: both forms are valid UTF-8 and idempotent (a stored
// version's text, normalized again, must keep its identity), MatchingForm is
// the tokenizer's words joined by spaces, and repair yields valid UTF-8.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/normalize.h"
#include "core/shingler.h"
#include "core/tokenizer.h"
#include "core/utf8.h"

namespace {

void Require(bool condition, const char* what) {
  if (condition) return;
  std::fprintf(stderr, "invariant broken: %s\n", what);
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace newsdedup;
  const std::string_view text(reinterpret_cast<const char*>(data), size);

  std::string repaired;
  const int replaced = RepairUtf8(text, &repaired);
  Require(IsValidUtf8(repaired), "RepairUtf8 output is valid UTF-8");
  Require(IsValidUtf8(text) == (replaced == 0),
          "IsValidUtf8 agrees with RepairUtf8");
  if (replaced == 0) Require(repaired == text, "RepairUtf8 keeps valid text");

  const std::string canonical = CanonicalForm(text);
  Require(IsValidUtf8(canonical), "CanonicalForm output is valid UTF-8");
  Require(CanonicalForm(canonical) == canonical, "CanonicalForm is idempotent");

  const std::string matching = MatchingForm(text);
  Require(IsValidUtf8(matching), "MatchingForm output is valid UTF-8");
  Require(MatchingForm(matching) == matching, "MatchingForm is idempotent");

  WordTokenizer tokenizer;
  std::string joined;
  tokenizer.ForEachWord(text, [&](std::string_view word) {
    Require(!word.empty(), "WordTokenizer yields no empty word");
    if (!joined.empty()) joined += ' ';
    joined += word;
  });
  Require(joined == matching, "MatchingForm is the tokenizer's words joined");

  Shingler shingler(/*n=*/3);
  const ShingleSet shingles = shingler.Shingle(text);
  Require(shingles == shingler.Shingle(matching),
          "shingles of a text and of its matching form agree");
  return 0;
}
