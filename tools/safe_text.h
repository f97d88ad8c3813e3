#ifndef NEWSDEDUP_TOOLS_SAFE_TEXT_H_
#define NEWSDEDUP_TOOLS_SAFE_TEXT_H_

// Text from dumps, file names and flags made safe for where it is written.
// JSON needs valid UTF-8 (nlohmann's dump throws on anything else); a
// terminal must not receive control characters, since an ANSI escape in a
// scraped title or a file name would recolor or rewrite the user's screen.

#include <string>
#include <string_view>

#include "nlohmann/json.hpp"

namespace newsdedup {

// `text` as valid UTF-8 (invalid bytes become U+FFFD) with its control
// characters shown as escapes ("\x1B"): C0 controls but tab (and newline
// when `keep_newlines`), DEL, and the C1 controls U+0080-U+009F.
std::string TerminalSafe(std::string_view text, bool keep_newlines = false);

// The JSON text of `value`; invalid UTF-8 in its strings becomes U+FFFD,
// and DEL and C1 controls are escaped too (\u009b), so that it is as safe
// on a terminal as text output. Never throws.
std::string DumpJson(const nlohmann::json& value);

}  // namespace newsdedup

#endif  // NEWSDEDUP_TOOLS_SAFE_TEXT_H_
