#include "tools/cli.h"

#include <iostream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "core/match_params.h"
#include "spdlog/spdlog.h"
#include "store/ingest.h"
#include "tools/input.h"
#include "tools/progress.h"
#include "tools/times.h"

namespace newsdedup {
namespace {

CommandResult RunIngest(const ParsedArgs& args) {
  const std::vector<std::string>& files = args.positionals();
  if (files.empty()) return UsageError("ingest needs at least one FILE (or - for standard input)");
  absl::StatusOr<bool> json = JsonFormat(args);
  if (!json.ok()) return Fail(json.status());
  absl::StatusOr<std::optional<DumpFormat>> dump_format = DumpFormatFlag(args);
  if (!dump_format.ok()) return Fail(dump_format.status());
  absl::StatusOr<int> threads = ThreadsFlag(args);
  if (!threads.ok()) return Fail(threads.status());
  // One --at per file, or one for a single file; without --at, now.
  const std::vector<std::string> at = args.GetAll("at");
  if (!at.empty() && at.size() != files.size()) {
    return UsageError(absl::StrCat("give one --at per file (", at.size(), " --at for ",
                                   files.size(), " files)"));
  }
  std::vector<std::string> times;
  for (const std::string& text : at) {
    absl::StatusOr<std::string> time = NormalizeCaptureTime(text);
    if (!time.ok()) return UsageError(std::string(time.status().message()));
    times.push_back(*time);
  }
  // Read every input before touching the store: a missing file must not
  // leave half of a night ingested.
  std::vector<std::string> contents;
  for (const std::string& file : files) {
    absl::StatusOr<std::string> bytes = ReadInput(file);
    if (!bytes.ok()) return Fail(bytes.status());
    contents.push_back(std::move(*bytes));
  }
  absl::StatusOr<std::unique_ptr<StoryStore>> store = OpenStore(args, /*for_writing=*/true);
  if (!store.ok()) return Fail(store.status());
  Ingester ingester(store->get(), MatchParams(), *threads);
  const std::string source = args.Get("source", "default");
  Progress progress(files.size(), "files");
  for (size_t f = 0; f < files.size(); ++f) {
    progress.Update(f);
    const std::string captured_at = times.empty() ? CaptureTimeNow() : times[f];
    absl::StatusOr<IngestResult> result = IngestFile(ingester, files[f], source, captured_at,
                                                     std::move(contents[f]), *dump_format);
    progress.Clear();
    if (!result.ok()) return Fail(result.status());
    if (result->already_ingested) {
      spdlog::info("{}: already ingested as snapshot {} ({} at {}); nothing to do", files[f],
                   result->snapshot.id, source, captured_at);
      continue;
    }
    std::string stages;
    for (const auto& [stage, seconds] : result->stage_seconds) {
      absl::StrAppendFormat(&stages, " %s %.3fs", stage, seconds);
    }
    spdlog::debug("{}: snapshot {} ({} items):{}", files[f], result->snapshot.id,
                  result->snapshot.item_count, stages);
    for (const std::string& warning : result->snapshot.warnings) {
      spdlog::warn("{}: {}", files[f], warning);
    }
    if (!*json && f > 0) std::cout << "\n";
    if (absl::Status status = PrintReport(store->get(), result->snapshot.id, *json); !status.ok()) {
      return Fail(status);
    }
  }
  return std::nullopt;
}

}  // namespace

Command IngestCommand() {
  return {"ingest", "ingest dumps into a store, one snapshot per file, and report each",
          "ingest --db DIR [--source NAME] [--at TIME]... [--format text|json] FILE...",
          {kDbFlag,
           {"source", "", true, "source name (default: default)"},
           {"at", "", true, "capture time, ISO-8601 UTC; one per FILE (default: now)"},
           kFormatFlag, kDumpFormatFlag, kThreadsFlag},
          RunIngest};
}

}  // namespace newsdedup
