#ifndef NEWSDEDUP_TOOLS_TIMES_H_
#define NEWSDEDUP_TOOLS_TIMES_H_

// Capture times on the command line and in stores: ISO-8601, stored as UTC
// "YYYY-MM-DDTHH:MM:SSZ" so that they sort as strings.

#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace newsdedup {

// Accepts "2025-03-29", "2025-03-29T10:00:00Z", "2025-03-29T10:00:00+02:00",
// "2025-03-29 10:00:00" (UTC). InvalidArgumentError otherwise.
absl::StatusOr<std::string> NormalizeCaptureTime(std::string_view text);

// The current time, in the stored form.
std::string CaptureTimeNow();

}  // namespace newsdedup

#endif  // NEWSDEDUP_TOOLS_TIMES_H_
