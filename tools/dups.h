#ifndef NEWSDEDUP_TOOLS_DUPS_H_
#define NEWSDEDUP_TOOLS_DUPS_H_

// The batch job people run on large corpora: near-duplicate clusters among
// all items of one or many dumps or JSONL files, in memory, with the same
// features and verification as ingest. Writes JSON Lines, one line per
// cluster of two or more items, in the order of their first items:
//   {"cluster": 0, "items": ["n0000004", "n0000137"],
//    "scores": [null, {"rule": "near_duplicate", "similarity": 0.93, "containment": 0.95}]}
// an item is named by its JSONL `id` when it has one, else FILE:POSITION;
// each score is the evidence that joined the item to its cluster (null for
// the first).

#include <cstdint>
#include <optional>
#include <ostream>
#include <span>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "core/dump_parser.h"
#include "core/match_params.h"
#include "core/matcher.h"

namespace newsdedup {

struct DupsOptions {
  std::optional<DumpFormat> format;  // Detected per file when absent.
  int threads = 0;                   // <= 0: one per core.
  // The word-3-gram Jaccard of near-duplicates (MatchParams default when 0);
  // the LSH threshold follows it down, so that lower ones are found.
  double threshold = 0;
  bool ignore_urls = false;  // Texts alone decide, not JSONL `url`.
  // Where to write the corpus without its duplicates (empty: nowhere): the
  // first item of each cluster and every item of no cluster, in input order,
  // as JSON Lines (a plain JSONL file's own lines; other items as their
  // title, text, url, id and published).
  std::string keep_first;
};

// The parameters `dups` matches with: MatchParams, with --threshold.
MatchParams DupsParams(const DupsOptions& options);

// One output line (with its newline): cluster `number`, its items' names in
// item order and the evidence that joined each (that of the first is not
// shown). Shared by the single-process and the MPI dups (tools/mpi/), whose
// bytes must be the same.
std::string DupsClusterLine(uint64_t number, std::span<const std::string> names,
                            std::span<const MatchEvidence> evidence);

// NotFound / InvalidArgument naming the file that cannot be read or parsed.
absl::Status FindDuplicates(const std::vector<std::string>& files, const DupsOptions& options,
                            std::ostream& out);

}  // namespace newsdedup

#endif  // NEWSDEDUP_TOOLS_DUPS_H_
