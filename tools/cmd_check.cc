#include "tools/cli.h"

#include <iostream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "core/match_params.h"

namespace newsdedup {
namespace {

CommandResult RunCheck(const ParsedArgs& args) {
  absl::StatusOr<std::unique_ptr<StoryStore>> store = OpenStore(args, /*for_writing=*/false);
  if (!store.ok()) return Fail(store.status());
  std::vector<std::string> problems;
  const MatchParams params;
  CheckOptions options;
  if (args.Has("deep")) options.deep = &params;
  if (absl::Status status = (*store)->Check(options, &problems); !status.ok()) return Fail(status);
  for (const std::string& problem : problems) std::cout << "problem: " << problem << "\n";
  if (!problems.empty()) {
    return Failure{1, absl::StrCat(Plural(problems.size(), "problem", "problems"), " found in ",
                                   args.Get("db"))};
  }
  std::cout << "ok: " << args.Get("db") << " is consistent\n";
  return std::nullopt;
}

}  // namespace

Command CheckCommand() {
  return {"check", "verify a store's invariants and checksums (exit 1 on any problem)",
          "check --db DIR [--deep]",
          {kDbFlag,
           {"deep", "", false,
            "also recompute every version's postings from its texts and look each one up"}},
          RunCheck, StoreAccess::kRead};
}

}  // namespace newsdedup
