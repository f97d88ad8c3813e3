#include "tools/input.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace newsdedup {
namespace {

// stdio rather than iostreams: libstdc++'s filebuf throws on read errors.
absl::StatusOr<std::string> ReadAll(std::FILE* file, const std::string& path) {
  std::string bytes;
  char buffer[1 << 16];
  size_t n;
  while ((n = std::fread(buffer, 1, sizeof(buffer), file)) > 0) {
    bytes.append(buffer, n);
  }
  if (std::ferror(file)) {
    return absl::DataLossError(
        absl::StrCat("cannot read ", path, ": ", std::strerror(errno)));
  }
  return bytes;
}

}  // namespace

absl::StatusOr<std::string> ReadInput(const std::string& path) {
  if (path == "-") return ReadAll(stdin, "standard input");
  std::error_code error;
  const auto status = std::filesystem::status(path, error);
  if (error || !std::filesystem::exists(status)) {
    return absl::NotFoundError(
        absl::StrCat("cannot read ", path, ": no such file"));
  }
  if (std::filesystem::is_directory(status)) {
    return absl::InvalidArgumentError(
        absl::StrCat("cannot read ", path, ": is a directory"));
  }
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(
      std::fopen(path.c_str(), "rb"), &std::fclose);
  if (file == nullptr) {
    return absl::PermissionDeniedError(
        absl::StrCat("cannot read ", path, ": ", std::strerror(errno)));
  }
  return ReadAll(file.get(), path);
}

std::optional<DumpFormat> InputFormat(const std::string& path,
                                      std::optional<DumpFormat> flag) {
  if (flag.has_value()) return flag;
  if (absl::EndsWith(path, ".jsonl") || absl::EndsWith(path, ".ndjson")) {
    return DumpFormat::kJsonl;
  }
  return std::nullopt;
}

}  // namespace newsdedup
