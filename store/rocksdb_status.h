#ifndef NEWSDEDUP_STORE_ROCKSDB_STATUS_H_
#define NEWSDEDUP_STORE_ROCKSDB_STATUS_H_

// The one place where a rocksdb::Status becomes an absl::Status. Internal to
// store/ (the only folder that may include RocksDB headers).

#include <string_view>

#include "absl/status/status.h"
#include "rocksdb/status.h"

namespace newsdedup {

// OK stays OK. A held LOCK file becomes Unavailable "store is in use by
// another process" (worth retrying), a read-only filesystem
// FailedPrecondition saying so, a denied permission PermissionDenied;
// corruption becomes DataLoss (RocksDB's message names the damaged file);
// NotFound stays NotFound;
// InvalidArgument stays; a full disk becomes ResourceExhausted; other I/O
// errors become Unavailable/Internal. `context` prefixes the message.
absl::Status FromRocksDb(const rocksdb::Status& status, std::string_view context);

}  // namespace newsdedup

#endif  // NEWSDEDUP_STORE_ROCKSDB_STATUS_H_
