#include "core/url.h"

#include <algorithm>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"

namespace newsdedup {
namespace {

absl::string_view ToAbsl(std::string_view s) { return {s.data(), s.size()}; }

// Query parameters added by newsletters, ad networks and analytics: they name
// the campaign that brought the reader, never the page.
bool IsTrackingParameter(std::string_view name) {
  static constexpr std::string_view kExact[] = {
      "fbclid",    "gclid",       "dclid", "msclkid", "yclid",
      "mc_cid",    "mc_eid",      "ref",   "ref_src", "xtor",
      "xtref",     "igshid",      "_ga",   "_gl",     "ocid",
      "at_medium", "at_campaign", "cmpid", "smid",    "guccounter"};
  const std::string lower = absl::AsciiStrToLower(ToAbsl(name));
  if (absl::StartsWith(lower, "utm_")) return true;
  return std::find(std::begin(kExact), std::end(kExact), lower) !=
         std::end(kExact);
}

bool IsHex(char c) { return absl::ascii_isxdigit(static_cast<unsigned char>(c)); }

// Whether `segment` holds a UUID (8-4-4-4-12 hex digits) at `at`, not
// inside a longer run of hex digits.
bool UuidAt(std::string_view segment, size_t at) {
  static constexpr size_t kGroups[] = {8, 4, 4, 4, 12};
  if (at > 0 && IsHex(segment[at - 1])) return false;
  size_t i = at;
  for (size_t g = 0; g < std::size(kGroups); ++g) {
    if (g > 0 && (i >= segment.size() || segment[i++] != '-')) return false;
    for (size_t n = 0; n < kGroups[g]; ++n, ++i) {
      if (i >= segment.size() || !IsHex(segment[i])) return false;
    }
  }
  return i == segment.size() || !IsHex(segment[i]);
}

// Whether a run of digits starts with a calendar date, YYYYMMDD (and maybe a
// time): the day of publication, shared by every article of that day.
bool IsDateRun(std::string_view digits) {
  if (digits.size() != 8 && digits.size() != 10 && digits.size() != 12 && digits.size() != 14) {
    return false;
  }
  const auto number = [&](size_t at, size_t n) {
    int value = 0;
    for (size_t i = at; i < at + n; ++i) value = value * 10 + (digits[i] - '0');
    return value;
  };
  const int year = number(0, 4), month = number(4, 2), day = number(6, 2);
  return year >= 1900 && year <= 2099 && month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

// The id a path segment carries: its UUIDs, else its runs of at least six
// digits that are no date, space-separated; empty when none. All of them,
// not one: a section's number can be as long as the article's
// ("<slug>_6134455_4408996.html", the section last), and neither changes
// when the article is retitled.
std::string ArticleIdOf(std::string_view segment) {
  constexpr size_t kMinDigits = 6;
  std::string uuids, digits;
  const auto append = [](std::string_view run, std::string* out) {
    if (!out->empty()) out->push_back(' ');
    out->append(run);
  };
  for (size_t i = 0; i < segment.size();) {
    if (UuidAt(segment, i)) {
      append(segment.substr(i, 36), &uuids);
      i += 36;
      continue;
    }
    if (!absl::ascii_isdigit(static_cast<unsigned char>(segment[i]))) {
      ++i;
      continue;
    }
    size_t end = i;
    while (end < segment.size() && absl::ascii_isdigit(static_cast<unsigned char>(segment[end]))) {
      ++end;
    }
    const std::string_view run = segment.substr(i, end - i);
    if (run.size() >= kMinDigits && !IsDateRun(run)) append(run, &digits);
    i = end;
  }
  if (!uuids.empty()) return absl::AsciiStrToLower(uuids);
  return digits;
}

}  // namespace

std::string UrlArticleKey(std::string_view canonical_url) {
  constexpr std::string_view kScheme = "https://";
  if (!absl::StartsWith(ToAbsl(canonical_url), ToAbsl(kScheme))) return "";
  std::string_view rest = canonical_url.substr(kScheme.size());
  const std::string_view host = rest.substr(0, rest.find_first_of("/?"));
  rest.remove_prefix(host.size());
  // Only the last segment: one before it names a section, an author or a
  // series ("/author/1234567/a-story"), many articles under one number.
  std::string_view path = rest.substr(0, rest.find('?'));
  if (const size_t slash = path.rfind('/'); slash != std::string_view::npos) {
    path.remove_prefix(slash + 1);
  }
  const std::string id = ArticleIdOf(path);
  if (id.empty()) return "";
  return absl::StrCat(ToAbsl(host), " ", id);
}

std::string CanonicalUrl(std::string_view url) {
  // Whitespace is never part of a URL (a page writes it %20): scrapers leave
  // it around and inside URLs. Dropping it all, rather than trimming the ends,
  // keeps the result canonical: no component can end in whitespace that a
  // second pass would trim.
  std::string stripped(url);
  std::erase_if(stripped, [](char c) { return absl::ascii_isspace(c); });
  std::string_view rest = stripped;

  const size_t scheme_end = rest.find("://");
  if (scheme_end == std::string_view::npos) return "";
  const std::string scheme =
      absl::AsciiStrToLower(ToAbsl(rest.substr(0, scheme_end)));
  if (scheme != "http" && scheme != "https") return "";
  rest.remove_prefix(scheme_end + 3);

  // The fragment never reaches the server: same page.
  rest = rest.substr(0, rest.find('#'));
  std::string_view authority = rest.substr(0, rest.find_first_of("/?"));
  rest.remove_prefix(authority.size());
  const size_t query_start = rest.find('?');
  std::string_view path = rest.substr(0, query_start);
  const std::string_view query = query_start == std::string_view::npos
                                     ? std::string_view()
                                     : rest.substr(query_start + 1);

  // Host: no credentials, no default port, lowercase, no "www.", no final dot.
  const size_t at = authority.rfind('@');
  if (at != std::string_view::npos) authority.remove_prefix(at + 1);
  std::string_view port;
  const size_t colon = authority.rfind(':');
  const size_t bracket = authority.rfind(']');  // IPv6 literals hold ':'.
  if (colon != std::string_view::npos &&
      (bracket == std::string_view::npos || colon > bracket)) {
    port = authority.substr(colon + 1);
    authority = authority.substr(0, colon);
  }
  std::string host = absl::AsciiStrToLower(ToAbsl(authority));
  // Repeated, so that the result is canonical again ("www.www.x" -> "x").
  while (absl::StartsWith(host, "www.")) host.erase(0, 4);
  while (!host.empty() && host.back() == '.') host.pop_back();
  if (host.empty()) return "";
  // A ':' left in the host is only valid inside an IPv6 literal; "a:80:80"
  // would lose a default port on every pass.
  if (host.find(':') != std::string::npos &&
      (host.front() != '[' || host.back() != ']')) {
    return "";
  }

  while (!path.empty() && path.back() == '/') path.remove_suffix(1);

  std::vector<std::string_view> parameters;
  for (absl::string_view parameter :
       absl::StrSplit(ToAbsl(query), '&', absl::SkipEmpty())) {
    const std::string_view name(parameter.data(),
                                parameter.find('=') == absl::string_view::npos
                                    ? parameter.size()
                                    : parameter.find('='));
    if (!IsTrackingParameter(name)) {
      parameters.emplace_back(parameter.data(), parameter.size());
    }
  }
  std::sort(parameters.begin(), parameters.end());

  // http and https serve the same article: one scheme for both.
  std::string canonical = "https://" + host;
  if (!port.empty() && port != "80" && port != "443") {
    canonical.append(":").append(port);
  }
  canonical.append(path);
  for (size_t i = 0; i < parameters.size(); ++i) {
    canonical.push_back(i == 0 ? '?' : '&');
    canonical.append(parameters[i]);
  }
  return canonical;
}

}  // namespace newsdedup
