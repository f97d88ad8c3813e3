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

namespace newsdedup {

// A failed command: its message and exit code.
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

// Exit 2 for usage errors, 1 for every other failure.
CommandResult UsageError(std::string message);
CommandResult Fail(const absl::Status& status);

// One entry of the command table (tools/main.cc).
struct Command {
  const char* name;
  const char* summary;
  const char* usage;
  std::vector<FlagSpec> flags;
  CommandResult (*run)(const ParsedArgs& args);
};

// The commands, one function per file (tools/cmd_*.cc).
Command IngestCommand();
Command ReportCommand();
Command DiffCommand();
Command StoryCommand();
Command DupsCommand();
Command StatsCommand();
Command CheckCommand();
Command ServeCommand();

extern const FlagSpec kDbFlag;
extern const FlagSpec kFormatFlag;
extern const FlagSpec kThreadsFlag;
extern const FlagSpec kDumpFormatFlag;

// ANSI colors: stdout is a terminal and NO_COLOR is unset.
bool ColorWanted();

// --input-format, absent when not given; a usage error for a bad name.
absl::StatusOr<std::optional<DumpFormat>> DumpFormatFlag(const ParsedArgs& args);
// --threads, 0 (one per core) when not given.
absl::StatusOr<int> ThreadsFlag(const ParsedArgs& args);
// --format: true for json, false for text.
absl::StatusOr<bool> JsonFormat(const ParsedArgs& args);

// Opens --db: for writing (created when missing, the build's params checked)
// or read-only (no lock, any params).
absl::StatusOr<std::unique_ptr<StoryStore>> OpenStore(const ParsedArgs& args, bool for_writing);

// Ingests one dump as a snapshot; an error names the file.
absl::StatusOr<IngestResult> IngestFile(Ingester& ingester, const std::string& path,
                                        const std::string& source, const std::string& captured_at,
                                        std::string bytes, std::optional<DumpFormat> format);

// Builds and prints the report of one snapshot, as text or one JSON line.
absl::Status PrintReport(StoryStore* store, uint64_t snapshot_id, bool json);
// Prints a report built already, as PrintReport does.
void PrintBuiltReport(const SnapshotReport& report, bool json);

}  // namespace newsdedup

#endif  // NEWSDEDUP_TOOLS_CLI_H_
