#include "store/rocksdb_status.h"

#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace newsdedup {

absl::Status FromRocksDb(const rocksdb::Status& status, std::string_view context) {
  if (status.ok()) return absl::OkStatus();
  const std::string detail = status.ToString();
  const std::string prefix(context);
  const std::string message = absl::StrCat(prefix, ": ", detail);
  // The errno text says what RocksDB's IOErrors mean; users need to hear
  // that, not the file operation that failed. (A read-only filesystem fails
  // on the LOCK file first, which is not "in use".)
  if (status.IsIOError() && absl::StrContains(detail, "Read-only file system")) {
    return absl::FailedPreconditionError(absl::StrCat(
        prefix, ": the store's filesystem is read-only (commands that only read it work)"));
  }
  if (status.IsIOError() && absl::StrContains(detail, "Permission denied")) {
    return absl::PermissionDeniedError(message);
  }
  // RocksDB reports a LOCK file held by another process as an IOError whose
  // text names the lock.
  if (status.IsIOError() && absl::StrContains(detail, "lock")) {
    // Unavailable, as Abseil means it: the caller may retry (ingest --wait).
    return absl::UnavailableError(
        absl::StrCat(prefix, ": store is in use by another process"));
  }
  if (status.IsCorruption()) {
    // RocksDB names the MANIFEST it was reading when a table file it lists
    // is damaged: the table file is the one to name.
    const size_t table = detail.find(".sst");
    const size_t manifest = detail.find(" in file ", table == std::string::npos ? 0 : table);
    if (table != std::string::npos && manifest != std::string::npos &&
        detail.find("MANIFEST-", manifest) != std::string::npos) {
      return absl::DataLossError(
          absl::StrCat(prefix, ": ", detail.substr(0, manifest),
                       " (a damaged table file; `newsdedup check` names its family)"));
    }
    return absl::DataLossError(message);
  }
  if (status.IsNotFound()) return absl::NotFoundError(message);
  if (status.IsInvalidArgument()) return absl::InvalidArgumentError(message);
  if (status.IsNotSupported()) return absl::UnimplementedError(message);
  if (status.IsNoSpace() || status.IsMemoryLimit()) {
    return absl::ResourceExhaustedError(message);
  }
  if (status.IsBusy() || status.IsTimedOut() || status.IsTryAgain()) {
    return absl::UnavailableError(message);
  }
  return absl::InternalError(message);
}

}  // namespace newsdedup
