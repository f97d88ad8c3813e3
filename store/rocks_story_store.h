#ifndef NEWSDEDUP_STORE_ROCKS_STORY_STORE_H_
#define NEWSDEDUP_STORE_ROCKS_STORY_STORE_H_

// The RocksDB implementation of StoryStore, shared by the files that make it
// up: store_open.cc (opening and creating), story_store.cc (reads and the
// commit), store_check.cc (`check`), store_rebuild.cc (rebuild-index),
// store_delete.cc (snapshot deletion) and store_backup.cc. Internal to
// store/; everything else sees StoryStore only.

#include <algorithm>
#include <array>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "rocksdb/db.h"
#include "rocksdb/env.h"
#include "rocksdb/write_batch.h"
#include "store/rocksdb_status.h"
#include "store/snapshot_ledger.h"
#include "store/store_format.h"
#include "store/story_store.h"

namespace newsdedup {

class RocksStoryStore final : public StoryStore {
 public:
  using ColumnFamily = store_format::ColumnFamily;
  using Handles = std::array<rocksdb::ColumnFamilyHandle*, store_format::kNumColumnFamilies>;

  // What Open hands over: the database, its handles, and how it was opened.
  struct Parts {
    std::string dir;
    // The Env of an in-memory store, or null; outlives db.
    std::unique_ptr<rocksdb::Env> env;
    std::unique_ptr<rocksdb::DB> db;
    // Every handle Open returned, including column families we do not use.
    std::vector<rocksdb::ColumnFamilyHandle*> owned_handles;
    Handles handles{};
    bool read_only = false;
    bool in_memory = false;
    size_t max_postings_per_key = 0;
    // The private folder of a secondary instance (Options::follow_writer),
    // removed with the store; empty otherwise.
    std::string follower_dir;
  };

  // store_open.cc.
  static absl::StatusOr<std::unique_ptr<StoryStore>> Open(const std::string& dir,
                                                           const std::string& params,
                                                           const Options& options);
  // Wraps what OpenDatabase opened; the meta entries are not read yet.
  static std::unique_ptr<RocksStoryStore> FromParts(Parts parts);
  ~RocksStoryStore() override;

  const std::string& params() const override { return params_; }
  absl::StatusOr<uint64_t> CatchUp() override;
  absl::StatusOr<StoreCounters> GetCounters() override { return ReadCounters(); }
  absl::StatusOr<std::optional<SnapshotRecord>> FindSnapshot(
      const std::string& source, const std::string& captured_at,
      const std::string& content_hash) override;
  absl::StatusOr<SnapshotRecord> GetSnapshot(uint64_t id) override;
  absl::StatusOr<std::vector<SnapshotRecord>> ListSnapshots() override;
  absl::StatusOr<std::optional<std::string>> PreviousCaptureTime(
      const std::string& source, SnapshotKind kind, const std::string& captured_at) override;
  absl::StatusOr<std::vector<SnapshotRecord>> SnapshotsAt(
      const std::string& source, SnapshotKind kind, const std::string& captured_at) override;
  absl::StatusOr<std::vector<ItemRecord>> GetSnapshotItems(uint64_t id) override;
  absl::StatusOr<StoryRecord> GetStory(const std::string& id) override;
  absl::StatusOr<std::vector<StoryRecord>> ScanStories(const std::string& start_after,
                                                       size_t limit) override;
  absl::StatusOr<std::vector<std::optional<StoryRecord>>> MultiGetStories(
      std::span<const std::string> ids) override {
    return GetStories(ids);
  }
  absl::StatusOr<std::vector<std::optional<VersionRecord>>> MultiGetVersions(
      std::span<const uint64_t> ids) override {
    return GetVersions(ids, /*with_texts=*/true);
  }
  absl::StatusOr<std::vector<std::optional<VersionRecord>>> MultiGetVersionHeads(
      std::span<const uint64_t> ids) override {
    return GetVersions(ids, /*with_texts=*/false);
  }
  absl::StatusOr<PostingLists> LookupPostingLists(IndexKind kind, std::span<const uint64_t> keys,
                                                  size_t max_per_key) override;
  absl::StatusOr<std::vector<TextHistory>> LookupSourceTexts(
      const std::string& source, SourceTextKind kind, std::span<const uint64_t> hashes) override;
  absl::Status Commit(const SnapshotCommit& commit) override;
  absl::StatusOr<StoreStats> Stats() override;
  using StoryStore::Check;
  absl::Status Check(const CheckOptions& options, std::vector<std::string>* problems) override;
  absl::StatusOr<RebuildResult> RebuildIndexes(const MatchParams& params) override;
  absl::StatusOr<DeleteResult> DeleteSnapshots(std::span<const uint64_t> ids,
                                               const MatchParams& params) override;
  absl::StatusOr<std::vector<uint64_t>> LostSnapshots() override;
  absl::StatusOr<StoreBackup> Backup(const std::string& backup_dir,
                                              uint32_t keep_latest) override;

  // Helpers of the files above.

  const std::string& dir() const { return dir_; }
  bool read_only() const { return read_only_; }
  bool in_memory() const { return in_memory_; }
  // Ids a posting list keeps (Options::max_postings_per_key).
  size_t max_postings_per_key() const { return max_postings_per_key_; }
  rocksdb::DB* db() { return db_.get(); }
  rocksdb::ColumnFamilyHandle* handle(ColumnFamily cf) { return handles_[cf]; }
  const Handles& handles() const { return handles_; }
  // Held by every write and by Check, which then sees no commit halfway.
  std::mutex& write_mutex() { return write_mutex_; }

  absl::StatusOr<std::optional<std::string>> Get(ColumnFamily cf, const std::string& key);
  // Looks up `keys` in `cf` in batches and calls found(i, value) for each key
  // present, stopping at the first error it returns. `sorted` says that the
  // keys are in ascending order, which spares RocksDB a comparator sort.
  template <typename Found>
  absl::Status MultiGet(ColumnFamily cf, const std::vector<std::string>& keys, Found found,
                        bool sorted = false);
  // Calls visit(key, value) for each entry of `cf` in [lower, upper) (empty:
  // unbounded), in key order, stopping at the first error it returns.
  template <typename Visit>
  absl::Status Scan(ColumnFamily cf, const std::string& lower, const std::string& upper,
                    Visit visit);
  // Scan's loop: `visit` returns an error, or false to stop early.
  template <typename Visit>
  absl::Status ScanUntil(ColumnFamily cf, const std::string& lower, const std::string& upper,
                         Visit visit);

  absl::StatusOr<StoreCounters> ReadCounters();
  absl::StatusOr<std::vector<std::optional<StoryRecord>>> GetStories(
      std::span<const std::string> ids);
  absl::StatusOr<std::vector<std::optional<VersionRecord>>> GetVersions(
      std::span<const uint64_t> ids, bool with_texts);
  // Ids of the snapshots recorded as deleted, ascending.
  absl::StatusOr<std::vector<uint64_t>> DeletedSnapshotIds();
  absl::StatusOr<store_format::RemovedCounts> ReadRemovedCounts();
  // Every snapshot id present (with its content hash) or deleted, to
  // compare with the ledger.
  absl::StatusOr<StoredSnapshotIds> ReadStoredSnapshotIds();
  std::string ledger_path() const;
  // Writes `batch` synced (for a store on disk); `what` names it in errors.
  absl::Status WriteSynced(rocksdb::WriteBatch* batch, std::string_view what);
  // Flushes every column family and waits: the data then lives in table
  // files, not only in the write-ahead log.
  absl::Status FlushAll();
  // Appends what the ledger lacks (snapshots committed or deleted since its
  // last line); a no-op for in-memory stores.
  absl::Status CatchUpLedger();

  // Records params_ (SetUpMeta in store_open.cc).
  void set_params(std::string params) { params_ = std::move(params); }
  // Skips the flush of the destructor: a store refused after opening must
  // leave its files as they were.
  void leave_files_untouched() { flush_on_close_ = false; }

 private:
  explicit RocksStoryStore(Parts parts);
  absl::Status ValidateCommit(const SnapshotCommit& commit, const StoreCounters& stored);
  void AddPostingMerges(std::span<const Posting> postings, rocksdb::WriteBatch* batch);
  // store_rebuild.cc: drops and recreates the family `cf`, empty.
  absl::Status RecreateFamily(ColumnFamily cf);
  absl::Status SetIndexRebuildMarker(bool set);
  // Refuses writes while an index rebuild is unfinished.
  absl::Status NoRebuildUnderWay();
  absl::Status WriteVersionPostings(std::span<const uint64_t> ids, const MatchParams& params,
                                    RebuildResult* result);

  std::string dir_;
  std::unique_ptr<rocksdb::Env> env_;
  std::unique_ptr<rocksdb::DB> db_;
  std::vector<rocksdb::ColumnFamilyHandle*> owned_handles_;
  Handles handles_;
  std::string params_;
  const bool read_only_;
  const bool in_memory_;
  const size_t max_postings_per_key_;
  bool flush_on_close_ = true;
  std::string follower_dir_;
  std::mutex write_mutex_;
};

template <typename Found>
absl::Status RocksStoryStore::MultiGet(ColumnFamily cf, const std::vector<std::string>& keys,
                                       Found found, bool sorted) {
  // RocksDB keeps a few hundred bytes of context per key of one call: a
  // night's two million LSH keys in one call took a gigabyte.
  constexpr size_t kBatch = 8192;
  const std::vector<rocksdb::Slice> slices(keys.begin(), keys.end());
  std::vector<rocksdb::PinnableSlice> values(std::min(kBatch, keys.size()));
  std::vector<rocksdb::Status> statuses(values.size());
  for (size_t first = 0; first < keys.size(); first += kBatch) {
    const size_t count = std::min(kBatch, keys.size() - first);
    for (size_t i = 0; i < count; ++i) values[i].Reset();
    db_->MultiGet(rocksdb::ReadOptions(), handles_[cf], count, slices.data() + first,
                  values.data(), statuses.data(), sorted);
    for (size_t i = 0; i < count; ++i) {
      if (statuses[i].IsNotFound()) continue;
      if (!statuses[i].ok()) {
        return FromRocksDb(statuses[i],
                           absl::StrCat("cannot read ", store_format::kColumnFamilies[cf].name));
      }
      if (absl::Status status = found(first + i, values[i].ToStringView()); !status.ok()) {
        return status;
      }
    }
  }
  return absl::OkStatus();
}

template <typename Visit>
absl::Status RocksStoryStore::Scan(ColumnFamily cf, const std::string& lower,
                                   const std::string& upper, Visit visit) {
  return ScanUntil(cf, lower, upper,
                   [&](std::string_view key, std::string_view value) -> absl::StatusOr<bool> {
                     if (absl::Status status = visit(key, value); !status.ok()) return status;
                     return true;
                   });
}

template <typename Visit>
absl::Status RocksStoryStore::ScanUntil(ColumnFamily cf, const std::string& lower,
                                        const std::string& upper, Visit visit) {
  rocksdb::ReadOptions read_options;
  const rocksdb::Slice lower_bound(lower), upper_bound(upper);
  if (!lower.empty()) read_options.iterate_lower_bound = &lower_bound;
  if (!upper.empty()) read_options.iterate_upper_bound = &upper_bound;
  // A scan reads each block once: keep it from evicting the hot ones.
  read_options.fill_cache = false;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(read_options, handles_[cf]));
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    absl::StatusOr<bool> go_on = visit(it->key().ToStringView(), it->value().ToStringView());
    if (!go_on.ok()) return go_on.status();
    if (!*go_on) return absl::OkStatus();
  }
  return FromRocksDb(it->status(),
                     absl::StrCat("cannot read ", store_format::kColumnFamilies[cf].name));
}

}  // namespace newsdedup

#endif  // NEWSDEDUP_STORE_ROCKS_STORY_STORE_H_
