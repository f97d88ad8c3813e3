#include "store/snapshot_report.h"

#include <algorithm>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"

namespace newsdedup {

std::string VersionText(const VersionRecord& version) {
  std::string text;
  for (const std::string* field : {&version.title, &version.lede, &version.body}) {
    if (field->empty()) continue;
    if (!text.empty()) text += '\n';
    text += *field;
  }
  return text;
}

absl::StatusOr<SnapshotReport> BuildSnapshotReport(StoryStore* store, uint64_t snapshot_id) {
  SnapshotReport report;
  absl::StatusOr<SnapshotRecord> snapshot = store->GetSnapshot(snapshot_id);
  if (!snapshot.ok()) return snapshot.status();
  report.snapshot = *snapshot;
  absl::StatusOr<std::vector<ItemRecord>> items = store->GetSnapshotItems(snapshot_id);
  if (!items.ok()) return items.status();

  // One entry per story, in order of its first item.
  absl::flat_hash_map<std::string, size_t> entry_of;
  for (const ItemRecord& item : *items) {
    auto [it, inserted] = entry_of.try_emplace(item.story_id, report.stories.size());
    if (inserted) {
      ReportEntry entry;
      entry.story_id = item.story_id;
      entry.status = item.status;
      entry.change = item.change;
      entry.rule = item.rule;
      entry.similarity = item.similarity;
      entry.containment = item.containment;
      entry.returned = item.returned;
      entry.version_id = item.version_id;
      entry.previous_version_id = item.previous_version_id;
      report.stories.push_back(std::move(entry));
    }
    ReportEntry& entry = report.stories[it->second];
    entry.items.push_back(item.position);
    // A story is updated when any of its items brings a changed text; the
    // first such item gives the change shown.
    if (item.status == "updated" && entry.status == "unchanged") {
      entry.status = "updated";
      entry.change = item.change;
      entry.similarity = item.similarity;
      entry.containment = item.containment;
      entry.version_id = item.version_id;
      entry.previous_version_id = item.previous_version_id;
    }
  }

  absl::StatusOr<std::optional<SnapshotRecord>> previous =
      store->PreviousSnapshot(report.snapshot.source, report.snapshot.kind, snapshot_id);
  if (!previous.ok()) return previous.status();
  report.previous = *previous;
  // Dropped: in the previous listing of this source, not in this one. An
  // article page shows one story; the others did not go anywhere.
  if (report.snapshot.kind == "listing" && report.previous.has_value()) {
    absl::StatusOr<std::vector<ItemRecord>> previous_items =
        store->GetSnapshotItems(report.previous->id);
    if (!previous_items.ok()) return previous_items.status();
    absl::flat_hash_set<std::string> dropped_seen;
    for (const ItemRecord& item : *previous_items) {
      if (entry_of.contains(item.story_id) || !dropped_seen.insert(item.story_id).second) {
        continue;
      }
      ReportEntry entry;
      entry.status = "dropped";
      entry.story_id = item.story_id;
      entry.version_id = item.version_id;
      report.stories.push_back(std::move(entry));
    }
  }

  // Story and version records for titles, first-seen times and diffs.
  std::vector<std::string> story_ids;
  std::vector<uint64_t> version_ids;
  for (const ReportEntry& entry : report.stories) {
    story_ids.push_back(entry.story_id);
    version_ids.push_back(entry.version_id);
    if (entry.status == "updated") version_ids.push_back(entry.previous_version_id);
  }
  absl::StatusOr<std::vector<std::optional<StoryRecord>>> stories =
      store->MultiGetStories(story_ids);
  if (!stories.ok()) return stories.status();
  std::sort(version_ids.begin(), version_ids.end());
  version_ids.erase(std::unique(version_ids.begin(), version_ids.end()), version_ids.end());
  absl::StatusOr<std::vector<std::optional<VersionRecord>>> versions =
      store->MultiGetVersions(version_ids);
  if (!versions.ok()) return versions.status();
  absl::flat_hash_map<uint64_t, const VersionRecord*> version_by_id;
  for (size_t v = 0; v < version_ids.size(); ++v) {
    if (!(*versions)[v].has_value()) {
      return absl::DataLossError(absl::StrCat("snapshot ", snapshot_id,
                                              " refers to missing version ", version_ids[v]));
    }
    version_by_id[version_ids[v]] = &*(*versions)[v];
  }
  for (size_t s = 0; s < report.stories.size(); ++s) {
    ReportEntry& entry = report.stories[s];
    if (!(*stories)[s].has_value()) {
      return absl::DataLossError(absl::StrCat("snapshot ", snapshot_id,
                                              " refers to missing story ", entry.story_id));
    }
    entry.first_seen = (*stories)[s]->first_seen;
    const VersionRecord& version = *version_by_id.at(entry.version_id);
    entry.title = version.title;
    if (entry.status == "updated") {
      entry.before_text = VersionText(*version_by_id.at(entry.previous_version_id));
      entry.after_text = VersionText(version);
    }
    if (entry.status == "new") ++report.new_count;
    if (entry.status == "updated") ++report.updated_count;
    if (entry.status == "unchanged") ++report.unchanged_count;
    if (entry.status == "dropped") ++report.dropped_count;
  }
  return report;
}

}  // namespace newsdedup
