#include <algorithm>
#include <iostream>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "nlohmann/json.hpp"
#include "store/snapshot_report.h"
#include "tools/cli.h"
#include "tools/report_format.h"

namespace newsdedup {
namespace {

// How much of the first version `story` shows without --full.
constexpr size_t kPreviewBytes = 400;

// "s-000003", "3", "s-3" and "000003" all name story s-000003.
std::string StoryId(const std::string& given) {
  std::string digits = absl::StartsWith(given, "s-") ? given.substr(2) : given;
  uint64_t number = 0;
  if (digits.empty() || !std::all_of(digits.begin(), digits.end(), [](char c) { return absl::ascii_isdigit(c); }) ||
      !absl::SimpleAtoi(digits, &number)) {
    return given;
  }
  return absl::StrFormat("s-%06d", number);
}

// Indents each line of `text` by four spaces.
std::string Indented(const std::string& text) {
  std::string out = "    ";
  for (char c : text) {
    out += c;
    if (c == '\n') out += "    ";
  }
  return out + "\n";
}

struct StoryOutput {
  nlohmann::json json;
  std::string text;
};

StoryOutput RenderStory(const StoryRecord& story, const std::vector<VersionRecord>& versions,
                        bool full) {
  StoryOutput out;
  out.json = {{"story", story.id},           {"title", story.title},
              {"first_seen", story.first_seen}, {"last_seen", story.last_seen},
              {"canonical_version", story.canonical_version}, {"url", story.url}};
  out.text = absl::StrFormat("%s  %s\nfirst seen %s, last seen %s, %s\n", story.id, story.title,
                             story.first_seen, story.last_seen,
                             Plural(versions.size(), "version", "versions"));
  nlohmann::json list = nlohmann::json::array();
  for (size_t v = 0; v < versions.size(); ++v) {
    const VersionRecord& version = versions[v];
    const std::string text = VersionText(version);
    nlohmann::json entry = {{"number", v + 1},          {"version", version.id},
                            {"first_seen", version.first_seen}, {"last_seen", version.last_seen},
                            {"snapshots", version.snapshots},   {"rule", MatchRuleName(version.rule)},
                            {"title", version.title},           {"text", text}};
    absl::StrAppendFormat(&out.text, "\nv%d (version %d%s)  first seen %s, last seen %s, %s %s (%s)\n",
                          v + 1, version.id,
                          version.id == story.canonical_version ? ", canonical" : "",
                          version.first_seen, version.last_seen,
                          version.snapshots.size() == 1 ? "snapshot" : "snapshots",
                          absl::StrJoin(version.snapshots, ","),
                          std::string(MatchRuleName(version.rule)));
    if (full) absl::StrAppend(&out.text, Indented(text));
    if (v > 0) {
      const std::string before = VersionText(versions[v - 1]);
      entry["diff"] = RenderTextDiff(before, text, /*color=*/false);
      entry["ops"] = DiffOpsJson(before, text);
      absl::StrAppend(&out.text, full ? "  changes from v" : "", full ? absl::StrCat(v, ":\n") : "",
                      "    ", RenderTextDiff(before, text, ColorWanted(), full), "\n");
    } else if (!full) {
      absl::StrAppend(&out.text, "    ", Preview(text, kPreviewBytes), "\n");
    }
    list.push_back(std::move(entry));
  }
  out.json["versions"] = std::move(list);
  return out;
}

CommandResult RunStory(const ParsedArgs& args) {
  if (args.positionals().size() != 1) {
    return UsageError("story needs one story id (s-000003, or just 3)");
  }
  absl::StatusOr<bool> json = JsonFormat(args);
  if (!json.ok()) return Fail(json.status());
  absl::StatusOr<std::unique_ptr<StoryStore>> store = OpenStore(args, /*for_writing=*/false);
  if (!store.ok()) return Fail(store.status());
  const std::string id = StoryId(args.positionals()[0]);
  absl::StatusOr<StoryRecord> story = (*store)->GetStory(id);
  if (absl::IsNotFound(story.status())) return Fail(absl::NotFoundError(absl::StrCat("no story ", id)));
  if (!story.ok()) return Fail(story.status());
  absl::StatusOr<std::vector<std::optional<VersionRecord>>> found =
      (*store)->MultiGetVersions(story->versions);
  if (!found.ok()) return Fail(found.status());
  std::vector<VersionRecord> versions;
  for (std::optional<VersionRecord>& version : *found) {
    if (!version.has_value()) return Fail(absl::DataLossError(absl::StrCat(id, " lists a missing version")));
    versions.push_back(*std::move(version));
  }
  // v1..vN in time order: a capture ingested late (--allow-past) may have
  // made an older text after a newer one.
  std::stable_sort(versions.begin(), versions.end(), [](const VersionRecord& a, const VersionRecord& b) {
    return a.first_seen < b.first_seen;
  });
  const StoryOutput out = RenderStory(*story, versions, args.Has("full"));
  std::cout << (*json ? out.json.dump() + "\n" : out.text);
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
