#include "store/snapshot_report.h"

#include <algorithm>
#include <functional>
#include <iterator>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "core/parallel_for.h"

namespace newsdedup {
namespace {

// One entry per story, in order of its first item; then what each item adds.
std::vector<ReportEntry> EntriesOfItems(const std::vector<ItemRecord>& items) {
  std::vector<ReportEntry> entries;
  absl::flat_hash_map<std::string, size_t> entry_of;
  absl::flat_hash_set<uint64_t> changed;  // Versions with a change listed.
  for (const ItemRecord& item : items) {
    auto [it, inserted] = entry_of.try_emplace(item.story_id, entries.size());
    if (inserted) {
      ReportEntry entry;
      entry.story_id = item.story_id;
      entry.status = item.status;
      entry.rule = item.rule;
      entry.in_snapshot = item.in_snapshot;
      entry.similarity = item.similarity;
      entry.containment = item.containment;
      entry.returned = item.returned;
      entry.version_id = item.version_id;
      entry.previous_versions = item.previous_versions;
      if (item.rule == MatchRule::kTransition) entry.transition = item.transition;
      entries.push_back(std::move(entry));
    }
    ReportEntry& entry = entries[it->second];
    entry.items.push_back(item.position);
    entry.versions.push_back(item.version_id);
    const bool seen_before = std::binary_search(entry.previous_versions.begin(),
                                                entry.previous_versions.end(), item.version_id);
    if (item.status == StoryStatus::kUpdated && !seen_before &&
        changed.insert(item.version_id).second) {
      entry.changes.push_back({.version_id = item.version_id,
                               .previous_version_id = item.previous_version_id,
                               .change = item.change,
                               .similarity = item.similarity,
                               .containment = item.containment});
    }
  }
  for (ReportEntry& entry : entries) {
    std::sort(entry.versions.begin(), entry.versions.end());
    entry.versions.erase(std::unique(entry.versions.begin(), entry.versions.end()),
                         entry.versions.end());
    if (!entry.changes.empty()) {
      entry.version_id = entry.changes.front().version_id;
      entry.similarity = entry.changes.front().similarity;
      entry.containment = entry.changes.front().containment;
    }
  }
  return entries;
}

// Stories in the listings of the previous capture of this source that no
// listing of this capture (up to this snapshot) shows.
absl::Status AddDropped(StoryStore* store, SnapshotReport* report) {
  if (report->snapshot.kind != SnapshotKind::kListing || report->previous.empty()) {
    return absl::OkStatus();
  }
  absl::flat_hash_set<std::string> shown;
  absl::StatusOr<std::vector<SnapshotRecord>> capture = store->SnapshotsAt(
      report->snapshot.source, SnapshotKind::kListing, report->snapshot.captured_at);
  if (!capture.ok()) return capture.status();
  for (const SnapshotRecord& snapshot : *capture) {
    if (snapshot.id > report->snapshot.id) continue;
    absl::StatusOr<std::vector<ItemRecord>> items = store->GetSnapshotItems(snapshot.id);
    if (!items.ok()) return items.status();
    for (const ItemRecord& item : *items) shown.insert(item.story_id);
  }
  for (const SnapshotRecord& previous : report->previous) {
    absl::StatusOr<std::vector<ItemRecord>> items = store->GetSnapshotItems(previous.id);
    if (!items.ok()) return items.status();
    for (const ItemRecord& item : *items) {
      if (!shown.insert(item.story_id).second) continue;
      ReportEntry entry;
      entry.status = StoryStatus::kDropped;
      entry.story_id = item.story_id;
      entry.version_id = item.version_id;
      report->stories.push_back(std::move(entry));
    }
  }
  return absl::OkStatus();
}

// Loads `ids` (texts included when `texts`), or DataLoss naming a missing one.
absl::StatusOr<absl::flat_hash_map<uint64_t, VersionRecord>> LoadVersions(
    StoryStore* store, std::vector<uint64_t> ids, bool texts, uint64_t snapshot_id) {
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  absl::StatusOr<std::vector<std::optional<VersionRecord>>> versions =
      texts ? store->MultiGetVersions(ids) : store->MultiGetVersionHeads(ids);
  if (!versions.ok()) return versions.status();
  absl::flat_hash_map<uint64_t, VersionRecord> by_id;
  for (size_t v = 0; v < ids.size(); ++v) {
    if (!(*versions)[v].has_value()) {
      return absl::DataLossError(
          absl::StrCat("snapshot ", snapshot_id, " refers to missing version ", ids[v]));
    }
    by_id[ids[v]] = *std::move((*versions)[v]);
  }
  return by_id;
}

// Titles, first-seen times and the texts of each change. Only changes need
// texts: a night of a big site lists a hundred thousand stories, most of them
// unchanged, and their titles are in the version records.
absl::Status AddStoryDetails(StoryStore* store, SnapshotReport* report, int threads) {
  std::vector<std::string> story_ids;
  std::vector<uint64_t> shown, diffed;
  for (const ReportEntry& entry : report->stories) {
    story_ids.push_back(entry.story_id);
    shown.push_back(entry.version_id);
    for (const VersionChange& change : entry.changes) {
      diffed.push_back(change.version_id);
      diffed.push_back(change.previous_version_id);
    }
  }
  // Three independent reads, run side by side when more than one thread is
  // allowed: on a night of a hundred thousand stories each took a third of a
  // second.
  const uint64_t id = report->snapshot.id;
  absl::StatusOr<std::vector<std::optional<StoryRecord>>> stories;
  absl::StatusOr<absl::flat_hash_map<uint64_t, VersionRecord>> heads, texts;
  const std::function<void()> reads[] = {
      [&] { stories = store->MultiGetStories(story_ids); },
      [&] { heads = LoadVersions(store, std::move(shown), /*texts=*/false, id); },
      [&] { texts = LoadVersions(store, std::move(diffed), /*texts=*/true, id); }};
  ParallelForChunks(std::size(reads), threads, 1, [&](size_t begin, size_t end, int) {
    for (size_t r = begin; r < end; ++r) reads[r]();
  });
  for (const absl::Status& status : {stories.status(), heads.status(), texts.status()}) {
    if (!status.ok()) return status;
  }
  for (size_t s = 0; s < report->stories.size(); ++s) {
    if (!(*stories)[s].has_value()) {
      return absl::DataLossError(absl::StrCat("snapshot ", id, " refers to missing story ",
                                              report->stories[s].story_id));
    }
  }
  ParallelFor(report->stories.size(), threads, [&](size_t begin, size_t end, int) {
    for (size_t s = begin; s < end; ++s) {
      ReportEntry& entry = report->stories[s];
      entry.first_seen = (*stories)[s]->first_seen;
      entry.first_source = (*stories)[s]->first_source;
      entry.title = heads->at(entry.version_id).title;
      for (VersionChange& change : entry.changes) {
        change.before_text = VersionText(texts->at(change.previous_version_id));
        change.after_text = VersionText(texts->at(change.version_id));
      }
    }
  });
  return absl::OkStatus();
}

void Count(SnapshotReport* report) {
  for (const ReportEntry& entry : report->stories) {
    switch (entry.status) {
      case StoryStatus::kNew:
        ++report->new_count;
        break;
      case StoryStatus::kUpdated:
        ++report->updated_count;
        break;
      case StoryStatus::kUnchanged:
        ++report->unchanged_count;
        break;
      case StoryStatus::kDropped:
        ++report->dropped_count;
        break;
    }
  }
}

}  // namespace

std::string_view EntryRuleName(const ReportEntry& entry) {
  if (entry.in_snapshot && entry.status == StoryStatus::kNew && entry.rule != MatchRule::kNone) {
    return "snapshot";
  }
  return MatchRuleName(entry.rule);
}

std::string VersionText(const VersionRecord& version) {
  std::string text;
  for (const std::string* field : {&version.title, &version.lede, &version.body}) {
    if (field->empty()) continue;
    if (!text.empty()) text += '\n';
    text += *field;
  }
  return text;
}

absl::StatusOr<SnapshotReport> BuildSnapshotReport(StoryStore* store, uint64_t snapshot_id,
                                                   ReportDetail detail, int threads) {
  SnapshotReport report;
  absl::StatusOr<SnapshotRecord> snapshot = store->GetSnapshot(snapshot_id);
  if (!snapshot.ok()) return snapshot.status();
  report.snapshot = *std::move(snapshot);
  absl::StatusOr<std::vector<ItemRecord>> items = store->GetSnapshotItems(snapshot_id);
  if (!items.ok()) return items.status();
  report.stories = EntriesOfItems(*items);

  const SnapshotRecord& s = report.snapshot;
  absl::StatusOr<std::optional<std::string>> previous_time =
      store->PreviousCaptureTime(s.source, s.kind, s.captured_at);
  if (!previous_time.ok()) return previous_time.status();
  if (previous_time->has_value()) {
    absl::StatusOr<std::vector<SnapshotRecord>> previous =
        store->SnapshotsAt(s.source, s.kind, **previous_time);
    if (!previous.ok()) return previous.status();
    report.previous = *std::move(previous);
  }
  if (absl::Status status = AddDropped(store, &report); !status.ok()) return status;
  if (detail == ReportDetail::kFull) {
    absl::Status status = AddStoryDetails(store, &report, ResolveThreads(threads));
    if (!status.ok()) return status;
  }
  Count(&report);
  return report;
}

}  // namespace newsdedup
