#include "tools/command_line.h"

#include <algorithm>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace newsdedup {

std::string ParsedArgs::Get(const std::string& name, const std::string& fallback) const {
  const auto it = values_.find(name);
  return it == values_.end() ? fallback : it->second.back();
}

const FlagSpec* FindFlag(std::string_view name, const std::vector<FlagSpec>& specs) {
  const auto spec = std::find_if(specs.begin(), specs.end(), [&](const FlagSpec& s) {
    return s.name == name || (!s.short_name.empty() && s.short_name == name);
  });
  return spec == specs.end() ? nullptr : &*spec;
}

namespace {

// "-j1" -> {"-j", "1"} when -j takes a value; "-vq" -> {"-v", "-q"} when
// both are switches; anything else (including "-x") stays as it is.
absl::StatusOr<std::vector<std::string>> ExpandShortFlags(const std::string& arg,
                                                          const std::vector<FlagSpec>& specs) {
  if (arg.size() <= 2 || FindFlag(arg.substr(1), specs) != nullptr) return std::vector{arg};
  const FlagSpec* first = FindFlag(arg.substr(1, 1), specs);
  if (first == nullptr) return absl::InvalidArgumentError(absl::StrCat("unknown flag ", arg));
  if (first->takes_value) return std::vector<std::string>{arg.substr(0, 2), arg.substr(2)};
  std::vector<std::string> switches;
  for (size_t c = 1; c < arg.size(); ++c) {
    const FlagSpec* spec = FindFlag(arg.substr(c, 1), specs);
    if (spec == nullptr || spec->takes_value) {
      return absl::InvalidArgumentError(absl::StrCat("unknown flag ", arg));
    }
    switches.push_back(absl::StrCat("-", arg.substr(c, 1)));
  }
  return switches;
}

}  // namespace

std::vector<std::string> ParsedArgs::GetAll(const std::string& name) const {
  const auto it = values_.find(name);
  return it == values_.end() ? std::vector<std::string>() : it->second;
}

absl::StatusOr<ParsedArgs> ParseArgs(const std::vector<std::string>& given,
                                     const std::vector<FlagSpec>& specs) {
  ParsedArgs parsed;
  std::vector<std::string> args = given;  // Grows when "-j1" becomes "-j" "1".
  bool only_positionals = false;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string arg = args[i];
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
      absl::StatusOr<std::vector<std::string>> expanded = ExpandShortFlags(arg, specs);
      if (!expanded.ok()) return expanded.status();
      if (expanded->size() > 1) {
        args.erase(args.begin() + i);
        args.insert(args.begin() + i, expanded->begin(), expanded->end());
        --i;
        continue;
      }
      name = arg.substr(1);
    }
    const FlagSpec* spec = FindFlag(name, specs);
    if (spec == nullptr) {
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

size_t CommandPosition(const std::vector<std::string>& args, const std::vector<FlagSpec>& specs) {
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "-" || !absl::StartsWith(arg, "-")) return i;
    if (arg == "--") return i + 1;
    if (absl::StrContains(arg, '=')) continue;
    const std::string_view name = std::string_view(arg).substr(absl::StartsWith(arg, "--") ? 2 : 1);
    const FlagSpec* spec = FindFlag(name, specs);
    if (spec != nullptr && spec->takes_value) ++i;  // Its value is not the command.
  }
  return args.size();
}

std::string FlagsHelp(const std::vector<FlagSpec>& specs) {
  std::vector<std::string> lefts;
  size_t width = 0;
  for (const FlagSpec& spec : specs) {
    std::string left = spec.short_name.empty() ? "    " : absl::StrCat("  -", spec.short_name, ",");
    absl::StrAppend(&left, " --", spec.name, spec.takes_value ? " VALUE" : "");
    width = std::max(width, left.size());
    lefts.push_back(std::move(left));
  }
  std::string out;
  for (size_t f = 0; f < specs.size(); ++f) {
    lefts[f].resize(width, ' ');
    absl::StrAppend(&out, lefts[f], "  ", specs[f].help, "\n");
  }
  return out;
}

}  // namespace newsdedup
