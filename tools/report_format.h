#ifndef NEWSDEDUP_TOOLS_REPORT_FORMAT_H_
#define NEWSDEDUP_TOOLS_REPORT_FORMAT_H_

// Renders a snapshot report for people (text: a summary line, then NEW,
// UPDATED with word diffs, UNCHANGED and DROPPED sections) and for scripts
// (the JSON contract of DESIGN.md; fields are only ever added).

#include <ostream>
#include <string>

#include "nlohmann/json.hpp"
#include "store/queries.h"
#include "store/snapshot_report.h"

namespace newsdedup {

// `color`: ANSI colors in word diffs (a terminal without NO_COLOR).
std::string RenderReportText(const SnapshotReport& report, bool color);

nlohmann::json ReportJson(const SnapshotReport& report);

// Writes ReportJson(report).dump() to `out` (without a newline), building one
// story entry at a time.
void WriteReportJson(const SnapshotReport& report, std::ostream& out);

// The word diff of one change, "[-old-]{+new+}" or colored.
std::string ChangeDiff(const VersionChange& change, bool color);

// The "snapshot" object of the report: id, source, captured_at, file, kind,
// items, format, content_hash, warnings.
nlohmann::json SnapshotJson(const SnapshotRecord& snapshot);

// A story's timeline (story --format json): the story's fields and one
// object per version, oldest first, with the diff from the previous one.
nlohmann::json StoryJson(const StoryView& view);

// The same for people: a header, then each version with its diff.
std::string RenderStoryText(const StoryView& view, bool color);

}  // namespace newsdedup

#endif  // NEWSDEDUP_TOOLS_REPORT_FORMAT_H_
