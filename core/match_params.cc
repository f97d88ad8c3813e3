#include "core/match_params.h"

#include "absl/strings/str_cat.h"
#include "core/normalize.h"

namespace newsdedup {

LshParams MatchParams::Lsh() const {
  // The optimization integrates numerically; every FeatureExtractor asks, so
  // the last answer is kept (per thread, to need no lock).
  thread_local double cached_threshold = -1;
  thread_local int cached_num_hashes = -1;
  thread_local LshParams cached;
  if (cached_threshold != lsh_threshold || cached_num_hashes != num_hashes) {
    cached = OptimalLshParams(lsh_threshold, num_hashes);
    cached_threshold = lsh_threshold;
    cached_num_hashes = num_hashes;
  }
  return cached;
}

std::string MatchParams::Describe() const {
  const LshParams lsh = Lsh();
  return absl::StrCat(
      "normalizer_version=", kNormalizerVersion, "\n",
      "shingle_size=", shingle_size, "\n",
      "num_hashes=", num_hashes, "\n",
      "seed=", seed, "\n",
      "lsh_threshold=", lsh_threshold, "\n",
      "lsh_bands=", lsh.bands, "\n",
      "lsh_rows=", lsh.rows, "\n",
      "near_duplicate_jaccard=", near_duplicate_jaccard, "\n",
      "title_jaccard=", title_jaccard, "\n",
      "title_text_overlap=", title_text_overlap, "\n",
      "weak_title_stories=", weak_title_stories, "\n",
      "containment=", containment, "\n",
      "containment_min_shingles=", containment_min_shingles, "\n",
      "date_conflict_jaccard=", date_conflict_jaccard, "\n",
      "max_candidates_per_key=", max_candidates_per_key, "\n",
      "max_verified_candidates=", max_verified_candidates, "\n",
      "max_story_versions_checked=", max_story_versions_checked, "\n",
      "max_postings_per_key=", max_postings_per_key, "\n",
      "change_growth=", change_growth, "\n",
      "change_kept=", change_kept, "\n");
}

}  // namespace newsdedup
