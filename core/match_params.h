#ifndef NEWSDEDUP_CORE_MATCH_PARAMS_H_
#define NEWSDEDUP_CORE_MATCH_PARAMS_H_

// Every parameter that decides story identity. Stores record Describe() at
// creation and refuse to open with other values, since persisted shingles,
// signatures and band keys depend on them. Defaults come from the threshold
// sweep on labeled data (README, "Detection quality").

#include <cstdint>
#include <string>

#include "core/lsh_index.h"

namespace newsdedup {

struct MatchParams {
  int shingle_size = 3;   // Words per shingle.
  int num_hashes = 128;   // MinHash slots.
  uint64_t seed = 1;      // MinHash seed.
  // LSH candidate threshold on the Jaccard of lead or full texts (25 bands
  // of 5 rows at k = 128). Candidates are then ranked by shared bands and
  // verified, so banding only has to find them: 0.3 (37 bands of 3) found
  // the same pairs on the eval sets with edits up to 15% and a little more
  // at 30% (recall 0.935 vs 0.926) for 48% more postings to write and read.
  double lsh_threshold = 0.5;

  // Rule 2: near-duplicate text (Jaccard of full-text shingle sets).
  double near_duplicate_jaccard = 0.5;
  // Rule 3: near-duplicate title (Jaccard of title word sets) whose lead
  // texts overlap by at least title_text_overlap (Jaccard or containment).
  double title_jaccard = 0.7;
  double title_text_overlap = 0.4;
  // A title shared by at least this many stories is a recurring feature
  // ("Le dessin du jour") and no evidence at all.
  int weak_title_stories = 3;
  // Rule 4: the shorter text's shingles inside the longer one's (a teaser
  // and its article), for texts of at least containment_min_shingles.
  double containment = 0.8;
  int containment_min_shingles = 8;
  // Texts naming disjoint event dates, or where a proper name was replaced
  // by another, are different stories unless their Jaccard reaches this (a
  // corrected typo in an otherwise equal text).
  double date_conflict_jaccard = 0.9;

  // Banding derived from (lsh_threshold, num_hashes).
  LshParams Lsh() const;

  // "name=value" lines, one per parameter, plus the normalizer version and
  // the LSH bands and rows. Equal strings <=> compatible stores.
  std::string Describe() const;
};

}  // namespace newsdedup

#endif  // NEWSDEDUP_CORE_MATCH_PARAMS_H_
