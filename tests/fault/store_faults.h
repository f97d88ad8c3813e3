#ifndef NEWSDEDUP_TESTS_FAULT_STORE_FAULTS_H_
#define NEWSDEDUP_TESTS_FAULT_STORE_FAULTS_H_

// Damage done to a store on purpose, for the tests and the fault script
// (scripts/fault_probe.sh): what a bad disk, a lost file or a bug would leave.
// Opens the store's RocksDB directly, without a StoryStore (and without its
// merge operator, which nothing here needs); RocksDB types stay inside.
// REQUIRES: no process has the store open.

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace newsdedup::testing {

// Deletes every key of column family `family` (as losing its table files
// would) and flushes.
absl::Status DropFamilyKeys(const std::string& dir, const std::string& family);

// Puts `value` under `key` in column family `family`, in one synced write,
// then flushes unless !flush (the write then lives in the write-ahead log
// only, as a commit does between its write and its flush).
absl::Status PutRaw(const std::string& dir, const std::string& family, const std::string& key,
                    const std::string& value, bool flush = true);
// The same for several keys, one synced write each, in one session.
absl::Status PutRawPairs(const std::string& dir, const std::string& family,
                         const std::vector<std::pair<std::string, std::string>>& pairs,
                         bool flush);

// Deletes `key` of `family` and flushes.
absl::Status DeleteRaw(const std::string& dir, const std::string& family, const std::string& key);

// Paths of the live table files of `family`, largest first.
absl::StatusOr<std::vector<std::string>> TableFilesOf(const std::string& dir,
                                                      const std::string& family);

// Flips the bits of `length` bytes at `offset` of the file at `path`.
absl::Status FlipBytes(const std::string& path, uint64_t offset, uint64_t length);

}  // namespace newsdedup::testing

#endif  // NEWSDEDUP_TESTS_FAULT_STORE_FAULTS_H_
