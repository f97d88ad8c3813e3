#ifndef NEWSDEDUP_CORE_PAGE_PROFILE_H_
#define NEWSDEDUP_CORE_PAGE_PROFILE_H_

// What a source's history says about one of its article pages, before the
// page is cut (core/dump_parser.h):
//  - its boilerplate: lines the source showed on the pages of other stories
//    (menus, teasers of other articles, paywall notices, footers), by their
//    history (core/source_history.h). From the source's second page on, a
//    line shared with one other story's page is enough
//    (MatchParams::boilerplate_page_stories); the page's own earlier captures
//    do not count, so a page seen again keeps its text;
//  - its anchor: a line equal (in matching form) to a title the store knows,
//    best one followed by that text's lede, locates the article in the page
//    and gives its title: the page's teaser, from a listing of the source.
//    Failing that, a line equal to a teaser's lede does: the headline just
//    above it is the page's own title for the article, and the article takes
//    the teaser's;
//  - its presumed story: the anchor's, else the story that most of the
//    page's paragraphs were seen on before, and only on (a page captured
//    again).
// A source's first page has no history: the parser's general signals alone
// cut it.

#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "absl/container/flat_hash_set.h"
#include "core/dump_parser.h"
#include "core/match_params.h"
#include "core/source_history.h"

namespace newsdedup {

// Which of a teaser's texts a page line repeats.
enum class TeaserLine : uint8_t {
  kTitle,  // Its title: the page shows the article under the teaser's headline.
  kLede,   // Its lede, under another headline (a page retitled for the web).
};

// A stored teaser (a listing item's text) whose title or lede is one of the
// page's lines.
struct TeaserInPage {
  size_t line = 0;  // Index in ParsedDump::page_lines of the repeated text.
  TeaserLine by = TeaserLine::kTitle;
  uint64_t story = 0;      // Story number of that text.
  uint64_t version = 0;    // Its version id.
  uint64_t lede_hash = 0;  // HashOfWords of its lede; 0 if none.
  std::string title = {};  // Its title (needed when `by` is kLede).
};

struct PageProfile {
  absl::flat_hash_set<uint64_t> boilerplate;  // LineShapeHash of lines to drop.
  std::optional<PageAnchor> anchor;
  uint64_t story = 0;  // Presumed story number; 0 if none.
  // The teaser version the anchor is, a candidate of the page whatever its
  // title (a page under another headline shares no title key with it); 0
  // without an anchor.
  uint64_t anchor_version = 0;
};

// A teaser's lede is looked for this many lines after its title (a kicker,
// a byline or a date may come between).
inline constexpr size_t kLedeReach = 4;

// `histories` has one entry per line of `lines` (an empty history for a
// line never seen); `teasers` any number, any order.
PageProfile ProfilePage(const MatchParams& params, std::span<const PageLine> lines,
                        std::span<const TextHistory> histories,
                        std::span<const TeaserInPage> teasers);

}  // namespace newsdedup

#endif  // NEWSDEDUP_CORE_PAGE_PROFILE_H_
