#ifndef NEWSDEDUP_TOOLS_MPI_CORPUS_SHARE_H_
#define NEWSDEDUP_TOOLS_MPI_CORPUS_SHARE_H_

// What one rank of the MPI dups reads of the inputs: its chunks of the
// concatenated files (ItemLayout), JSON Lines cut at line starts (a line
// belongs to the chunk holding its first byte), and any other dump whole, by
// the rank whose chunk holds its first byte. Each item gets the name, and
// each warning the line number, that the single-process dups gives it (the
// ranks tell each other how many items and lines their chunks of each file
// hold).

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "core/dump_parser.h"
#include "tools/dups_corpus.h"
#include "tools/mpi/item_layout.h"
#include "tools/mpi/ranks.h"

namespace newsdedup {

// Reads this rank's share of `files` into *corpus. Collective. Errors are
// the one the single process would meet first (see Ranks::AgreeOnError).
absl::StatusOr<ItemLayout> ReadCorpusShare(Ranks& ranks, const std::vector<std::string>& files,
                                           std::optional<DumpFormat> format, DupsCorpus* corpus);

}  // namespace newsdedup

#endif  // NEWSDEDUP_TOOLS_MPI_CORPUS_SHARE_H_
