#include "tools/cli.h"

#include <iostream>
#include <string>

#include "store/queries.h"
#include "tools/report_format.h"

namespace newsdedup {
namespace {

CommandResult RunStory(const ParsedArgs& args) {
  if (args.positionals().size() != 1) return UsageError("story needs one story id (e.g. s-000003)");
  absl::StatusOr<bool> json = JsonFormat(args);
  if (!json.ok()) return Fail(json.status());
  absl::StatusOr<std::unique_ptr<StoryStore>> store = OpenStore(args, /*for_writing=*/false);
  if (!store.ok()) return Fail(store.status());
  absl::StatusOr<StoryView> view = GetStoryView(store->get(), args.positionals()[0]);
  if (!view.ok()) return Fail(view.status());
  std::cout << (*json ? StoryJson(*view).dump() + "\n" : RenderStoryText(*view, ColorWanted()));
  return std::nullopt;
}

}  // namespace

Command StoryCommand() {
  return {"story", "show a story's versions and what changed between them",
          "story --db DIR [--format text|json] ID", {kDbFlag, kFormatFlag}, RunStory};
}

}  // namespace newsdedup
