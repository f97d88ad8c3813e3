#include "tools/cli.h"

#include <iostream>
#include <string>
#include <vector>

#include "core/match_params.h"
#include "store/ingest.h"
#include "tools/input.h"

namespace newsdedup {
namespace {

CommandResult RunDiff(const ParsedArgs& args) {
  if (args.positionals().size() != 2) return UsageError("diff needs two files: OLD NEW");
  absl::StatusOr<bool> json = JsonFormat(args);
  if (!json.ok()) return Fail(json.status());
  absl::StatusOr<std::optional<DumpFormat>> dump_format = DumpFormatFlag(args);
  if (!dump_format.ok()) return Fail(dump_format.status());
  absl::StatusOr<int> threads = ThreadsFlag(args);
  if (!threads.ok()) return Fail(threads.status());
  std::vector<std::string> contents;
  for (const std::string& file : args.positionals()) {
    absl::StatusOr<std::string> bytes = ReadInput(file);
    if (!bytes.ok()) return Fail(bytes.status());
    contents.push_back(std::move(*bytes));
  }
  // The same pipeline as a nightly ingest, on a store that lives in memory:
  // a diff can never disagree with what ingest would report.
  StoryStore::Options options;
  options.in_memory = true;
  const MatchParams params;
  absl::StatusOr<std::unique_ptr<StoryStore>> store =
      StoryStore::Open("/newsdedup-diff", params.Describe(), options);
  if (!store.ok()) return Fail(store.status());
  Ingester ingester(store->get(), params, *threads);
  uint64_t new_snapshot = 0;
  for (size_t f = 0; f < 2; ++f) {
    absl::StatusOr<IngestResult> result =
        IngestFile(ingester, args.positionals()[f], "diff",
                   f == 0 ? "1970-01-01T00:00:00Z" : "1970-01-02T00:00:00Z",
                   std::move(contents[f]), *dump_format);
    if (!result.ok()) return Fail(result.status());
    new_snapshot = result->snapshot.id;
  }
  if (absl::Status status = PrintReport(store->get(), new_snapshot, *json); !status.ok()) {
    return Fail(status);
  }
  return std::nullopt;
}

}  // namespace

Command DiffCommand() {
  return {"diff", "compare two dumps without a store", "diff OLD NEW [--format text|json]",
          {kFormatFlag, kDumpFormatFlag, kThreadsFlag}, RunDiff};
}

}  // namespace newsdedup
