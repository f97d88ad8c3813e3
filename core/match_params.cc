#include "core/match_params.h"

#include <map>
#include <mutex>
#include <utility>

#include "absl/strings/str_cat.h"
#include "core/normalize.h"

namespace newsdedup {

LshParams MatchParams::Lsh() const {
  // The optimization integrates numerically (thousands of pow calls), and
  // every FeatureExtractor asks, on threads that come and go: one answer per
  // (threshold, hashes) for the whole process.
  static std::mutex mutex;
  static std::map<std::pair<double, int>, LshParams>* const cache =
      new std::map<std::pair<double, int>, LshParams>();
  std::lock_guard<std::mutex> lock(mutex);
  const auto [it, inserted] = cache->try_emplace({lsh_threshold, num_hashes});
  if (inserted) it->second = OptimalLshParams(lsh_threshold, num_hashes);
  return it->second;
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
      "boilerplate_page_stories=", boilerplate_page_stories, "\n",
      "template_partners=", template_partners, "\n",
      "template_lede_title_jaccard=", template_lede_title_jaccard, "\n",
      "template_same_lede_bits=", template_same_lede_bits, "\n",
      "fingerprint_min_words=", fingerprint_min_words, "\n",
      "transition_jaccard=", transition_jaccard, "\n",
      "transition_shared=", transition_shared, "\n",
      "max_candidates_per_key=", max_candidates_per_key, "\n",
      "max_verified_candidates=", max_verified_candidates, "\n",
      "max_story_versions_checked=", max_story_versions_checked, "\n",
      "max_postings_per_key=", max_postings_per_key, "\n",
      "change_growth=", change_growth, "\n",
      "change_kept=", change_kept, "\n");
}

}  // namespace newsdedup
