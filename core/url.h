#ifndef NEWSDEDUP_CORE_URL_H_
#define NEWSDEDUP_CORE_URL_H_

// Canonical form of an article URL, for story identity rule 0: two URLs that
// name the same page compare equal. Scheme and host lowercased, "www." and
// default ports dropped, fragment dropped, tracking parameters (utm_*, fbclid,
// gclid, mc_cid, mc_eid, ref, xtor...) removed, remaining query parameters
// sorted, trailing slash of the path dropped, whitespace dropped. http and
// https are the same. Idempotent: CanonicalUrl of a canonical URL is itself.

#include <string>
#include <string_view>

namespace newsdedup {

// Returns "" when `url` has no valid host (not an absolute http(s) URL).
std::string CanonicalUrl(std::string_view url);

// The article id a canonical URL's path carries, with its host ("lemonde.fr
// 6128449"), or "" when the path carries none. Many sites put the headline
// in the URL as a slug beside a stable id ("/live/2022/06/01/
// guerre-en-ukraine-en-direct-<headline>_6128449_3210.html",
// "/ausland/<slug>-a-<uuid>"): the slug changes with each retitling, the id
// never does, so two URLs with one id name one article. An id is in the
// path's last segment (one before it may name an author or a section shared
// by many articles): its UUIDs, else its runs of at least six digits that
// are no date (YYYYMMDD, with a time or not), all of them (a section's
// number may be as long as the article's, and both stay when the headline
// changes). Short numbers (years, months, a section's "3210") are not ids.
std::string UrlArticleKey(std::string_view canonical_url);

}  // namespace newsdedup

#endif  // NEWSDEDUP_CORE_URL_H_
