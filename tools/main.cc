// newsdedup: deduplication and change tracking for scraped news dumps.
// Subcommands come from one table (Commands(), each entry from its own
// tools/cmd_*.cc); --help is generated from it. Exit codes: 0 ok, 1 failure,
// 2 usage error.

#include <algorithm>
#include <cstdio>
#include <new>
#include <system_error>
#include <iostream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "spdlog/sinks/stdout_color_sinks.h"
#include "spdlog/spdlog.h"
#include "tools/cli.h"
#include "tools/command_line.h"
#include "tools/interrupt.h"
#include "tools/safe_text.h"

namespace newsdedup {
namespace {

constexpr char kVersion[] = "0.1.0";

CommandResult RunHelp(const ParsedArgs& args);

const std::vector<Command>& Commands() {
  static const std::vector<Command> commands = {
      IngestCommand(), ReportCommand(), SnapshotsCommand(), DiffCommand(), StoryCommand(),
      DupsCommand(),   StatsCommand(),  CheckCommand(),     RebuildIndexCommand(),
      DeleteCommand(), PruneCommand(),  BackupCommand(),    RestoreCommand(),
      ServeCommand(),
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
  return absl::StrCat("usage: newsdedup ", command.usage, "\n", command.summary, "\n",
                      StoreAccessHelp(command.access), "\n\n", FlagsHelp(flags));
}

std::string MainHelp() {
  std::string out = absl::StrCat(
      "newsdedup ", kVersion,
      ": deduplication and change tracking for scraped news dumps\n\n"
      "usage: newsdedup [-v|-q] COMMAND [flags]\n\ncommands:\n");
  for (const Command& command : Commands()) {
    absl::StrAppendFormat(&out, "  %-14s %s\n", command.name, command.summary);
  }
  absl::StrAppend(&out,
                  "\nGlobal flags (before or after the command):\n", FlagsHelp(kGlobalFlags),
                  "\n'newsdedup COMMAND --help' shows a command's flags.\n");
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

// Every flag of every command: what may stand before the command's name.
std::vector<FlagSpec> AllFlags() {
  std::vector<FlagSpec> all = kGlobalFlags;
  for (const Command& command : Commands()) {
    all.insert(all.end(), command.flags.begin(), command.flags.end());
  }
  return all;
}

// Writes one line on stderr; false when stderr cannot be written either.
bool ErrorLine(const std::string& line) {
  std::fputs(line.c_str(), stderr);
  std::fputs("\n", stderr);
  return std::fflush(stderr) == 0 && !std::ferror(stderr);
}

// The exit code of a command (`who` in messages) given what it returned: a command that
// succeeded but whose output could not be written (a full disk, a closed
// pipe with SIGPIPE ignored) failed. With --exit-code, 1 means "changed", so
// failures exit 2.
int Finish(const std::string& who, bool exit_code_flag, CommandResult result) {
  const auto failed = [&] { return result.has_value() && !result->message.empty(); };
  if (!failed()) {
    if (absl::Status written = FlushStandardOutput(); !written.ok()) result = Fail(written);
  }
  if (failed()) {
    const int code = exit_code_flag ? 2 : result->exit_code;
    const bool shown =
        ErrorLine(absl::StrCat(who, ": error: ", TerminalSafe(result->message)));
    return shown ? code : std::max(code, 1);
  }
  // Warnings that could not be written are lost output too.
  const bool stderr_ok = std::fflush(stderr) == 0 && !std::ferror(stderr);
  if (!stderr_ok) return exit_code_flag ? 2 : 1;
  return result.has_value() ? result->exit_code : 0;
}

// Our code returns errors as values; what the standard library throws when
// the machine runs out of memory or threads becomes one line and exit 1, not
// an abort (RocksDB's own threads are not covered: they allocate little).
CommandResult RunCatchingResourceErrors(const Command& command, const ParsedArgs& args) {
  try {
    return command.run(args);
  } catch (const std::bad_alloc&) {
    return Failure{1, "out of memory: the input is too large for this machine (README, "
                      "\"Memory\"); what was committed before stays whole"};
  } catch (const std::system_error& error) {
    return Failure{1, absl::StrCat("the system refused a resource: ", error.what())};
  }
}

int Main(int argc, char** argv) {
  auto logger = spdlog::stderr_color_st("newsdedup");
  logger->set_pattern("newsdedup: %^%l%$: %v");
  spdlog::set_default_logger(logger);

  std::vector<std::string> args(argv + 1, argv + argc);
  const size_t position = CommandPosition(args, AllFlags());
  const auto has = [&](const char* flag) {
    return std::find(args.begin(), args.begin() + position, flag) != args.begin() + position;
  };
  if (position < args.size() && args[position] == "version") {
    std::cout << "newsdedup " << kVersion << "\n";
    return Finish("newsdedup", false, std::nullopt);
  }
  if (position == args.size()) {
    if (has("--version")) {
      std::cout << "newsdedup " << kVersion << "\n";
      return Finish("newsdedup", false, std::nullopt);
    }
    if (has("--help") || has("-h")) {
      std::cout << MainHelp();
      return Finish("newsdedup", false, std::nullopt);
    }
    std::cerr << MainHelp();
    return 2;
  }
  const std::vector<Command>& commands = Commands();
  const auto command = std::find_if(commands.begin(), commands.end(),
                                    [&](const Command& c) { return args[position] == c.name; });
  if (command == commands.end()) {
    ErrorLine(absl::StrCat("newsdedup: error: unknown command '", args[position],
                           "' (see newsdedup --help)"));
    return 2;
  }
  // Flags before the command's name count as if they came after it.
  std::vector<std::string> command_args(args.begin(), args.begin() + position);
  command_args.insert(command_args.end(), args.begin() + position + 1, args.end());
  std::vector<FlagSpec> flags = command->flags;
  flags.insert(flags.end(), kGlobalFlags.begin(), kGlobalFlags.end());
  absl::StatusOr<ParsedArgs> parsed = ParseArgs(command_args, flags);
  if (!parsed.ok()) {
    ErrorLine(absl::StrCat("newsdedup ", command->name, ": error: ", parsed.status().message(),
                           " (see newsdedup ", command->name, " --help)"));
    return 2;
  }
  if (parsed->Has("help")) {
    std::cout << CommandHelp(*command);
    return Finish(absl::StrCat("newsdedup ", command->name), false, std::nullopt);
  }
  if (parsed->Has("verbose")) spdlog::set_level(spdlog::level::debug);
  if (parsed->Has("quiet")) spdlog::set_level(spdlog::level::err);
  InstallInterruptHandler(command->name, command->access == StoreAccess::kWrite);
  return Finish(absl::StrCat("newsdedup ", command->name), parsed->Has("exit-code"),
                RunCatchingResourceErrors(*command, *parsed));
}

}  // namespace
}  // namespace newsdedup

int main(int argc, char** argv) { return newsdedup::Main(argc, argv); }
