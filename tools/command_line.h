#ifndef NEWSDEDUP_TOOLS_COMMAND_LINE_H_
#define NEWSDEDUP_TOOLS_COMMAND_LINE_H_

// Flag parsing shared by the subcommands: "--name value", "--name=value",
// boolean "--name", short aliases ("-j 1", "-j1", "-vq"), positionals, "--"
// (only positionals follow), and "-" as a positional (standard input).
// Unknown flags are usage errors (exit 2).

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace newsdedup {

struct FlagSpec {
  std::string name;        // Without dashes: "db".
  std::string short_name;  // "v" for -v, or empty.
  bool takes_value = true;
  std::string help;        // One line for --help.
};

class ParsedArgs {
 public:
  bool Has(const std::string& name) const { return values_.contains(name); }
  // The value of the last occurrence, or `fallback`.
  std::string Get(const std::string& name, const std::string& fallback = "") const;
  // Every value given for a repeatable flag, in order.
  std::vector<std::string> GetAll(const std::string& name) const;
  const std::vector<std::string>& positionals() const { return positionals_; }

 private:
  friend absl::StatusOr<ParsedArgs> ParseArgs(const std::vector<std::string>& args,
                                              const std::vector<FlagSpec>& specs);
  std::map<std::string, std::vector<std::string>> values_;
  std::vector<std::string> positionals_;
};

// InvalidArgumentError naming the unknown flag or the flag missing its value.
absl::StatusOr<ParsedArgs> ParseArgs(const std::vector<std::string>& args,
                                     const std::vector<FlagSpec>& specs);

// The spec whose name or short name is `name` (no dashes), or null.
const FlagSpec* FindFlag(std::string_view name, const std::vector<FlagSpec>& specs);

// The index of the command name in a command line whose flags may come
// before it ("newsdedup -q ingest ..."): the first argument that is neither
// a flag nor the value of a flag of `specs`; args.size() when there is none.
size_t CommandPosition(const std::vector<std::string>& args, const std::vector<FlagSpec>& specs);

// The flags' help lines, aligned.
std::string FlagsHelp(const std::vector<FlagSpec>& specs);

}  // namespace newsdedup

#endif  // NEWSDEDUP_TOOLS_COMMAND_LINE_H_
