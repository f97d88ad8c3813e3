#ifndef NEWSDEDUP_CORE_SOURCE_HISTORY_H_
#define NEWSDEDUP_CORE_SOURCE_HISTORY_H_

// What a source repeats, learned from its own snapshots (the store keeps
// these per source; nothing here knows a site). For one text of a source —
// a line of its article pages, a listing title, a listing lede — the number
// of different partners it was seen with:
//  - a page line: the stories whose pages showed it. A line on the pages of
//    several stories is navigation, a paywall notice or a footer
//    (boilerplate), not article text;
//  - a title: the ledes it came with (by SimHash, so that an edited lede
//    counts once); a lede: the titles. A lede seen under
//    many titles ("Chaque jeudi, la rédaction vous propose sa sélection") or
//    a title over many ledes ("Vu par…") is a template: two texts sharing it
//    are not, on that account, one story.
// Partners are counted once each: the newest few are kept, so that a story
// seen again (a page captured on two nights, a teaser repeated) does not
// count twice.

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace newsdedup {

// The kinds of text a source's history is kept for.
enum class SourceTextKind : uint8_t {
  kPageLine = 1,  // A line of an article page, by LineShapeHash.
  kTitle = 2,     // A listing item's title, by TextFeatures::title_hash.
  kLede = 3,      // A listing item's lede, by TextFeatures::lede_hash.
};

// "page_line", "title", "lede".
std::string_view SourceTextKindName(SourceTextKind kind);

// Whether `partner` is one of `seen`, or (for SimHash partners, `same_bits`
// > 0) at most that many bits from one.
bool SamePartnerIn(std::span<const uint64_t> seen, uint64_t partner, int same_bits);

struct TextHistory {
  // Partners kept, newest last: beyond this many a text is long a template,
  // and counting exactly would need every partner.
  static constexpr size_t kRecentPartners = 4;

  uint32_t partners = 0;         // Distinct partners counted.
  std::vector<uint64_t> recent;  // The newest new ones, at most kRecentPartners.

  // Whether `partner` is one of the recent ones, or (for SimHash partners,
  // `same_bits` > 0) at most that many bits from one.
  bool Has(uint64_t partner, int same_bits = 0) const {
    return SamePartnerIn(recent, partner, same_bits);
  }
  // Counts `partner` unless Has says it was seen; true when the history
  // changed.
  bool Add(uint64_t partner, int same_bits = 0);
  // Partners other than `self` (which is not counted when it is a recent
  // one): how many other stories showed a line of this story's page.
  uint32_t PartnersBesides(uint64_t self) const { return partners - (Has(self) ? 1 : 0); }
};

}  // namespace newsdedup

#endif  // NEWSDEDUP_CORE_SOURCE_HISTORY_H_
