#ifndef NEWSDEDUP_CORE_EVENT_DATES_H_
#define NEWSDEDUP_CORE_EVENT_DATES_H_

// Finds the calendar dates a news text names ("le 27 mars 2025", "1er avril",
// "March 4", "3. Oktober", "2025-03-27", "27/03/2025"), the months a title
// names alone and the ordinals a title counts with. Two texts about the same kind of
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

// Months a title names with no day beside them ("Le mois de janvier en
// dessins", "Bilanz im Oktober"), as month * 100 (year and day 0), sorted and
// distinct. Only for titles: a lede's "en janvier" is as often a look back
// as the subject. Full month names only, and not "mars" / "march" (a planet,
// a protest), which count only beside a day number.
std::vector<uint32_t> FindMonthsNamedAlone(std::string_view matching_form);

// True when both texts name dates and none is shared: two dates are the same
// when their day and month are, and their years too where both give one
// ("le 26 décembre 2025" is not "le 26 décembre 2026", but is "le 26
// décembre"); a month named alone (day 0) shares with every date of that
// month.
bool DatesConflict(const std::vector<uint32_t>& a, const std::vector<uint32_t>& b);

// Ordinal numbers a title names, sorted and distinct: "7e", "1er", "3rd",
// "21st", "2nde", and the words for the second to the tenth in French,
// English and German ("troisième", "third", "dritte"), which a recurring
// headline uses as a date ("Ligue 1, 7e journée", "5e étape", "un troisième
// homme mis en examen"). "premier", "first" and "second" are left out: they
// are as often no rank at all ("Premier ministre", "second-hand").
std::vector<uint32_t> FindOrdinals(std::string_view matching_form);

// True when both name ordinals and none is shared.
bool OrdinalsConflict(const std::vector<uint32_t>& a, const std::vector<uint32_t>& b);

}  // namespace newsdedup

#endif  // NEWSDEDUP_CORE_EVENT_DATES_H_
