#include "tools/times.h"

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace newsdedup {
namespace {

constexpr char kStoredFormat[] = "%Y-%m-%d%ET%H:%M:%SZ";

}  // namespace

absl::StatusOr<std::string> NormalizeCaptureTime(std::string_view text) {
  const std::string input(text);
  for (const char* format : {"%Y-%m-%d%ET%H:%M:%E*S%Ez", "%Y-%m-%d%ET%H:%M:%E*SZ",
                             "%Y-%m-%d%ET%H:%M%Ez", "%Y-%m-%d%ET%H:%MZ",
                             "%Y-%m-%d %H:%M:%S", "%Y-%m-%d"}) {
    absl::Time time;
    std::string error;
    if (absl::ParseTime(format, input, &time, &error)) {
      return absl::FormatTime(kStoredFormat, time, absl::UTCTimeZone());
    }
  }
  return absl::InvalidArgumentError(
      absl::StrCat("--at '", input, "' is not an ISO-8601 time (e.g. 2025-03-29 or "
                                    "2025-03-29T06:00:00Z)"));
}

std::string CaptureTimeNow() {
  return absl::FormatTime(kStoredFormat, absl::Now(), absl::UTCTimeZone());
}

}  // namespace newsdedup
