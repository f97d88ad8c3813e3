#include "tools/cli.h"

#include <iostream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "nlohmann/json.hpp"
#include "store/snapshot_report.h"
#include "tools/report_format.h"

namespace newsdedup {
namespace {

CommandResult RunStory(const ParsedArgs& args) {
  if (args.positionals().size() != 1) return UsageError("story needs one story id (e.g. s-000003)");
  absl::StatusOr<bool> json = JsonFormat(args);
  if (!json.ok()) return Fail(json.status());
  absl::StatusOr<std::unique_ptr<StoryStore>> store = OpenStore(args, /*for_writing=*/false);
  if (!store.ok()) return Fail(store.status());
  absl::StatusOr<StoryRecord> story = (*store)->GetStory(args.positionals()[0]);
  if (!story.ok()) {
    if (absl::IsNotFound(story.status())) {
      return Fail(absl::NotFoundError(absl::StrCat("no story ", args.positionals()[0])));
    }
    return Fail(story.status());
  }
  absl::StatusOr<std::vector<std::optional<VersionRecord>>> versions =
      (*store)->MultiGetVersions(story->versions);
  if (!versions.ok()) return Fail(versions.status());
  nlohmann::json out = {{"story", story->id},         {"title", story->title},
                        {"first_seen", story->first_seen}, {"last_seen", story->last_seen},
                        {"canonical_version", story->canonical_version}, {"url", story->url}};
  nlohmann::json version_list = nlohmann::json::array();
  std::string text = absl::StrFormat("%s  %s\nfirst seen %s, last seen %s, %d versions\n", story->id,
                                     story->title, story->first_seen, story->last_seen,
                                     story->versions.size());
  const VersionRecord* previous = nullptr;
  for (const std::optional<VersionRecord>& version : *versions) {
    if (!version.has_value()) return Fail(absl::DataLossError("story lists a missing version"));
    nlohmann::json entry = {{"version", version->id},       {"first_seen", version->first_seen},
                            {"last_seen", version->last_seen}, {"snapshots", version->snapshots},
                            {"rule", MatchRuleName(version->rule)},         {"title", version->title},
                            {"text", VersionText(*version)}};
    absl::StrAppendFormat(&text, "\nversion %d%s  first seen %s, last seen %s, snapshots %s (%s)\n",
                          version->id, version->id == story->canonical_version ? " (canonical)" : "",
                          version->first_seen, version->last_seen,
                          absl::StrJoin(version->snapshots, ","), std::string(MatchRuleName(version->rule)));
    if (previous != nullptr) {
      VersionChange change;
      change.before_text = VersionText(*previous);
      change.after_text = VersionText(*version);
      entry["diff"] = ChangeDiff(change, false);
      absl::StrAppend(&text, "  ", ChangeDiff(change, ColorWanted()), "\n");
    } else {
      absl::StrAppend(&text, "  ", VersionText(*version).substr(0, 400), "\n");
    }
    version_list.push_back(std::move(entry));
    previous = &*version;
  }
  out["versions"] = std::move(version_list);
  std::cout << (*json ? out.dump() + "\n" : text);
  return std::nullopt;
}

}  // namespace

Command StoryCommand() {
  return {"story", "show a story's versions and what changed between them",
          "story --db DIR [--format text|json] ID", {kDbFlag, kFormatFlag}, RunStory};
}

}  // namespace newsdedup
