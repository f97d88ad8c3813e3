#ifndef NEWSDEDUP_CORE_UTF8_H_
#define NEWSDEDUP_CORE_UTF8_H_

// UTF-8 validation and repair. Scraped dumps contain broken bytes (a page cut
// mid-character, a Latin-1 page pasted into UTF-8); everything downstream
// assumes valid UTF-8, so input is repaired once, at the parser.

#include <string>
#include <string_view>

namespace newsdedup {

// Returns true when `text` is valid UTF-8 (no overlongs, surrogates or code
// points > U+10FFFF), by simdjson's SIMD validator; no allocation.
bool IsValidUtf8(std::string_view text);

// Copies `in` to `*out` replacing each byte that is not part of a valid UTF-8
// sequence by U+FFFD. Returns how many bytes were replaced.
int RepairUtf8(std::string_view in, std::string* out);

}  // namespace newsdedup

#endif  // NEWSDEDUP_CORE_UTF8_H_
