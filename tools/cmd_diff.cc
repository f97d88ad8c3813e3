#include <iostream>
#include <string>
#include <vector>

#include "core/match_params.h"
#include "spdlog/spdlog.h"
#include "store/ingest.h"
#include "tools/cli.h"
#include "tools/input.h"
#include "tools/memory_budget.h"
#include "tools/safe_text.h"

namespace newsdedup {
namespace {

// The in-memory store needs capture times in order; a diff shows none.
constexpr const char* kOldTime = "1970-01-01T00:00:00Z";
constexpr const char* kNewTime = "1970-01-02T00:00:00Z";

CommandResult RunDiff(const ParsedArgs& args) {
  const std::vector<std::string>& files = args.positionals();
  if (files.size() != 2) return UsageError("diff needs two files: OLD NEW");
  if (files[0] == "-" && files[1] == "-") {
    return UsageError("standard input (-) can be given only once: it cannot be read twice");
  }
  absl::StatusOr<ReportOptions> options = ReportFlags(args);
  if (!options.ok()) return Fail(options.status());
  absl::StatusOr<std::optional<DumpFormat>> dump_format = DumpFormatFlag(args);
  if (!dump_format.ok()) return Fail(dump_format.status());
  absl::StatusOr<int> threads = ThreadsFlag(args);
  if (!threads.ok()) return Fail(threads.status());
  std::vector<std::string> contents;
  for (const std::string& file : files) {
    absl::StatusOr<std::string> bytes = ReadInput(file, MaxInputBytes(CurrentMemoryCeiling()));
    if (!bytes.ok()) return Fail(bytes.status());
    contents.push_back(std::move(*bytes));
  }
  // The same pipeline as a nightly ingest, on a store that lives in memory:
  // a diff can never disagree with what ingest would report.
  StoryStore::Options store_options;
  store_options.in_memory = true;
  const MatchParams params;
  absl::StatusOr<std::unique_ptr<StoryStore>> store =
      StoryStore::Open("/newsdedup-diff", params.Describe(), store_options);
  if (!store.ok()) return Fail(store.status());
  Ingester ingester(store->get(), params, *threads);
  std::vector<SnapshotRecord> snapshots;
  for (size_t f = 0; f < 2; ++f) {
    absl::StatusOr<IngestResult> result = ingester.Ingest(DumpRequest(
        files[f], "diff", f == 0 ? kOldTime : kNewTime, std::move(contents[f]), *dump_format));
    if (!result.ok()) return Fail(InFile(files[f], result.status()));
    for (const std::string& warning : result->snapshot.warnings) {
      spdlog::warn("{}: {}", TerminalSafe(files[f]), TerminalSafe(warning));
    }
    snapshots.push_back(result->snapshot);
  }
  options->view.diff_old = snapshots[0];
  absl::StatusOr<bool> changed = PrintReport(store->get(), snapshots[1].id, *options);
  if (!changed.ok()) return Fail(changed.status());
  if (args.Has("exit-code") && *changed) return Changed();
  return std::nullopt;
}

}  // namespace

Command DiffCommand() {
  return {"diff",
          "compare two dumps without a store",
          "diff OLD NEW [--format text|json] [--only STATUSES] [--summary] [--exit-code]",
          {kFormatFlag, kOnlyFlag, kSummaryFlag, kExitCodeFlag, kDumpFormatFlag, kThreadsFlag},
          RunDiff,
          StoreAccess::kNone};
}

}  // namespace newsdedup
