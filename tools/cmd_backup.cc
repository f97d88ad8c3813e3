// `backup` and `restore`: copies of a store with RocksDB's BackupEngine
// (store/store_backup.h).

#include <iostream>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/time.h"
#include "core/match_params.h"
#include "nlohmann/json.hpp"
#include "store/store_backup.h"
#include "tools/cli.h"
#include "tools/safe_text.h"

namespace newsdedup {
namespace {

std::string BackupTime(const StoreBackup& backup) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", absl::FromUnixSeconds(backup.created_at),
                          absl::UTCTimeZone());
}

std::string DescribeBackup(const StoreBackup& backup) {
  return absl::StrFormat("backup %d  %s  snapshots up to %d  %d files, %.1f MiB",
                         backup.backup_id, BackupTime(backup), backup.last_snapshot_id,
                         backup.files, backup.bytes / 1048576.0);
}

nlohmann::json BackupJson(const StoreBackup& backup) {
  return {{"backup", backup.backup_id},      {"created_at", BackupTime(backup)},
          {"last_snapshot", backup.last_snapshot_id}, {"files", backup.files},
          {"bytes", backup.bytes}};
}

// A positive integer flag, or `fallback` when absent.
absl::StatusOr<uint32_t> CountFlag(const ParsedArgs& args, const std::string& name,
                                   uint32_t fallback) {
  if (!args.Has(name)) return fallback;
  uint32_t value = 0;
  if (!absl::SimpleAtoi(args.Get(name), &value) || value == 0) {
    return UsageErrorStatus(absl::StrCat("--", name, " must be a positive number, not '",
                                         args.Get(name), "'"));
  }
  return value;
}

CommandResult RunBackup(const ParsedArgs& args) {
  if (!args.positionals().empty()) return UsageError("backup takes no positional arguments");
  if (!args.Has("to")) return UsageError("--to BACKUP_DIR is required");
  absl::StatusOr<bool> json = JsonFormat(args);
  if (!json.ok()) return Fail(json.status());
  absl::StatusOr<uint32_t> keep = CountFlag(args, "keep", 0);
  if (!keep.ok()) return Fail(keep.status());
  // The write lock makes the backup consistent: no ingest runs halfway
  // through it. An existing store only: backing up creates nothing.
  StoryStore::Options options;
  options.create_if_missing = false;
  if (!args.Has("db")) return UsageError("--db DIR is required");
  absl::StatusOr<std::unique_ptr<StoryStore>> store =
      StoryStore::Open(args.Get("db"), "", options);
  if (!store.ok()) return Fail(store.status());
  absl::StatusOr<StoreBackup> backup = (*store)->Backup(args.Get("to"), *keep);
  if (!backup.ok()) return Fail(backup.status());
  if (*json) {
    std::cout << DumpJson(BackupJson(*backup)) << "\n";
  } else {
    std::cout << DescribeBackup(*backup) << "  in " << args.Get("to") << "\n";
  }
  return std::nullopt;
}

CommandResult ListBackupsIn(const std::string& backup_dir, bool json) {
  absl::StatusOr<std::vector<StoreBackup>> backups = ListBackups(backup_dir);
  if (!backups.ok()) return Fail(backups.status());
  for (const StoreBackup& backup : *backups) {
    std::cout << (json ? DumpJson(BackupJson(backup)) : DescribeBackup(backup)) << "\n";
  }
  return std::nullopt;
}

CommandResult RunRestore(const ParsedArgs& args) {
  if (!args.positionals().empty()) return UsageError("restore takes no positional arguments");
  if (!args.Has("from")) return UsageError("--from BACKUP_DIR is required");
  absl::StatusOr<bool> json = JsonFormat(args);
  if (!json.ok()) return Fail(json.status());
  if (args.Has("list")) return ListBackupsIn(args.Get("from"), *json);
  if (!args.Has("db")) return UsageError("--db DIR is required");
  absl::StatusOr<uint32_t> backup_id = CountFlag(args, "backup", 0);
  if (!backup_id.ok()) return Fail(backup_id.status());
  absl::StatusOr<RestoreResult> restored =
      RestoreStore(args.Get("from"), args.Get("db"), *backup_id);
  if (!restored.ok()) return Fail(restored.status());
  if (*json) {
    nlohmann::json out = BackupJson(restored->backup);
    out["db"] = args.Get("db");
    out["replaced"] = restored->replaced_dir;
    std::cout << DumpJson(out) << "\n";
    return std::nullopt;
  }
  std::cout << "restored " << DescribeBackup(restored->backup) << "  into " << args.Get("db")
            << "\n";
  if (!restored->replaced_dir.empty()) {
    std::cout << "the folder that was there is kept in " << restored->replaced_dir << "\n";
  }
  return std::nullopt;
}

}  // namespace

Command BackupCommand() {
  return {"backup",
          "add a consistent, checksummed, incremental backup of a store to a backup folder",
          "backup --db DIR --to BACKUP_DIR [--keep N] [--format text|json]",
          {{"db", "", true, "store folder (must exist; waits for no ingest: fails if one runs)"},
           {"to", "", true, "backup folder (created when missing; one per store)"},
           {"keep", "", true, "keep only the newest N backups (default: all)"},
           kFormatFlag},
          RunBackup,
          StoreAccess::kWrite};
}

Command RestoreCommand() {
  return {"restore",
          "restore a backup into --db (a folder there is kept aside), or --list the backups",
          "restore --from BACKUP_DIR (--db DIR [--backup ID] | --list) [--format text|json]",
          {{"from", "", true, "backup folder"},
           {"db", "", true, "store folder to restore into (a folder there is renamed aside)"},
           {"backup", "", true, "backup id (default: the latest)"},
           {"list", "", false, "list the backups and restore nothing"},
           kFormatFlag},
          RunRestore,
          StoreAccess::kWrite};
}

}  // namespace newsdedup
