// Snapshot deletion (StoryStore::DeleteSnapshots): one atomic batch that
// removes the snapshots, their items, the versions and stories no remaining
// item refers to and those versions' postings, and fixes what remains so
// that the store reads as if the snapshots had never been ingested, as far
// as later reports go. Reports of remaining snapshots keep their statuses,
// minus references to removed versions.

#include <algorithm>
#include <map>
#include <set>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "core/matcher.h"
#include "store/record_codec.h"
#include "store/rocks_story_store.h"
#include "store/snapshot_ledger.h"
#include "store/version_postings.h"

namespace newsdedup {
namespace {

using namespace store_format;  // NOLINT: the schema's names read best bare here.

// The state of one deletion, built stage by stage into one batch.
class SnapshotDeleter {
 public:
  SnapshotDeleter(RocksStoryStore& store, const MatchParams& params,
                  std::span<const uint64_t> ids)
      : store_(store), params_(params), ids_(ids.begin(), ids.end()) {}

  // The stages, in order.
  absl::Status Select();
  absl::Status LoadSnapshots();
  absl::Status LoadTouchedVersions();
  absl::Status FixVersions();
  absl::Status FixStories();
  absl::Status FixLaterItems();
  absl::Status RemovePostings();
  absl::Status RemoveSnapshots();
  absl::Status Write();

  const DeleteResult& result() const { return result_; }

 private:
  // (captured_at, id) of a remaining snapshot: the order of appearances.
  std::pair<std::string, uint64_t> When(uint64_t snapshot) const {
    return {remaining_.at(snapshot).captured_at, snapshot};
  }
  absl::Status FixStory(StoryRecord* story);
  void FixAppearances(const std::vector<const VersionRecord*>& versions, StoryRecord* story);
  uint64_t CanonicalVersion(const StoryRecord& story);

  RocksStoryStore& store_;
  const MatchParams& params_;
  const std::vector<uint64_t> ids_;
  rocksdb::WriteBatch batch_;
  DeleteResult result_;
  StoreCounters counters_;
  std::set<uint64_t> deleted_;        // Present snapshots to delete.
  std::set<uint64_t> lost_;           // In the ledger, not in the store.
  std::map<uint64_t, SnapshotRecord> remaining_;  // Every other present snapshot.
  std::vector<SnapshotRecord> deleted_records_;
  // Versions seen in the deleted snapshots, with their records, and the
  // ones no remaining snapshot shows.
  absl::flat_hash_map<uint64_t, VersionRecord> versions_;
  absl::flat_hash_set<uint64_t> removed_versions_;
  std::set<std::string> stories_;  // Of the deleted items.
};

// Which ids go: present ones, and (with Options::accept_lost_snapshots) ones
// the ledger lists as committed that the store lost.
absl::Status SnapshotDeleter::Select() {
  absl::StatusOr<StoreCounters> counters = store_.ReadCounters();
  if (!counters.ok()) return counters.status();
  counters_ = *counters;
  absl::StatusOr<StoredSnapshotIds> stored = store_.ReadStoredSnapshotIds();
  if (!stored.ok()) return stored.status();
  absl::StatusOr<std::vector<uint64_t>> lost = store_.LostSnapshots();
  if (!lost.ok()) return lost.status();
  const std::set<uint64_t> lost_per_ledger(lost->begin(), lost->end());
  const std::set<uint64_t> already(stored->deleted.begin(), stored->deleted.end());
  for (uint64_t id : ids_) {
    if (stored->present.contains(id)) {
      deleted_.insert(id);
    } else if (lost_per_ledger.contains(id)) {
      lost_.insert(id);
    } else if (already.contains(id)) {
      return absl::NotFoundError(absl::StrCat("snapshot ", id, " was deleted already"));
    } else {
      return absl::NotFoundError(absl::StrCat("no snapshot ", id));
    }
  }
  result_.snapshots.assign(deleted_.begin(), deleted_.end());
  result_.snapshots.insert(result_.snapshots.end(), lost_.begin(), lost_.end());
  std::sort(result_.snapshots.begin(), result_.snapshots.end());
  return absl::OkStatus();
}

absl::Status SnapshotDeleter::LoadSnapshots() {
  absl::StatusOr<std::vector<SnapshotRecord>> all = store_.ListSnapshots();
  if (!all.ok()) return all.status();
  for (SnapshotRecord& snapshot : *all) {
    if (deleted_.contains(snapshot.id)) {
      deleted_records_.push_back(std::move(snapshot));
    } else {
      remaining_[snapshot.id] = std::move(snapshot);
    }
  }
  return absl::OkStatus();
}

// The versions and stories the deleted items point to.
absl::Status SnapshotDeleter::LoadTouchedVersions() {
  std::set<uint64_t> version_ids;
  for (uint64_t id : deleted_) {
    absl::StatusOr<std::vector<ItemRecord>> items = store_.GetSnapshotItems(id);
    if (!items.ok()) return items.status();
    result_.items += items->size();
    for (const ItemRecord& item : *items) {
      version_ids.insert(item.version_id);
      stories_.insert(item.story_id);
    }
  }
  const std::vector<uint64_t> ids(version_ids.begin(), version_ids.end());
  absl::StatusOr<std::vector<std::optional<VersionRecord>>> versions =
      store_.GetVersions(ids, /*with_texts=*/false);
  if (!versions.ok()) return versions.status();
  for (size_t v = 0; v < ids.size(); ++v) {
    if (!(*versions)[v].has_value()) {
      return absl::DataLossError(absl::StrCat(
          "a deleted item points to missing version ", ids[v], "; run `newsdedup check`"));
    }
    versions_[ids[v]] = *std::move((*versions)[v]);
  }
  return absl::OkStatus();
}

// Each touched version loses the deleted snapshots; one left with none goes.
absl::Status SnapshotDeleter::FixVersions() {
  for (auto& [id, version] : versions_) {
    std::erase_if(version.snapshots, [&](uint64_t s) { return deleted_.contains(s); });
    if (version.snapshots.empty()) {
      removed_versions_.insert(id);
      continue;
    }
    version.first_seen.clear();
    version.last_seen.clear();
    for (uint64_t s : version.snapshots) {
      const auto snapshot = remaining_.find(s);
      if (snapshot == remaining_.end()) continue;
      const std::string& at = snapshot->second.captured_at;
      if (version.first_seen.empty() || at < version.first_seen) version.first_seen = at;
      version.last_seen = std::max(version.last_seen, at);
    }
    batch_.Put(store_.handle(kVersions), IdKey(id), EncodeVersion(version));
  }
  result_.versions = removed_versions_.size();
  return absl::OkStatus();
}

// The latest remaining snapshot of each source and kind that shows the story
// (through any of its `versions`) is its appearance there, with the versions
// seen in it.
void SnapshotDeleter::FixAppearances(const std::vector<const VersionRecord*>& versions,
                                     StoryRecord* story) {
  std::map<std::pair<std::string, SnapshotKind>, StoryAppearance> latest;
  for (const VersionRecord* version : versions) {
    for (uint64_t s : version->snapshots) {
      const auto snapshot = remaining_.find(s);
      if (snapshot == remaining_.end()) continue;
      StoryAppearance& best = latest[{snapshot->second.source, snapshot->second.kind}];
      if (best.snapshot == 0 || When(best.snapshot) < When(s)) {
        best = {.source = snapshot->second.source, .kind = snapshot->second.kind, .snapshot = s,
                .captured_at = snapshot->second.captured_at, .versions = {}};
      }
    }
  }
  std::vector<StoryAppearance> fixed;
  for (const StoryAppearance& appearance : story->appearances) {
    if (!deleted_.contains(appearance.snapshot)) {
      fixed.push_back(appearance);
      continue;
    }
    const auto it = latest.find({appearance.source, appearance.kind});
    if (it == latest.end()) continue;  // No remaining snapshot of it shows the story.
    StoryAppearance replacement = it->second;
    for (const VersionRecord* version : versions) {
      if (std::find(version->snapshots.begin(), version->snapshots.end(),
                    replacement.snapshot) != version->snapshots.end()) {
        replacement.versions.push_back(version->id);
      }
    }
    std::sort(replacement.versions.begin(), replacement.versions.end());
    fixed.push_back(std::move(replacement));
  }
  story->appearances = std::move(fixed);
}

// The newest remaining text, unless an article page of the story is longer
// (ingest's rule).
uint64_t SnapshotDeleter::CanonicalVersion(const StoryRecord& story) {
  if (std::find(story.versions.begin(), story.versions.end(), story.canonical_version) !=
      story.versions.end()) {
    return story.canonical_version;
  }
  return story.versions.empty() ? 0 : story.versions.back();
}

// A story's remaining versions, times, first source, appearances and
// canonical version.
absl::Status SnapshotDeleter::FixStory(StoryRecord* story) {
  std::erase_if(story->versions, [&](uint64_t v) { return removed_versions_.contains(v); });
  if (story->versions.empty()) return absl::OkStatus();
  absl::StatusOr<std::vector<std::optional<VersionRecord>>> stored =
      store_.GetVersions(story->versions, /*with_texts=*/false);
  if (!stored.ok()) return stored.status();
  std::vector<const VersionRecord*> versions;
  for (size_t i = 0; i < story->versions.size(); ++i) {
    const auto touched = versions_.find(story->versions[i]);
    if (touched != versions_.end()) {
      versions.push_back(&touched->second);
    } else if ((*stored)[i].has_value()) {
      versions.push_back(&*(*stored)[i]);
    }
  }
  std::optional<std::pair<std::string, uint64_t>> first, last;
  for (const VersionRecord* version : versions) {
    for (uint64_t s : version->snapshots) {
      if (!remaining_.contains(s)) continue;
      if (!first.has_value() || When(s) < *first) first = When(s);
      if (!last.has_value() || *last < When(s)) last = When(s);
    }
  }
  if (first.has_value()) {
    story->first_seen = first->first;
    story->first_snapshot = first->second;
    story->first_source = remaining_.at(first->second).source;
    story->last_seen = last->first;
    story->last_snapshot = last->second;
  }
  FixAppearances(versions, story);
  story->canonical_version = CanonicalVersion(*story);
  return absl::OkStatus();
}

// Stories of the deleted items: rewritten, or removed with their last version.
absl::Status SnapshotDeleter::FixStories() {
  const std::vector<std::string> ids(stories_.begin(), stories_.end());
  absl::StatusOr<std::vector<std::optional<StoryRecord>>> stories = store_.GetStories(ids);
  if (!stories.ok()) return stories.status();
  std::vector<uint64_t> titles_needed;
  std::vector<StoryRecord*> kept;
  for (size_t s = 0; s < ids.size(); ++s) {
    if (!(*stories)[s].has_value()) {
      return absl::DataLossError(absl::StrCat("a deleted item points to missing story ", ids[s],
                                              "; run `newsdedup check`"));
    }
    StoryRecord& story = *(*stories)[s];
    if (absl::Status status = FixStory(&story); !status.ok()) return status;
    if (story.versions.empty()) {
      batch_.Delete(store_.handle(kStories), story.id);
      ++result_.stories;
      continue;
    }
    titles_needed.push_back(story.canonical_version);
    kept.push_back(&story);
  }
  absl::StatusOr<std::vector<std::optional<VersionRecord>>> canonical =
      store_.GetVersions(titles_needed, /*with_texts=*/true);
  if (!canonical.ok()) return canonical.status();
  for (size_t k = 0; k < kept.size(); ++k) {
    if ((*canonical)[k].has_value()) kept[k]->title = (*canonical)[k]->title;
    batch_.Put(store_.handle(kStories), kept[k]->id, EncodeStory(*kept[k]));
  }
  return absl::OkStatus();
}

// Items of later snapshots that were compared with a removed version drop
// the reference; one left with nothing before it is the story's first here.
absl::Status SnapshotDeleter::FixLaterItems() {
  if (removed_versions_.empty() || deleted_.empty()) return absl::OkStatus();
  const std::string from = IdKey(*deleted_.begin() + 1);
  return store_.Scan(kItems, from, "", [&](std::string_view key, std::string_view value) {
    if (key.size() != kItemKeySize || deleted_.contains(ReadBigEndian(key.substr(0, 8)))) {
      return absl::OkStatus();
    }
    absl::StatusOr<ItemRecord> item = DecodeItem(value);
    if (!item.ok()) return item.status();
    const size_t before = item->previous_versions.size();
    std::erase_if(item->previous_versions,
                  [&](uint64_t v) { return removed_versions_.contains(v); });
    const bool previous_removed = removed_versions_.contains(item->previous_version_id);
    if (before == item->previous_versions.size() && !previous_removed) return absl::OkStatus();
    if (previous_removed) {
      item->previous_version_id =
          item->previous_versions.empty() ? 0 : item->previous_versions.back();
    }
    if (item->previous_versions.empty()) {
      item->status = StoryStatus::kNew;
      item->change = ChangeClass::kNone;
      item->returned = false;
    }
    batch_.Put(store_.handle(kItems), std::string(key), EncodeItem(*item));
    return absl::OkStatus();
  });
}

// The removed versions' postings (recomputed from their texts), and the
// versions themselves.
absl::Status SnapshotDeleter::RemovePostings() {
  const std::vector<uint64_t> ids(removed_versions_.begin(), removed_versions_.end());
  absl::StatusOr<std::vector<std::optional<VersionRecord>>> versions =
      store_.GetVersions(ids, /*with_texts=*/true);
  if (!versions.ok()) return versions.status();
  VersionPostings postings(params_);
  // (kind, key) -> ids to take out of that list.
  std::map<std::pair<IndexKind, uint64_t>, absl::flat_hash_set<uint64_t>> removals;
  for (size_t v = 0; v < ids.size(); ++v) {
    if (!(*versions)[v].has_value()) continue;
    for (const Posting& posting : postings.Of(*(*versions)[v])) {
      removals[{posting.kind, posting.key}].insert(posting.version_id);
    }
    batch_.Delete(store_.handle(kVersions), IdKey(ids[v]));
    batch_.Delete(store_.handle(kTexts), IdKey(ids[v]));
  }
  for (int cf = 0; cf < kNumColumnFamilies; ++cf) {
    if (!IsIndexFamily(cf)) continue;
    const IndexKind kind = *kColumnFamilies[cf].index;
    std::vector<uint64_t> keys;
    for (auto it = removals.lower_bound({kind, 0}); it != removals.end() && it->first.first == kind;
         ++it) {
      keys.push_back(it->first.second);
    }
    absl::StatusOr<std::vector<std::vector<uint64_t>>> lists = store_.LookupPostings(kind, keys);
    if (!lists.ok()) return lists.status();
    for (size_t k = 0; k < keys.size(); ++k) {
      const absl::flat_hash_set<uint64_t>& gone = removals.at({kind, keys[k]});
      std::vector<uint64_t> kept;
      for (uint64_t id : (*lists)[k]) {
        if (!gone.contains(id)) kept.push_back(id);
      }
      result_.postings += (*lists)[k].size() - kept.size();
      if (kept.empty()) {
        batch_.Delete(store_.handle(static_cast<ColumnFamily>(cf)), IdKey(keys[k]));
      } else {
        std::string encoded;
        AppendPostings(kept, &encoded);
        batch_.Put(store_.handle(static_cast<ColumnFamily>(cf)), IdKey(keys[k]), encoded);
      }
    }
  }
  return absl::OkStatus();
}

// The snapshots, their items and keys; the deletions recorded.
absl::Status SnapshotDeleter::RemoveSnapshots() {
  for (const SnapshotRecord& snapshot : deleted_records_) {
    const std::string id = IdKey(snapshot.id);
    batch_.Delete(store_.handle(kSnapshots), id);
    batch_.Delete(store_.handle(kSnapshotKeys),
                  SnapshotKey(snapshot.source, snapshot.captured_at, snapshot.content_hash));
    batch_.Delete(store_.handle(kSnapshotsBySource),
                  SourceKindTimePrefix(snapshot.source, snapshot.kind, snapshot.captured_at) + id);
    batch_.DeleteRange(store_.handle(kItems), id, IdKey(snapshot.id + 1));
  }
  for (uint64_t id : result_.snapshots) batch_.Put(store_.handle(kMeta), DeletedKey(id), "");
  absl::StatusOr<RemovedCounts> removed = store_.ReadRemovedCounts();
  if (!removed.ok()) return removed.status();
  removed->stories += result_.stories;
  removed->versions += result_.versions;
  batch_.Put(store_.handle(kMeta), kRemovedKey, EncodeRemovedCounts(*removed));
  // Lost ids beyond the counters are never handed out again.
  if (!lost_.empty() && *lost_.rbegin() > counters_.last_snapshot_id) {
    counters_.last_snapshot_id = *lost_.rbegin();
    batch_.Put(store_.handle(kMeta), kCountersKey, EncodeCounters(counters_));
  }
  return absl::OkStatus();
}

absl::Status SnapshotDeleter::Write() {
  if (absl::Status status = store_.WriteSynced(&batch_, "cannot delete snapshots"); !status.ok()) {
    return status;
  }
  if (store_.in_memory()) return absl::OkStatus();
  std::vector<LedgerEvent> events;
  for (uint64_t id : result_.snapshots) {
    events.push_back({.kind = LedgerEvent::Kind::kDelete, .snapshot_id = id, .content_hash = ""});
  }
  absl::Status status = AppendToLedger(store_.ledger_path(), events);
  if (status.ok()) status = store_.FlushAll();
  if (!status.ok()) {
    return absl::Status(status.code(),
                        absl::StrCat("the snapshots are deleted, but ", status.message(),
                                     "; the next command that opens the store for writing "
                                     "completes it"));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<DeleteResult> RocksStoryStore::DeleteSnapshots(std::span<const uint64_t> ids,
                                                              const MatchParams& params) {
  if (read_only_) return absl::FailedPreconditionError("store was opened read-only");
  if (params.Describe() != params_) {
    return absl::FailedPreconditionError(
        "deleting recomputes postings with this build's parameters, which are not the store's");
  }
  std::lock_guard<std::mutex> lock(write_mutex_);
  if (absl::Status status = NoRebuildUnderWay(); !status.ok()) return status;
  SnapshotDeleter deleter(*this, params, ids);
  for (absl::Status (SnapshotDeleter::*stage)() :
       {&SnapshotDeleter::Select, &SnapshotDeleter::LoadSnapshots,
        &SnapshotDeleter::LoadTouchedVersions, &SnapshotDeleter::FixVersions,
        &SnapshotDeleter::FixStories, &SnapshotDeleter::FixLaterItems,
        &SnapshotDeleter::RemovePostings, &SnapshotDeleter::RemoveSnapshots,
        &SnapshotDeleter::Write}) {
    if (absl::Status status = (deleter.*stage)(); !status.ok()) return status;
  }
  return deleter.result();
}

}  // namespace newsdedup
