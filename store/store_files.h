#ifndef NEWSDEDUP_STORE_STORE_FILES_H_
#define NEWSDEDUP_STORE_STORE_FILES_H_

// Folder operations of the store's own (atomic creation, restore, the
// ledger): paths as users give them, and fsync of a folder, so that a rename
// or a new file inside it survives a power cut. Internal to store/.

#include <filesystem>
#include <string>

#include "absl/status/status.h"

namespace newsdedup {

// `dir` without trailing slashes, with a parent ("db/" is "./db").
std::filesystem::path FolderPath(const std::string& dir);

// fsync of the folder `dir`.
absl::Status SyncFolder(const std::filesystem::path& dir);

}  // namespace newsdedup

#endif  // NEWSDEDUP_STORE_STORE_FILES_H_
