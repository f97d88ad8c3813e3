#include "core/event_dates.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <optional>
#include <string_view>

#include "absl/container/flat_hash_map.h"

namespace newsdedup {
namespace {

struct MonthName {
  std::string_view name;
  int month;
  // A full name that means the month even with no day beside it.
  bool alone;
};

// Matching-form month names (accents folded), French, English, German,
// Spanish, Italian. "may" is left out: as an English word it is far more
// often the verb than the month.
constexpr std::array<MonthName, 73> kMonths = {{
    {"janvier", 1, true},    {"fevrier", 2, true},    {"mars", 3, false},
    {"avril", 4, true},      {"mai", 5, true},        {"juin", 6, true},
    {"juillet", 7, true},    {"aout", 8, true},       {"septembre", 9, true},
    {"octobre", 10, true},   {"novembre", 11, true},  {"decembre", 12, true},
    {"january", 1, true},    {"february", 2, true},   {"march", 3, false},
    {"april", 4, true},      {"june", 6, true},       {"july", 7, true},
    {"august", 8, true},     {"september", 9, true},  {"october", 10, true},
    {"november", 11, true},  {"december", 12, true},  {"januar", 1, true},
    {"februar", 2, true},    {"marz", 3, true},       {"juni", 6, true},
    {"juli", 7, true},       {"oktober", 10, true},   {"dezember", 12, true},
    {"enero", 1, true},      {"febrero", 2, true},    {"marzo", 3, true},
    {"abril", 4, true},      {"mayo", 5, true},       {"junio", 6, true},
    {"julio", 7, true},      {"agosto", 8, true},     {"septiembre", 9, true},
    {"octubre", 10, true},   {"noviembre", 11, true}, {"diciembre", 12, true},
    {"gennaio", 1, true},    {"febbraio", 2, true},   {"aprile", 4, true},
    {"maggio", 5, true},     {"giugno", 6, true},     {"luglio", 7, true},
    {"settembre", 9, true},  {"ottobre", 10, true},   {"dicembre", 12, true},
    {"jan", 1, false},       {"feb", 2, false},       {"mar", 3, false},
    {"apr", 4, false},       {"jun", 6, false},       {"jul", 7, false},
    {"aug", 8, false},       {"sep", 9, false},       {"sept", 9, false},
    {"oct", 10, false},      {"nov", 11, false},      {"dec", 12, false},
    {"janv", 1, false},      {"fevr", 2, false},      {"avr", 4, false},
    {"juil", 7, false},      {"okt", 10, false},      {"dez", 12, false},
    {"ene", 1, false},       {"abr", 4, false},       {"ago", 8, false},
    {"dic", 12, false},
}};

// Every word of a title or lede is looked up: a hash lookup, not a scan of
// the 73 names (the scan was 2% of a dups run).
const MonthName* FindMonth(std::string_view word) {
  static const auto* const by_name = [] {
    auto* map = new absl::flat_hash_map<std::string_view, const MonthName*>();
    for (const MonthName& m : kMonths) map->emplace(m.name, &m);
    return map;
  }();
  const auto found = by_name->find(word);
  return found == by_name->end() ? nullptr : found->second;
}

std::optional<int> MonthOf(std::string_view word) {
  const MonthName* month = FindMonth(word);
  if (month == nullptr) return std::nullopt;
  return month->month;
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
// A month named alone (day 0) is the same as every day of that month.
bool SameDate(uint32_t a, uint32_t b) {
  const bool same_day = DayOfYear(a) == DayOfYear(b) ||
                        (DayOfYear(a) / 100 == DayOfYear(b) / 100 &&
                         (DayOfYear(a) % 100 == 0 || DayOfYear(b) % 100 == 0));
  return same_day &&
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

void SortUnique(std::vector<uint32_t>* values) {
  std::sort(values->begin(), values->end());
  values->erase(std::unique(values->begin(), values->end()), values->end());
}

// Ordinal words of French, English and German, from the second (or third)
// to the tenth; German ones with any inflection ("dritte", "dritten").
struct OrdinalWord {
  std::string_view word;
  int value;
  bool inflected;  // Also with a suffix (German declension).
};
constexpr std::array<OrdinalWord, 25> kOrdinalWords = {{
    {"deuxieme", 2, false}, {"troisieme", 3, false}, {"quatrieme", 4, false},
    {"cinquieme", 5, false}, {"sixieme", 6, false},  {"septieme", 7, false},
    {"huitieme", 8, false}, {"neuvieme", 9, false},  {"dixieme", 10, false},
    {"third", 3, false},    {"fourth", 4, false},    {"fifth", 5, false},
    {"sixth", 6, false},    {"seventh", 7, false},   {"eighth", 8, false},
    {"ninth", 9, false},    {"tenth", 10, false},    {"zweite", 2, true},
    {"dritte", 3, true},    {"vierte", 4, true},     {"funfte", 5, true},
    {"sechste", 6, true},   {"siebte", 7, true},     {"neunte", 9, true},
    {"zehnte", 10, true},
}};

// "7e", "1er", "1re", "2nde", "3eme", "3rd", "21st": digits, then a suffix.
std::optional<int> NumericOrdinal(std::string_view word) {
  size_t digits = 0;
  while (digits < word.size() && word[digits] >= '0' && word[digits] <= '9') ++digits;
  if (digits == 0 || digits > 3 || digits == word.size()) return std::nullopt;
  const std::string_view suffix = word.substr(digits);
  for (std::string_view known : {"e", "er", "re", "ere", "eme", "ieme", "nd", "nde", "st", "rd", "th"}) {
    if (suffix == known) return NumberOf(word.substr(0, digits));
  }
  return std::nullopt;
}

// The word itself, else (for an inflected ordinal) the word without its
// last one or two letters, looked up by hash as FindMonth does.
std::optional<int> WordOrdinal(std::string_view word) {
  static const auto* const by_word = [] {
    auto* map = new absl::flat_hash_map<std::string_view, const OrdinalWord*>();
    for (const OrdinalWord& o : kOrdinalWords) map->emplace(o.word, &o);
    return map;
  }();
  for (size_t cut = 0; cut <= 2 && cut < word.size(); ++cut) {
    const auto found = by_word->find(word.substr(0, word.size() - cut));
    if (found != by_word->end() && (cut == 0 || found->second->inflected)) {
      return found->second->value;
    }
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

std::vector<uint32_t> FindMonthsNamedAlone(std::string_view text) {
  const WordCursor words(text);
  std::vector<uint32_t> months;
  for (std::string_view word = words.WordFrom(0); !word.empty(); word = words.After(word)) {
    const MonthName* month = FindMonth(word);
    if (month == nullptr || !month->alone) continue;
    if (!DayOf(words.Before(word)).has_value() && !DayOf(words.After(word)).has_value()) {
      months.push_back(Encode(0, month->month, 0));
    }
  }
  SortUnique(&months);
  return months;
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

std::vector<uint32_t> FindOrdinals(std::string_view text) {
  const WordCursor words(text);
  std::vector<uint32_t> ordinals;
  for (std::string_view word = words.WordFrom(0); !word.empty(); word = words.After(word)) {
    const std::optional<int> value =
        word[0] >= '0' && word[0] <= '9' ? NumericOrdinal(word) : WordOrdinal(word);
    if (value.has_value()) ordinals.push_back(static_cast<uint32_t>(*value));
  }
  SortUnique(&ordinals);
  return ordinals;
}

bool OrdinalsConflict(const std::vector<uint32_t>& a, const std::vector<uint32_t>& b) {
  if (a.empty() || b.empty()) return false;
  for (uint32_t x : a) {
    if (std::binary_search(b.begin(), b.end(), x)) return false;
  }
  return true;
}

}  // namespace newsdedup
