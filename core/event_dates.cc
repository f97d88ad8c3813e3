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

// The year `word` names ("27 mars 2025", "March 4, 2025"), or 0.
int YearAt(std::string_view word) {
  const std::optional<int> year = NumberOf(word);
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


// The words of a text around one position, found by scanning from it: the
// matching form folded accents, so a word is a run of ASCII letters and
// digits, and numeric dates ("27/03/2025") fall apart into three numbers.
class WordCursor {
 public:
  explicit WordCursor(std::string_view text) : text_(text) {}

  // The word starting at or after `from`; empty at the end.
  std::string_view WordFrom(size_t from) const {
    while (from < text_.size() && !IsAsciiAlnum(text_[from])) ++from;
    size_t end = from;
    while (end < text_.size() && IsAsciiAlnum(text_[end])) ++end;
    return text_.substr(from, end - from);
  }
  // The word after `word` (a view into the text).
  std::string_view After(std::string_view word) const {
    return WordFrom(static_cast<size_t>(word.data() + word.size() - text_.data()));
  }
  // The word before `word`; empty at the start.
  std::string_view Before(std::string_view word) const {
    size_t end = static_cast<size_t>(word.data() - text_.data());
    while (end > 0 && !IsAsciiAlnum(text_[end - 1])) --end;
    size_t start = end;
    while (start > 0 && IsAsciiAlnum(text_[start - 1])) --start;
    return text_.substr(start, end - start);
  }

 private:
  std::string_view text_;
};

// A date read at the number `word`, and the last word it used.
struct DateAt {
  uint32_t date;
  std::string_view last_word;
};

std::optional<DateAt> ReadDate(const WordCursor& words, std::string_view word) {
  const std::string_view next = words.After(word);
  if (const std::optional<int> day = DayOf(word)) {
    // "27 mars", "1er avril", "27 mars 2025".
    if (const std::optional<int> month = MonthOf(next)) {
      return DateAt{Encode(YearAt(words.After(next)), *month, *day), next};
    }
    // "March 4", "March 4, 2025", unless that month already took the number
    // before it.
    const std::string_view previous = words.Before(word);
    if (const std::optional<int> month = MonthOf(previous)) {
      if (!DayOf(words.Before(previous)).has_value()) {
        return DateAt{Encode(YearAt(next), *month, *day), word};
      }
    }
  }
  const std::string_view third = words.After(next);
  const std::optional<int> a = NumberOf(word);
  const std::optional<int> b = NumberOf(next);
  const std::optional<int> c = NumberOf(third);
  if (!a || !b || !c) return std::nullopt;
  if (*a >= 1900 && *a <= 2100 && *b >= 1 && *b <= 12 && *c >= 1 && *c <= 31) {
    return DateAt{Encode(*a, *b, *c), third};  // 2025-03-27
  }
  if (*c >= 1900 && *c <= 2100 && *b >= 1 && *b <= 12 && *a >= 1 && *a <= 31) {
    return DateAt{Encode(*c, *b, *a), third};  // 27/03/2025
  }
  return std::nullopt;
}

}  // namespace

std::vector<uint32_t> FindEventDates(std::string_view text) {
  // Every date has a number in it: only words starting with a digit start a
  // look at their neighbours, so a text without digits costs one scan.
  const WordCursor words(text);
  std::vector<uint32_t> dates;
  size_t at = 0;
  while (at < text.size()) {
    while (at < text.size() && !(text[at] >= '0' && text[at] <= '9')) ++at;
    if (at == text.size()) break;
    // Only a digit that starts a word starts a date ("43e" does, "x2" not).
    if (at > 0 && IsAsciiAlnum(text[at - 1])) {
      while (at < text.size() && IsAsciiAlnum(text[at])) ++at;
      continue;
    }
    const std::string_view word = words.WordFrom(at);
    const std::optional<DateAt> date = ReadDate(words, word);
    const std::string_view last = date ? date->last_word : word;
    if (date) dates.push_back(date->date);
    at = static_cast<size_t>(last.data() + last.size() - text.data());
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
