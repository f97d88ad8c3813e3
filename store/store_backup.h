#ifndef NEWSDEDUP_STORE_STORE_BACKUP_H_
#define NEWSDEDUP_STORE_STORE_BACKUP_H_

// Backups of a store with RocksDB's BackupEngine, and restoring one. A
// backup folder holds any number of backups of one store; table files are
// copied once and shared by the backups that contain them, and every file
// is checksummed. StoryStore::Backup adds one; these list and restore them.

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "store/story_store.h"

namespace newsdedup {

// The backups in `backup_dir`, oldest first. NotFoundError when it holds
// none.
absl::StatusOr<std::vector<StoreBackup>> ListBackups(const std::string& backup_dir);

struct RestoreResult {
  StoreBackup backup;        // The one restored.
  std::string replaced_dir;  // Where the folder that was at `dir` went; empty if none.
};

// Restores backup `backup_id` (0: the latest) of `backup_dir` as the store at
// `dir`, after verifying its files' checksums: it is rebuilt in a sibling
// folder and renamed into place; a folder already at `dir` is kept beside it
// (renamed "DIR.before-restore-TIME"), never deleted. FailedPreconditionError
// when a process holds the store at `dir`; NotFoundError for an unknown
// backup; DataLossError when the backup's files are damaged.
absl::StatusOr<RestoreResult> RestoreStore(const std::string& backup_dir, const std::string& dir,
                                           uint32_t backup_id);

}  // namespace newsdedup

#endif  // NEWSDEDUP_STORE_STORE_BACKUP_H_
