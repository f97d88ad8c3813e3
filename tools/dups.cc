#include "tools/dups.h"

#include <algorithm>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "core/clusterer.h"
#include "core/match_params.h"
#include "core/matcher.h"
#include "core/parallel_for.h"
#include "nlohmann/json.hpp"
#include "spdlog/spdlog.h"
#include "tools/progress.h"
#include "tools/input.h"

namespace newsdedup {
namespace {

// Members remembered per bucket. Clusters are transitive, so comparing a
// newcomer with a few members of each bucket finds its cluster; a bucket of
// a thousand near-identical items would otherwise cost a million checks.
constexpr size_t kMembersPerBucket = 4;

}  // namespace

absl::Status FindDuplicates(const std::vector<std::string>& files, const DupsOptions& options,
                            std::ostream& out) {
  const MatchParams params;
  const int threads = ResolveThreads(options.threads);
  std::vector<std::string> names;
  std::vector<TextFeatures> features;
  Progress progress(files.size(), "files");
  for (const std::string& file : files) {
    progress.Update(static_cast<size_t>(&file - files.data()));
    absl::StatusOr<std::string> bytes = ReadInput(file);
    if (!bytes.ok()) return bytes.status();
    ParseOptions parse_options;
    parse_options.format = InputFormat(file, options.format);
    absl::StatusOr<ParsedDump> dump = ParseDump(*bytes, parse_options);
    if (!dump.ok()) {
      return absl::Status(dump.status().code(), absl::StrCat(file, ": ", dump.status().message()));
    }
    for (const std::string& warning : dump->warnings) spdlog::warn("{}: {}", file, warning);
    const size_t first = features.size();
    features.resize(first + dump->items.size());
    ParallelFor(dump->items.size(), threads, [&](size_t begin, size_t end, int) {
      FeatureExtractor extractor(params);
      for (size_t i = begin; i < end; ++i) {
        const Item& item = dump->items[i];
        features[first + i] =
            extractor.Extract(item.title, item.lede, item.body, item.url, /*with_band_keys=*/true);
      }
    });
    for (const Item& item : dump->items) {
      names.push_back(item.id.empty() ? absl::StrCat(file, ":", item.position) : item.id);
    }
  }

  // A title carried by many different texts is a recurring feature.
  absl::flat_hash_map<uint64_t, absl::flat_hash_set<uint64_t>> texts_per_title;
  for (const TextFeatures& f : features) {
    if (f.title_hash != 0) texts_per_title[f.title_hash].insert(f.matching_hash);
  }
  auto weak_title = [&](uint64_t title_hash) {
    const auto it = texts_per_title.find(title_hash);
    return it != texts_per_title.end() &&
           it->second.size() >= static_cast<size_t>(params.weak_title_stories);
  };

  Clusterer clusters(features.size());
  absl::flat_hash_map<uint64_t, std::vector<uint32_t>> buckets;
  buckets.reserve(features.size() * 4);
  for (size_t i = 0; i < features.size(); ++i) {
    const TextFeatures& item = features[i];
    auto visit = [&](uint64_t key) {
      std::vector<uint32_t>& members = buckets[key];
      for (uint32_t j : members) {
        if (clusters.Same(i, j)) continue;
        if (Verify(params, item, features[j], weak_title(features[j].title_hash)).has_value()) {
          clusters.Union(i, j);
        }
      }
      if (members.size() < kMembersPerBucket) members.push_back(static_cast<uint32_t>(i));
    };
    visit(item.matching_hash);
    if (item.url_hash != 0) visit(item.url_hash);
    for (uint64_t key : item.lead_band_keys) visit(key);
    for (uint64_t key : item.full_band_keys) visit(key);
  }

  int cluster_number = 0;
  for (const std::vector<size_t>& cluster : clusters.Clusters()) {
    nlohmann::json items = nlohmann::json::array();
    for (size_t i : cluster) items.push_back(names[i]);
    out << nlohmann::json{{"cluster", cluster_number++}, {"items", items}}.dump() << "\n";
  }
  spdlog::info("{} items, {} clusters of duplicates", features.size(), cluster_number);
  return absl::OkStatus();
}

}  // namespace newsdedup
