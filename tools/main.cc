// newsdedup: deduplication and change tracking for scraped news dumps.
// Subcommands come from one table (Commands(), each entry from its own
// tools/cmd_*.cc); --help is generated from it. Exit codes: 0 ok, 1 failure,
// 2 usage error.

#include <algorithm>
#include <iostream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "spdlog/sinks/stdout_color_sinks.h"
#include "spdlog/spdlog.h"
#include "tools/cli.h"
#include "tools/command_line.h"

namespace newsdedup {
namespace {

constexpr char kVersion[] = "0.1.0";

CommandResult RunHelp(const ParsedArgs& args);

const std::vector<Command>& Commands() {
  static const std::vector<Command> commands = {
      IngestCommand(), ReportCommand(), DiffCommand(), StoryCommand(), DupsCommand(),
      StatsCommand(),  CheckCommand(), ServeCommand(),
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
