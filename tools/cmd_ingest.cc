#include "tools/cli.h"

#include <iostream>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "core/match_params.h"
#include "spdlog/spdlog.h"
#include "store/ingest.h"
#include "tools/input.h"
#include "tools/progress.h"
#include "tools/report_format.h"
#include "tools/times.h"
#include "tools/webhook.h"

namespace newsdedup {
namespace {

// The webhook URLs of --notify and --notify-file, checked before anything
// is ingested; and how long to try each.
struct Notify {
  std::vector<std::string> urls;
  WebhookOptions options;
};

absl::StatusOr<Notify> NotifyFlags(const ParsedArgs& args) {
  Notify notify;
  for (const std::string& url : args.GetAll("notify")) {
    if (absl::Status status = ValidateWebhookUrl(url); !status.ok()) {
      return UsageErrorStatus(absl::StrCat("--notify: ", status.message()));
    }
    notify.urls.push_back(url);
  }
  if (args.Has("notify-file")) {
    absl::StatusOr<std::string> text = ReadInput(args.Get("notify-file"));
    if (!text.ok()) return text.status();
    absl::StatusOr<std::vector<std::string>> urls = ParseWebhookList(*text);
    if (!urls.ok()) {
      return UsageErrorStatus(absl::StrCat(args.Get("notify-file"), ": ", urls.status().message()));
    }
    notify.urls.insert(notify.urls.end(), urls->begin(), urls->end());
  }
  if (args.Has("notify-timeout") &&
      (!absl::SimpleAtod(args.Get("notify-timeout"), &notify.options.timeout_seconds) ||
       notify.options.timeout_seconds <= 0 || notify.options.timeout_seconds > 600)) {
    return UsageErrorStatus("--notify-timeout must be a number of seconds up to 600");
  }
  return notify;
}

// Posts each committed snapshot's report to every URL. A failure is one
// warning line: the snapshot stays committed and the ingest succeeds.
void SendNotifications(const Notify& notify, const std::vector<std::string>& reports) {
  for (const std::string& report : reports) {
    for (const std::string& url : notify.urls) {
      if (absl::Status status = PostJson(url, report, notify.options); !status.ok()) {
        spdlog::warn("{} (the snapshot stays ingested)", std::string(status.message()));
      }
    }
  }
}

// One ingest command's files, read before the store is opened.
struct IngestJob {
  std::vector<std::string> files;
  std::vector<std::string> times;  // One per file, or empty: now.
  std::vector<std::string> contents;
  std::string source;
  std::optional<DumpFormat> format;
  bool json = false;
};

// Ingests and reports each file in order; stops at the first failure. The
// JSON report of each new snapshot goes to `committed` when not null.
CommandResult IngestAll(IngestJob& job, StoryStore* store, Ingester& ingester,
                        std::vector<std::string>* committed) {
  Progress progress(job.files.size(), "files");
  for (size_t f = 0; f < job.files.size(); ++f) {
    progress.Update(f);
    const std::string& file = job.files[f];
    const std::string captured_at = job.times.empty() ? CaptureTimeNow() : job.times[f];
    absl::StatusOr<IngestResult> result = IngestFile(ingester, file, job.source, captured_at,
                                                     std::move(job.contents[f]), job.format);
    progress.Clear();
    if (!result.ok()) return Fail(result.status());
    if (result->already_ingested) {
      spdlog::info("{}: already ingested as snapshot {} ({} at {}); nothing to do", file,
                   result->snapshot.id, job.source, captured_at);
      continue;
    }
    std::string stages;
    for (const auto& [stage, seconds] : result->stage_seconds) {
      absl::StrAppendFormat(&stages, " %s %.3fs", stage, seconds);
    }
    spdlog::debug("{}: snapshot {} ({} items):{}", file, result->snapshot.id,
                  result->snapshot.item_count, stages);
    for (const std::string& warning : result->snapshot.warnings) {
      spdlog::warn("{}: {}", file, warning);
    }
    absl::StatusOr<SnapshotReport> report = BuildSnapshotReport(store, result->snapshot.id);
    if (!report.ok()) return Fail(report.status());
    if (!job.json && f > 0) std::cout << "\n";
    PrintBuiltReport(*report, job.json);
    if (committed != nullptr) committed->push_back(ReportJson(*report).dump());
  }
  return std::nullopt;
}

CommandResult RunIngest(const ParsedArgs& args) {
  IngestJob job;
  job.files = args.positionals();
  if (job.files.empty()) {
    return UsageError("ingest needs at least one FILE (or - for standard input)");
  }
  absl::StatusOr<bool> json = JsonFormat(args);
  if (!json.ok()) return Fail(json.status());
  job.json = *json;
  absl::StatusOr<std::optional<DumpFormat>> dump_format = DumpFormatFlag(args);
  if (!dump_format.ok()) return Fail(dump_format.status());
  job.format = *dump_format;
  absl::StatusOr<int> threads = ThreadsFlag(args);
  if (!threads.ok()) return Fail(threads.status());
  absl::StatusOr<Notify> notify = NotifyFlags(args);
  if (!notify.ok()) return Fail(notify.status());
  // One --at per file, or one for a single file; without --at, now.
  const std::vector<std::string> at = args.GetAll("at");
  if (!at.empty() && at.size() != job.files.size()) {
    return UsageError(absl::StrCat("give one --at per file (", at.size(), " --at for ",
                                   job.files.size(), " files)"));
  }
  for (const std::string& text : at) {
    absl::StatusOr<std::string> time = NormalizeCaptureTime(text);
    if (!time.ok()) return UsageError(std::string(time.status().message()));
    job.times.push_back(*time);
  }
  // Read every input before touching the store: a missing file must not
  // leave half of a night ingested.
  for (const std::string& file : job.files) {
    absl::StatusOr<std::string> bytes = ReadInput(file);
    if (!bytes.ok()) return Fail(bytes.status());
    job.contents.push_back(std::move(*bytes));
  }
  job.source = args.Get("source", "default");
  absl::StatusOr<std::unique_ptr<StoryStore>> store = OpenStore(args, /*for_writing=*/true);
  if (!store.ok()) return Fail(store.status());
  std::vector<std::string> committed;
  CommandResult result;
  {
    Ingester ingester(store->get(), MatchParams(), *threads);
    result = IngestAll(job, store->get(), ingester, notify->urls.empty() ? nullptr : &committed);
  }
  // Webhooks go out once the store is closed, so that a slow receiver never
  // holds its lock; also after a failed file, for the snapshots before it.
  store->reset();
  SendNotifications(*notify, committed);
  return result;
}

}  // namespace

Command IngestCommand() {
  return {"ingest", "ingest dumps into a store, one snapshot per file, and report each",
          "ingest --db DIR [--source NAME] [--at TIME]... [--format text|json] [--notify URL]... "
          "FILE...",
          {kDbFlag,
           {"source", "", true, "source name (default: default)"},
           {"at", "", true, "capture time, ISO-8601 UTC; one per FILE (default: now)"},
           kFormatFlag, kDumpFormatFlag, kThreadsFlag,
           {"notify", "", true, "POST each new snapshot's JSON report to URL (repeatable)"},
           {"notify-file", "", true, "webhook URLs, one per line ('#' comments)"},
           {"notify-timeout", "", true, "seconds per webhook attempt, 3 attempts (default 5)"}},
          RunIngest};
}

}  // namespace newsdedup
