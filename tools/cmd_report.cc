#include "tools/cli.h"

#include <iostream>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace newsdedup {
namespace {

CommandResult RunReport(const ParsedArgs& args) {
  if (!args.positionals().empty()) return UsageError("report takes no positional arguments");
  absl::StatusOr<bool> json = JsonFormat(args);
  if (!json.ok()) return Fail(json.status());
  absl::StatusOr<std::unique_ptr<StoryStore>> store = OpenStore(args, /*for_writing=*/false);
  if (!store.ok()) return Fail(store.status());
  absl::StatusOr<StoreCounters> counters = (*store)->GetCounters();
  if (!counters.ok()) return Fail(counters.status());
  const std::string wanted = args.Get("snapshot", "latest");
  uint64_t id = 0;
  if (wanted == "latest") {
    id = counters->last_snapshot_id;
    if (id == 0) return Fail(absl::NotFoundError("the store holds no snapshot yet"));
  } else if (!absl::SimpleAtoi(wanted, &id) || id == 0) {
    return UsageError(absl::StrCat("--snapshot must be a snapshot id or 'latest', not '", wanted, "'"));
  }
  if (id > counters->last_snapshot_id) {
    return Fail(absl::NotFoundError(absl::StrCat("no snapshot ", id, " (the store has ",
                                                 counters->last_snapshot_id, ")")));
  }
  if (absl::Status status = PrintReport(store->get(), id, *json); !status.ok()) {
    return Fail(status);
  }
  return std::nullopt;
}

}  // namespace

Command ReportCommand() {
  return {"report", "report what changed in one snapshot",
          "report --db DIR [--snapshot ID|latest] [--format text|json]",
          {kDbFlag, {"snapshot", "", true, "snapshot id or latest (default)"}, kFormatFlag},
          RunReport};
}

}  // namespace newsdedup
