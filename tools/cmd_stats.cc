#include "tools/cli.h"

#include <iostream>
#include <string>
#include <vector>

#include "absl/strings/str_format.h"
#include "nlohmann/json.hpp"
#include "tools/safe_text.h"

namespace newsdedup {
namespace {

CommandResult RunStats(const ParsedArgs& args) {
  absl::StatusOr<bool> json = JsonFormat(args);
  if (!json.ok()) return Fail(json.status());
  absl::StatusOr<std::unique_ptr<StoryStore>> store = OpenStore(args, /*for_writing=*/false);
  if (!store.ok()) return Fail(store.status());
  absl::StatusOr<StoreStats> stats = (*store)->Stats();
  if (!stats.ok()) return Fail(stats.status());
  nlohmann::json index = nlohmann::json::object();
  for (const auto& [name, keys] : stats->index_keys) index[name] = keys;
  const nlohmann::json out = {{"snapshots", stats->snapshots}, {"stories", stats->stories},
                              {"versions", stats->versions},   {"items", stats->items},
                              {"index_keys", index},          {"bytes_on_disk", stats->bytes_on_disk}};
  if (*json) {
    std::cout << DumpJson(out) << "\n";
  } else {
    std::cout << absl::StrFormat("snapshots %d\nstories %d\nversions %d\nitems %d\n",
                                 stats->snapshots, stats->stories, stats->versions, stats->items);
    for (const auto& [name, keys] : stats->index_keys) {
      std::cout << absl::StrFormat("index %s: ~%d keys\n", name, keys);
    }
    std::cout << absl::StrFormat("bytes on disk %d (%.1f MiB)\n", stats->bytes_on_disk,
                                 stats->bytes_on_disk / 1048576.0);
  }
  return std::nullopt;
}

}  // namespace

Command StatsCommand() {
  return {"stats", "counts, index sizes and bytes on disk of a store",
          "stats --db DIR [--format text|json]", {kDbFlag, kFormatFlag}, RunStats, StoreAccess::kRead};
}

}  // namespace newsdedup
