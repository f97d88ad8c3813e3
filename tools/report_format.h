#ifndef NEWSDEDUP_TOOLS_REPORT_FORMAT_H_
#define NEWSDEDUP_TOOLS_REPORT_FORMAT_H_

// Renders a snapshot report for people (text: a summary line, then NEW,
// UPDATED with word diffs, UNCHANGED and DROPPED sections) and for scripts
// (the JSON contract of DESIGN.md; fields are only ever added).

#include <cstdint>
#include <optional>
#include <ostream>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "core/word_diff.h"
#include "nlohmann/json.hpp"
#include "store/queries.h"
#include "store/snapshot_report.h"

namespace newsdedup {

// What to show of a report.
struct ReportView {
  bool color = false;  // ANSI colors in word diffs (a terminal without NO_COLOR).
  // The statuses whose stories are listed; empty: all. Counts always cover
  // every story.
  std::set<StoryStatus> only;
  bool summary = false;  // Counts only, no story list.
  // Set for `diff OLD NEW`, to the old dump's snapshot: a report of two
  // files rather than of a store, so a "--- OLD" / "+++ NEW" header and no
  // source and no times (the in-memory store's are made up).
  std::optional<SnapshotRecord> diff_old;
};

// "new,updated" -> {kNew, kUpdated}; a usage error naming a bad status.
absl::StatusOr<std::set<StoryStatus>> ParseOnlyStatuses(std::string_view list);

// The "snapshot" object of the report: id, source, captured_at, file, kind,
// items, format, content_hash, warnings; `diff` nulls the source and time.
nlohmann::json SnapshotJson(const SnapshotRecord& snapshot, bool diff = false);

std::string RenderReportText(const SnapshotReport& report, const ReportView& view);

nlohmann::json ReportJson(const SnapshotReport& report, const ReportView& view);

// Writes ReportJson(report, view).dump() to `out` (without a newline),
// building a window of story entries at a time on `threads` threads (0: one
// per core).
void WriteReportJson(const SnapshotReport& report, const ReportView& view, std::ostream& out,
                     int threads = 0);

// How word diffs are shown on a terminal: "[-old-]{+new+}", or ANSI colors
// with `color`; every text piece made terminal-safe (the markers are not);
// long unchanged and changed runs shortened unless `whole`.
DiffStyle TerminalDiffStyle(bool color, bool whole = false);

// A diff for scripts: [{"op": "equal"|"delete"|"insert", "text": …}],
// whole (never shortened), so that the equal and deleted texts rebuild the
// old text and the equal and inserted ones the new.
nlohmann::json DiffOpsJson(const std::vector<DiffChunk>& chunks);

// `text` on one line (line breaks shown as in diffs), cut between words to
// at most about `max_bytes` with "…" when longer.
std::string Preview(const std::string& text, size_t max_bytes);

// "1 item", "2 items".
std::string Plural(uint64_t count, const char* one, const char* many);

// A story's timeline (story --format json, /api/stories/ID): the story's
// fields and one object per version, oldest first, numbered from 1, with
// the diff from the previous one (rendered and as ops).
nlohmann::json StoryJson(const StoryView& view);

// The same for people: a header, then each version with its diff; `full`
// shows every version's whole text and whole diffs.
std::string RenderStoryText(const StoryView& view, bool color, bool full = false);

}  // namespace newsdedup

#endif  // NEWSDEDUP_TOOLS_REPORT_FORMAT_H_
