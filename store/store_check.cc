// `check`: every invariant of a store, one function each, over one
// consistent view (commits wait; Check holds the write mutex). Reads every
// record once, in batches, so that memory stays a few bytes per version.

#include <algorithm>
#include <filesystem>
#include <set>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "core/parallel_for.h"
#include "rocksdb/metadata.h"
#include "rocksdb/options.h"
#include "rocksdb/sst_file_reader.h"
#include "store/record_codec.h"
#include "store/rocks_story_store.h"
#include "store/snapshot_ledger.h"
#include "store/version_postings.h"

namespace newsdedup {
namespace {

using namespace store_format;  // NOLINT: the schema's names read best bare here.

// References are read in batches of this many records.
constexpr size_t kCheckBatch = 1024;
// At most this many problems are listed, then the rest are counted.
constexpr size_t kMaxProblemsListed = 1000;
// Versions named as examples in a summary line.
constexpr size_t kExamples = 5;

std::string Hex(uint64_t value) { return absl::StrCat("0x", absl::Hex(value)); }

// Collects findings, listing the first kMaxProblemsListed.
class ProblemList {
 public:
  explicit ProblemList(std::vector<std::string>* problems) : problems_(problems) {}
  ~ProblemList() {
    if (omitted_ > 0) {
      problems_->push_back(absl::StrCat("... and ", omitted_, " more problems not listed"));
    }
  }

  template <typename... Parts>
  void Add(const Parts&... parts) {
    if (listed_ == kMaxProblemsListed) {
      ++omitted_;
      return;
    }
    ++listed_;
    problems_->push_back(absl::StrCat(parts...));
  }

 private:
  std::vector<std::string>* problems_;
  size_t listed_ = 0;
  size_t omitted_ = 0;
};

// "lsh_bands=25" of a params string; nullopt when absent.
std::optional<int> ParamValue(const std::string& params, absl::string_view name) {
  for (absl::string_view line : absl::StrSplit(params, '\n')) {
    if (line.size() > name.size() && line.substr(0, name.size()) == name &&
        line[name.size()] == '=') {
      int value = 0;
      if (absl::SimpleAtoi(line.substr(name.size() + 1), &value)) return value;
    }
  }
  return std::nullopt;
}

// What the postings say about each version, gathered while scanning them.
struct PostingCensus {
  std::vector<uint16_t> lsh_count;   // Band postings per version.
  std::vector<char> has_exact;       // Listed under its own matching hash.
  std::vector<char> has_url;         // Listed under its own URL hash.
  std::vector<char> has_url_key;     // Listed under the hash of its URL's article id.
  std::vector<uint64_t> lsh_capped;  // Oldest kept id of each full band list, sorted.
  absl::flat_hash_map<uint64_t, uint64_t> exact_capped;  // Full list key -> oldest kept id.
  absl::flat_hash_map<uint64_t, uint64_t> url_capped;
};

class StoreChecker {
 public:
  StoreChecker(RocksStoryStore& store, const CheckOptions& options,
               std::vector<std::string>* problems)
      : store_(store), options_(options), found_(problems) {}

  absl::Status Run() {
    if (absl::Status status = CheckTableFiles(); !status.ok()) return status;
    absl::StatusOr<StoreCounters> counters = store_.ReadCounters();
    if (!counters.ok()) {
      found_.Add(counters.status().message());
      return absl::OkStatus();
    }
    counters_ = *counters;
    for (absl::Status (StoreChecker::*step)() :
         {&StoreChecker::CheckSnapshots, &StoreChecker::CheckSnapshotIds,
          &StoreChecker::CheckLedger, &StoreChecker::CheckVersions, &StoreChecker::CheckTexts,
          &StoreChecker::CheckStories, &StoreChecker::CheckItems, &StoreChecker::CheckPostings,
          &StoreChecker::CheckVersionPostings, &StoreChecker::CheckRemovedCounts,
          &StoreChecker::CheckSourceTexts, &StoreChecker::CheckNoRebuildUnderWay}) {
      absl::Status status = (this->*step)();
      // A damaged block is a finding: later steps still run (and may find
      // what it hid).
      if (absl::IsDataLoss(status)) {
        found_.Add(status.message());
      } else if (!status.ok()) {
        return status;
      }
    }
    return absl::OkStatus();
  }

 private:
  // A posting list so full that the merge operator may have cut its oldest
  // ids (store_format.h).
  bool IsFullList(const std::vector<uint64_t>& ids) const {
    return ids.size() >= store_.max_postings_per_key();
  }
  bool VersionExists(uint64_t id) const {
    return id != 0 && id < version_exists_.size() && version_exists_[id];
  }
  std::string RebuildHint() const {
    return absl::StrCat("; `newsdedup rebuild-index --db ", store_.dir(),
                        "` regenerates every index from the stored texts");
  }

  absl::Status CheckTableFiles();
  absl::Status CheckSnapshots();
  absl::Status CheckSnapshotIds();
  absl::Status CheckLedger();
  absl::Status CheckVersions();
  absl::Status CheckVersionOwners(std::vector<std::pair<uint64_t, std::string>>* owners);
  absl::Status CheckTexts();
  absl::Status CheckStories();
  absl::Status CheckListedVersions(std::vector<std::pair<uint64_t, std::string>>* listed);
  absl::Status CheckItems();
  absl::Status CheckItemReferences(std::vector<std::pair<std::string, ItemRecord>>* items);
  absl::Status CheckPostings();
  absl::Status CheckVersionPostings();
  void CountedPostingsProblems();
  absl::Status DeepPostingsProblems();
  absl::Status CheckRemovedCounts();
  absl::Status CheckSourceTexts();
  absl::Status CheckNoRebuildUnderWay();
  void ReportMissing(const std::string& what, const std::vector<uint64_t>& versions);

  RocksStoryStore& store_;
  const CheckOptions& options_;
  ProblemList found_;
  StoreCounters counters_;
  std::vector<std::optional<uint32_t>> item_counts_;  // By snapshot id.
  std::set<uint64_t> deleted_;
  std::vector<char> version_exists_;
  std::vector<uint64_t> matching_hash_;  // By version id.
  std::vector<uint64_t> url_hash_;       // By version id.
  std::vector<uint64_t> url_key_hash_;   // By version id.
  uint64_t versions_found_ = 0;
  uint64_t stories_found_ = 0;
  PostingCensus census_;
};

// Block checksums of every table file. RocksDB stops at the first damaged
// file; then each file is read on its own, so that every damaged one is
// named with its family and what repairs it. (A file that a concurrent
// writer's compaction removed in between is not damaged.)
absl::Status StoreChecker::CheckTableFiles() {
  if (store_.db()->VerifyChecksum().ok()) return absl::OkStatus();
  std::vector<rocksdb::LiveFileMetaData> files;
  store_.db()->GetLiveFilesMetaData(&files);
  const rocksdb::Options options(store_.db()->GetDBOptions(), rocksdb::ColumnFamilyOptions());
  size_t damaged = 0;
  for (const rocksdb::LiveFileMetaData& file : files) {
    const std::string path = file.db_path + file.name;
    if (!options.env->FileExists(path).ok()) continue;
    rocksdb::SstFileReader reader(options);
    rocksdb::Status status = reader.Open(path);
    if (status.ok()) status = reader.VerifyChecksum();
    if (status.ok()) continue;
    ++damaged;
    const auto spec = std::find_if(kColumnFamilies.begin(), kColumnFamilies.end(),
                                   [&](const ColumnFamilySpec& s) {
                                     return file.column_family_name == s.name;
                                   });
    const bool index = spec != kColumnFamilies.end() && spec->index.has_value();
    found_.Add("table file ", path, " of family ", file.column_family_name,
               " is damaged: ", status.ToString(),
               index ? RebuildHint()
                     : "; it holds records that only a backup has (newsdedup restore)");
  }
  if (damaged == 0) {
    const rocksdb::Status again = store_.db()->VerifyChecksum();
    if (!again.ok()) found_.Add("checksum verification failed: ", again.ToString());
  }
  return absl::OkStatus();
}

// Snapshot records: under their own id, within the counter, findable by
// source and time and in their source's list.
absl::Status StoreChecker::CheckSnapshots() {
  const uint64_t last = counters_.last_snapshot_id;
  item_counts_.assign(last + 1, std::nullopt);
  return store_.Scan(kSnapshots, "", "", [&](std::string_view key, std::string_view value) {
    const uint64_t id = ReadBigEndian(key);
    absl::StatusOr<SnapshotRecord> snapshot = DecodeSnapshot(value);
    if (!snapshot.ok()) {
      found_.Add("snapshot ", id, ": ", snapshot.status().message());
      return absl::OkStatus();
    }
    if (snapshot->id != id || id == 0 || id > last) {
      found_.Add("snapshot record ", snapshot->id, " stored under id ", id,
                 " (last snapshot id is ", last, ")");
      return absl::OkStatus();
    }
    item_counts_[id] = snapshot->item_count;
    absl::StatusOr<std::optional<std::string>> by_key =
        store_.Get(kSnapshotKeys, SnapshotKey(snapshot->source, snapshot->captured_at,
                                              snapshot->content_hash));
    if (!by_key.ok()) return by_key.status();
    if (!by_key->has_value() || ReadBigEndian(**by_key) != id) {
      found_.Add("snapshot ", id, " cannot be found by its source and time");
    }
    absl::StatusOr<std::optional<std::string>> by_source =
        store_.Get(kSnapshotsBySource,
                   SourceKindTimePrefix(snapshot->source, snapshot->kind, snapshot->captured_at) +
                       IdKey(id));
    if (!by_source.ok()) return by_source.status();
    if (!by_source->has_value()) found_.Add("snapshot ", id, " is missing from its source's list");
    return absl::OkStatus();
  });
}

// Every id from 1 to the last is present or recorded as deleted, not both.
absl::Status StoreChecker::CheckSnapshotIds() {
  absl::StatusOr<std::vector<uint64_t>> deleted = store_.DeletedSnapshotIds();
  if (!deleted.ok()) return deleted.status();
  deleted_.insert(deleted->begin(), deleted->end());
  const uint64_t last = counters_.last_snapshot_id;
  std::vector<uint64_t> missing;
  for (uint64_t id = 1; id <= last; ++id) {
    const bool present = item_counts_[id].has_value();
    const bool was_deleted = deleted_.contains(id);
    if (!present && !was_deleted) missing.push_back(id);
    if (present && was_deleted) found_.Add("snapshot ", id, " is recorded as deleted but present");
  }
  if (!missing.empty()) {
    found_.Add("snapshot", missing.size() == 1 ? " " : "s ", DescribeIds(missing),
               missing.size() == 1 ? " is" : " are",
               " missing and not recorded as deleted: lost; restore a backup (newsdedup restore)");
  }
  for (uint64_t id : deleted_) {
    if (id == 0 || id > last) found_.Add("deleted snapshot ", id, " is beyond the counters");
  }
  return absl::OkStatus();
}

// The ledger agrees: nothing it lists as committed is gone.
absl::Status StoreChecker::CheckLedger() {
  if (store_.in_memory()) return absl::OkStatus();
  absl::StatusOr<Ledger> ledger = ReadLedger(store_.ledger_path());
  if (absl::IsNotFound(ledger.status())) {
    absl::StatusOr<std::optional<std::string>> had = store_.Get(kMeta, kHasLedgerKey);
    if (!had.ok()) return had.status();
    if (had->has_value()) {
      found_.Add("the ledger ", kLedgerFile,
                 " is missing: lost snapshots cannot be told from deleted ones");
    }
    return absl::OkStatus();
  }
  if (!ledger.ok()) {
    found_.Add(ledger.status().message());
    return absl::OkStatus();
  }
  absl::StatusOr<StoredSnapshotIds> stored = store_.ReadStoredSnapshotIds();
  if (!stored.ok()) return stored.status();
  const LedgerComparison comparison = CompareWithLedger(*ledger, *stored);
  if (!comparison.lost.empty()) {
    found_.Add("snapshot", comparison.lost.size() == 1 ? " " : "s ", DescribeIds(comparison.lost),
               " committed per the ledger", comparison.lost.size() == 1 ? " is" : " are",
               " gone from the store (a damaged write-ahead log or MANIFEST): restore a backup "
               "(newsdedup restore), or record the loss with `newsdedup delete --db ",
               store_.dir(), " --lost`");
  }
  for (uint64_t id : comparison.replaced) {
    found_.Add("snapshot ", id,
               " has another content hash than the ledger's: the committed one was lost");
  }
  for (uint64_t id : comparison.undeleted) {
    found_.Add("snapshot ", id, " was deleted (per the ledger) but is back: delete it again");
  }
  return absl::OkStatus();
}

absl::Status StoreChecker::CheckVersionOwners(
    std::vector<std::pair<uint64_t, std::string>>* owners) {
  std::vector<std::string> story_ids;
  for (const auto& [version, story] : *owners) story_ids.push_back(story);
  absl::StatusOr<std::vector<std::optional<StoryRecord>>> stories = store_.GetStories(story_ids);
  if (!stories.ok()) return stories.status();
  for (size_t i = 0; i < owners->size(); ++i) {
    const auto& [version, story] = (*owners)[i];
    const std::optional<StoryRecord>& record = (*stories)[i];
    if (!record.has_value()) {
      found_.Add("version ", version, " belongs to missing story ", story);
    } else if (std::find(record->versions.begin(), record->versions.end(), version) ==
               record->versions.end()) {
      found_.Add("version ", version, " is not listed by its story ", story);
    }
  }
  owners->clear();
  return absl::OkStatus();
}

// Versions: under their own id, within the counter, owned by a story that
// lists them.
absl::Status StoreChecker::CheckVersions() {
  const uint64_t last = counters_.last_version_id;
  version_exists_.assign(last + 1, false);
  matching_hash_.assign(last + 1, 0);
  url_hash_.assign(last + 1, 0);
  url_key_hash_.assign(last + 1, 0);
  std::vector<std::pair<uint64_t, std::string>> owners;
  absl::Status status =
      store_.Scan(kVersions, "", "", [&](std::string_view key, std::string_view value) {
        const uint64_t id = ReadBigEndian(key);
        absl::StatusOr<VersionRecord> version = DecodeVersion(value);
        if (!version.ok()) {
          found_.Add("version ", id, ": ", version.status().message());
          return absl::OkStatus();
        }
        if (version->id != id || id == 0 || id > last) {
          found_.Add("version record ", version->id, " stored under id ", id,
                     " (last version id is ", last, ")");
          return absl::OkStatus();
        }
        version_exists_[id] = true;
        matching_hash_[id] = version->matching_hash;
        url_hash_[id] = version->url_hash;
        url_key_hash_[id] = version->url_key_hash;
        ++versions_found_;
        owners.emplace_back(id, version->story_id);
        if (owners.size() == kCheckBatch) return CheckVersionOwners(&owners);
        return absl::OkStatus();
      });
  if (!status.ok()) return status;
  return CheckVersionOwners(&owners);
}

// Every version has its texts, and every texts record its version.
absl::Status StoreChecker::CheckTexts() {
  const uint64_t last = counters_.last_version_id;
  std::vector<char> has_texts(last + 1, false);
  absl::Status status =
      store_.Scan(kTexts, "", "", [&](std::string_view key, std::string_view value) {
        const uint64_t id = ReadBigEndian(key);
        VersionRecord texts;
        if (absl::Status decoded = DecodeVersionTexts(value, &texts); !decoded.ok()) {
          found_.Add("texts of version ", id, ": ", decoded.message());
        }
        if (!VersionExists(id)) {
          found_.Add("texts of missing version ", id);
        } else {
          has_texts[id] = true;
        }
        return absl::OkStatus();
      });
  if (!status.ok()) return status;
  for (uint64_t id = 1; id <= last; ++id) {
    if (version_exists_[id] && !has_texts[id]) found_.Add("version ", id, " has no texts");
  }
  return absl::OkStatus();
}

absl::Status StoreChecker::CheckListedVersions(
    std::vector<std::pair<uint64_t, std::string>>* listed) {
  std::vector<uint64_t> ids;
  for (const auto& [version, story] : *listed) ids.push_back(version);
  absl::StatusOr<std::vector<std::optional<VersionRecord>>> versions =
      store_.GetVersions(ids, /*with_texts=*/false);
  if (!versions.ok()) return versions.status();
  for (size_t i = 0; i < ids.size(); ++i) {
    const auto& [version, story] = (*listed)[i];
    if ((*versions)[i].has_value() && (*versions)[i]->story_id != story) {
      found_.Add("story ", story, " lists version ", version, " of story ",
                 (*versions)[i]->story_id);
    }
  }
  listed->clear();
  return absl::OkStatus();
}

// Stories: under their own id, numbered within the counter, listing
// existing versions of their own, the canonical one among them.
absl::Status StoreChecker::CheckStories() {
  std::vector<std::pair<uint64_t, std::string>> listed;
  absl::Status status =
      store_.Scan(kStories, "", "", [&](std::string_view key_view, std::string_view value) {
        const std::string key(key_view);
        absl::StatusOr<StoryRecord> story = DecodeStory(value);
        if (!story.ok()) {
          found_.Add("story ", key, ": ", story.status().message());
          return absl::OkStatus();
        }
        ++stories_found_;
        if (story->id != key) found_.Add("story record ", story->id, " stored under id ", key);
        uint64_t number = 0;
        if (absl::StartsWith(key, "s-") && absl::SimpleAtoi(key.substr(2), &number) &&
            number > counters_.last_story_number) {
          found_.Add("story ", key, " is beyond the counters (last story number ",
                     counters_.last_story_number, ")");
        }
        for (uint64_t version : story->versions) {
          if (!VersionExists(version)) {
            found_.Add("story ", story->id, " lists missing version ", version);
          } else {
            listed.emplace_back(version, story->id);
          }
        }
        for (const StoryAppearance& appearance : story->appearances) {
          const uint64_t shown = appearance.snapshot;
          if (shown == 0 || shown >= item_counts_.size() || !item_counts_[shown].has_value()) {
            found_.Add("story ", story->id, " last appeared in ", appearance.source,
                       " in missing snapshot ", shown);
          }
          for (uint64_t version : appearance.versions) {
            if (std::find(story->versions.begin(), story->versions.end(), version) ==
                story->versions.end()) {
              found_.Add("story ", story->id, " last appeared in ", appearance.source,
                         " with version ", version, ", which is not one of its versions");
            }
          }
        }
        if (story->canonical_version != 0 &&
            std::find(story->versions.begin(), story->versions.end(),
                      story->canonical_version) == story->versions.end()) {
          found_.Add("story ", story->id, " has canonical version ", story->canonical_version,
                     " outside its versions");
        }
        if (listed.size() >= kCheckBatch) return CheckListedVersions(&listed);
        return absl::OkStatus();
      });
  if (!status.ok()) return status;
  return CheckListedVersions(&listed);
}

absl::Status StoreChecker::CheckItemReferences(
    std::vector<std::pair<std::string, ItemRecord>>* items) {
  std::vector<std::string> story_ids;
  std::vector<uint64_t> version_ids;
  for (const auto& [where, item] : *items) {
    story_ids.push_back(item.story_id);
    version_ids.push_back(item.version_id);
  }
  absl::StatusOr<std::vector<std::optional<StoryRecord>>> stories = store_.GetStories(story_ids);
  if (!stories.ok()) return stories.status();
  absl::StatusOr<std::vector<std::optional<VersionRecord>>> versions =
      store_.GetVersions(version_ids, /*with_texts=*/false);
  if (!versions.ok()) return versions.status();
  for (size_t i = 0; i < items->size(); ++i) {
    const auto& [where, item] = (*items)[i];
    if (!(*stories)[i].has_value()) found_.Add(where, " points to missing story ", item.story_id);
    if (item.previous_version_id != 0 && !VersionExists(item.previous_version_id)) {
      found_.Add(where, " was compared with missing version ", item.previous_version_id);
    }
    for (uint64_t previous : item.previous_versions) {
      if (!VersionExists(previous)) {
        found_.Add(where, " was compared with missing version ", previous);
      }
    }
    if (!(*versions)[i].has_value()) {
      found_.Add(where, " points to missing version ", item.version_id);
    } else if ((*versions)[i]->story_id != item.story_id) {
      found_.Add(where, " has version ", item.version_id, " of story ", (*versions)[i]->story_id,
                 ", not of its story ", item.story_id);
    }
  }
  items->clear();
  return absl::OkStatus();
}

// Items: every snapshot has all of them, each pointing to an existing story
// and a version of that story.
absl::Status StoreChecker::CheckItems() {
  const uint64_t last = counters_.last_snapshot_id;
  std::vector<uint32_t> items_found(last + 1, 0);
  std::vector<std::pair<std::string, ItemRecord>> pending;
  absl::Status status =
      store_.Scan(kItems, "", "", [&](std::string_view key, std::string_view value) {
        if (key.size() != kItemKeySize) {
          found_.Add("item key of ", key.size(), " bytes");
          return absl::OkStatus();
        }
        const uint64_t snapshot = ReadBigEndian(key.substr(0, 8));
        const uint64_t position = ReadBigEndian(key.substr(8));
        std::string where = absl::StrCat("item ", position, " of snapshot ", snapshot);
        absl::StatusOr<ItemRecord> item = DecodeItem(value);
        if (!item.ok()) {
          found_.Add(where, ": ", item.status().message());
          return absl::OkStatus();
        }
        if (item->position != position) found_.Add(where, " says it is at position ", item->position);
        if (snapshot == 0 || snapshot > last || !item_counts_[snapshot].has_value()) {
          found_.Add(where, " belongs to a missing snapshot");
        } else {
          ++items_found[snapshot];
        }
        pending.emplace_back(std::move(where), *std::move(item));
        if (pending.size() == kCheckBatch) return CheckItemReferences(&pending);
        return absl::OkStatus();
      });
  if (!status.ok()) return status;
  if (status = CheckItemReferences(&pending); !status.ok()) return status;
  for (uint64_t id = 1; id <= last; ++id) {
    if (item_counts_[id].has_value() && *item_counts_[id] != items_found[id]) {
      found_.Add("snapshot ", id, " has ", items_found[id], " items, its record says ",
                 *item_counts_[id]);
    }
  }
  return absl::OkStatus();
}

// Postings: every list decodes and names existing versions. Gathers, for
// the versions' side, how often each is listed.
absl::Status StoreChecker::CheckPostings() {
  census_.lsh_count.assign(version_exists_.size(), 0);
  census_.has_exact.assign(version_exists_.size(), false);
  census_.has_url.assign(version_exists_.size(), false);
  census_.has_url_key.assign(version_exists_.size(), false);
  for (int cf = 0; cf < kNumColumnFamilies; ++cf) {
    if (!IsIndexFamily(cf)) continue;
    const IndexKind kind = *kColumnFamilies[cf].index;
    absl::Status status = store_.Scan(
        static_cast<ColumnFamily>(cf), "", "", [&](std::string_view key, std::string_view value) {
          const uint64_t index_key = ReadBigEndian(key);
          const std::string where = absl::StrCat(kColumnFamilies[cf].name, " key ", Hex(index_key));
          absl::StatusOr<std::vector<uint64_t>> ids = DecodePostings(value);
          if (!ids.ok()) {
            found_.Add(where, ": ", ids.status().message(), RebuildHint());
            return absl::OkStatus();
          }
          const bool capped = IsFullList(*ids) && !ids->empty();
          if (capped && kind == IndexKind::kLshBand) census_.lsh_capped.push_back(ids->front());
          if (capped && kind == IndexKind::kExactHash) census_.exact_capped[index_key] = ids->front();
          if (capped && kind == IndexKind::kUrl) census_.url_capped[index_key] = ids->front();
          for (uint64_t id : *ids) {
            if (!VersionExists(id)) {
              found_.Add(where, " lists missing version ", id, RebuildHint());
            } else if (kind == IndexKind::kLshBand) {
              census_.lsh_count[id] = static_cast<uint16_t>(
                  std::min<int>(census_.lsh_count[id] + 1, UINT16_MAX));
            } else if (kind == IndexKind::kExactHash && matching_hash_[id] == index_key) {
              census_.has_exact[id] = true;
            } else if (kind == IndexKind::kUrl) {
              if (url_hash_[id] == index_key) census_.has_url[id] = true;
              if (url_key_hash_[id] == index_key) census_.has_url_key[id] = true;
            }
          }
          return absl::OkStatus();
        });
    if (absl::IsDataLoss(status)) {
      found_.Add(status.message(), RebuildHint());
    } else if (!status.ok()) {
      return status;
    }
  }
  std::sort(census_.lsh_capped.begin(), census_.lsh_capped.end());
  return absl::OkStatus();
}

void StoreChecker::ReportMissing(const std::string& what, const std::vector<uint64_t>& versions) {
  if (versions.empty()) return;
  std::vector<uint64_t> examples(versions.begin(),
                                 versions.begin() + std::min(versions.size(), kExamples));
  found_.Add(versions.size(), versions.size() == 1 ? " version lacks " : " versions lack ", what,
             " (version", examples.size() == 1 ? " " : "s ", DescribeIds(examples),
             versions.size() > examples.size() ? ", ..." : "", ")", RebuildHint());
}

// Counted: each version is listed under its own matching hash in the exact
// index, under its URL hash in the url index (when it came with a URL) and
// under its URL's article id (when the URL carries one), and
// under one or two signatures' worth of LSH bands (lead, and full text when
// it has a body), unless full lists newer than it may have dropped it. (The
// title index needs the deep check: a version does not record its title
// hash.)
void StoreChecker::CountedPostingsProblems() {
  std::vector<uint64_t> no_exact, no_url, no_url_key, short_lsh;
  const std::optional<int> bands = ParamValue(store_.params(), "lsh_bands");
  // Listed under `key`, or older than every id of that full list.
  const auto listed = [](bool found, const absl::flat_hash_map<uint64_t, uint64_t>& capped,
                         uint64_t key, uint64_t id) {
    if (found) return true;
    const auto full = capped.find(key);
    return full != capped.end() && id < full->second;
  };
  for (uint64_t id = 1; id < version_exists_.size(); ++id) {
    if (!version_exists_[id]) continue;
    if (!listed(census_.has_exact[id], census_.exact_capped, matching_hash_[id], id)) {
      no_exact.push_back(id);
    }
    if (url_hash_[id] != 0 &&
        !listed(census_.has_url[id], census_.url_capped, url_hash_[id], id)) {
      no_url.push_back(id);
    }
    if (url_key_hash_[id] != 0 &&
        !listed(census_.has_url_key[id], census_.url_capped, url_key_hash_[id], id)) {
      no_url_key.push_back(id);
    }
    if (!bands.has_value()) continue;
    const int count = census_.lsh_count[id];
    if (count == *bands || count == 2 * *bands) continue;
    // Full band lists whose oldest kept id is newer than this version may
    // each have dropped it once.
    const int allowance = static_cast<int>(
        census_.lsh_capped.end() -
        std::upper_bound(census_.lsh_capped.begin(), census_.lsh_capped.end(), id));
    if (count > 2 * *bands || (count < *bands && *bands - count > allowance) ||
        (count > *bands && 2 * *bands - count > allowance)) {
      short_lsh.push_back(id);
    }
  }
  ReportMissing("their posting in the exact index", no_exact);
  ReportMissing("their posting in the url index", no_url);
  ReportMissing("the posting of their URL's article id in the url index", no_url_key);
  ReportMissing(absl::StrCat("postings in the lsh index (each has ", bands.value_or(0), " or ",
                             2 * bands.value_or(0), ")"),
                short_lsh);
}

// Deep: recomputes every version's postings from its texts and looks each
// one up.
absl::Status StoreChecker::DeepPostingsProblems() {
  if (options_.deep->Describe() != store_.params()) {
    return absl::FailedPreconditionError(
        "check --deep recomputes postings with this build's parameters, which are not the "
        "store's");
  }
  std::vector<uint64_t> batch;
  absl::flat_hash_map<int, std::vector<uint64_t>> missing;  // By family.
  const auto check_batch = [&]() -> absl::Status {
    absl::StatusOr<std::vector<std::optional<VersionRecord>>> versions =
        store_.GetVersions(batch, /*with_texts=*/true);
    if (!versions.ok()) return versions.status();
    std::vector<std::vector<Posting>> expected(batch.size());
    ParallelFor(batch.size(), 0, [&](size_t begin, size_t end, int) {
      VersionPostings postings(*options_.deep);
      for (size_t i = begin; i < end; ++i) {
        if ((*versions)[i].has_value()) expected[i] = postings.Of(*(*versions)[i]);
      }
    });
    for (int cf = 0; cf < kNumColumnFamilies; ++cf) {
      if (!IsIndexFamily(cf)) continue;
      std::vector<uint64_t> keys, owners;
      for (size_t i = 0; i < batch.size(); ++i) {
        for (const Posting& posting : expected[i]) {
          if (posting.kind != kColumnFamilies[cf].index) continue;
          keys.push_back(posting.key);
          owners.push_back(batch[i]);
        }
      }
      absl::StatusOr<std::vector<std::vector<uint64_t>>> lists =
          store_.LookupPostings(*kColumnFamilies[cf].index, keys);
      if (!lists.ok()) return lists.status();
      for (size_t k = 0; k < keys.size(); ++k) {
        const std::vector<uint64_t>& list = (*lists)[k];
        if (std::find(list.begin(), list.end(), owners[k]) != list.end()) continue;
        // A full list may have dropped versions older than its oldest.
        if (!list.empty() && owners[k] < list.front() && IsFullList(list)) continue;
        std::vector<uint64_t>& of_family = missing[cf];
        if (of_family.empty() || of_family.back() != owners[k]) of_family.push_back(owners[k]);
      }
    }
    batch.clear();
    return absl::OkStatus();
  };
  for (uint64_t id = 1; id < version_exists_.size(); ++id) {
    if (!version_exists_[id]) continue;
    batch.push_back(id);
    if (batch.size() == kCheckBatch * 4) {
      if (absl::Status status = check_batch(); !status.ok()) return status;
    }
  }
  if (absl::Status status = check_batch(); !status.ok()) return status;
  for (int cf = 0; cf < kNumColumnFamilies; ++cf) {
    const auto it = missing.find(cf);
    if (it != missing.end()) {
      ReportMissing(absl::StrCat("postings in the ", kColumnFamilies[cf].name, " index"),
                    it->second);
    }
  }
  return absl::OkStatus();
}

absl::Status StoreChecker::CheckVersionPostings() {
  if (options_.deep != nullptr) return DeepPostingsProblems();
  CountedPostingsProblems();
  return absl::OkStatus();
}

// The counters say how many ids were handed out, the removed counts how many
// of them snapshot deletions took: the rest must all be there.
absl::Status StoreChecker::CheckRemovedCounts() {
  absl::StatusOr<RemovedCounts> removed = store_.ReadRemovedCounts();
  if (!removed.ok()) {
    found_.Add(removed.status().message());
    return absl::OkStatus();
  }
  if (versions_found_ + removed->versions != counters_.last_version_id) {
    found_.Add(versions_found_, " versions stored and ", removed->versions,
               " removed, but the counters handed out ", counters_.last_version_id);
  }
  if (stories_found_ + removed->stories != counters_.last_story_number) {
    found_.Add(stories_found_, " stories stored and ", removed->stories,
               " removed, but the counters handed out ", counters_.last_story_number);
  }
  return absl::OkStatus();
}

// What a source repeats: learned statistics, not references (a partner
// story may since have been deleted), but each record decodes and a page
// line names only story numbers the counters handed out.
absl::Status StoreChecker::CheckSourceTexts() {
  return store_.Scan(kSourceTexts, "", "", [&](std::string_view key, std::string_view value) {
    const size_t nul = key.find('\0');
    if (nul == std::string_view::npos || key.size() != nul + kSourceTextKeyTail ||
        !IsSourceTextKind(static_cast<uint8_t>(key[nul + 1]))) {
      found_.Add("source text key of ", key.size(), " bytes is malformed");
      return absl::OkStatus();
    }
    const auto kind = static_cast<SourceTextKind>(key[nul + 1]);
    const std::string where =
        absl::StrCat("source text ", std::string(SourceTextKindName(kind)), " ",
                     Hex(ReadBigEndian(key.substr(nul + 2))), " of ", std::string(key.substr(0, nul)));
    absl::StatusOr<TextHistory> history = DecodeTextHistory(value);
    if (!history.ok()) {
      found_.Add(where, ": ", history.status().message());
      return absl::OkStatus();
    }
    if (kind != SourceTextKind::kPageLine) return absl::OkStatus();
    for (uint64_t story : history->recent) {
      if (story == 0 || story > counters_.last_story_number) {
        found_.Add(where, " names story number ", story, " beyond the counters");
      }
    }
    return absl::OkStatus();
  });
}

absl::Status StoreChecker::CheckNoRebuildUnderWay() {
  absl::StatusOr<std::optional<std::string>> marker = store_.Get(kMeta, kIndexRebuildKey);
  if (!marker.ok()) return marker.status();
  if (marker->has_value()) {
    found_.Add("an index rebuild was interrupted, so the indexes are incomplete", RebuildHint());
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status RocksStoryStore::Check(const CheckOptions& options,
                                    std::vector<std::string>* problems) {
  std::lock_guard<std::mutex> lock(write_mutex());
  StoreChecker checker(*this, options, problems);
  return checker.Run();
}

}  // namespace newsdedup
