#include "tools/input.h"

#include <glob.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "tools/cli.h"
#include "tools/decompress.h"

namespace newsdedup {
namespace {

using File = std::unique_ptr<std::FILE, int (*)(std::FILE*)>;

absl::Status TooLarge(const std::string& path, uint64_t max_bytes) {
  return absl::ResourceExhaustedError(absl::StrFormat(
      "%s holds more than %.1f MiB, the most this machine's memory lets one command read "
      "(README, \"Memory\")",
      path, max_bytes / 1048576.0));
}

// Opens `path` for reading, with ReadInput's one-line errors; stdio rather
// than iostreams: libstdc++'s filebuf throws on read errors.
absl::StatusOr<File> OpenInput(const std::string& path) {
  std::error_code error;
  const auto status = std::filesystem::status(path, error);
  if (error || !std::filesystem::exists(status)) {
    return absl::NotFoundError(absl::StrCat("cannot read ", path, ": no such file"));
  }
  if (std::filesystem::is_directory(status)) {
    return absl::InvalidArgumentError(absl::StrCat("cannot read ", path, ": is a directory"));
  }
  File file(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (file == nullptr) {
    return absl::PermissionDeniedError(
        absl::StrCat("cannot read ", path, ": ", std::strerror(errno)));
  }
  return file;
}

// A reader of `path` (or standard input), decompressing; `owned` keeps the
// file open as long as the reader lives.
absl::StatusOr<std::unique_ptr<DecompressingReader>> OpenReader(const std::string& path,
                                                                File* owned) {
  if (path == "-") return DecompressingReader::Open(stdin, "standard input");
  absl::StatusOr<File> file = OpenInput(path);
  if (!file.ok()) return file.status();
  *owned = std::move(*file);
  return DecompressingReader::Open(owned->get(), path);
}

// Opens the file `path` positioned at `offset`, with ReadInput's errors.
absl::StatusOr<File> OpenRegularFileAt(const std::string& path, uint64_t offset) {
  absl::StatusOr<File> file = OpenInput(path);
  if (!file.ok()) return file.status();
  if (::fseeko(file->get(), static_cast<off_t>(offset), SEEK_SET) != 0) {
    return absl::DataLossError(absl::StrCat("cannot read ", path, ": ", std::strerror(errno)));
  }
  return file;
}

// Calls on_block with blocks of whole lines of about `block_bytes` of what
// `read` gives (bytes into a buffer, 0 at the end), then with the rest;
// after each read, `after_read`. Bytes are read straight into the block,
// which keeps its room from one block to the next.
absl::Status ReadLineBlocks(const std::function<absl::StatusOr<size_t>(char*, size_t)>& read,
                            size_t block_bytes,
                            const std::function<absl::Status(std::string_view)>& on_block,
                            const std::function<void()>& after_read) {
  constexpr size_t kReadBytes = 1 << 20;
  std::vector<char> block(block_bytes + kReadBytes);
  size_t used = 0;
  while (true) {
    // Grows only for a line longer than a block.
    if (block.size() - used < kReadBytes) block.resize(used + kReadBytes);
    absl::StatusOr<size_t> n = read(block.data() + used, kReadBytes);
    if (!n.ok()) return n.status();
    if (*n == 0) break;
    used += *n;
    after_read();
    if (used < block_bytes) continue;
    const std::string_view bytes(block.data(), used);
    const size_t line_end = bytes.rfind('\n');
    if (line_end == std::string_view::npos) continue;  // One line longer than a block.
    if (absl::Status status = on_block(bytes.substr(0, line_end + 1)); !status.ok()) {
      return status;
    }
    used -= line_end + 1;
    std::memmove(block.data(), block.data() + line_end + 1, used);
  }
  if (used > 0) return on_block(std::string_view(block.data(), used));
  return absl::OkStatus();
}

bool IsGlob(const std::string& arg) { return arg.find_first_of("*?[") != std::string::npos; }

absl::StatusOr<std::vector<std::string>> DirectoryFiles(const std::string& dir) {
  std::vector<std::string> files;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(dir, error)) {
    const std::string name = entry.path().filename().string();
    std::error_code type_error;
    if (name.empty() || name[0] == '.' || !entry.is_regular_file(type_error)) continue;
    files.push_back(entry.path().string());
  }
  if (error) {
    return absl::PermissionDeniedError(
        absl::StrCat("cannot list ", dir, ": ", error.message()));
  }
  if (files.empty()) {
    return absl::NotFoundError(absl::StrCat(dir, ": directory holds no dump files"));
  }
  std::sort(files.begin(), files.end());
  return files;
}

absl::StatusOr<std::vector<std::string>> GlobFiles(const std::string& pattern) {
  glob_t matches;
  const int result = glob(pattern.c_str(), 0, nullptr, &matches);
  std::vector<std::string> files;
  if (result == 0) {
    for (size_t i = 0; i < matches.gl_pathc; ++i) {
      std::error_code error;
      if (std::filesystem::is_regular_file(matches.gl_pathv[i], error)) {
        files.push_back(matches.gl_pathv[i]);
      }
    }
  }
  globfree(&matches);
  if (files.empty()) return absl::NotFoundError(absl::StrCat(pattern, ": no file matches"));
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace

absl::StatusOr<std::string> ReadInput(const std::string& path, uint64_t max_bytes) {
  std::error_code error;
  if (path != "-" && std::filesystem::is_regular_file(path, error) &&
      std::filesystem::file_size(path, error) > max_bytes && !error) {
    return TooLarge(path, max_bytes);
  }
  File owned(nullptr, &std::fclose);
  absl::StatusOr<std::unique_ptr<DecompressingReader>> reader = OpenReader(path, &owned);
  if (!reader.ok()) return reader.status();
  std::string bytes;
  std::vector<char> buffer(1 << 16);
  while (true) {
    absl::StatusOr<size_t> n = (*reader)->Read(buffer.data(), buffer.size());
    if (!n.ok()) return n.status();
    if (*n == 0) return bytes;
    bytes.append(buffer.data(), *n);
    if (bytes.size() > max_bytes) return TooLarge(path == "-" ? "standard input" : path, max_bytes);
  }
}

absl::Status ReadInputInBlocks(const std::string& path, size_t block_bytes,
                               const std::function<absl::Status(std::string_view)>& on_block,
                               const std::function<void(uint64_t)>& on_progress) {
  File owned(nullptr, &std::fclose);
  absl::StatusOr<std::unique_ptr<DecompressingReader>> reader = OpenReader(path, &owned);
  if (!reader.ok()) return reader.status();
  return ReadLineBlocks(
      [&](char* out, size_t size) { return (*reader)->Read(out, size); }, block_bytes, on_block,
      [&] {
        if (on_progress) on_progress((*reader)->raw_bytes_read());
      });
}

absl::Status ReadFileRangeInBlocks(const std::string& path, uint64_t begin, uint64_t end,
                                   size_t block_bytes,
                                   const std::function<absl::Status(std::string_view)>& on_block) {
  absl::StatusOr<File> file = OpenRegularFileAt(path, begin);
  if (!file.ok()) return file.status();
  uint64_t left = end - begin;
  return ReadLineBlocks(
      [&](char* out, size_t size) -> absl::StatusOr<size_t> {
        const size_t n = std::fread(out, 1, std::min<uint64_t>(size, left), file->get());
        if (n == 0 && left > 0 && std::ferror(file->get())) {
          return absl::DataLossError(
              absl::StrCat("cannot read ", path, ": ", std::strerror(errno)));
        }
        left -= n;
        return n;
      },
      block_bytes, on_block, [] {});
}

absl::StatusOr<uint64_t> InputFileSize(const std::string& path) {
  if (path == "-") {
    return absl::InvalidArgumentError("standard input cannot be read by byte ranges: name a file");
  }
  absl::StatusOr<File> file = OpenInput(path);
  if (!file.ok()) return file.status();
  struct stat info;
  if (::fstat(::fileno(file->get()), &info) != 0 || !S_ISREG(info.st_mode)) {
    return absl::InvalidArgumentError(absl::StrCat("cannot read ", path, ": not a regular file"));
  }
  return static_cast<uint64_t>(info.st_size);
}

absl::StatusOr<uint64_t> LineStartAtOrAfter(const std::string& path, uint64_t offset) {
  if (offset == 0) return 0;
  // A line starts at `offset` when the byte before it ends a line.
  absl::StatusOr<File> file = OpenRegularFileAt(path, offset - 1);
  if (!file.ok()) return file.status();
  uint64_t position = offset - 1;
  char buffer[1 << 16];
  size_t n;
  while ((n = std::fread(buffer, 1, sizeof(buffer), file->get())) > 0) {
    if (const void* newline = std::memchr(buffer, '\n', n)) {
      return position + (static_cast<const char*>(newline) - buffer) + 1;
    }
    position += n;
  }
  if (std::ferror(file->get())) {
    return absl::DataLossError(absl::StrCat("cannot read ", path, ": ", std::strerror(errno)));
  }
  return position;
}

absl::StatusOr<uint64_t> CountLines(const std::string& path, uint64_t begin, uint64_t end) {
  uint64_t lines = 0;
  absl::Status status = ReadFileRangeInBlocks(path, begin, end, 1 << 20, [&](std::string_view b) {
    lines += static_cast<uint64_t>(std::count(b.begin(), b.end(), '\n'));
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return lines;
}

std::optional<DumpFormat> InputFormat(const std::string& path,
                                      std::optional<DumpFormat> flag) {
  if (flag.has_value()) return flag;
  const std::string_view name = WithoutCompressionSuffix(path);
  if (name.ends_with(".jsonl") || name.ends_with(".ndjson")) {
    return DumpFormat::kJsonl;
  }
  if (name.ends_with(".html") || name.ends_with(".htm")) return DumpFormat::kHtml;
  return std::nullopt;
}

absl::StatusOr<ExpandedInputs> ExpandInputs(const std::vector<std::string>& args) {
  ExpandedInputs out;
  bool stdin_seen = false;
  for (const std::string& arg : args) {
    if (arg == "-") {
      if (stdin_seen) {
        return UsageErrorStatus("standard input (-) can be given only once: it cannot be read twice");
      }
      stdin_seen = true;
      out.files.push_back(arg);
      continue;
    }
    std::error_code error;
    absl::StatusOr<std::vector<std::string>> files;
    if (std::filesystem::is_directory(arg, error)) {
      files = DirectoryFiles(arg);
    } else if (IsGlob(arg) && !std::filesystem::exists(arg, error)) {
      files = GlobFiles(arg);
    } else {
      out.files.push_back(arg);
      continue;
    }
    if (!files.ok()) return files.status();
    out.from_directory_or_glob = true;
    out.files.insert(out.files.end(), files->begin(), files->end());
  }
  return out;
}

absl::StatusOr<absl::Time> ModificationTime(const std::string& path) {
  struct stat info;
  if (stat(path.c_str(), &info) != 0) {
    return absl::NotFoundError(absl::StrCat("cannot read ", path, ": ", std::strerror(errno)));
  }
  return absl::TimeFromTimespec(info.st_mtim);
}

uint64_t InputSize(const std::string& path) {
  if (path == "-") return 0;
  std::error_code error;
  const uintmax_t size = std::filesystem::file_size(path, error);
  return error ? 0 : static_cast<uint64_t>(size);
}

}  // namespace newsdedup
