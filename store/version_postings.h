#ifndef NEWSDEDUP_STORE_VERSION_POSTINGS_H_
#define NEWSDEDUP_STORE_VERSION_POSTINGS_H_

// The index postings of one version: the keys under which the store's
// indexes list it. Written once here for everything that needs them: the
// commit of a new version (from the item's features), and rebuild-index,
// snapshot deletion and `check --deep`, which recompute them from the
// version's stored texts.

#include <cstdint>
#include <vector>

#include "core/match_params.h"
#include "core/matcher.h"
#include "store/records.h"

namespace newsdedup {

// Appends the postings of version `version_id` with `features` (extracted
// with band keys): its matching-form hash (exact), its title hash (when the
// title has words), its canonical URL hash (when it has one) and the LSH
// band keys of its lead and full texts, in that order.
void AppendVersionPostings(const TextFeatures& features, uint64_t version_id,
                           std::vector<Posting>* out);

// Recomputes postings from stored texts. Not thread-safe (one per thread).
class VersionPostings {
 public:
  explicit VersionPostings(const MatchParams& params);

  // The postings of `version` (texts included; its URL is its url_hash).
  // Equal to what the commit wrote when the params are the store's.
  std::vector<Posting> Of(const VersionRecord& version);

 private:
  FeatureExtractor extractor_;
};

}  // namespace newsdedup

#endif  // NEWSDEDUP_STORE_VERSION_POSTINGS_H_
