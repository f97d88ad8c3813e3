#include "core/event_dates.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <optional>
#include <string_view>

namespace newsdedup {
namespace {

struct MonthName {
  std::string_view name;
  int month;
};

// Matching-form month names (accents folded). "may" is left out: as an
// English word it is far more often the verb than the month.
constexpr std::array<MonthName, 35> kMonths = {{
    {"janvier", 1},  {"fevrier", 2},   {"mars", 3},      {"avril", 4},
    {"mai", 5},      {"juin", 6},      {"juillet", 7},   {"aout", 8},
    {"septembre", 9}, {"octobre", 10}, {"novembre", 11}, {"decembre", 12},
    {"january", 1},  {"february", 2},  {"march", 3},     {"april", 4},
    {"june", 6},     {"july", 7},      {"august", 8},    {"september", 9},
    {"october", 10}, {"november", 11}, {"december", 12}, {"jan", 1},
    {"feb", 2},      {"mar", 3},       {"apr", 4},       {"jun", 6},
    {"jul", 7},      {"aug", 8},       {"sep", 9},       {"sept", 9},
    {"oct", 10},     {"nov", 11},      {"dec", 12},
}};

std::optional<int> MonthOf(std::string_view word) {
  for (const MonthName& m : kMonths) {
    if (m.name == word) return m.month;
  }
  return std::nullopt;
}

// A day number: "4", "04", "1er" (French first of the month), "4th".
std::optional<int> DayOf(std::string_view word) {
  for (std::string_view suffix : {"er", "st", "nd", "rd", "th"}) {
    if (word.size() > suffix.size() && word.ends_with(suffix)) {
      word.remove_suffix(suffix.size());
      break;
    }
  }
  int day = 0;
  const auto [end, error] = std::from_chars(word.data(), word.data() + word.size(), day);
  if (error != std::errc() || end != word.data() + word.size()) return std::nullopt;
  if (day < 1 || day > 31) return std::nullopt;
  return day;
}

std::optional<int> NumberOf(std::string_view word) {
  int value = 0;
  const auto [end, error] = std::from_chars(word.data(), word.data() + word.size(), value);
  if (error != std::errc() || end != word.data() + word.size()) return std::nullopt;
  return value;
}

bool IsAsciiAlnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

// A year right after the day or month: "27 mars 2025", "March 4, 2025".
int YearAt(const std::vector<std::string_view>& words, size_t w) {
  if (w >= words.size()) return 0;
  const std::optional<int> year = NumberOf(words[w]);
  return year && *year >= 1900 && *year <= 2100 ? *year : 0;
}

uint32_t Encode(int year, int month, int day) {
  return static_cast<uint32_t>(year * 10000 + month * 100 + day);
}

uint32_t DayOfYear(uint32_t date) { return date % 10000; }
uint32_t YearOf(uint32_t date) { return date / 10000; }

// The same day, and the same year unless one of them does not say.
bool SameDate(uint32_t a, uint32_t b) {
  return DayOfYear(a) == DayOfYear(b) &&
         (YearOf(a) == 0 || YearOf(b) == 0 || YearOf(a) == YearOf(b));
}

}  // namespace

std::vector<uint32_t> FindEventDates(std::string_view text) {
  // Split on anything that is not an ASCII letter or digit: the matching form
  // already folded accents, and numeric dates ("27/03/2025") fall apart into
  // three numbers that are read together below.
  std::vector<std::string_view> words;
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && !IsAsciiAlnum(text[i])) ++i;
    const size_t start = i;
    while (i < text.size() && IsAsciiAlnum(text[i])) ++i;
    if (i > start) words.push_back(text.substr(start, i - start));
  }
  // Every date has a number in it: only numbers start a look at their
  // neighbours, which spares most words the month-name comparisons.
  std::vector<uint32_t> dates;
  auto is_number_like = [](std::string_view word) { return word[0] >= '0' && word[0] <= '9'; };
  for (size_t w = 0; w < words.size(); ++w) {
    if (!is_number_like(words[w])) continue;
    if (const std::optional<int> day = DayOf(words[w])) {
      // "27 mars", "1er avril".
      if (w + 1 < words.size()) {
        if (const std::optional<int> month = MonthOf(words[w + 1])) {
          dates.push_back(Encode(YearAt(words, w + 2), *month, *day));
          continue;
        }
      }
      // "March 4", unless that month already took the number before it.
      if (w > 0) {
        if (const std::optional<int> month = MonthOf(words[w - 1])) {
          if (w < 2 || !DayOf(words[w - 2]).has_value()) {
            dates.push_back(Encode(YearAt(words, w + 1), *month, *day));
            continue;
          }
        }
      }
    }
    if (w + 2 >= words.size()) continue;
    const std::optional<int> a = NumberOf(words[w]);
    const std::optional<int> b = NumberOf(words[w + 1]);
    const std::optional<int> c = NumberOf(words[w + 2]);
    if (!a || !b || !c) continue;
    if (*a >= 1900 && *a <= 2100 && *b >= 1 && *b <= 12 && *c >= 1 && *c <= 31) {
      dates.push_back(Encode(*a, *b, *c));  // 2025-03-27
      w += 2;
    } else if (*c >= 1900 && *c <= 2100 && *b >= 1 && *b <= 12 && *a >= 1 && *a <= 31) {
      dates.push_back(Encode(*c, *b, *a));  // 27/03/2025
      w += 2;
    }
  }
  std::sort(dates.begin(), dates.end());
  dates.erase(std::unique(dates.begin(), dates.end()), dates.end());
  return dates;
}

bool DatesConflict(const std::vector<uint32_t>& a, const std::vector<uint32_t>& b) {
  if (a.empty() || b.empty()) return false;
  // Texts name few dates: all pairs are cheaper than anything cleverer.
  for (uint32_t x : a) {
    for (uint32_t y : b) {
      if (SameDate(x, y)) return false;
    }
  }
  return true;
}

}  // namespace newsdedup
