#include "tests/fault/store_faults.h"

#include <algorithm>
#include <fstream>
#include <memory>

#include "absl/strings/str_cat.h"
#include "rocksdb/db.h"
#include "rocksdb/metadata.h"
#include "rocksdb/options.h"

namespace newsdedup::testing {
namespace {

absl::Status FromRocks(const rocksdb::Status& status, const std::string& what) {
  if (status.ok()) return absl::OkStatus();
  return absl::InternalError(absl::StrCat(what, ": ", status.ToString()));
}

// The store's database with every column family, or read-only.
class RawStore {
 public:
  absl::Status Open(const std::string& dir, bool read_only) {
    rocksdb::DBOptions options;
    // As the store opens its log for writing.
    options.wal_recovery_mode = rocksdb::WALRecoveryMode::kTolerateCorruptedTailRecords;
    options.avoid_flush_during_shutdown = true;
    std::vector<std::string> names;
    if (absl::Status status =
            FromRocks(rocksdb::DB::ListColumnFamilies(options, dir, &names), "list families");
        !status.ok()) {
      return status;
    }
    // Without the store's merge operator, a compaction of posting lists
    // would fail: there is none.
    rocksdb::ColumnFamilyOptions family;
    family.disable_auto_compactions = true;
    std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
    for (const std::string& name : names) descriptors.emplace_back(name, family);
    rocksdb::DB* db = nullptr;
    const rocksdb::Status opened =
        read_only ? rocksdb::DB::OpenForReadOnly(options, dir, descriptors, &handles_, &db)
                  : rocksdb::DB::Open(options, dir, descriptors, &handles_, &db);
    if (!opened.ok()) return FromRocks(opened, "open");
    db_.reset(db);
    names_ = names;
    return absl::OkStatus();
  }
  ~RawStore() {
    for (rocksdb::ColumnFamilyHandle* handle : handles_) db_->DestroyColumnFamilyHandle(handle);
    // Close flushes nothing when the log is on: unflushed writes stay in it.
    if (db_ != nullptr) db_->Close().PermitUncheckedError();
  }
  absl::StatusOr<rocksdb::ColumnFamilyHandle*> Family(const std::string& name) {
    for (size_t i = 0; i < names_.size(); ++i) {
      if (names_[i] == name) return handles_[i];
    }
    return absl::NotFoundError(absl::StrCat("no column family ", name));
  }
  rocksdb::DB* db() { return db_.get(); }
  absl::Status Flush() {
    return FromRocks(db_->Flush(rocksdb::FlushOptions(), handles_), "flush");
  }

 private:
  std::unique_ptr<rocksdb::DB> db_;
  std::vector<rocksdb::ColumnFamilyHandle*> handles_;
  std::vector<std::string> names_;
};

}  // namespace

absl::Status DropFamilyKeys(const std::string& dir, const std::string& family) {
  RawStore store;
  if (absl::Status status = store.Open(dir, false); !status.ok()) return status;
  absl::StatusOr<rocksdb::ColumnFamilyHandle*> handle = store.Family(family);
  if (!handle.ok()) return handle.status();
  // Keys are at most a few hundred bytes: this bound is past all of them.
  const std::string end(1024, '\xff');
  if (absl::Status status = FromRocks(
          store.db()->DeleteRange(rocksdb::WriteOptions(), *handle, "", end), "delete range");
      !status.ok()) {
    return status;
  }
  return store.Flush();
}

absl::Status PutRaw(const std::string& dir, const std::string& family, const std::string& key,
                    const std::string& value, bool flush) {
  return PutRawPairs(dir, family, {{key, value}}, flush);
}

absl::Status PutRawPairs(const std::string& dir, const std::string& family,
                         const std::vector<std::pair<std::string, std::string>>& pairs,
                         bool flush) {
  RawStore store;
  if (absl::Status status = store.Open(dir, false); !status.ok()) return status;
  absl::StatusOr<rocksdb::ColumnFamilyHandle*> handle = store.Family(family);
  if (!handle.ok()) return handle.status();
  rocksdb::WriteOptions synced;
  synced.sync = true;
  for (const auto& [key, value] : pairs) {
    if (absl::Status status = FromRocks(store.db()->Put(synced, *handle, key, value), "put");
        !status.ok()) {
      return status;
    }
  }
  return flush ? store.Flush() : absl::OkStatus();
}

absl::Status DeleteRaw(const std::string& dir, const std::string& family, const std::string& key) {
  RawStore store;
  if (absl::Status status = store.Open(dir, false); !status.ok()) return status;
  absl::StatusOr<rocksdb::ColumnFamilyHandle*> handle = store.Family(family);
  if (!handle.ok()) return handle.status();
  if (absl::Status status =
          FromRocks(store.db()->Delete(rocksdb::WriteOptions(), *handle, key), "delete");
      !status.ok()) {
    return status;
  }
  return store.Flush();
}

absl::StatusOr<std::vector<std::string>> TableFilesOf(const std::string& dir,
                                                      const std::string& family) {
  RawStore store;
  if (absl::Status status = store.Open(dir, true); !status.ok()) return status;
  std::vector<rocksdb::LiveFileMetaData> files;
  store.db()->GetLiveFilesMetaData(&files);
  std::sort(files.begin(), files.end(),
            [](const auto& a, const auto& b) { return a.size > b.size; });
  std::vector<std::string> paths;
  for (const rocksdb::LiveFileMetaData& file : files) {
    if (file.column_family_name == family) paths.push_back(file.db_path + file.name);
  }
  return paths;
}

absl::Status FlipBytes(const std::string& path, uint64_t offset, uint64_t length) {
  std::fstream file(path, std::ios::in | std::ios::out | std::ios::binary);
  if (!file) return absl::NotFoundError(absl::StrCat("cannot open ", path));
  std::string bytes(length, '\0');
  file.seekg(static_cast<std::streamoff>(offset));
  file.read(bytes.data(), static_cast<std::streamsize>(length));
  if (static_cast<uint64_t>(file.gcount()) != length) {
    return absl::OutOfRangeError(absl::StrCat(path, " is shorter than ", offset + length));
  }
  for (char& byte : bytes) byte = static_cast<char>(~byte);
  file.seekp(static_cast<std::streamoff>(offset));
  file.write(bytes.data(), static_cast<std::streamsize>(length));
  return file ? absl::OkStatus() : absl::InternalError(absl::StrCat("cannot write ", path));
}

}  // namespace newsdedup::testing
