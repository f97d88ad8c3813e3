#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "tools/cli.h"
#include "tools/html_pages.h"

namespace newsdedup {
namespace {

// The snapshots of the latest capture of each source (or of --source only):
// what "last night" was, whichever source was ingested last.
absl::StatusOr<std::vector<uint64_t>> LatestSnapshots(StoryStore* store,
                                                      const std::string& source) {
  absl::StatusOr<std::vector<SnapshotRecord>> snapshots = store->ListSnapshots();
  if (!snapshots.ok()) return snapshots.status();
  std::map<std::string, std::string> latest_time;  // By source.
  for (const SnapshotRecord& snapshot : *snapshots) {
    if (!source.empty() && snapshot.source != source) continue;
    std::string& latest = latest_time[snapshot.source];
    latest = std::max(latest, snapshot.captured_at);
  }
  if (latest_time.empty()) {
    return absl::NotFoundError(source.empty() ? std::string("the store holds no snapshot yet")
                                              : absl::StrCat("no snapshot of source '", source, "'"));
  }
  std::vector<uint64_t> ids;
  for (const auto& [name, time] : latest_time) {
    for (const SnapshotRecord& snapshot : *snapshots) {
      if (snapshot.source == name && snapshot.captured_at == time) ids.push_back(snapshot.id);
    }
  }
  return ids;
}

absl::StatusOr<std::vector<uint64_t>> WantedSnapshots(StoryStore* store, const ParsedArgs& args) {
  const std::string wanted = args.Get("snapshot", "latest");
  const std::string source = args.Get("source");
  if (wanted == "latest") return LatestSnapshots(store, source);
  uint64_t id = 0;
  if (!absl::SimpleAtoi(wanted, &id) || id == 0) {
    return UsageErrorStatus(
        absl::StrCat("--snapshot must be a snapshot id or 'latest', not '", wanted, "'"));
  }
  absl::StatusOr<SnapshotRecord> snapshot = store->GetSnapshot(id);
  if (absl::IsNotFound(snapshot.status())) {
    absl::StatusOr<StoreCounters> counters = store->GetCounters();
    if (!counters.ok()) return counters.status();
    return absl::NotFoundError(
        absl::StrCat("no snapshot ", id, " (the store has ", counters->last_snapshot_id, ")"));
  }
  if (!snapshot.ok()) return snapshot.status();
  if (!source.empty() && snapshot->source != source) {
    return absl::NotFoundError(absl::StrCat("snapshot ", id, " is of source '", snapshot->source,
                                            "', not '", source, "'"));
  }
  return std::vector<uint64_t>{id};
}

// --format html: the server's snapshot page, as a file that stands on its
// own; one snapshot per page.
CommandResult PrintHtmlReport(StoryStore* store, const std::vector<uint64_t>& ids) {
  if (ids.size() != 1) {
    return UsageError(absl::StrCat("--format html shows one snapshot and the latest captures are ",
                                   ids.size(), ": give --snapshot ID or --source NAME"));
  }
  absl::StatusOr<SnapshotReport> report = GetReport(store, ids[0]);
  if (!report.ok()) return Fail(report.status());
  SnapshotPageOptions options;
  options.standalone = true;
  std::cout << RenderSnapshotPage(*report, SnapshotNeighbours(), options);
  return std::nullopt;
}

CommandResult RunReport(const ParsedArgs& args) {
  if (!args.positionals().empty()) return UsageError("report takes no positional arguments");
  const bool html = args.Get("format") == "html";
  absl::StatusOr<ReportOptions> options = html ? ReportOptions() : ReportFlags(args);
  if (!options.ok()) return Fail(options.status());
  absl::StatusOr<std::unique_ptr<StoryStore>> store = OpenStore(args, /*for_writing=*/false);
  if (!store.ok()) return Fail(store.status());
  absl::StatusOr<std::vector<uint64_t>> ids = WantedSnapshots(store->get(), args);
  if (!ids.ok()) return Fail(ids.status());
  if (html) return PrintHtmlReport(store->get(), *ids);
  bool changed = false;
  for (size_t i = 0; i < ids->size(); ++i) {
    if (!options->json && i > 0) std::cout << "\n";
    absl::StatusOr<bool> snapshot_changed = PrintReport(store->get(), (*ids)[i], *options);
    if (!snapshot_changed.ok()) return Fail(snapshot_changed.status());
    changed = changed || *snapshot_changed;
  }
  if (args.Has("exit-code") && changed) return Changed();
  return std::nullopt;
}

}  // namespace

Command ReportCommand() {
  return {"report",
          "report what changed in a snapshot (default: each source's latest capture)",
          "report --db DIR [--snapshot ID|latest] [--source NAME] [--only STATUSES] [--summary] "
          "[--format text|json|html] [--threads N]",
          {kDbFlag,
           {"snapshot", "", true,
            "snapshot id, or latest (default): the latest capture of each source, one report "
            "each"},
           {"source", "", true, "only this source (with latest: its latest capture)"},
           {"format", "", true, "text, json or html (a page that stands alone; default text)"},
           kOnlyFlag, kSummaryFlag, kExitCodeFlag, kThreadsFlag},
          RunReport,
          StoreAccess::kRead};
}

}  // namespace newsdedup
