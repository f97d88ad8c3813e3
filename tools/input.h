#ifndef NEWSDEDUP_TOOLS_INPUT_H_
#define NEWSDEDUP_TOOLS_INPUT_H_

// Reading the dumps named on the command line, shared by every subcommand
// that takes FILE arguments, so that each bad file gets the same one-line
// error whichever command met it.

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "core/dump_parser.h"

namespace newsdedup {

// The whole content of `path`, or of standard input when `path` is "-".
// Errors name the file: NotFoundError when it is missing,
// InvalidArgumentError for a directory, PermissionDeniedError when it cannot
// be opened, DataLossError on a read error. Never throws.
absl::StatusOr<std::string> ReadInput(const std::string& path);

// Reads `path` (or standard input for "-") in blocks of whole lines of
// about `block_bytes`, calling on_block for each in order and stopping at its
// first error, so that a corpus larger than memory can be streamed. Errors
// as ReadInput.
absl::Status ReadInputInBlocks(const std::string& path, size_t block_bytes,
                               const std::function<absl::Status(std::string_view)>& on_block);

// The format to parse `path` with: `flag` when given; else JSON Lines for a
// ".jsonl" or ".ndjson" name, whose first line may be the broken one (content
// detection looks at the first line only); else nullopt: detect from content.
std::optional<DumpFormat> InputFormat(const std::string& path,
                                      std::optional<DumpFormat> flag);

}  // namespace newsdedup

#endif  // NEWSDEDUP_TOOLS_INPUT_H_
