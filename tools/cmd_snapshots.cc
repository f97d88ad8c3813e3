#include <iostream>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "nlohmann/json.hpp"
#include "store/snapshot_report.h"
#include "tools/cli.h"
#include "tools/safe_text.h"

namespace newsdedup {
namespace {

absl::StatusOr<size_t> LastFlag(const ParsedArgs& args) {
  size_t last = 0;
  if (args.Has("last") && (!absl::SimpleAtoi(args.Get("last"), &last) || last == 0)) {
    return UsageErrorStatus(
        absl::StrCat("--last must be a positive number, not '", args.Get("last"), "'"));
  }
  return last;
}

nlohmann::json SnapshotSummaryJson(const SnapshotReport& report) {
  const SnapshotRecord& s = report.snapshot;
  return {{"id", s.id},
          {"source", s.source},
          {"captured_at", s.captured_at},
          {"file", s.file},
          {"kind", SnapshotKindName(s.kind)},
          {"items", s.item_count},
          {"previous_snapshot",
           report.previous.empty() ? nlohmann::json() : nlohmann::json(report.previous.back().id)},
          {"counts",
           {{"new", report.new_count},
            {"updated", report.updated_count},
            {"unchanged", report.unchanged_count},
            {"dropped", report.dropped_count}}}};
}

std::string SnapshotLine(const SnapshotReport& report) {
  const SnapshotRecord& s = report.snapshot;
  return absl::StrFormat("%5d  %-12s  %s  %-7s  %6d  %5d  %7d  %9d  %7d  %s\n", s.id,
                         TerminalSafe(s.source),
                         s.captured_at, std::string(SnapshotKindName(s.kind)), s.item_count, report.new_count,
                         report.updated_count, report.unchanged_count, report.dropped_count,
                         TerminalSafe(s.file));
}

CommandResult RunSnapshots(const ParsedArgs& args) {
  if (!args.positionals().empty()) return UsageError("snapshots takes no positional arguments");
  absl::StatusOr<bool> json = JsonFormat(args);
  if (!json.ok()) return Fail(json.status());
  absl::StatusOr<size_t> last = LastFlag(args);
  if (!last.ok()) return Fail(last.status());
  absl::StatusOr<std::unique_ptr<StoryStore>> store = OpenStore(args, /*for_writing=*/false);
  if (!store.ok()) return Fail(store.status());
  absl::StatusOr<std::vector<SnapshotRecord>> all = (*store)->ListSnapshots();
  if (!all.ok()) return Fail(all.status());
  std::vector<uint64_t> ids;
  for (const SnapshotRecord& snapshot : *all) {
    if (!args.Has("source") || snapshot.source == args.Get("source")) ids.push_back(snapshot.id);
  }
  if (*last > 0 && ids.size() > *last) ids.erase(ids.begin(), ids.end() - *last);
  nlohmann::json list = nlohmann::json::array();
  std::string text = absl::StrFormat("%5s  %-12s  %-20s  %-7s  %6s  %5s  %7s  %9s  %7s  %s\n", "id",
                                     "source", "captured_at", "kind", "items", "new", "updated",
                                     "unchanged", "dropped", "file");
  for (uint64_t id : ids) {
    absl::StatusOr<SnapshotReport> report =
        BuildSnapshotReport(store->get(), id, ReportDetail::kCounts);
    if (!report.ok()) return Fail(report.status());
    list.push_back(SnapshotSummaryJson(*report));
    absl::StrAppend(&text, SnapshotLine(*report));
  }
  if (*json) {
    std::cout << DumpJson(nlohmann::json({{"snapshots", list}})) << "\n";
  } else if (ids.empty()) {
    std::cout << (args.Has("source") ? absl::StrCat("no snapshot of source '", args.Get("source"), "'\n")
                                     : std::string("no snapshot yet\n"));
  } else {
    std::cout << text;
  }
  return std::nullopt;
}

}  // namespace

Command SnapshotsCommand() {
  return {"snapshots",
          "list the snapshots of a store, with what each changed",
          "snapshots --db DIR [--source NAME] [--last N] [--format text|json]",
          {kDbFlag,
           {"source", "", true, "only this source's snapshots"},
           {"last", "", true, "only the N newest"},
           kFormatFlag},
          RunSnapshots,
          StoreAccess::kRead};
}

}  // namespace newsdedup
