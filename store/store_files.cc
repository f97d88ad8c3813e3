#include "store/store_files.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "absl/strings/str_cat.h"

namespace newsdedup {

std::filesystem::path FolderPath(const std::string& dir) {
  std::filesystem::path path = std::filesystem::path(dir).lexically_normal();
  if (path.filename().empty()) path = path.parent_path();
  if (path.is_relative() && path.parent_path().empty()) path = std::filesystem::path(".") / path;
  return path;
}

absl::Status SyncFolder(const std::filesystem::path& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) {
    return absl::InternalError(absl::StrCat("cannot open ", dir.string(), ": ", std::strerror(errno)));
  }
  const bool synced = ::fsync(fd) == 0;
  const int error = errno;
  ::close(fd);
  if (!synced) {
    return absl::InternalError(absl::StrCat("cannot sync ", dir.string(), ": ", std::strerror(error)));
  }
  return absl::OkStatus();
}

}  // namespace newsdedup
