#ifndef NEWSDEDUP_TOOLS_INPUT_H_
#define NEWSDEDUP_TOOLS_INPUT_H_

// Reading the dumps named on the command line, shared by every subcommand
// that takes FILE arguments, so that each bad file gets the same one-line
// error whichever command met it. A dump may be gzip- or zstd-compressed
// (told by its first bytes); a FILE argument may be a directory or a glob.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "core/dump_parser.h"

namespace newsdedup {

// The whole decompressed content of `path`, or of standard input when
// `path` is "-". Errors name the file: NotFoundError when it is missing,
// InvalidArgumentError for a directory, PermissionDeniedError when it cannot
// be opened, DataLossError on a read error or corrupt compressed data;
// ResourceExhaustedError when it holds more than `max_bytes` once
// decompressed (checked before reading a regular file, and while reading:
// a pipe, a device such as /dev/zero, a compressed file). Never throws.
absl::StatusOr<std::string> ReadInput(const std::string& path, uint64_t max_bytes = UINT64_MAX);

// Reads `path` (or standard input for "-"), decompressed, in blocks of
// whole lines of about `block_bytes`, calling on_block for each in order and
// stopping at its first error, so that a corpus larger than memory can be
// streamed. on_progress, when set, gets the bytes of the file (compressed,
// if it is) read so far, as reading goes. Errors as ReadInput.
absl::Status ReadInputInBlocks(const std::string& path, size_t block_bytes,
                               const std::function<absl::Status(std::string_view)>& on_block,
                               const std::function<void(uint64_t)>& on_progress = nullptr);

// The same for bytes [begin, end) of the file `path` (not standard input):
// blocks of whole lines when begin and end are line starts.
absl::Status ReadFileRangeInBlocks(const std::string& path, uint64_t begin, uint64_t end,
                                   size_t block_bytes,
                                   const std::function<absl::Status(std::string_view)>& on_block);

// The size of the regular file `path`, with ReadInput's errors
// (InvalidArgumentError for standard input, which has none).
absl::StatusOr<uint64_t> InputFileSize(const std::string& path);

// The first line start at or after `offset` in the file `path` (0 stays 0;
// the file's size when no line starts there). Errors as ReadInput.
absl::StatusOr<uint64_t> LineStartAtOrAfter(const std::string& path, uint64_t offset);

// The newlines in bytes [begin, end) of the file `path`.
absl::StatusOr<uint64_t> CountLines(const std::string& path, uint64_t begin, uint64_t end);

// The format to parse `path` with: `flag` when given; else JSON Lines for a
// ".jsonl" or ".ndjson" name (before any ".gz" or ".zst"), whose first line
// may be the broken one (content detection looks at the first line only);
// HTML for ".html" or ".htm" (likewise); else nullopt: detect from content.
std::optional<DumpFormat> InputFormat(const std::string& path,
                                      std::optional<DumpFormat> flag);

// FILE arguments with directories and globs replaced by the files they
// name: a directory by its regular files (not hidden ones, not
// subdirectories), a pattern with * ? or [ that is not itself a file by its
// matches; both sorted by name. "-" stays, but only once: standard input
// cannot be read twice (a usage error). NotFoundError for an empty
// directory or a pattern that matches nothing.
struct ExpandedInputs {
  std::vector<std::string> files;
  bool from_directory_or_glob = false;  // Some argument was expanded.
};
absl::StatusOr<ExpandedInputs> ExpandInputs(const std::vector<std::string>& args);

// The last modification time of `path`; NotFoundError when it cannot be read.
absl::StatusOr<absl::Time> ModificationTime(const std::string& path);

// The size of `path` in bytes, 0 for "-" or when unknown.
uint64_t InputSize(const std::string& path);

}  // namespace newsdedup

#endif  // NEWSDEDUP_TOOLS_INPUT_H_
