#include "store/version_postings.h"

namespace newsdedup {

void AppendVersionPostings(const TextFeatures& features, uint64_t version_id,
                           std::vector<Posting>* out) {
  out->push_back({IndexKind::kExactHash, features.matching_hash, version_id});
  if (features.title_hash != 0) {
    out->push_back({IndexKind::kTitleHash, features.title_hash, version_id});
  }
  if (features.url_hash != 0) out->push_back({IndexKind::kUrl, features.url_hash, version_id});
  for (const std::vector<uint64_t>* keys : {&features.lead_band_keys, &features.full_band_keys}) {
    for (uint64_t key : *keys) out->push_back({IndexKind::kLshBand, key, version_id});
  }
}

VersionPostings::VersionPostings(const MatchParams& params) : extractor_(params) {}

std::vector<Posting> VersionPostings::Of(const VersionRecord& version) {
  TextFeatures features =
      extractor_.Extract(version.title, version.lede, version.body, /*url=*/"",
                         /*with_band_keys=*/true, /*with_canonical_hash=*/false);
  features.url_hash = version.url_hash;
  std::vector<Posting> postings;
  AppendVersionPostings(features, version.id, &postings);
  return postings;
}

}  // namespace newsdedup
