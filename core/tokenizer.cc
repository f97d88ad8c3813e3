#include "core/tokenizer.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "utf8proc.h"

namespace newsdedup {
namespace {

// How a code point takes part in words.
enum class CharClass : uint8_t {
  kSeparator,  // Ends the current word: spaces, punctuation, symbols.
  kIgnorable,  // Dropped without ending the word: combining marks (NFD
               // accents), format characters such as the soft hyphen.
  kWord,       // Letter or digit: its folded form is appended to the word.
};

CharClass Classify(utf8proc_int32_t code_point) {
  switch (code_point) {
    // Modifier letters written as apostrophes (the Uzbek ʻ of "Oʻzbekiston",
    // ʼ): separators like ' and ’, so that every apostrophe splits alike.
    case 0x02BB:
    case 0x02BC:
    case 0x02BD:
    // The zero-width space is a word break, unlike other format characters.
    case 0x200B:
      return CharClass::kSeparator;
  }
  switch (utf8proc_category(code_point)) {
    case UTF8PROC_CATEGORY_LU:
    case UTF8PROC_CATEGORY_LL:
    case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO:
    case UTF8PROC_CATEGORY_ND:
    case UTF8PROC_CATEGORY_NL:
    case UTF8PROC_CATEGORY_NO:
      return CharClass::kWord;
    case UTF8PROC_CATEGORY_MN:
    case UTF8PROC_CATEGORY_MC:
    case UTF8PROC_CATEGORY_ME:
    case UTF8PROC_CATEGORY_CF:
      return CharClass::kIgnorable;
    default:
      return CharClass::kSeparator;
  }
}

// Letters that NFKC, case folding and mark stripping leave alone but that a
// reader treats as plain Latin letters ("cœur" == "coeur").
std::string_view FoldOverride(utf8proc_int32_t code_point) {
  switch (code_point) {
    case 0x00C6:  // Æ
    case 0x00E6:  // æ
      return "ae";
    case 0x0152:  // Œ
    case 0x0153:  // œ
      return "oe";
    case 0x00D8:  // Ø
    case 0x00F8:  // ø
      return "o";
    case 0x0110:  // Đ
    case 0x0111:  // đ
      return "d";
    case 0x0126:  // Ħ
    case 0x0127:  // ħ
      return "h";
    case 0x0131:  // ı (Turkish, Kazakh Latin)
      return "i";
    case 0x0141:  // Ł
    case 0x0142:  // ł
      return "l";
  }
  return {};
}

// Appends the matching form of the word code point `code_point` to *out:
// NFKC, case folded, marks stripped, keeping only the letters and digits of
// the result ("½" -> "12", "ŉ" -> "n").
void AppendFolded(utf8proc_int32_t code_point, std::string* out) {
  if (const std::string_view folded = FoldOverride(code_point);
      !folded.empty()) {
    out->append(folded);
    return;
  }
  // The longest full decomposition (U+FDFA) has 18 code points.
  constexpr utf8proc_ssize_t kBufferSize = 32;
  utf8proc_int32_t buffer[kBufferSize];
  int last_boundclass = 0;
  utf8proc_ssize_t length = utf8proc_decompose_char(
      code_point, buffer, kBufferSize,
      static_cast<utf8proc_option_t>(UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT |
                                     UTF8PROC_CASEFOLD | UTF8PROC_STRIPMARK),
      &last_boundclass);
  if (length < 0 || length > kBufferSize) return;
  // Recomposes what decomposition split without marks (Hangul syllables).
  length = utf8proc_normalize_utf32(buffer, length, UTF8PROC_COMPOSE);
  for (utf8proc_ssize_t i = 0; i < length; ++i) {
    if (Classify(buffer[i]) != CharClass::kWord) continue;
    // A decomposition can end in an overridden letter ("Ǽ" -> "æ"): fold it
    // too, or the matching form of the result would differ ("ae").
    if (const std::string_view folded = FoldOverride(buffer[i]);
        !folded.empty()) {
      out->append(folded);
      continue;
    }
    uint8_t bytes[4];
    const utf8proc_ssize_t size = utf8proc_encode_char(buffer[i], bytes);
    out->append(reinterpret_cast<const char*>(bytes), size);
  }
}

// True for the ASCII letters and digits; every other byte, non-ASCII ones
// included, is false.
constexpr std::array<bool, 256> MakeAsciiWordTable() {
  std::array<bool, 256> table{};
  for (int c = '0'; c <= '9'; ++c) table[c] = true;
  for (int c = 'a'; c <= 'z'; ++c) table[c] = true;
  for (int c = 'A'; c <= 'Z'; ++c) table[c] = true;
  return table;
}
constexpr std::array<bool, 256> kIsAsciiWordByte = MakeAsciiWordTable();

// Setting bit 5 lowercases an ASCII letter and leaves a digit (0x30-0x39)
// as it is.
constexpr char kAsciiLowercaseBit = 0x20;

constexpr uint64_t EveryByte(uint8_t byte) { return 0x0101010101010101ULL * byte; }
constexpr uint64_t kHighBits = EveryByte(0x80);

// The high bit of each byte of `x` (7-bit bytes) that lies in [low, high]:
// adding 0x80 - low sets it from `low` up, adding 0x7F - high from past
// `high` up, and no sum carries into the next byte.
constexpr uint64_t BytesInRange(uint64_t x, uint8_t low, uint8_t high) {
  return (x + EveryByte(0x80 - low)) & ~(x + EveryByte(0x7F - high)) & kHighBits;
}

// The high bit of each of 8 bytes (the first in the lowest bits) that is an
// ASCII letter or digit.
constexpr uint64_t AsciiWordBytes(uint64_t bytes) {
  const uint64_t low7 = bytes & ~kHighBits;
  const uint64_t ascii = ~bytes & kHighBits;
  const uint64_t digits = BytesInRange(low7, '0', '9');
  const uint64_t letters = BytesInRange(low7 | EveryByte(kAsciiLowercaseBit), 'a', 'z');
  return (digits | letters) & ascii;
}

// Appends the ASCII letters and digits `run` to *out, lowercased. The fold
// writes through a local pointer, so that no store makes the compiler reload
// the string's fields.
void AppendAsciiRunFolded(std::string_view run, std::string* out) {
  const size_t old_size = out->size();
  out->append(run);
  char* const folded = out->data() + old_size;
  for (size_t k = 0; k < run.size(); ++k) folded[k] |= kAsciiLowercaseBit;
}

// Where the run of ASCII letters and digits starting at `begin` ends. Eight
// bytes are tested at once: a branch per byte mispredicted at the end of
// every word, and a word of a Latin text is mostly one such run.
size_t AsciiWordRunEnd(const uint8_t* bytes, size_t begin, size_t size) {
  size_t end = begin;
  if constexpr (std::endian::native == std::endian::little) {
    for (; end + 8 <= size; end += 8) {
      uint64_t chunk;
      std::memcpy(&chunk, bytes + end, 8);
      const uint64_t others = ~AsciiWordBytes(chunk) & kHighBits;
      if (others != 0) return end + std::countr_zero(others) / 8;
    }
  }
  while (end < size && kIsAsciiWordByte[bytes[end]]) ++end;
  return end;
}

// Precomputed class and folded form of every 2-byte code point
// (U+0080..U+07FF: Latin-1, Latin Extended, Greek, Cyrillic, Hebrew, Arabic).
struct TwoByteEntry {
  static constexpr size_t kMaxFolded = 6;
  CharClass char_class = CharClass::kSeparator;
  // True when the folded form is longer than kMaxFolded (none is in Unicode
  // 15; this keeps a future Unicode version correct): fold at run time.
  bool fold_at_run_time = false;
  uint8_t folded_size = 0;
  char folded[kMaxFolded] = {};
};

class TwoByteTable {
 public:
  static constexpr utf8proc_int32_t kFirst = 0x80;
  static constexpr utf8proc_int32_t kLast = 0x7FF;

  TwoByteTable() {
    std::string folded;
    for (utf8proc_int32_t cp = kFirst; cp <= kLast; ++cp) {
      TwoByteEntry& entry = entries_[cp - kFirst];
      entry.char_class = Classify(cp);
      if (entry.char_class != CharClass::kWord) continue;
      folded.clear();
      AppendFolded(cp, &folded);
      if (folded.size() > TwoByteEntry::kMaxFolded) {
        entry.fold_at_run_time = true;
        continue;
      }
      entry.folded_size = static_cast<uint8_t>(folded.size());
      std::memcpy(entry.folded, folded.data(), folded.size());
    }
  }

  const TwoByteEntry& operator[](utf8proc_int32_t code_point) const {
    return entries_[code_point - kFirst];
  }

 private:
  std::array<TwoByteEntry, kLast - kFirst + 1> entries_;
};

const TwoByteTable& GetTwoByteTable() {
  static const TwoByteTable* const table = new TwoByteTable();
  return *table;
}

}  // namespace

bool WordTokenizer::NextWord(std::string_view text, size_t* pos) {
  const auto* const bytes = reinterpret_cast<const uint8_t*>(text.data());
  const size_t size = text.size();
  size_t i = *pos;
  while (i < size && bytes[i] < 0x80 && !kIsAsciiWordByte[bytes[i]]) ++i;
  if (i < size && kIsAsciiWordByte[bytes[i]]) {
    const size_t end = AsciiWordRunEnd(bytes, i + 1, size);
    // A run of ASCII letters and digits that an ASCII separator (or the end)
    // ends is a whole word, the most common one; in lowercase it is its own
    // matching form, and is not copied.
    if (end == size || bytes[end] < 0x80) {
      word_start_ = i;
      word_end_ = end;
      *pos = end == size ? end : end + 1;
      word_ = text.substr(i, end - i);
      if (std::none_of(word_.begin(), word_.end(), [](char c) { return c >= 'A' && c <= 'Z'; })) {
        return true;
      }
      buffer_.clear();
      AppendAsciiRunFolded(word_, &buffer_);
      word_ = buffer_;
      return true;
    }
  }
  *pos = i;
  return NextWordFolding(text, pos);
}

bool WordTokenizer::NextWordFolding(std::string_view text, size_t* pos) {
  const TwoByteTable& two_byte_table = GetTwoByteTable();
  const auto* const bytes = reinterpret_cast<const uint8_t*>(text.data());
  const size_t size = text.size();
  size_t i = *pos;
  buffer_.clear();
  size_t word_end = size;  // Unless a separator ends the word (and is consumed).
  while (i < size) {
    const size_t char_start = i;
    const uint8_t lead = bytes[i];
    if (buffer_.empty()) word_start_ = i;
    CharClass char_class;
    if (lead < 0x80) {
      if (kIsAsciiWordByte[lead]) {
        // A run of ASCII letters and digits, folded in one go: most of a
        // Latin-script text.
        const size_t end = AsciiWordRunEnd(bytes, i + 1, size);
        AppendAsciiRunFolded(text.substr(i, end - i), &buffer_);
        i = end;
        continue;
      }
      ++i;
      char_class = CharClass::kSeparator;
    } else if (lead >= 0xC2 && lead <= 0xDF && i + 1 < size &&
               (bytes[i + 1] & 0xC0) == 0x80) {
      const utf8proc_int32_t code_point =
          ((lead & 0x1F) << 6) | (bytes[i + 1] & 0x3F);
      i += 2;
      const TwoByteEntry& entry = two_byte_table[code_point];
      char_class = entry.char_class;
      if (char_class == CharClass::kWord) {
        if (entry.fold_at_run_time) {
          AppendFolded(code_point, &buffer_);
        } else {
          buffer_.append(entry.folded, entry.folded_size);
        }
        continue;
      }
    } else {
      utf8proc_int32_t code_point;
      const utf8proc_ssize_t length = utf8proc_iterate(
          bytes + i, static_cast<utf8proc_ssize_t>(size - i), &code_point);
      if (length <= 0) {
        ++i;  // An invalid byte separates words.
        char_class = CharClass::kSeparator;
      } else {
        i += length;
        char_class = Classify(code_point);
        if (char_class == CharClass::kWord) {
          AppendFolded(code_point, &buffer_);
          continue;
        }
      }
    }
    if (char_class == CharClass::kSeparator && !buffer_.empty()) {
      word_end = char_start;
      break;
    }
  }
  word_end_ = word_end;
  *pos = i;
  word_ = buffer_;
  return !buffer_.empty();
}

}  // namespace newsdedup
