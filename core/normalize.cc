#include "core/normalize.h"

#include <cstdlib>
#include <string>
#include <string_view>

#include "core/tokenizer.h"
#include "core/utf8.h"
#include "utf8proc.h"

namespace newsdedup {
namespace {

// True when `code_point` is unchanged by NFC whatever surrounds it: a
// starter without decomposition that never composes with what precedes it.
// Conservative (some stable code points answer false, costing speed only).
bool IsNfcStable(utf8proc_int32_t code_point) {
  // Latin-1 and Latin Extended: all NFC quick-check Yes.
  if (code_point < 0x300) return true;
  // Hangul jamo compose with each other.
  if (code_point >= 0x1100 && code_point <= 0x11FF) return false;
  const utf8proc_property_t* property = utf8proc_get_property(code_point);
  const bool composes_with_previous =
      property->comb_index != UINT16_MAX && property->comb_index >= 0x8000;
  return property->combining_class == 0 && !property->comp_exclusion &&
         property->decomp_seqindex == UINT16_MAX && !composes_with_previous;
}

// Whether NFC leaves valid UTF-8 `text` unchanged, known without running it.
bool IsNfcStable(std::string_view text) {
  const auto* const bytes =
      reinterpret_cast<const utf8proc_uint8_t*>(text.data());
  const auto size = static_cast<utf8proc_ssize_t>(text.size());
  utf8proc_ssize_t i = 0;
  while (i < size) {
    if (bytes[i] < 0x80) {
      ++i;
      continue;
    }
    utf8proc_int32_t code_point;
    const utf8proc_ssize_t length =
        utf8proc_iterate(bytes + i, size - i, &code_point);
    if (length <= 0 || !IsNfcStable(code_point)) return false;
    i += length;
  }
  return true;
}

// NFC of valid UTF-8 `text`; the text itself if utf8proc refuses it.
std::string Nfc(std::string_view text) {
  if (IsNfcStable(text)) return std::string(text);
  utf8proc_uint8_t* composed = nullptr;
  const utf8proc_ssize_t size = utf8proc_map(
      reinterpret_cast<const utf8proc_uint8_t*>(text.data()),
      static_cast<utf8proc_ssize_t>(text.size()), &composed,
      static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPOSE));
  std::string result = size < 0 ? std::string(text)
                                : std::string(reinterpret_cast<char*>(composed),
                                              static_cast<size_t>(size));
  std::free(composed);
  return result;
}

// What CanonicalForm makes of one code point.
enum class CanonicalClass {
  kKeep,
  kSpace,             // Part of a whitespace run.
  kRemove,            // Invisible: soft hyphen, zero-width space, BOM.
  kSingleQuote,       // ‘ ’ ‚ ‛ ʼ -> '
  kDoubleQuote,       // “ ” „ ‟ -> "
  kOpeningGuillemet,  // « -> ", and the space after it goes.
  kClosingGuillemet,  // » -> ", and the space before it goes.
  kHyphen,            // U+2010 hyphen, U+2011 non-breaking, U+2012 figure.
};

CanonicalClass ClassifyForCanonical(utf8proc_int32_t code_point) {
  switch (code_point) {
    case '\t':
    case '\n':
    case '\v':
    case '\f':
    case '\r':
    case ' ':
    case 0x0085:  // Next line.
    case 0x00A0:  // No-break space.
    case 0x1680:
    case 0x2028:  // Line separator.
    case 0x2029:  // Paragraph separator.
    case 0x202F:  // Narrow no-break space (French before ; : ! ?).
    case 0x205F:
    case 0x3000:
      return CanonicalClass::kSpace;
    case 0x00AD:
    case 0x200B:
    case 0x2060:
    case 0xFEFF:
      return CanonicalClass::kRemove;
    case 0x02BC:
    case 0x2018:
    case 0x2019:
    case 0x201A:
    case 0x201B:
      return CanonicalClass::kSingleQuote;
    case 0x201C:
    case 0x201D:
    case 0x201E:
    case 0x201F:
      return CanonicalClass::kDoubleQuote;
    case 0x00AB:
      return CanonicalClass::kOpeningGuillemet;
    case 0x00BB:
      return CanonicalClass::kClosingGuillemet;
    case 0x2010:
    case 0x2011:
    case 0x2012:
      return CanonicalClass::kHyphen;
  }
  // U+2000..U+200A: en quad to hair space.
  if (code_point >= 0x2000 && code_point <= 0x200A) {
    return CanonicalClass::kSpace;
  }
  return CanonicalClass::kKeep;
}

// CanonicalForm's mapping of valid UTF-8 `text`, before NFC: spaces
// collapsed, invisibles removed, quotes, guillemets and hyphens made ASCII.
std::string MapForCanonical(std::string_view text) {
  const auto* const bytes =
      reinterpret_cast<const utf8proc_uint8_t*>(text.data());
  const auto size = static_cast<utf8proc_ssize_t>(text.size());

  std::string out;
  out.reserve(text.size());
  bool pending_space = false;  // A whitespace run waits for a next character.
  // Appends `s`, preceded by one space if a whitespace run came before.
  const auto emit = [&](std::string_view s) {
    if (pending_space && !out.empty()) out.push_back(' ');
    pending_space = false;
    out.append(s);
  };
  bool after_opening_guillemet = false;
  utf8proc_ssize_t i = 0;
  while (i < size) {
    utf8proc_int32_t code_point = bytes[i];
    utf8proc_ssize_t length = 1;
    if (code_point >= 0x80) {
      length = utf8proc_iterate(bytes + i, size - i, &code_point);
      // Unreachable after repair; keeps the loop finite if it ever happens.
      if (length <= 0) length = 1;
    }
    const std::string_view original(text.data() + i,
                                    static_cast<size_t>(length));
    i += length;
    const CanonicalClass canonical_class = ClassifyForCanonical(code_point);
    if (canonical_class == CanonicalClass::kRemove) continue;
    if (canonical_class == CanonicalClass::kSpace) {
      if (!after_opening_guillemet) pending_space = true;
      continue;
    }
    after_opening_guillemet = false;
    switch (canonical_class) {
      case CanonicalClass::kSingleQuote:
        emit("'");
        break;
      case CanonicalClass::kDoubleQuote:
        emit("\"");
        break;
      case CanonicalClass::kOpeningGuillemet:
        emit("\"");
        after_opening_guillemet = true;
        break;
      case CanonicalClass::kClosingGuillemet:
        pending_space = false;
        emit("\"");
        break;
      case CanonicalClass::kHyphen:
        emit("-");
        break;
      default:
        emit(original);
        break;
    }
  }
  return out;
}

}  // namespace

std::string CanonicalForm(std::string_view text) {
  std::string repaired;
  if (!IsValidUtf8(text)) {
    RepairUtf8(text, &repaired);
    text = repaired;
  }
  // NFC last: removing an invisible between a letter and a combining mark
  // ("n", soft hyphen, U+0301) makes a pair that composes ("ń"), so NFC
  // first would leave a form that a second pass changes.
  return Nfc(MapForCanonical(text));
}

std::string MatchingForm(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  WordTokenizer tokenizer;
  tokenizer.ForEachWord(text, [&out](std::string_view word) {
    if (!out.empty()) out.push_back(' ');
    out.append(word);
  });
  return out;
}

}  // namespace newsdedup
