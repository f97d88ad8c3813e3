#include "tools/cli.h"

#include <iostream>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "store/queries.h"
#include "tools/html_pages.h"

namespace newsdedup {
namespace {

// --snapshot: an id, or the newest snapshot for "latest" (the default).
absl::StatusOr<uint64_t> SnapshotFlag(StoryStore* store, const ParsedArgs& args) {
  const std::string wanted = args.Get("snapshot", "latest");
  if (wanted == "latest") return LatestSnapshotId(store);
  uint64_t id = 0;
  if (!absl::SimpleAtoi(wanted, &id) || id == 0) {
    return UsageErrorStatus(
        absl::StrCat("--snapshot must be a snapshot id or 'latest', not '", wanted, "'"));
  }
  return id;
}

CommandResult RunReport(const ParsedArgs& args) {
  if (!args.positionals().empty()) return UsageError("report takes no positional arguments");
  const std::string format = args.Get("format", "text");
  if (format != "text" && format != "json" && format != "html") {
    return UsageError(absl::StrCat("--format must be text, json or html, not '", format, "'"));
  }
  absl::StatusOr<std::unique_ptr<StoryStore>> store = OpenStore(args, /*for_writing=*/false);
  if (!store.ok()) return Fail(store.status());
  absl::StatusOr<uint64_t> id = SnapshotFlag(store->get(), args);
  if (!id.ok()) return Fail(id.status());
  absl::StatusOr<SnapshotReport> report = GetReport(store->get(), *id);
  if (!report.ok()) return Fail(report.status());
  if (format == "html") {
    // The server's snapshot page, as a file that stands on its own.
    SnapshotPageOptions options;
    options.standalone = true;
    std::cout << RenderSnapshotPage(*report, SnapshotNeighbours(), options);
    return std::nullopt;
  }
  PrintBuiltReport(*report, format == "json");
  return std::nullopt;
}

}  // namespace

Command ReportCommand() {
  return {"report", "report what changed in one snapshot",
          "report --db DIR [--snapshot ID|latest] [--format text|json|html]",
          {kDbFlag,
           {"snapshot", "", true, "snapshot id or latest (default)"},
           {"format", "", true, "text, json or html (a page that stands alone; default text)"}},
          RunReport};
}

}  // namespace newsdedup
