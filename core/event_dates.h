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

// Dates as month * 100 + day (year ignored: ledes often omit it), sorted and
// distinct. Works on the matching form (lowercase, accents folded), so it
// accepts either form of the text.
std::vector<uint16_t> FindEventDates(std::string_view matching_form);

// True when both texts name dates and none is shared.
bool DatesConflict(const std::vector<uint16_t>& a, const std::vector<uint16_t>& b);

}  // namespace newsdedup

#endif  // NEWSDEDUP_CORE_EVENT_DATES_H_
