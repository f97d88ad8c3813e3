#include "tools/cli.h"

#include <iostream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"

namespace newsdedup {
namespace {

CommandResult RunCheck(const ParsedArgs& args) {
  absl::StatusOr<std::unique_ptr<StoryStore>> store = OpenStore(args, /*for_writing=*/false);
  if (!store.ok()) return Fail(store.status());
  std::vector<std::string> problems;
  if (absl::Status status = (*store)->Check(&problems); !status.ok()) return Fail(status);
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
          "check --db DIR", {kDbFlag}, RunCheck, StoreAccess::kRead};
}

}  // namespace newsdedup
