// Backups with RocksDB's BackupEngine (store/store_backup.h), and
// RocksStoryStore::Backup.

#include "store/store_backup.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <system_error>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "rocksdb/utilities/backup_engine.h"
#include "store/rocks_story_store.h"
#include "store/store_files.h"

namespace newsdedup {
namespace {

namespace fs = std::filesystem;
using namespace store_format;  // NOLINT: the schema's names read best bare here.

constexpr char kLastSnapshotMetadata[] = "last_snapshot_id=";

rocksdb::BackupEngineOptions EngineOptions(const std::string& backup_dir) {
  rocksdb::BackupEngineOptions options(backup_dir);
  // Synced, so that a crash during a backup leaves the earlier ones whole.
  options.sync = true;
  options.max_background_operations = 2;
  return options;
}

StoreBackup FromBackupInfo(const rocksdb::BackupInfo& info) {
  StoreBackup backup;
  backup.backup_id = info.backup_id;
  backup.created_at = info.timestamp;
  backup.bytes = info.size;
  backup.files = info.number_files;
  if (absl::StartsWith(info.app_metadata, kLastSnapshotMetadata)) {
    absl::SimpleAtoi(info.app_metadata.substr(sizeof(kLastSnapshotMetadata) - 1),
                     &backup.last_snapshot_id);
  }
  return backup;
}

absl::StatusOr<std::unique_ptr<rocksdb::BackupEngineReadOnly>> OpenBackups(
    const std::string& backup_dir) {
  std::error_code error;
  if (!fs::is_directory(backup_dir, error)) {
    return absl::NotFoundError(absl::StrCat(backup_dir, " holds no backups"));
  }
  rocksdb::BackupEngineReadOnly* raw = nullptr;
  const rocksdb::IOStatus opened =
      rocksdb::BackupEngineReadOnly::Open(EngineOptions(backup_dir), rocksdb::Env::Default(), &raw);
  if (!opened.ok()) return FromRocksDb(opened, absl::StrCat("cannot read backups in ", backup_dir));
  return std::unique_ptr<rocksdb::BackupEngineReadOnly>(raw);
}

// Whether a process holds the RocksDB lock of the store at `dir`.
bool StoreInUse(const fs::path& dir) {
  const int fd = ::open((dir / "LOCK").c_str(), O_RDWR | O_CLOEXEC);
  if (fd < 0) return false;
  struct flock lock = {};
  lock.l_type = F_WRLCK;
  lock.l_whence = SEEK_SET;
  const bool in_use = ::fcntl(fd, F_GETLK, &lock) == 0 && lock.l_type != F_UNLCK;
  ::close(fd);
  return in_use;
}

// Restores backup `id` into the new folder `into`, with its ledger.
absl::Status RestoreInto(const rocksdb::BackupEngineReadOnly& engine, uint32_t id,
                         const fs::path& into) {
  const rocksdb::IOStatus restored =
      engine.RestoreDBFromBackup(rocksdb::RestoreOptions(), id, into.string(), into.string());
  if (!restored.ok()) return FromRocksDb(restored, absl::StrCat("cannot restore backup ", id));
  // The backup has the database, not the ledger: opening for writing writes
  // one that lists what the backup holds.
  StoryStore::Options options;
  options.create_if_missing = false;
  options.accept_lost_snapshots = true;
  absl::StatusOr<std::unique_ptr<StoryStore>> store = StoryStore::Open(into.string(), "", options);
  if (!store.ok()) return store.status();
  return SyncFolder(into);
}

// Moves a folder at `dir` aside; returns where (empty when there was none).
absl::StatusOr<std::string> MoveAside(const fs::path& dir) {
  std::error_code error;
  if (!fs::exists(dir, error)) return std::string();
  if (fs::is_directory(dir, error) && fs::is_empty(dir, error)) {
    fs::remove(dir, error);
    return std::string();
  }
  const fs::path aside = dir.parent_path() /
                         absl::StrCat(dir.filename().string(), ".before-restore-",
                                      absl::FormatTime("%Y%m%dT%H%M%S", absl::Now(),
                                                       absl::UTCTimeZone()));
  fs::rename(dir, aside, error);
  if (error) {
    return absl::InternalError(
        absl::StrCat("cannot move ", dir.string(), " aside: ", error.message()));
  }
  return aside.string();
}

}  // namespace

absl::StatusOr<std::vector<StoreBackup>> ListBackups(const std::string& backup_dir) {
  absl::StatusOr<std::unique_ptr<rocksdb::BackupEngineReadOnly>> engine = OpenBackups(backup_dir);
  if (!engine.ok()) return engine.status();
  std::vector<rocksdb::BackupInfo> infos;
  (*engine)->GetBackupInfo(&infos);
  if (infos.empty()) return absl::NotFoundError(absl::StrCat(backup_dir, " holds no backups"));
  std::vector<StoreBackup> backups;
  for (const rocksdb::BackupInfo& info : infos) backups.push_back(FromBackupInfo(info));
  return backups;
}

absl::StatusOr<RestoreResult> RestoreStore(const std::string& backup_dir, const std::string& dir,
                                           uint32_t backup_id) {
  absl::StatusOr<std::vector<StoreBackup>> backups = ListBackups(backup_dir);
  if (!backups.ok()) return backups.status();
  RestoreResult result;
  const auto wanted =
      std::find_if(backups->begin(), backups->end(),
                   [&](const StoreBackup& b) { return b.backup_id == backup_id; });
  if (backup_id == 0) {
    result.backup = backups->back();
  } else if (wanted == backups->end()) {
    return absl::NotFoundError(absl::StrCat("no backup ", backup_id, " in ", backup_dir));
  } else {
    result.backup = *wanted;
  }
  absl::StatusOr<std::unique_ptr<rocksdb::BackupEngineReadOnly>> engine = OpenBackups(backup_dir);
  if (!engine.ok()) return engine.status();
  if (const rocksdb::IOStatus verified =
          (*engine)->VerifyBackup(result.backup.backup_id, /*verify_with_checksum=*/true);
      !verified.ok()) {
    return absl::DataLossError(absl::StrCat("backup ", result.backup.backup_id, " in ",
                                            backup_dir, " is damaged: ", verified.ToString()));
  }
  const fs::path target = FolderPath(dir);
  if (StoreInUse(target)) {
    return absl::FailedPreconditionError(
        absl::StrCat("cannot restore into ", dir, ": store is in use by another process"));
  }
  const fs::path building =
      target.parent_path() / absl::StrCat(".", target.filename().string(), ".restoring-", getpid());
  std::error_code error;
  fs::remove_all(building, error);
  if (absl::Status status = RestoreInto(**engine, result.backup.backup_id, building);
      !status.ok()) {
    fs::remove_all(building, error);
    return status;
  }
  absl::StatusOr<std::string> aside = MoveAside(target);
  if (!aside.ok()) {
    fs::remove_all(building, error);
    return aside.status();
  }
  result.replaced_dir = *aside;
  fs::rename(building, target, error);
  if (error) {
    return absl::InternalError(absl::StrCat("cannot move the restored store to ", dir, ": ",
                                            error.message(), " (it is in ", building.string(),
                                            ")"));
  }
  if (absl::Status status = SyncFolder(target.parent_path()); !status.ok()) return status;
  return result;
}

absl::StatusOr<StoreBackup> RocksStoryStore::Backup(const std::string& backup_dir,
                                                    uint32_t keep_latest) {
  if (read_only_ || in_memory_) {
    return absl::FailedPreconditionError("a backup needs a store on disk opened for writing");
  }
  std::lock_guard<std::mutex> lock(write_mutex_);
  absl::StatusOr<StoreCounters> counters = ReadCounters();
  if (!counters.ok()) return counters.status();
  rocksdb::BackupEngine* raw = nullptr;
  const std::string context = absl::StrCat("cannot back up to ", backup_dir);
  if (absl::Status status = FromRocksDb(
          rocksdb::BackupEngine::Open(EngineOptions(backup_dir), rocksdb::Env::Default(), &raw),
          context);
      !status.ok()) {
    return status;
  }
  std::unique_ptr<rocksdb::BackupEngine> engine(raw);
  rocksdb::CreateBackupOptions create;
  create.flush_before_backup = true;
  rocksdb::BackupID id = 0;
  if (absl::Status status = FromRocksDb(
          engine->CreateNewBackupWithMetadata(
              create, db_.get(), absl::StrCat(kLastSnapshotMetadata, counters->last_snapshot_id),
              &id),
          context);
      !status.ok()) {
    return status;
  }
  if (keep_latest > 0) {
    if (absl::Status status = FromRocksDb(engine->PurgeOldBackups(keep_latest), context);
        !status.ok()) {
      return status;
    }
  }
  rocksdb::BackupInfo info;
  if (absl::Status status = FromRocksDb(engine->GetBackupInfo(id, &info), context); !status.ok()) {
    return status;
  }
  return FromBackupInfo(info);
}

}  // namespace newsdedup
