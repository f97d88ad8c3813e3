#ifndef NEWSDEDUP_TOOLS_TIMES_H_
#define NEWSDEDUP_TOOLS_TIMES_H_

// Capture times on the command line and in stores: ISO-8601 in, stored as
// UTC "YYYY-MM-DDTHH:MM:SSZ" (to the second) so that they sort as strings.

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace newsdedup {

struct CaptureTime {
  absl::Time time;      // To the second.
  std::string stored;   // "2025-03-29T08:00:00Z".
  bool fraction_dropped = false;  // The text had a fraction of a second.
};

// Accepts a date ("2025-03-29", midnight), a date and time with "T" or a
// space, minutes or seconds, an optional fraction of a second (".123",
// dropped: times are stored to the second), and an optional zone: "Z", an
// offset ("+02:00", "+0200", "-05") or none, in which case the time is in
// `zone` (UTC unless --tz). InvalidArgumentError naming the text otherwise.
absl::StatusOr<CaptureTime> ParseCaptureTime(std::string_view text, const absl::TimeZone& zone);

// An IANA zone ("Europe/Paris", "UTC"), from the system's tzdata.
// InvalidArgumentError for an unknown name.
absl::StatusOr<absl::TimeZone> LoadZone(const std::string& name);

// The time a file's name carries, as `pattern` says: strftime fields (%Y %y
// %m %d %H %M %S %z %Ez %s, %% for "%") and literal text, found anywhere in
// `name` ("%Y-%m-%d" finds 2025-03-29 in "novastan-2025-03-29.txt.gz");
// zone-less times are in `zone`. InvalidArgumentError when the pattern has
// no year (%Y, %y or %s) or an unsupported field; NotFoundError when `name`
// holds nothing that matches.
absl::StatusOr<CaptureTime> TimeFromName(std::string_view name, std::string_view pattern,
                                         const absl::TimeZone& zone);

// The stored form of `time` (truncated to the second).
std::string StoredTime(absl::Time time);

// The current time, in the stored form.
std::string CaptureTimeNow();

}  // namespace newsdedup

#endif  // NEWSDEDUP_TOOLS_TIMES_H_
