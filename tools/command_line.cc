#include "tools/command_line.h"

#include <algorithm>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace newsdedup {

std::string ParsedArgs::Get(const std::string& name, const std::string& fallback) const {
  const auto it = values_.find(name);
  return it == values_.end() ? fallback : it->second.back();
}

std::vector<std::string> ParsedArgs::GetAll(const std::string& name) const {
  const auto it = values_.find(name);
  return it == values_.end() ? std::vector<std::string>() : it->second;
}

absl::StatusOr<ParsedArgs> ParseArgs(const std::vector<std::string>& args,
                                     const std::vector<FlagSpec>& specs) {
  ParsedArgs parsed;
  bool only_positionals = false;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (only_positionals || arg == "-" || !absl::StartsWith(arg, "-")) {
      parsed.positionals_.push_back(arg);
      continue;
    }
    if (arg == "--") {
      only_positionals = true;
      continue;
    }
    std::string name;
    std::optional<std::string> inline_value;
    if (absl::StartsWith(arg, "--")) {
      name = arg.substr(2);
      const size_t eq = name.find('=');
      if (eq != std::string::npos) {
        inline_value = name.substr(eq + 1);
        name.resize(eq);
      }
    } else {
      name = arg.substr(1);
    }
    const auto spec = std::find_if(specs.begin(), specs.end(), [&](const FlagSpec& s) {
      return s.name == name || (!s.short_name.empty() && s.short_name == name);
    });
    if (spec == specs.end()) {
      return absl::InvalidArgumentError(absl::StrCat("unknown flag ", arg));
    }
    if (!spec->takes_value) {
      if (inline_value.has_value()) {
        return absl::InvalidArgumentError(absl::StrCat("flag --", spec->name, " takes no value"));
      }
      parsed.values_[spec->name].push_back("true");
      continue;
    }
    if (!inline_value.has_value()) {
      if (i + 1 >= args.size()) {
        return absl::InvalidArgumentError(absl::StrCat("flag --", spec->name, " needs a value"));
      }
      inline_value = args[++i];
    }
    parsed.values_[spec->name].push_back(*inline_value);
  }
  return parsed;
}

std::string FlagsHelp(const std::vector<FlagSpec>& specs) {
  std::string out;
  for (const FlagSpec& spec : specs) {
    std::string left = spec.short_name.empty() ? "    " : absl::StrCat("  -", spec.short_name, ",");
    absl::StrAppend(&left, " --", spec.name, spec.takes_value ? " VALUE" : "");
    if (left.size() < 26) left.resize(26, ' ');
    absl::StrAppend(&out, left, " ", spec.help, "\n");
  }
  return out;
}

}  // namespace newsdedup
