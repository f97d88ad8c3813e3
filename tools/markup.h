#ifndef NEWSDEDUP_TOOLS_MARKUP_H_
#define NEWSDEDUP_TOOLS_MARKUP_H_

// Putting stored texts, which come from scraped pages and may hold anything,
// into HTML and XML safely: escaping, word diffs as <del>/<ins>, and URLs
// in links. Every text of every page and feed goes through these.

#include <string>
#include <string_view>
#include <vector>

#include "core/word_diff.h"

namespace newsdedup {

// Text or attribute value for HTML and XML: & < > " ' become character
// references, and the characters XML 1.0 forbids even escaped (C0 controls
// but tab, newline and carriage return; U+FFFE, U+FFFF) become U+FFFD.
// REQUIRES: valid UTF-8 (stored texts are repaired at ingest).
std::string EscapeHtml(std::string_view text);

// A word diff as HTML: deleted runs in <del>, inserted runs in <ins>, all
// text escaped; runs shortened as DiffStyle's max_equal_bytes and
// max_change_bytes say.
std::string HtmlDiff(const std::vector<DiffChunk>& chunks, size_t max_equal_bytes = 160,
                     size_t max_change_bytes = 400);

// Percent-encodes everything but RFC 3986's unreserved characters, for a
// path segment or query value.
std::string EscapeUrlComponent(std::string_view text);

// Whether `url` may become a link: an http or https URL (never javascript:,
// data: or a relative path a scraped page slipped in).
bool IsWebUrl(std::string_view url);

}  // namespace newsdedup

#endif  // NEWSDEDUP_TOOLS_MARKUP_H_
