#ifndef NEWSDEDUP_CORE_EVENT_DATES_H_
#define NEWSDEDUP_CORE_EVENT_DATES_H_

// Finds the calendar dates a news text names ("le 27 mars 2025", "1er avril",
// "March 4", "2025-03-27", "27/03/2025"). Two texts about the same kind of
// event on different days ("le 4 janvier" vs "le 13 janvier") share most of
// their words; the dates they name tell them apart.

#include <cstdint>
#include <string_view>
#include <vector>

namespace newsdedup {

// Dates as year * 10000 + month * 100 + day, the year 0 when the text does
// not give it (ledes often omit it), sorted and distinct. Works on the
// matching form (lowercase, accents folded), so it accepts either form of the
// text.
std::vector<uint32_t> FindEventDates(std::string_view matching_form);

// True when both texts name dates and none is shared: two dates are the same
// when their day and month are, and their years too where both give one
// ("le 26 décembre 2025" is not "le 26 décembre 2026", but is "le 26 décembre").
bool DatesConflict(const std::vector<uint32_t>& a, const std::vector<uint32_t>& b);

}  // namespace newsdedup

#endif  // NEWSDEDUP_CORE_EVENT_DATES_H_
