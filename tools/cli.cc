#include "tools/cli.h"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>

#include "absl/strings/cord.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "core/match_params.h"
#include "spdlog/spdlog.h"
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

absl::Status AsUsageError(const absl::Status& status) {
  const absl::string_view message = status.message();
  return UsageErrorStatus(std::string_view(message.data(), message.size()));
}

bool IsUsageError(const absl::Status& status) {
  return status.GetPayload(kUsagePayload).has_value();
}

CommandResult UsageError(std::string message) { return Failure{2, std::move(message)}; }

CommandResult Fail(const absl::Status& status) {
  return Failure{IsUsageError(status) ? 2 : 1, std::string(status.message())};
}

CommandResult Changed() { return Failure{1, ""}; }

const FlagSpec kDbFlag{"db", "", true, "store folder (read only: must exist, is never changed)"};
const FlagSpec kWritableDbFlag{"db", "", true, "store folder (created when missing)"};
const FlagSpec kWaitFlag{"wait", "", true,
                         "seconds to wait while another process writes to the store "
                         "(default 0: fail at once)"};

std::string StoreAccessHelp(StoreAccess access) {
  switch (access) {
    case StoreAccess::kNone:
      return "store: none (works on the files alone)";
    case StoreAccess::kRead:
      return "store: read only (never changed; takes no lock, so it runs beside an ingest)";
    case StoreAccess::kWrite:
      return "store: writes (one atomic commit per change; takes the store's lock, one writer "
             "at a time: see --wait)";
  }
  return "";
}
const FlagSpec kFormatFlag{"format", "", true, "text or json (default text)"};
const FlagSpec kThreadsFlag{"threads", "j", true, "worker threads (default: one per core)"};
const FlagSpec kDumpFormatFlag{"input-format", "", true,
                               "listing, article, jsonl or html (default: detected)"};
const FlagSpec kOnlyFlag{"only", "", true,
                         "list only these statuses: new,updated,unchanged,dropped (counts stay whole)"};
const FlagSpec kSummaryFlag{"summary", "", false, "the counts only, no story list"};
const FlagSpec kExitCodeFlag{"exit-code", "", false,
                             "exit 1 when something changed (new, updated or dropped), 0 when "
                             "nothing did, 2 on errors, as diff(1)"};

bool ColorWanted() { return isatty(STDOUT_FILENO) && std::getenv("NO_COLOR") == nullptr; }

absl::StatusOr<std::optional<DumpFormat>> DumpFormatFlag(const ParsedArgs& args) {
  if (!args.Has("input-format")) return std::optional<DumpFormat>();
  absl::StatusOr<DumpFormat> format = ParseDumpFormatName(args.Get("input-format"));
  if (!format.ok()) {
    return UsageErrorStatus(absl::StrCat("--input-format must be listing, article, jsonl or html, not '",
                                         args.Get("input-format"), "'"));
  }
  return std::optional<DumpFormat>(*format);
}

absl::StatusOr<int> ThreadsFlag(const ParsedArgs& args) {
  int threads = 0;
  // More threads than this only cost memory (a stack and buffers each).
  constexpr int kMaxThreads = 256;
  if (args.Has("threads") && (!absl::SimpleAtoi(args.Get("threads"), &threads) || threads < 1 ||
                              threads > kMaxThreads)) {
    return UsageErrorStatus(absl::StrCat("--threads must be a number from 1 to ", kMaxThreads));
  }
  return threads;
}

absl::StatusOr<ReportOptions> ReportFlags(const ParsedArgs& args) {
  ReportOptions options;
  absl::StatusOr<bool> json = JsonFormat(args);
  if (!json.ok()) return json.status();
  options.json = *json;
  options.view.color = ColorWanted();
  options.view.summary = args.Has("summary");
  absl::StatusOr<int> threads = ThreadsFlag(args);
  if (!threads.ok()) return threads.status();
  options.threads = *threads;
  if (args.Has("only")) {
    absl::StatusOr<std::set<StoryStatus>> only = ParseOnlyStatuses(args.Get("only"));
    if (!only.ok()) return only.status();
    options.view.only = *std::move(only);
  }
  return options;
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
  double wait_seconds = 0;
  if (args.Has("wait") &&
      (!absl::SimpleAtod(args.Get("wait"), &wait_seconds) || !(wait_seconds >= 0))) {
    return UsageErrorStatus(
        absl::StrCat("--wait must be a number of seconds, not '", args.Get("wait"), "'"));
  }
  StoryStore::Options options;
  options.create_if_missing = for_writing;
  // Readers take no lock (a report runs beside the nightly ingest) and start
  // no compaction.
  options.read_only = !for_writing;
  // Readers accept a store made by another build: they only read records.
  const std::string params = for_writing ? MatchParams().Describe() : "";
  const absl::Time deadline = absl::Now() + absl::Seconds(wait_seconds);
  bool logged = false;
  while (true) {
    absl::StatusOr<std::unique_ptr<StoryStore>> store =
        StoryStore::Open(args.Get("db"), params, options);
    if (!absl::IsUnavailable(store.status()) || absl::Now() >= deadline) {
      if (absl::IsUnavailable(store.status()) && wait_seconds > 0) {
        return absl::UnavailableError(
            absl::StrCat(store.status().message(), " (waited ", args.Get("wait"), " s)"));
      }
      return store;
    }
    if (!logged) {
      spdlog::debug("{}: waiting up to {} s for another process to release the store",
                   args.Get("db"), args.Get("wait"));
      logged = true;
    }
    // A lock is held for one ingest; a fifth of a second is quick enough to
    // notice its end and slow enough to cost nothing.
    absl::SleepFor(std::min(absl::Milliseconds(200), deadline - absl::Now()));
  }
}

absl::Status FlushStandardOutput() {
  std::cout.flush();
  errno = 0;
  if (std::fflush(stdout) != 0 || std::ferror(stdout) || !std::cout.good()) {
    const int error = errno;
    return absl::DataLossError(absl::StrCat("cannot write to standard output",
                                            error != 0 ? ": " : "",
                                            error != 0 ? std::strerror(error) : ""));
  }
  return absl::OkStatus();
}

absl::StatusOr<bool> PrintReport(StoryStore* store, uint64_t snapshot_id,
                                 const ReportOptions& options) {
  absl::StatusOr<SnapshotReport> report = BuildSnapshotReport(
      store, snapshot_id, options.view.summary ? ReportDetail::kCounts : ReportDetail::kFull,
      options.threads);
  if (!report.ok()) return report.status();
  return PrintBuiltReport(*report, options);
}

absl::StatusOr<bool> PrintBuiltReport(const SnapshotReport& report,
                                      const ReportOptions& options) {
  if (options.json) {
    WriteReportJson(report, options.view, std::cout, options.threads);
    std::cout << "\n";
  } else {
    std::cout << RenderReportText(report, options.view);
  }
  if (absl::Status written = FlushStandardOutput(); !written.ok()) return written;
  return report.new_count + report.updated_count + report.dropped_count > 0;
}

IngestRequest DumpRequest(const std::string& path, const std::string& source,
                          const std::string& captured_at, std::string bytes,
                          std::optional<DumpFormat> format) {
  IngestRequest request;
  request.source = source;
  request.captured_at = captured_at;
  request.file_name = path == "-" ? "-" : std::filesystem::path(path).filename().string();
  request.bytes = std::move(bytes);
  request.parse_options.format = InputFormat(path, format);
  return request;
}

absl::Status InFile(const std::string& path, const absl::Status& status) {
  if (status.ok()) return status;
  std::string hint;
  if (const std::optional<IngestCheck> check = RefusedBy(status); check.has_value()) {
    switch (*check) {
      case IngestCheck::kEmpty:
        hint = "--allow-empty";
        break;
      case IngestCheck::kNoText:
        hint = "--allow-no-text";
        break;
      case IngestCheck::kShrunk:
        hint = "--min-listing-share 0";
        break;
      case IngestCheck::kPast:
        hint = "--allow-past";
        break;
      case IngestCheck::kFuture:
        hint = "--allow-future";
        break;
    }
    hint = absl::StrCat(" (", hint, " stores it anyway)");
  }
  return absl::Status(status.code(), absl::StrCat(path, ": ", status.message(), hint));
}

}  // namespace newsdedup
