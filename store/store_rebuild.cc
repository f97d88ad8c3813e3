// rebuild-index: every index family dropped (its files deleted unread, so a
// damaged block cannot stop it) and regenerated from the stored versions'
// texts, in version order. A marker in meta, set first and cleared last,
// makes a rebuild cut short refuse commits until it is run again.

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "core/parallel_for.h"
#include "store/record_codec.h"
#include "store/rocks_story_store.h"
#include "store/version_postings.h"

namespace newsdedup {
namespace {

using namespace store_format;  // NOLINT: the schema's names read best bare here.

// Versions whose postings are computed and written together.
constexpr size_t kRebuildBatch = 4096;

absl::Status WrongParams(const MatchParams& params, const std::string& stored) {
  if (params.Describe() == stored) return absl::OkStatus();
  return absl::FailedPreconditionError(
      "the postings are recomputed with this build's parameters, which are not the store's; "
      "use the build that made the store");
}

}  // namespace

absl::Status RocksStoryStore::RecreateFamily(ColumnFamily cf) {
  rocksdb::ColumnFamilyHandle* old_handle = handles_[cf];
  rocksdb::ColumnFamilyDescriptor descriptor;
  if (absl::Status status = FromRocksDb(old_handle->GetDescriptor(&descriptor),
                                        "cannot read the options of an index");
      !status.ok()) {
    return status;
  }
  const std::string what = absl::StrCat("cannot recreate the ", descriptor.name, " index");
  if (absl::Status status = FromRocksDb(db_->DropColumnFamily(old_handle), what); !status.ok()) {
    return status;
  }
  rocksdb::ColumnFamilyHandle* new_handle = nullptr;
  if (absl::Status status = FromRocksDb(
          db_->CreateColumnFamily(descriptor.options, descriptor.name, &new_handle), what);
      !status.ok()) {
    return status;
  }
  db_->DestroyColumnFamilyHandle(old_handle).PermitUncheckedError();
  std::replace(owned_handles_.begin(), owned_handles_.end(), old_handle, new_handle);
  handles_[cf] = new_handle;
  return absl::OkStatus();
}

absl::Status RocksStoryStore::NoRebuildUnderWay() {
  absl::StatusOr<std::optional<std::string>> marker = Get(kMeta, kIndexRebuildKey);
  if (!marker.ok()) return marker.status();
  if (!marker->has_value()) return absl::OkStatus();
  return absl::FailedPreconditionError(absl::StrCat(
      "an index rebuild of ", dir_, " was interrupted, so its indexes are incomplete; run "
      "`newsdedup rebuild-index --db ", dir_, "` first"));
}

absl::Status RocksStoryStore::SetIndexRebuildMarker(bool set) {
  rocksdb::WriteBatch batch;
  if (set) {
    batch.Put(handles_[kMeta], kIndexRebuildKey, "");
  } else {
    batch.Delete(handles_[kMeta], kIndexRebuildKey);
  }
  return WriteSynced(&batch, "cannot record the index rebuild");
}

absl::Status RocksStoryStore::WriteVersionPostings(std::span<const uint64_t> ids,
                                                   const MatchParams& params,
                                                   RebuildResult* result) {
  absl::StatusOr<std::vector<std::optional<VersionRecord>>> versions =
      GetVersions(ids, /*with_texts=*/true);
  if (!versions.ok()) return versions.status();
  std::vector<std::vector<Posting>> postings(ids.size());
  ParallelFor(ids.size(), 0, [&](size_t begin, size_t end, int) {
    VersionPostings derive(params);
    for (size_t i = begin; i < end; ++i) {
      const std::optional<VersionRecord>& version = (*versions)[i];
      if (version.has_value()) postings[i] = derive.Of(*version);
    }
  });
  std::vector<Posting> all;
  for (const std::vector<Posting>& of_version : postings) {
    all.insert(all.end(), of_version.begin(), of_version.end());
    result->versions += of_version.empty() ? 0 : 1;
  }
  result->postings += all.size();
  rocksdb::WriteBatch batch;
  AddPostingMerges(all, &batch);
  rocksdb::WriteOptions write_options;
  // The marker stands in for the log: a crash before the final flush means
  // rebuilding again.
  write_options.disableWAL = true;
  return FromRocksDb(db_->Write(write_options, &batch), "cannot write the rebuilt index");
}

absl::StatusOr<RebuildResult> RocksStoryStore::RebuildIndexes(const MatchParams& params) {
  if (read_only_) return absl::FailedPreconditionError("store was opened read-only");
  if (absl::Status status = WrongParams(params, params_); !status.ok()) return status;
  std::lock_guard<std::mutex> lock(write_mutex_);
  if (absl::Status status = SetIndexRebuildMarker(true); !status.ok()) return status;
  for (int cf = 0; cf < kNumColumnFamilies; ++cf) {
    if (!IsIndexFamily(cf)) continue;
    if (absl::Status status = RecreateFamily(static_cast<ColumnFamily>(cf)); !status.ok()) {
      return status;
    }
  }
  RebuildResult result;
  std::vector<uint64_t> batch;
  absl::Status status = Scan(kVersions, "", "", [&](std::string_view key, std::string_view) {
    batch.push_back(ReadBigEndian(key));
    if (batch.size() < kRebuildBatch) return absl::OkStatus();
    absl::Status written = WriteVersionPostings(batch, params, &result);
    batch.clear();
    return written;
  });
  if (status.ok()) status = WriteVersionPostings(batch, params, &result);
  if (status.ok()) status = FlushAll();
  if (status.ok()) status = SetIndexRebuildMarker(false);
  if (status.ok()) status = FlushAll();
  if (!status.ok()) return status;
  return result;
}

}  // namespace newsdedup
