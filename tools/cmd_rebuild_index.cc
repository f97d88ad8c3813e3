// `rebuild-index`: regenerates every index family from the stored texts.

#include <iostream>

#include "absl/strings/str_format.h"
#include "core/match_params.h"
#include "tools/cli.h"

namespace newsdedup {
namespace {

CommandResult RunRebuildIndex(const ParsedArgs& args) {
  if (!args.positionals().empty()) return UsageError("rebuild-index takes no positional arguments");
  if (!args.Has("db")) return UsageError("--db DIR is required");
  StoryStore::Options options;
  options.create_if_missing = false;
  const MatchParams params;
  absl::StatusOr<std::unique_ptr<StoryStore>> store =
      StoryStore::Open(args.Get("db"), params.Describe(), options);
  if (!store.ok()) return Fail(store.status());
  absl::StatusOr<RebuildResult> rebuilt = (*store)->RebuildIndexes(params);
  if (!rebuilt.ok()) return Fail(rebuilt.status());
  std::cout << absl::StrFormat("rebuilt the indexes of %s: %d versions, %d postings\n",
                               args.Get("db"), rebuilt->versions, rebuilt->postings);
  return std::nullopt;
}

}  // namespace

Command RebuildIndexCommand() {
  return {"rebuild-index",
          "regenerate every index from the stored texts (repairs lost or damaged index data)",
          "rebuild-index --db DIR",
          {{"db", "", true, "store folder (must exist)"}},
          RunRebuildIndex,
          StoreAccess::kWrite};
}

}  // namespace newsdedup
