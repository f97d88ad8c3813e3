#include "store/version_postings.h"

namespace newsdedup {

void AppendVersionPostings(const TextFeatures& features, uint64_t version_id,
                           std::vector<Posting>* out) {
  out->push_back({IndexKind::kExactHash, features.matching_hash, version_id});
  if (features.title_hash != 0) {
    out->push_back({IndexKind::kTitleHash, features.title_hash, version_id});
  }
  // The article id a URL carries shares the URL's index: its key hashes a
  // different string ("host id", never a URL), so the two never collide.
  for (uint64_t url_key : {features.url_hash, features.url_key_hash}) {
    if (url_key != 0) out->push_back({IndexKind::kUrl, url_key, version_id});
  }
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
  features.url_key_hash = version.url_key_hash;
  std::vector<Posting> postings;
  AppendVersionPostings(features, version.id, &postings);
  return postings;
}

}  // namespace newsdedup
