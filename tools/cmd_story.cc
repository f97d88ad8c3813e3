#include <algorithm>
#include <iostream>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_format.h"
#include "store/queries.h"
#include "tools/cli.h"
#include "tools/report_format.h"
#include "tools/safe_text.h"

namespace newsdedup {
namespace {

// "s-000003", "3", "s-3" and "000003" all name story s-000003.
std::string StoryId(const std::string& given) {
  std::string digits = absl::StartsWith(given, "s-") ? given.substr(2) : given;
  uint64_t number = 0;
  if (digits.empty() ||
      !std::all_of(digits.begin(), digits.end(), [](char c) { return absl::ascii_isdigit(c); }) ||
      !absl::SimpleAtoi(digits, &number)) {
    return given;
  }
  return absl::StrFormat("s-%06d", number);
}

CommandResult RunStory(const ParsedArgs& args) {
  if (args.positionals().size() != 1) {
    return UsageError("story needs one story id (s-000003, or just 3)");
  }
  absl::StatusOr<bool> json = JsonFormat(args);
  if (!json.ok()) return Fail(json.status());
  absl::StatusOr<std::unique_ptr<StoryStore>> store = OpenStore(args, /*for_writing=*/false);
  if (!store.ok()) return Fail(store.status());
  absl::StatusOr<StoryView> view = GetStoryView(store->get(), StoryId(args.positionals()[0]));
  if (!view.ok()) return Fail(view.status());
  std::cout << (*json ? DumpJson(StoryJson(*view)) + "\n"
                      : RenderStoryText(*view, ColorWanted(), args.Has("full")));
  return std::nullopt;
}

}  // namespace

Command StoryCommand() {
  return {"story",
          "show a story's versions (v1, v2...) and what changed between them",
          "story --db DIR [--full] [--format text|json] ID",
          {kDbFlag, {"full", "", false, "every version's whole text and whole diffs"}, kFormatFlag},
          RunStory,
          StoreAccess::kRead};
}

}  // namespace newsdedup
