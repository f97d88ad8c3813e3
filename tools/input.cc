#include "tools/input.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <vector>

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

// Opens `path` for reading, with ReadInput's one-line errors.
absl::StatusOr<std::unique_ptr<std::FILE, int (*)(std::FILE*)>> OpenInput(
    const std::string& path) {
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
  return file;
}

}  // namespace

absl::StatusOr<std::string> ReadInput(const std::string& path) {
  if (path == "-") return ReadAll(stdin, "standard input");
  absl::StatusOr<std::unique_ptr<std::FILE, int (*)(std::FILE*)>> file = OpenInput(path);
  if (!file.ok()) return file.status();
  return ReadAll(file->get(), path);
}

absl::Status ReadInputInBlocks(const std::string& path, size_t block_bytes,
                               const std::function<absl::Status(std::string_view)>& on_block) {
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> owned(nullptr, &std::fclose);
  std::FILE* file = stdin;
  if (path != "-") {
    absl::StatusOr<std::unique_ptr<std::FILE, int (*)(std::FILE*)>> opened = OpenInput(path);
    if (!opened.ok()) return opened.status();
    owned = std::move(*opened);
    file = owned.get();
  }
  std::string block;
  std::vector<char> buffer(1 << 20);
  size_t n;
  while ((n = std::fread(buffer.data(), 1, buffer.size(), file)) > 0) {
    block.append(buffer.data(), n);
    if (block.size() < block_bytes) continue;
    const size_t line_end = block.rfind('\n');
    if (line_end == std::string::npos) continue;  // One line longer than a block.
    if (absl::Status status = on_block(std::string_view(block).substr(0, line_end + 1));
        !status.ok()) {
      return status;
    }
    block.erase(0, line_end + 1);
  }
  if (std::ferror(file)) {
    return absl::DataLossError(absl::StrCat("cannot read ", path, ": ", std::strerror(errno)));
  }
  if (!block.empty()) return on_block(block);
  return absl::OkStatus();
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
