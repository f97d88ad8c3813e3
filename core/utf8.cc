#include "core/utf8.h"

#include <cstdint>
#include <cstring>

#include "simdjson.h"

namespace newsdedup {
namespace {

constexpr uint64_t kHighBits = 0x8080808080808080ULL;

// Length of the valid UTF-8 sequence starting at data[i], or 0 when the bytes
// there do not form one (RFC 3629: shortest form only, no surrogates, nothing
// above U+10FFFF). REQUIRES: i < size and data[i] >= 0x80.
size_t ValidSequenceLength(const unsigned char* data, size_t size, size_t i) {
  const unsigned char lead = data[i];
  size_t length;
  // Bounds of the second byte; they exclude overlongs (E0, F0), surrogates
  // (ED) and code points above U+10FFFF (F4).
  unsigned char second_min = 0x80;
  unsigned char second_max = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    if (lead == 0xE0) second_min = 0xA0;
    if (lead == 0xED) second_max = 0x9F;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    if (lead == 0xF0) second_min = 0x90;
    if (lead == 0xF4) second_max = 0x8F;
  } else {
    return 0;  // Continuation byte, overlong C0/C1, or F5..FF.
  }
  if (size - i < length) return 0;
  if (data[i + 1] < second_min || data[i + 1] > second_max) return 0;
  for (size_t k = 2; k < length; ++k) {
    if ((data[i + k] & 0xC0) != 0x80) return 0;
  }
  return length;
}

// Index of the first non-ASCII byte at or after `i`, or `size`. Checks eight
// bytes at a time: most of a French or English dump is ASCII.
size_t SkipAscii(const unsigned char* data, size_t size, size_t i) {
  while (i + 8 <= size) {
    uint64_t word;
    std::memcpy(&word, data + i, 8);
    if (word & kHighBits) break;
    i += 8;
  }
  while (i < size && data[i] < 0x80) ++i;
  return i;
}

}  // namespace

bool IsValidUtf8(std::string_view text) {
  // simdjson's validator checks the same rules 32 bytes at a time, with the
  // kernel of this CPU: a byte loop stopped at every accented letter of a
  // French dump and was a twentieth of reading one.
  return simdjson::validate_utf8(text.data(), text.size());
}

int RepairUtf8(std::string_view in, std::string* out) {
  static constexpr char kReplacement[] = "\xEF\xBF\xBD";  // U+FFFD
  out->clear();
  out->reserve(in.size());
  const auto* data = reinterpret_cast<const unsigned char*>(in.data());
  const size_t size = in.size();
  int replaced = 0;
  size_t run_start = 0;  // Start of the valid bytes not yet copied.
  size_t i = SkipAscii(data, size, 0);
  while (i < size) {
    const size_t length = ValidSequenceLength(data, size, i);
    if (length == 0) {
      out->append(in.data() + run_start, i - run_start);
      out->append(kReplacement, 3);
      ++replaced;
      run_start = i + 1;
      i = SkipAscii(data, size, i + 1);
    } else {
      i = SkipAscii(data, size, i + length);
    }
  }
  out->append(in.data() + run_start, size - run_start);
  return replaced;
}

}  // namespace newsdedup
