#include "tools/times.h"

#include <algorithm>
#include <optional>
#include <regex>
#include <vector>

#include "absl/time/civil_time.h"

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace newsdedup {
namespace {

constexpr char kStoredFormat[] = "%Y-%m-%d%ET%H:%M:%SZ";

CaptureTime ToSeconds(absl::Time time) {
  const absl::Time seconds = absl::FromUnixSeconds(absl::ToUnixSeconds(time));
  return {seconds, StoredTime(seconds), seconds != time};
}

// A file-name pattern compiled: a regex with one group per strftime field,
// and the field each group holds.
struct NamePattern {
  std::string regex;
  std::vector<std::string> fields;  // "Y", "m", ..., "s", "z", "Ez".
};

// The regex of what one strftime field prints ("" when unsupported), with
// fixed widths so that "%Y%m%d" cuts 20250329 right.
std::string FieldRegex(const std::string& field) {
  if (field == "Y") return "([0-9]{4})";
  if (field == "y" || field == "m" || field == "d" || field == "H" || field == "M" ||
      field == "S") {
    return "([0-9]{2})";
  }
  if (field == "s") return "([0-9]+)";
  if (field == "z") return "([+-][0-9]{4})";
  if (field == "Ez") return "(Z|[+-][0-9]{2}:[0-9]{2})";
  return "";
}

absl::StatusOr<NamePattern> CompilePattern(std::string_view pattern) {
  const auto refused = [&](const char* why) {
    return absl::InvalidArgumentError(absl::StrCat("--at-from-name '", std::string(pattern), "' ",
                                                   why));
  };
  NamePattern out;
  for (size_t i = 0; i < pattern.size(); ++i) {
    const char c = pattern[i];
    if (c != '%' || pattern.substr(i, 2) == "%%") {
      if (std::string_view("\\^$.|?*+()[]{}").find(c) != std::string_view::npos) out.regex += '\\';
      out.regex += c;
      if (c == '%') ++i;
      continue;
    }
    const std::string field(pattern.substr(i + 1, pattern.substr(i + 1, 2) == "Ez" ? 2 : 1));
    const std::string regex = FieldRegex(field);
    if (regex.empty()) return refused("has an unsupported field (use %Y %y %m %d %H %M %S %z %Ez %s)");
    out.regex += regex;
    out.fields.push_back(field);
    i += field.size();
  }
  const auto has = [&](const char* field) {
    return std::find(out.fields.begin(), out.fields.end(), field) != out.fields.end();
  };
  if (!has("Y") && !has("y") && !has("s")) return refused("has no year (%Y, %y or %s)");
  return out;
}

// "+0200", "-05:30", "Z" as seconds east of UTC.
int OffsetSeconds(const std::string& text) {
  if (text == "Z") return 0;
  const int sign = text[0] == '-' ? -1 : 1;
  const std::string digits = text.size() == 5 ? text.substr(1) : text.substr(1, 2) + text.substr(4);
  return sign * (std::stoi(digits.substr(0, 2)) * 3600 + std::stoi(digits.substr(2)) * 60);
}

// The time that the matched groups name: a civil time in `zone` (or at the
// offset the name carries), or Unix seconds.
absl::StatusOr<absl::Time> MatchedTime(const NamePattern& pattern, const std::smatch& match,
                                       const absl::TimeZone& zone) {
  int64_t year = 1970, month = 1, day = 1, hour = 0, minute = 0, second = 0;
  std::optional<int> offset;
  for (size_t f = 0; f < pattern.fields.size(); ++f) {
    const std::string& field = pattern.fields[f];
    const std::string text = match[f + 1].str();
    if (field == "s") return absl::FromUnixSeconds(std::stoll(text));
    if (field == "z" || field == "Ez") {
      offset = OffsetSeconds(text);
      continue;
    }
    const int64_t value = std::stoll(text);
    if (field == "Y") year = value;
    if (field == "y") year = 2000 + value;
    if (field == "m") month = value;
    if (field == "d") day = value;
    if (field == "H") hour = value;
    if (field == "M") minute = value;
    if (field == "S") second = value;
  }
  const absl::CivilSecond civil(year, month, day, hour, minute, second);
  // CivilSecond normalizes 2025-02-30 to March 2nd: such a name is no time.
  if (civil.year() != year || civil.month() != month || civil.day() != day ||
      civil.hour() != hour || civil.minute() != minute || civil.second() != second) {
    return absl::InvalidArgumentError(absl::StrCat("'", match.str(), "' is not a valid time"));
  }
  if (offset.has_value()) {
    return absl::FromCivil(civil, absl::FixedTimeZone(*offset));
  }
  return absl::FromCivil(civil, zone);
}

}  // namespace

absl::StatusOr<CaptureTime> ParseCaptureTime(std::string_view text, const absl::TimeZone& zone) {
  const std::string input(text);
  // Most specific first; %E*S takes a fraction of a second when there is one.
  for (const char* format : {"%Y-%m-%d%ET%H:%M:%E*S%Ez", "%Y-%m-%d%ET%H:%M:%E*S%z",
                             "%Y-%m-%d%ET%H:%M:%E*S", "%Y-%m-%d%ET%H:%M%Ez",
                             "%Y-%m-%d%ET%H:%M%z", "%Y-%m-%d%ET%H:%M",
                             "%Y-%m-%d %H:%M:%E*S%Ez", "%Y-%m-%d %H:%M:%E*S%z",
                             "%Y-%m-%d %H:%M:%E*S", "%Y-%m-%d %H:%M", "%Y-%m-%d"}) {
    absl::Time time;
    std::string error;
    if (absl::ParseTime(format, input, zone, &time, &error)) return ToSeconds(time);
  }
  return absl::InvalidArgumentError(
      absl::StrCat("--at '", input,
                   "' is not an ISO-8601 time (e.g. 2025-03-29, 2025-03-29T06:00:00Z, "
                   "2025-03-29T08:00:00+02:00, or 2025-03-29T08:00:00 with --tz)"));
}

absl::StatusOr<absl::TimeZone> LoadZone(const std::string& name) {
  absl::TimeZone zone;
  if (!absl::LoadTimeZone(name, &zone)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--tz '", name, "' is not a time zone (an IANA name such as Europe/Paris or UTC)"));
  }
  return zone;
}

absl::StatusOr<CaptureTime> TimeFromName(std::string_view name, std::string_view pattern,
                                         const absl::TimeZone& zone) {
  absl::StatusOr<NamePattern> compiled = CompilePattern(pattern);
  if (!compiled.ok()) return compiled.status();
  const std::string subject(name);
  std::smatch match;
  if (!std::regex_search(subject, match, std::regex(compiled->regex))) {
    return absl::NotFoundError(absl::StrCat("no time matching --at-from-name '",
                                            std::string(pattern), "' in the name"));
  }
  absl::StatusOr<absl::Time> time = MatchedTime(*compiled, match, zone);
  if (!time.ok()) return time.status();
  return ToSeconds(*time);
}

std::string StoredTime(absl::Time time) {
  return absl::FormatTime(kStoredFormat, time, absl::UTCTimeZone());
}

std::string CaptureTimeNow() { return StoredTime(absl::Now()); }

}  // namespace newsdedup
