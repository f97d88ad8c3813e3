#include <algorithm>
#include <filesystem>
#include <iostream>
#include <numeric>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "core/match_params.h"
#include "spdlog/spdlog.h"
#include "store/ingest.h"
#include "store/ingest_checks.h"
#include "store/snapshot_report.h"
#include "tools/cli.h"
#include "tools/input.h"
#include "tools/interrupt.h"
#include "tools/memory_budget.h"
#include "tools/progress.h"
#include "tools/safe_text.h"
#include "tools/times.h"
#include "tools/webhook.h"

namespace newsdedup {
namespace {

// One dump to ingest and the capture time it gets.
struct Dump {
  std::string path;
  std::string captured_at;
  std::string bytes;
};

absl::StatusOr<absl::TimeZone> ZoneFlag(const ParsedArgs& args) {
  if (!args.Has("tz")) return absl::UTCTimeZone();
  absl::StatusOr<absl::TimeZone> zone = LoadZone(args.Get("tz"));
  if (!zone.ok()) return AsUsageError(zone.status());
  return zone;
}

// One --at per file, in the order given.
absl::StatusOr<std::vector<Dump>> DumpsAtGivenTimes(const ParsedArgs& args,
                                                    const ExpandedInputs& inputs,
                                                    const absl::TimeZone& zone) {
  const std::vector<std::string> at = args.GetAll("at");
  if (inputs.from_directory_or_glob) {
    return UsageErrorStatus(
        "--at cannot name the times of a directory's or a glob's files: use --at-from-name "
        "PATTERN, or nothing for their modification times");
  }
  if (at.size() != inputs.files.size()) {
    return UsageErrorStatus(absl::StrCat("give one --at per file (", at.size(), " --at for ",
                                         inputs.files.size(), " files)"));
  }
  std::vector<Dump> dumps;
  for (size_t f = 0; f < at.size(); ++f) {
    absl::StatusOr<CaptureTime> time = ParseCaptureTime(at[f], zone);
    if (!time.ok()) return AsUsageError(time.status());
    if (time->fraction_dropped) {
      spdlog::warn("--at {}: stored to the second, as {}", at[f], time->stored);
    }
    dumps.push_back({inputs.files[f], time->stored, ""});
  }
  return dumps;
}

// Times from the files' names (--at-from-name) or modification times, in
// time order; files of the same time in the order given.
absl::StatusOr<std::vector<Dump>> DumpsInTimeOrder(const ParsedArgs& args,
                                                   const ExpandedInputs& inputs,
                                                   const absl::TimeZone& zone) {
  std::vector<std::pair<absl::Time, Dump>> timed;
  for (const std::string& path : inputs.files) {
    absl::Time time;
    if (args.Has("at-from-name")) {
      if (path == "-") return UsageErrorStatus("standard input has no name to take a time from");
      const std::string name = std::filesystem::path(path).filename().string();
      absl::StatusOr<CaptureTime> named = TimeFromName(name, args.Get("at-from-name"), zone);
      if (absl::IsInvalidArgument(named.status())) return AsUsageError(named.status());
      if (!named.ok()) return absl::InvalidArgumentError(absl::StrCat(path, ": ", named.status().message()));
      time = named->time;
    } else {
      absl::StatusOr<absl::Time> modified = path == "-" ? absl::Now() : ModificationTime(path);
      if (!modified.ok()) return modified.status();
      time = *modified;
    }
    timed.push_back({time, Dump{path, StoredTime(time), ""}});
  }
  std::stable_sort(timed.begin(), timed.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<Dump> dumps;
  for (auto& [time, dump] : timed) dumps.push_back(std::move(dump));
  return dumps;
}

// The dumps to ingest, their capture times, and their bytes: every input is
// read before the store is touched, so that a missing file leaves nothing
// half ingested; each up to what the memory ceiling allows.
absl::StatusOr<std::vector<Dump>> CollectDumps(const ParsedArgs& args,
                                               const MemoryCeiling& ceiling) {
  if (args.positionals().empty()) {
    return UsageErrorStatus("ingest needs at least one FILE (or - for standard input)");
  }
  absl::StatusOr<ExpandedInputs> inputs = ExpandInputs(args.positionals());
  if (!inputs.ok()) return inputs.status();
  absl::StatusOr<absl::TimeZone> zone = ZoneFlag(args);
  if (!zone.ok()) return zone.status();
  if (args.Has("at") && args.Has("at-from-name")) {
    return UsageErrorStatus("give --at or --at-from-name, not both");
  }
  absl::StatusOr<std::vector<Dump>> dumps;
  if (args.Has("at")) {
    dumps = DumpsAtGivenTimes(args, *inputs, *zone);
  } else if (args.Has("at-from-name") || inputs->from_directory_or_glob) {
    dumps = DumpsInTimeOrder(args, *inputs, *zone);
  } else {
    // Files named one by one without --at: captured now, all at once.
    dumps = std::vector<Dump>();
    const std::string now = CaptureTimeNow();
    for (const std::string& path : inputs->files) dumps->push_back({path, now, ""});
  }
  if (!dumps.ok()) return dumps.status();
  for (Dump& dump : *dumps) {
    NoteInterruptPending(dump.path);
    absl::StatusOr<std::string> bytes = ReadInput(dump.path, MaxInputBytes(ceiling));
    if (!bytes.ok()) return bytes.status();
    dump.bytes = std::move(*bytes);
  }
  NoteInterruptPending("");
  return dumps;
}

// The checks of a nightly ingest (store/ingest_checks.h), as the flags leave them.
absl::StatusOr<IngestChecks> ChecksFlags(const ParsedArgs& args) {
  IngestChecks checks = IngestChecks::Nightly();
  checks.refuse_empty = !args.Has("allow-empty");
  checks.refuse_no_text = !args.Has("allow-no-text");
  checks.refuse_past = !args.Has("allow-past");
  if (args.Has("min-listing-share") &&
      (!absl::SimpleAtod(args.Get("min-listing-share"), &checks.min_listing_share) ||
       !(checks.min_listing_share >= 0 && checks.min_listing_share <= 1))) {
    return UsageErrorStatus(absl::StrCat("--min-listing-share must be a number from 0 to 1, not '",
                                         args.Get("min-listing-share"), "'"));
  }
  // A day of slack: scrapers' clocks and zones drift, a date has no time.
  if (!args.Has("allow-future")) checks.latest_allowed_time = StoredTime(absl::Now() + absl::Hours(24));
  return checks;
}

// Parses and checks every dump before the first commit: a bad or refused
// file among good ones, or dumps that need more memory than this process
// may use, leave the store as it was.
absl::StatusOr<std::vector<PreparedDump>> PrepareDumps(std::vector<Dump> dumps,
                                                       const ParsedArgs& args,
                                                       const IngestChecks& checks,
                                                       std::optional<DumpFormat> format,
                                                       const MemoryCeiling& ceiling) {
  const std::string source = args.Get("source", "default");
  std::vector<PreparedDump> prepared;
  uint64_t items = 0, bytes = 0;
  for (Dump& dump : dumps) {
    IngestRequest request =
        DumpRequest(dump.path, source, dump.captured_at, std::move(dump.bytes), format);
    request.checks = checks;
    absl::StatusOr<PreparedDump> one = Ingester::Prepare(std::move(request));
    if (!one.ok()) return InFile(dump.path, one.status());
    items += one->dump.items.size();
    bytes += one->request.bytes.size();
    prepared.push_back(*std::move(one));
  }
  // Refused before the items are built rather than killed halfway.
  if (absl::Status status = CheckMemoryNeed(IngestMemoryNeed(items, bytes), ceiling,
                                            absl::StrCat("ingesting ", items, " items"));
      !status.ok()) {
    return status;
  }
  return prepared;
}

void LogIngested(const std::string& path, const IngestResult& result) {
  std::string stages;
  for (const auto& [stage, seconds] : result.stage_seconds) {
    absl::StrAppendFormat(&stages, " %s %.3fs", stage, seconds);
  }
  spdlog::debug("{}: snapshot {} ({}):{}", TerminalSafe(path), result.snapshot.id,
                Plural(result.snapshot.item_count, "item", "items"), stages);
  for (const std::string& warning : result.snapshot.warnings) {
    spdlog::warn("{}: {}", TerminalSafe(path), TerminalSafe(warning));
  }
}

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

// Ingests the checked dumps in order and prints each report; whether any
// changed something. The whole JSON report of each new snapshot goes to
// `committed` when not null (for the webhooks).
absl::StatusOr<bool> IngestAll(std::vector<PreparedDump> dumps, const std::vector<std::string>& paths,
                               const ReportOptions& report, StoryStore* store, Ingester& ingester,
                               std::vector<std::string>* committed) {
  Progress progress(dumps.size(), "files");
  bool changed = false;
  bool printed = false;
  // A commit marks its input done (Uninterrupted), so that an interrupt
  // right after it still names the next one.
  NoteInterruptPendingInputs(paths);
  for (size_t f = 0; f < dumps.size(); ++f) {
    progress.Update(f);
    const std::string captured_at = dumps[f].request.captured_at;
    absl::StatusOr<IngestResult> result = ingester.Ingest(std::move(dumps[f]));
    progress.Clear();
    if (!result.ok()) return InFile(paths[f], result.status());
    if (result->already_ingested) {
      NoteInterruptInputDone();
      spdlog::info("{}: already ingested as snapshot {} ({} at {}); nothing to do",
                   TerminalSafe(paths[f]), result->snapshot.id, result->snapshot.source,
                   captured_at);
      continue;
    }
    LogIngested(paths[f], *result);
    if (!report.json && printed) std::cout << "\n";
    const bool counts_only = report.view.summary && committed == nullptr;
    absl::StatusOr<SnapshotReport> built = BuildSnapshotReport(
        store, result->snapshot.id, counts_only ? ReportDetail::kCounts : ReportDetail::kFull,
        report.threads);
    absl::StatusOr<bool> snapshot_changed =
        built.ok() ? PrintBuiltReport(*built, report) : absl::StatusOr<bool>(built.status());
    if (built.ok() && committed != nullptr) {
      committed->push_back(DumpJson(ReportJson(*built, ReportView{})));
    }
    if (!snapshot_changed.ok()) {
      return absl::Status(snapshot_changed.status().code(),
                          absl::StrCat(snapshot_changed.status().message(), " (snapshot ",
                                       result->snapshot.id, " of ", paths[f], " is committed)"));
    }
    changed = changed || *snapshot_changed;
    printed = true;
  }
  return changed;
}

CommandResult RunIngest(const ParsedArgs& args) {
  absl::StatusOr<ReportOptions> report = ReportFlags(args);
  if (!report.ok()) return Fail(report.status());
  absl::StatusOr<std::optional<DumpFormat>> dump_format = DumpFormatFlag(args);
  if (!dump_format.ok()) return Fail(dump_format.status());
  absl::StatusOr<int> threads = ThreadsFlag(args);
  if (!threads.ok()) return Fail(threads.status());
  if (absl::Status status = CheckSourceName(args.Get("source", "default")); !status.ok()) {
    return UsageError(absl::StrCat("--source: ", status.message()));
  }
  absl::StatusOr<IngestChecks> checks = ChecksFlags(args);
  if (!checks.ok()) return Fail(checks.status());
  absl::StatusOr<Notify> notify = NotifyFlags(args);
  if (!notify.ok()) return Fail(notify.status());
  const MemoryCeiling ceiling = CurrentMemoryCeiling();
  absl::StatusOr<std::vector<Dump>> dumps = CollectDumps(args, ceiling);
  if (!dumps.ok()) return Fail(dumps.status());
  std::vector<std::string> paths;
  for (const Dump& dump : *dumps) paths.push_back(dump.path);
  // Parsing needs no store: a broken file is refused before one is opened
  // (or created).
  absl::StatusOr<std::vector<PreparedDump>> prepared =
      PrepareDumps(*std::move(dumps), args, *checks, *dump_format, ceiling);
  if (!prepared.ok()) return Fail(prepared.status());
  absl::StatusOr<std::unique_ptr<StoryStore>> store = OpenStore(args, /*for_writing=*/true);
  if (!store.ok()) return Fail(store.status());
  IngestChecker checker(store->get());
  for (size_t f = 0; f < prepared->size(); ++f) {
    if (absl::Status s = checker.Check((*prepared)[f]); !s.ok()) return Fail(InFile(paths[f], s));
  }
  std::vector<std::string> committed;
  absl::StatusOr<bool> changed;
  {
    Ingester ingester(store->get(), MatchParams(), *threads);
    ingester.SetCommitRunner([](const SnapshotRecord& snapshot,
                                const std::function<absl::Status()>& commit) {
      return Uninterrupted(commit, snapshot.id, snapshot.file);
    });
    changed = IngestAll(*std::move(prepared), paths, *report, store->get(), ingester,
                        notify->urls.empty() ? nullptr : &committed);
  }
  // Webhooks go out once the store is closed, so that a slow receiver never
  // holds its lock; also after a failed file, for the snapshots before it.
  store->reset();
  SendNotifications(*notify, committed);
  if (!changed.ok()) return Fail(changed.status());
  if (args.Has("exit-code") && *changed) return Changed();
  return std::nullopt;
}

}  // namespace

Command IngestCommand() {
  return {"ingest",
          "ingest dumps into a store, one snapshot per file, and report each",
          "ingest --db DIR [--source NAME] [--at TIME]... [--format text|json] [--notify URL]... "
          "FILE|DIR|GLOB...",
          {kWritableDbFlag,
           {"source", "", true, "source name (default: default)"},
           {"at", "", true,
            "capture time, ISO-8601 (Z, an offset, or the --tz zone); one per FILE (default: now)"},
           {"tz", "", true, "IANA zone of times without one (default UTC), e.g. Europe/Paris"},
           {"at-from-name", "", true,
            "take each file's time from its name, e.g. %Y-%m-%d or %Y%m%dT%H%M (default for a "
            "DIR or GLOB: modification times); files go in time order"},
           {"allow-empty", "", false, "store a dump without items (refused: a failed scrape?)"},
           {"allow-no-text", "", false, "store a dump of titles without text (refused)"},
           {"min-listing-share", "", true,
            "refuse a listing with fewer items than this share of the source's last one "
            "(default 0.5; 0: never)"},
           {"allow-past", "", false,
            "store a capture older than the source's latest (refused: a wrong --at?)"},
           {"allow-future", "", false, "store a capture more than a day after now (refused)"},
           kFormatFlag, kOnlyFlag, kSummaryFlag, kExitCodeFlag, kDumpFormatFlag, kThreadsFlag,
           kWaitFlag,
           {"notify", "", true, "POST each new snapshot's JSON report to URL (repeatable)"},
           {"notify-file", "", true, "webhook URLs, one per line ('#' comments)"},
           {"notify-timeout", "", true, "seconds per webhook attempt, 3 attempts (default 5)"}},
          RunIngest,
          StoreAccess::kWrite};
}

}  // namespace newsdedup
