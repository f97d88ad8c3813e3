#include <iostream>
#include <string>
#include <vector>

#include "tools/cli.h"
#include "tools/dups.h"
#include "tools/input.h"

namespace newsdedup {
namespace {

CommandResult RunDups(const ParsedArgs& args) {
  if (args.positionals().empty()) return UsageError("dups needs at least one FILE");
  absl::StatusOr<std::optional<DumpFormat>> dump_format = DumpFormatFlag(args);
  if (!dump_format.ok()) return Fail(dump_format.status());
  absl::StatusOr<int> threads = ThreadsFlag(args);
  if (!threads.ok()) return Fail(threads.status());
  absl::StatusOr<ExpandedInputs> inputs = ExpandInputs(args.positionals());
  if (!inputs.ok()) return Fail(inputs.status());
  DupsOptions options;
  options.format = *dump_format;
  options.threads = *threads;
  absl::Status status = FindDuplicates(inputs->files, options, std::cout);
  if (!status.ok()) return Fail(status);
  return std::nullopt;
}

}  // namespace

Command DupsCommand() {
  return {"dups",
          "near-duplicate clusters in dumps or JSONL corpora (JSON Lines out)",
          "dups [--input-format F] [--threads N] FILE|DIR|GLOB...",
          {kDumpFormatFlag, kThreadsFlag},
          RunDups,
          StoreAccess::kNone};
}

}  // namespace newsdedup
