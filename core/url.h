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

}  // namespace newsdedup

#endif  // NEWSDEDUP_CORE_URL_H_
