#ifndef NEWSDEDUP_TOOLS_DUPS_H_
#define NEWSDEDUP_TOOLS_DUPS_H_

// The batch job people run on large corpora: near-duplicate clusters among
// all items of one or many dumps or JSONL files, in memory, with the same
// features and verification as ingest. Writes JSON Lines, one line per
// cluster of two or more items: {"cluster": 0, "items": ["n0000004", ...]};
// an item is named by its JSONL `id` when it has one, else FILE:POSITION.

#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "core/dump_parser.h"

namespace newsdedup {

struct DupsOptions {
  std::optional<DumpFormat> format;  // Detected per file when absent.
  int threads = 0;                   // <= 0: one per core.
};

// NotFound / InvalidArgument naming the file that cannot be read or parsed.
absl::Status FindDuplicates(const std::vector<std::string>& files, const DupsOptions& options,
                            std::ostream& out);

}  // namespace newsdedup

#endif  // NEWSDEDUP_TOOLS_DUPS_H_
