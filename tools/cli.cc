#include "tools/cli.h"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>

#include "absl/strings/cord.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "core/match_params.h"
#include "store/snapshot_report.h"
#include "tools/input.h"
#include "tools/report_format.h"

namespace newsdedup {
namespace {

constexpr char kUsagePayload[] = "newsdedup/usage-error";

}  // namespace

absl::Status UsageErrorStatus(std::string_view message) {
  absl::Status status = absl::InvalidArgumentError(absl::string_view(message.data(), message.size()));
  status.SetPayload(kUsagePayload, absl::Cord("1"));
  return status;
}

bool IsUsageError(const absl::Status& status) {
  return status.GetPayload(kUsagePayload).has_value();
}

CommandResult UsageError(std::string message) { return Failure{2, std::move(message)}; }

CommandResult Fail(const absl::Status& status) {
  return Failure{IsUsageError(status) ? 2 : 1, std::string(status.message())};
}

const FlagSpec kDbFlag{"db", "", true, "store folder (created by ingest when missing)"};
const FlagSpec kFormatFlag{"format", "", true, "text or json (default text)"};
const FlagSpec kThreadsFlag{"threads", "j", true, "worker threads (default: one per core)"};
const FlagSpec kDumpFormatFlag{"input-format", "", true,
                               "listing, article or jsonl (default: detected)"};

bool ColorWanted() { return isatty(STDOUT_FILENO) && std::getenv("NO_COLOR") == nullptr; }

absl::StatusOr<std::optional<DumpFormat>> DumpFormatFlag(const ParsedArgs& args) {
  if (!args.Has("input-format")) return std::optional<DumpFormat>();
  absl::StatusOr<DumpFormat> format = ParseDumpFormatName(args.Get("input-format"));
  if (!format.ok()) {
    return UsageErrorStatus(absl::StrCat("--input-format must be listing, article or jsonl, not '",
                                         args.Get("input-format"), "'"));
  }
  return std::optional<DumpFormat>(*format);
}

absl::StatusOr<int> ThreadsFlag(const ParsedArgs& args) {
  int threads = 0;
  if (args.Has("threads") && (!absl::SimpleAtoi(args.Get("threads"), &threads) || threads < 1)) {
    return UsageErrorStatus("--threads must be a positive number");
  }
  return threads;
}

absl::StatusOr<bool> JsonFormat(const ParsedArgs& args) {
  const std::string format = args.Get("format", "text");
  if (format != "text" && format != "json") {
    return UsageErrorStatus(absl::StrCat("--format must be text or json, not '", format, "'"));
  }
  return format == "json";
}

absl::StatusOr<std::unique_ptr<StoryStore>> OpenStore(const ParsedArgs& args, bool for_writing) {
  if (!args.Has("db")) return UsageErrorStatus("--db DIR is required");
  StoryStore::Options options;
  options.create_if_missing = for_writing;
  // Readers take no lock (a report runs beside the nightly ingest) and start
  // no compaction.
  options.read_only = !for_writing;
  // Readers accept a store made by another build: they only read records.
  const std::string params = for_writing ? MatchParams().Describe() : "";
  return StoryStore::Open(args.Get("db"), params, options);
}

absl::Status PrintReport(StoryStore* store, uint64_t snapshot_id, bool json) {
  absl::StatusOr<SnapshotReport> report = BuildSnapshotReport(store, snapshot_id);
  if (!report.ok()) return report.status();
  PrintBuiltReport(*report, json);
  return absl::OkStatus();
}

void PrintBuiltReport(const SnapshotReport& report, bool json) {
  if (json) {
    WriteReportJson(report, std::cout);
    std::cout << "\n";
  } else {
    std::cout << RenderReportText(report, ColorWanted()) << std::flush;
  }
}

absl::StatusOr<IngestResult> IngestFile(Ingester& ingester, const std::string& path,
                                        const std::string& source, const std::string& captured_at,
                                        std::string bytes, std::optional<DumpFormat> format) {
  IngestRequest request;
  request.source = source;
  request.captured_at = captured_at;
  request.file_name = path == "-" ? "-" : std::filesystem::path(path).filename().string();
  request.bytes = std::move(bytes);
  request.parse_options.format = InputFormat(path, format);
  absl::StatusOr<IngestResult> result = ingester.Ingest(request);
  if (!result.ok()) {
    return absl::Status(result.status().code(),
                        absl::StrCat(path, ": ", result.status().message()));
  }
  return result;
}

}  // namespace newsdedup
