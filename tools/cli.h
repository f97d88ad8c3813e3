#ifndef NEWSDEDUP_TOOLS_CLI_H_
#define NEWSDEDUP_TOOLS_CLI_H_

// What every subcommand of the newsdedup CLI shares: the command table entry,
// how a failure becomes an exit code, the common flags and their parsing, and
// the store setup. Exit codes: 0 ok, 1 failure, 2 usage error.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "core/dump_parser.h"
#include "store/ingest.h"
#include "store/snapshot_report.h"
#include "store/story_store.h"
#include "tools/command_line.h"
#include "tools/dups.h"
#include "tools/report_format.h"

namespace newsdedup {

// A failed command: its message and exit code. An empty message is a
// deliberate non-zero exit with nothing to say (--exit-code: "something
// changed").
struct Failure {
  int exit_code;
  std::string message;
};
using CommandResult = std::optional<Failure>;  // nullopt: success.

// A usage error (a bad flag value, a missing argument) is an
// InvalidArgumentError carrying a payload that marks it, so that the exit
// code is decided on the status, never on its message.
absl::Status UsageErrorStatus(std::string_view message);
bool IsUsageError(const absl::Status& status);
// `status`'s message as a usage error (a flag value that did not parse).
absl::Status AsUsageError(const absl::Status& status);

// Exit 2 for usage errors, 1 for every other failure.
CommandResult UsageError(std::string message);
CommandResult Fail(const absl::Status& status);
// Exit 1 without a message: what --exit-code returns when something changed.
// Failures then exit 2, as diff(1) does.
CommandResult Changed();

// What a command does to the store named by --db (ninja's `when` column):
// its help says so, and the --db flag's help follows from it.
enum class StoreAccess {
  kNone,   // No store (diff, dups).
  kRead,   // Opens an existing store read-only: never changes it, takes no
           // lock, runs beside an ingest.
  kWrite,  // Takes the store's lock (one writer at a time, see --wait) and
           // may change it; ingest creates it when missing.
};

// One line for a command's help: "store: read-only (...)".
std::string StoreAccessHelp(StoreAccess access);

// One entry of the command table (tools/main.cc).
struct Command {
  const char* name;
  const char* summary;
  const char* usage;
  std::vector<FlagSpec> flags;
  CommandResult (*run)(const ParsedArgs& args);
  StoreAccess access = StoreAccess::kNone;
};

// The commands, one function per file (tools/cmd_*.cc).
Command IngestCommand();
Command ReportCommand();
Command DiffCommand();
Command StoryCommand();
Command DupsCommand();
Command StatsCommand();
Command CheckCommand();
Command SnapshotsCommand();
Command ServeCommand();
Command BackupCommand();
Command RestoreCommand();
Command RebuildIndexCommand();
Command DeleteCommand();
Command PruneCommand();

// --db for StoreAccess::kRead commands.
extern const FlagSpec kDbFlag;
// --db for commands that write, and the --wait for its lock that goes with it.
extern const FlagSpec kWritableDbFlag;
extern const FlagSpec kWaitFlag;
extern const FlagSpec kFormatFlag;
extern const FlagSpec kThreadsFlag;
extern const FlagSpec kDumpFormatFlag;
// The report flags of ingest, report and diff.
extern const FlagSpec kOnlyFlag;
extern const FlagSpec kSummaryFlag;
extern const FlagSpec kExitCodeFlag;

// ANSI colors: stdout is a terminal and NO_COLOR is unset.
bool ColorWanted();

// --input-format, absent when not given; a usage error for a bad name.
absl::StatusOr<std::optional<DumpFormat>> DumpFormatFlag(const ParsedArgs& args);
// --threads, 0 (one per core) when not given.
absl::StatusOr<int> ThreadsFlag(const ParsedArgs& args);
// The options of `dups` (and of the MPI dups, tools/mpi/) from its flags;
// a usage error without a FILE or for a bad flag value.
absl::StatusOr<DupsOptions> DupsFlags(const ParsedArgs& args);
// --format: true for json, false for text.
absl::StatusOr<bool> JsonFormat(const ParsedArgs& args);

// Opens --db: for writing (created when missing, the build's params checked;
// while another process holds the store's lock, retried for --wait seconds,
// then UnavailableError) or read-only (no lock, any params).
absl::StatusOr<std::unique_ptr<StoryStore>> OpenStore(const ParsedArgs& args, bool for_writing);

// The request to ingest the dump read from `path` (its format from the flag
// or the name, InputFormat).
IngestRequest DumpRequest(const std::string& path, const std::string& source,
                          const std::string& captured_at, std::string bytes,
                          std::optional<DumpFormat> format);

// `status` with the file it is about, and for a dump refused by an ingest
// check the flag that overrides it.
absl::Status InFile(const std::string& path, const absl::Status& status);

// Flushes standard output; an error naming the cause when what was written
// did not reach it (a full disk, a closed pipe): a command whose output is
// lost has failed.
absl::Status FlushStandardOutput();

// How to print reports: --format, --only, --summary (and the color of the
// terminal).
struct ReportOptions {
  bool json = false;
  ReportView view;
  int threads = 0;  // For building and rendering; 0: one per core.
};
absl::StatusOr<ReportOptions> ReportFlags(const ParsedArgs& args);

// Builds and prints the report of one snapshot, as text or one JSON line,
// and flushes it. Returns whether the snapshot changed anything (a new,
// updated or dropped story).
absl::StatusOr<bool> PrintReport(StoryStore* store, uint64_t snapshot_id,
                                 const ReportOptions& options);
// Prints a report built already, as PrintReport does.
absl::StatusOr<bool> PrintBuiltReport(const SnapshotReport& report,
                                      const ReportOptions& options);

}  // namespace newsdedup

#endif  // NEWSDEDUP_TOOLS_CLI_H_
