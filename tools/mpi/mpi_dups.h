#ifndef NEWSDEDUP_TOOLS_MPI_MPI_DUPS_H_
#define NEWSDEDUP_TOOLS_MPI_MPI_DUPS_H_

// `mpirun -np N newsdedup_mpi dups FILE...`: the clusters of `newsdedup
// dups`, byte for byte, computed by N ranks that each hold about 1/N of the
// corpus. The same core functions decide everything; only where the data is
// differs. Phases (docs/scale-out.md has the bytes each sends):
//  1. read: the concatenated inputs are cut into chunks dealt to the ranks
//     (tools/mpi/item_layout.h); each rank reads its chunks (JSON Lines cut
//     at line starts; another dump whole, by the rank holding its first byte)
//     and sketches their items; items keep the global order (files in order,
//     items in order).
//  2. weak titles: each title's carriers go to the title's owner rank
//     (FindWeakTitles), which answers which are weak; templates likewise:
//     each (title, lede) pair goes to the title's owner and, turned round,
//     to the lede's (FindTemplateTexts), which answer which are templates.
//  3. candidates: each key family's (key, item) entries go to the key's
//     owner rank, which makes the pairs (AppendKeyPairs) and sends each to the
//     later item's rank, which counts them (CountCandidates).
//  4. features: the compared items are completed where they are, and each
//     rank fetches the features of its items' remote candidates.
//  5. verdicts per item, where the item is (JudgeCandidates).
//  6. components of the accepted verdicts, across ranks (FastSV, labels are
//     the smallest item).
//  7. decisions: each component goes to the rank of its largest item (which
//     holds most of the features it needs already), decided there in item
//     order (ComponentDecider); each cluster goes to the rank of its first
//     item.
//  8. output: clusters numbered in the order of their first items (counts
//     summed per chunk), written by rank 0 chunk by chunk.

#include <ostream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "tools/dups.h"
#include "tools/mpi/ranks.h"

namespace newsdedup {

// Run-time figures of one rank.
struct RankFigures {
  std::vector<PhaseCost> phases;
  double cpu_seconds = 0;  // User + system, this process.
  uint64_t peak_rss_bytes = 0;
  uint64_t items = 0;
  int threads = 0;
  int component_rounds = 0;
};

// Collective: every rank calls it with the same arguments; rank 0 writes the
// clusters to `out`. On failure, exactly one rank's status is the error to
// print; the others' say ReportedElsewhere (tools/mpi/ranks.h).
absl::Status RunMpiDups(Ranks& ranks, const std::vector<std::string>& files,
                        const DupsOptions& options, std::ostream& out, RankFigures* figures);

}  // namespace newsdedup

#endif  // NEWSDEDUP_TOOLS_MPI_MPI_DUPS_H_
