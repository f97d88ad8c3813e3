// newsdedup: deduplication and change tracking for scraped news dumps.
// Subcommands come from one table (kCommands); --help is generated from it.
// Exit codes: 0 ok, 1 failure, 2 usage error.

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "core/dump_parser.h"
#include "core/match_params.h"
#include "spdlog/sinks/stdout_color_sinks.h"
#include "spdlog/spdlog.h"
#include "store/ingest.h"
#include "store/snapshot_report.h"
#include "store/story_store.h"
#include "tools/command_line.h"
#include "tools/dups.h"
#include "tools/progress.h"
#include "tools/input.h"
#include "tools/report_format.h"
#include "tools/times.h"

namespace newsdedup {
namespace {

constexpr char kVersion[] = "0.1.0";

// A failed command: its message and exit code.
struct Failure {
  int exit_code;
  std::string message;
};
using CommandResult = std::optional<Failure>;  // nullopt: success.

CommandResult UsageError(std::string message) { return Failure{2, std::move(message)}; }
CommandResult Fail(const absl::Status& status) {
  // Bad flag values are usage errors; everything else is a failure.
  return Failure{status.code() == absl::StatusCode::kInvalidArgument &&
                         absl::StartsWith(status.message(), "--")
                     ? 2
                     : 1,
                 std::string(status.message())};
}

struct Command {
  const char* name;
  const char* summary;
  const char* usage;
  std::vector<FlagSpec> flags;
  CommandResult (*run)(const ParsedArgs& args);
};

const FlagSpec kDbFlag{"db", "", true, "store folder (created by ingest when missing)"};
const FlagSpec kFormatFlag{"format", "", true, "text or json (default text)"};
const FlagSpec kThreadsFlag{"threads", "j", true, "worker threads (default: one per core)"};
const FlagSpec kDumpFormatFlag{"input-format", "", true,
                               "listing, article or jsonl (default: detected)"};

bool ColorWanted() {
  return isatty(STDOUT_FILENO) && std::getenv("NO_COLOR") == nullptr;
}

absl::StatusOr<std::optional<DumpFormat>> DumpFormatFlag(const ParsedArgs& args) {
  if (!args.Has("input-format")) return std::optional<DumpFormat>();
  absl::StatusOr<DumpFormat> format = ParseDumpFormatName(args.Get("input-format"));
  if (!format.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("--input-format must be listing, article or jsonl, not '",
                     args.Get("input-format"), "'"));
  }
  return std::optional<DumpFormat>(*format);
}

absl::StatusOr<int> ThreadsFlag(const ParsedArgs& args) {
  int threads = 0;
  if (args.Has("threads") && (!absl::SimpleAtoi(args.Get("threads"), &threads) || threads < 1)) {
    return absl::InvalidArgumentError("--threads must be a positive number");
  }
  return threads;
}

absl::StatusOr<bool> JsonFormat(const ParsedArgs& args) {
  const std::string format = args.Get("format", "text");
  if (format != "text" && format != "json") {
    return absl::InvalidArgumentError(absl::StrCat("--format must be text or json, not '", format, "'"));
  }
  return format == "json";
}

absl::StatusOr<std::unique_ptr<StoryStore>> OpenStore(const ParsedArgs& args, bool for_writing) {
  if (!args.Has("db")) return absl::InvalidArgumentError("--db DIR is required");
  StoryStore::Options options;
  options.create_if_missing = for_writing;
  // Readers take no lock (a report runs beside the nightly ingest) and start
  // no compaction.
  options.read_only = !for_writing;
  // Readers accept a store made by another build: they only read records.
  const std::string params = for_writing ? MatchParams().Describe() : "";
  return StoryStore::Open(args.Get("db"), params, options);
}

// Builds and prints the report of one snapshot, as text or one JSON line.
absl::Status PrintReport(StoryStore* store, uint64_t snapshot_id, bool json) {
  absl::StatusOr<SnapshotReport> report = BuildSnapshotReport(store, snapshot_id);
  if (!report.ok()) return report.status();
  if (json) {
    std::cout << ReportJson(*report).dump() << "\n";
  } else {
    std::cout << RenderReportText(*report, ColorWanted()) << std::flush;
  }
  return absl::OkStatus();
}

// Ingests one dump as a snapshot; an error names the file.
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
    if (!time.ok()) return Fail(time.status());
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

CommandResult RunReport(const ParsedArgs& args) {
  if (!args.positionals().empty()) return UsageError("report takes no positional arguments");
  absl::StatusOr<bool> json = JsonFormat(args);
  if (!json.ok()) return Fail(json.status());
  absl::StatusOr<std::unique_ptr<StoryStore>> store = OpenStore(args, /*for_writing=*/false);
  if (!store.ok()) return Fail(store.status());
  absl::StatusOr<StoreCounters> counters = (*store)->GetCounters();
  if (!counters.ok()) return Fail(counters.status());
  const std::string wanted = args.Get("snapshot", "latest");
  uint64_t id = 0;
  if (wanted == "latest") {
    id = counters->last_snapshot_id;
    if (id == 0) return Fail(absl::NotFoundError("the store holds no snapshot yet"));
  } else if (!absl::SimpleAtoi(wanted, &id) || id == 0) {
    return UsageError(absl::StrCat("--snapshot must be a snapshot id or 'latest', not '", wanted, "'"));
  }
  if (id > counters->last_snapshot_id) {
    return Fail(absl::NotFoundError(absl::StrCat("no snapshot ", id, " (the store has ",
                                                 counters->last_snapshot_id, ")")));
  }
  if (absl::Status status = PrintReport(store->get(), id, *json); !status.ok()) {
    return Fail(status);
  }
  return std::nullopt;
}

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

CommandResult RunStory(const ParsedArgs& args) {
  if (args.positionals().size() != 1) return UsageError("story needs one story id (e.g. s-000003)");
  absl::StatusOr<bool> json = JsonFormat(args);
  if (!json.ok()) return Fail(json.status());
  absl::StatusOr<std::unique_ptr<StoryStore>> store = OpenStore(args, /*for_writing=*/false);
  if (!store.ok()) return Fail(store.status());
  absl::StatusOr<StoryRecord> story = (*store)->GetStory(args.positionals()[0]);
  if (!story.ok()) {
    if (absl::IsNotFound(story.status())) {
      return Fail(absl::NotFoundError(absl::StrCat("no story ", args.positionals()[0])));
    }
    return Fail(story.status());
  }
  absl::StatusOr<std::vector<std::optional<VersionRecord>>> versions =
      (*store)->MultiGetVersions(story->versions);
  if (!versions.ok()) return Fail(versions.status());
  nlohmann::json out = {{"story", story->id},         {"title", story->title},
                        {"first_seen", story->first_seen}, {"last_seen", story->last_seen},
                        {"canonical_version", story->canonical_version}, {"url", story->url}};
  nlohmann::json version_list = nlohmann::json::array();
  std::string text = absl::StrFormat("%s  %s\nfirst seen %s, last seen %s, %d versions\n", story->id,
                                     story->title, story->first_seen, story->last_seen,
                                     story->versions.size());
  const VersionRecord* previous = nullptr;
  for (const std::optional<VersionRecord>& version : *versions) {
    if (!version.has_value()) return Fail(absl::DataLossError("story lists a missing version"));
    nlohmann::json entry = {{"version", version->id},       {"first_seen", version->first_seen},
                            {"last_seen", version->last_seen}, {"snapshots", version->snapshots},
                            {"rule", version->rule},         {"title", version->title},
                            {"text", VersionText(*version)}};
    absl::StrAppendFormat(&text, "\nversion %d%s  first seen %s, last seen %s, snapshots %s (%s)\n",
                          version->id, version->id == story->canonical_version ? " (canonical)" : "",
                          version->first_seen, version->last_seen,
                          absl::StrJoin(version->snapshots, ","), version->rule);
    if (previous != nullptr) {
      ReportEntry change;
      change.before_text = VersionText(*previous);
      change.after_text = VersionText(*version);
      entry["diff"] = EntryDiff(change, false);
      absl::StrAppend(&text, "  ", EntryDiff(change, ColorWanted()), "\n");
    } else {
      absl::StrAppend(&text, "  ", VersionText(*version).substr(0, 400), "\n");
    }
    version_list.push_back(std::move(entry));
    previous = &*version;
  }
  out["versions"] = std::move(version_list);
  std::cout << (*json ? out.dump() + "\n" : text);
  return std::nullopt;
}

CommandResult RunStats(const ParsedArgs& args) {
  absl::StatusOr<bool> json = JsonFormat(args);
  if (!json.ok()) return Fail(json.status());
  absl::StatusOr<std::unique_ptr<StoryStore>> store = OpenStore(args, /*for_writing=*/false);
  if (!store.ok()) return Fail(store.status());
  absl::StatusOr<StoreStats> stats = (*store)->Stats();
  if (!stats.ok()) return Fail(stats.status());
  nlohmann::json index = nlohmann::json::object();
  for (const auto& [name, keys] : stats->index_keys) index[name] = keys;
  const nlohmann::json out = {{"snapshots", stats->snapshots}, {"stories", stats->stories},
                              {"versions", stats->versions},   {"items", stats->items},
                              {"index_keys", index},          {"bytes_on_disk", stats->bytes_on_disk}};
  if (*json) {
    std::cout << out.dump() << "\n";
  } else {
    std::cout << absl::StrFormat("snapshots %d\nstories %d\nversions %d\nitems %d\n",
                                 stats->snapshots, stats->stories, stats->versions, stats->items);
    for (const auto& [name, keys] : stats->index_keys) {
      std::cout << absl::StrFormat("index %s: ~%d keys\n", name, keys);
    }
    std::cout << absl::StrFormat("bytes on disk %d (%.1f MiB)\n", stats->bytes_on_disk,
                                 stats->bytes_on_disk / 1048576.0);
  }
  return std::nullopt;
}

CommandResult RunCheck(const ParsedArgs& args) {
  absl::StatusOr<std::unique_ptr<StoryStore>> store = OpenStore(args, /*for_writing=*/false);
  if (!store.ok()) return Fail(store.status());
  std::vector<std::string> problems;
  if (absl::Status status = (*store)->Check(&problems); !status.ok()) return Fail(status);
  for (const std::string& problem : problems) std::cout << "problem: " << problem << "\n";
  if (!problems.empty()) {
    return Failure{1, absl::StrCat(problems.size(), " problem(s) found in ", args.Get("db"))};
  }
  std::cout << "ok: " << args.Get("db") << " is consistent\n";
  return std::nullopt;
}

CommandResult RunDups(const ParsedArgs& args) {
  if (args.positionals().empty()) return UsageError("dups needs at least one FILE");
  absl::StatusOr<std::optional<DumpFormat>> dump_format = DumpFormatFlag(args);
  if (!dump_format.ok()) return Fail(dump_format.status());
  absl::StatusOr<int> threads = ThreadsFlag(args);
  if (!threads.ok()) return Fail(threads.status());
  DupsOptions options;
  options.format = *dump_format;
  options.threads = *threads;
  absl::Status status = FindDuplicates(args.positionals(), options, std::cout);
  if (!status.ok()) return Fail(status);
  return std::nullopt;
}

CommandResult RunHelp(const ParsedArgs& args);

const std::vector<Command>& Commands() {
  static const std::vector<Command> commands = {
      {"ingest", "ingest dumps into a store, one snapshot per file, and report each",
       "ingest --db DIR [--source NAME] [--at TIME]... [--format text|json] FILE...",
       {kDbFlag,
        {"source", "", true, "source name (default: default)"},
        {"at", "", true, "capture time, ISO-8601 UTC; one per FILE (default: now)"},
        kFormatFlag, kDumpFormatFlag, kThreadsFlag},
       RunIngest},
      {"report", "report what changed in one snapshot",
       "report --db DIR [--snapshot ID|latest] [--format text|json]",
       {kDbFlag, {"snapshot", "", true, "snapshot id or latest (default)"}, kFormatFlag},
       RunReport},
      {"diff", "compare two dumps without a store", "diff OLD NEW [--format text|json]",
       {kFormatFlag, kDumpFormatFlag, kThreadsFlag}, RunDiff},
      {"story", "show a story's versions and what changed between them",
       "story --db DIR [--format text|json] ID", {kDbFlag, kFormatFlag}, RunStory},
      {"dups", "near-duplicate clusters in dumps or JSONL corpora (JSON Lines out)",
       "dups [--input-format F] [--threads N] FILE...", {kDumpFormatFlag, kThreadsFlag}, RunDups},
      {"stats", "counts, index sizes and bytes on disk of a store",
       "stats --db DIR [--format text|json]", {kDbFlag, kFormatFlag}, RunStats},
      {"check", "verify a store's invariants and checksums (exit 1 on any problem)",
       "check --db DIR", {kDbFlag}, RunCheck},
      {"help", "show help for a command", "help [COMMAND]", {}, RunHelp},
  };
  return commands;
}

const std::vector<FlagSpec> kGlobalFlags = {
    {"help", "h", false, "show help"},
    {"verbose", "v", false, "log more (debug) on stderr"},
    {"quiet", "q", false, "log only errors on stderr"},
};

std::string CommandHelp(const Command& command) {
  std::vector<FlagSpec> flags = command.flags;
  flags.insert(flags.end(), kGlobalFlags.begin(), kGlobalFlags.end());
  return absl::StrCat("usage: newsdedup ", command.usage, "\n", command.summary, "\n\n",
                      FlagsHelp(flags));
}

std::string MainHelp() {
  std::string out = absl::StrCat(
      "newsdedup ", kVersion,
      ": deduplication and change tracking for scraped news dumps\n\n"
      "usage: newsdedup COMMAND [flags]\n\ncommands:\n");
  for (const Command& command : Commands()) {
    absl::StrAppendFormat(&out, "  %-8s %s\n", command.name, command.summary);
  }
  absl::StrAppend(&out, "\n'newsdedup COMMAND --help' shows a command's flags.\n");
  return out;
}

CommandResult RunHelp(const ParsedArgs& args) {
  if (args.positionals().empty()) {
    std::cout << MainHelp();
    return std::nullopt;
  }
  for (const Command& command : Commands()) {
    if (args.positionals()[0] == command.name) {
      std::cout << CommandHelp(command);
      return std::nullopt;
    }
  }
  return UsageError(absl::StrCat("unknown command '", args.positionals()[0], "'"));
}

int Main(int argc, char** argv) {
  auto logger = spdlog::stderr_color_st("newsdedup");
  logger->set_pattern("newsdedup: %^%l%$: %v");
  spdlog::set_default_logger(logger);

  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty()) {
    std::cerr << MainHelp();
    return 2;
  }
  if (args[0] == "--version" || args[0] == "version") {
    std::cout << "newsdedup " << kVersion << "\n";
    return 0;
  }
  if (args[0] == "--help" || args[0] == "-h") {
    std::cout << MainHelp();
    return 0;
  }
  const std::vector<Command>& commands = Commands();
  const auto command = std::find_if(commands.begin(), commands.end(),
                                    [&](const Command& c) { return args[0] == c.name; });
  if (command == commands.end()) {
    std::cerr << "newsdedup: error: unknown command '" << args[0]
              << "' (see newsdedup --help)\n";
    return 2;
  }
  std::vector<FlagSpec> flags = command->flags;
  flags.insert(flags.end(), kGlobalFlags.begin(), kGlobalFlags.end());
  absl::StatusOr<ParsedArgs> parsed =
      ParseArgs(std::vector<std::string>(args.begin() + 1, args.end()), flags);
  if (!parsed.ok()) {
    std::cerr << "newsdedup " << command->name << ": error: " << parsed.status().message()
              << " (see newsdedup " << command->name << " --help)\n";
    return 2;
  }
  if (parsed->Has("help")) {
    std::cout << CommandHelp(*command);
    return 0;
  }
  if (parsed->Has("verbose")) spdlog::set_level(spdlog::level::debug);
  if (parsed->Has("quiet")) spdlog::set_level(spdlog::level::err);
  const CommandResult result = command->run(*parsed);
  if (result.has_value()) {
    std::cerr << "newsdedup " << command->name << ": error: " << result->message << "\n";
    return result->exit_code;
  }
  return 0;
}

}  // namespace
}  // namespace newsdedup

int main(int argc, char** argv) { return newsdedup::Main(argc, argv); }
