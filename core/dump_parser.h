#ifndef NEWSDEDUP_CORE_DUMP_PARSER_H_
#define NEWSDEDUP_CORE_DUMP_PARSER_H_

// Cuts the bytes of one dump into items. Pure: bytes in, items out.
//  - listing: a plain-text listing page, title lines each followed by their
//    lede line; the first line may be an orphan lede (an item without title).
//  - article: a plain-text article page; one item (title, lede = first
//    paragraph, body = the rest) with boilerplate removed: cookie-consent
//    blocks, photo captions, newsletter/subscription footers, share lines.
//  - jsonl: JSON Lines, one object per line with `title` and `text`, `body`
//    or `description`; optional `url`, `id`, `published`.
//  - html: a saved HTML page, read with an HTML5 parser (core/html_page.h):
//    an article page (title from og:title, <h1> or <title>, URL from the
//    canonical link, text from the main content) or a listing page (many
//    headline links with teasers), as its shape says.
// Invalid UTF-8 is repaired and counted in a warning; CRLF, a BOM, trailing
// spaces and blank lines are handled.
//
// Listing pages are cut by the *shape* of lines, not by their parity: each
// line gets a title score and a lede score (length, word count, final
// punctuation, sentences inside), and dynamic programming picks the labelling
// of the whole page with the best total score under the rule that a title is
// followed by its lede. An orphan lede is cheap on the first line and costly
// elsewhere; a title without lede is allowed (costly) and gets an empty lede.
//
// Article pages are cut by general signals: short blocks carrying a small
// multilingual boilerplate vocabulary (cookies, newsletter, share, "read
// more", copyright...), long blocks dense in consent vocabulary, bylines and
// breadcrumbs, short lines repeated inside the page or made only of proper
// names (photo captions), and, when the caller passes them, paragraphs known
// to recur on many pages of the source. The lede is the first long content
// paragraph; the title is the first title-shaped short line of the run of
// short lines just before it; everything before the title is page chrome.
// When the caller knows where the article starts (an anchor: a line equal to
// a title the store knows, core/page_profile.h), that line is the title and
// the lede follows it. A page with no text at all is refused.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "core/item.h"
#include "core/story_status.h"

namespace newsdedup {

enum class DumpFormat { kListing, kArticle, kJsonl, kHtml };

// "listing", "article", "jsonl", "html".
std::string_view DumpFormatName(DumpFormat format);
// Inverse of DumpFormatName; InvalidArgumentError for anything else.
absl::StatusOr<DumpFormat> ParseDumpFormatName(std::string_view name);

// Where the article starts on a page: the line that is its title (an index
// in ParsedDump::page_lines) and, when known, the line of its lede.
struct PageAnchor {
  size_t title_line = 0;
  std::optional<size_t> lede_line = std::nullopt;
  // When not empty, the article's title instead of the title line's text:
  // the teaser's, for a page that shows the teaser's lede under another
  // headline, so that the story keeps the name its listings give it (and
  // joins that teaser, not another story sharing the lede).
  std::string title = {};
};

struct ParseOptions {
  // Detected from the content when absent.
  std::optional<DumpFormat> format = std::nullopt;
  // Listing and article lines longer than this are cut (with a warning).
  size_t max_line_bytes = 1 << 20;
  // A JSON Lines line is one object, parsed whole up to this many bytes;
  // a longer one refuses the dump, naming its line (never cut: a cut object
  // is no object, and its item would be lost without a word).
  size_t max_json_line_bytes = 64 << 20;
  // Article pages only: LineShapeHash of lines seen on many earlier pages
  // of this source (menus, footers, paywall notices a vocabulary cannot
  // know). Such lines are dropped. Not owned; may be null.
  const absl::flat_hash_set<uint64_t>* known_boilerplate = nullptr;
  // Article pages only: where the article starts. Lines before its title
  // are page chrome. Ignored when out of range.
  std::optional<PageAnchor> anchor = std::nullopt;
  // JSON Lines only: the bytes are one block of a larger file, so a block
  // without a usable line is zero items, not an error (the caller refuses
  // the file when no block had one).
  bool piece_of_larger_dump = false;
};

// One line of an article page, as the store learns it (core/page_profile.h).
struct PageLine {
  uint64_t shape_hash = 0;  // LineShapeHash: the key of its history.
  uint64_t words_hash = 0;  // HashOfWords: the title index's key.
  int words = 0;
};

struct ParsedDump {
  DumpFormat format = DumpFormat::kListing;
  // An article page (one item) or a listing; from the format, and for HTML
  // from the page's shape.
  SnapshotKind kind = SnapshotKind::kListing;
  std::vector<Item> items;  // items[i].position == i.
  // Article pages: every line of the page, in order (anchors index them).
  std::vector<PageLine> page_lines;
  // Human-readable, one line each: repaired bytes, cut lines, skipped JSONL
  // lines, an empty dump...
  std::vector<std::string> warnings;
};

// The key a page line's history is kept under: XXH3-64 of its MatchingForm
// with every run of digits made one "0", so that "Il vous reste 48% de cet
// article" and "… 73% …" are one line.
uint64_t LineShapeHash(std::string_view line);

// Guesses the format of a dump from its first bytes and line shapes: JSON
// Lines when the first non-blank line is a JSON object; HTML when it opens
// with a doctype or an <html> tag; an article page when
// the best listing cut of its first lines leaves many ledes without title
// (runs of long paragraphs); a listing otherwise.
DumpFormat DetectDumpFormat(std::string_view bytes);

// InvalidArgumentError for binary input (NUL bytes), JSON Lines where no
// line is a usable object, or an article or HTML page with no text (no
// title, no paragraph). An empty dump is zero items and a warning.
// JSON Lines: a line that is not an object with a `title` or a text field is
// skipped with a warning; the text's first line is the lede, the rest the
// body; a numeric `id` is kept as its decimal text.
absl::StatusOr<ParsedDump> ParseDump(std::string_view bytes,
                                     const ParseOptions& options = {});

}  // namespace newsdedup

#endif  // NEWSDEDUP_CORE_DUMP_PARSER_H_
