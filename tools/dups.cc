#include "tools/dups.h"

#include <algorithm>
#include <chrono>
#include <cstdint>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "core/clusterer.h"
#include "core/match_params.h"
#include "core/matcher.h"
#include "core/parallel_for.h"
#include "nlohmann/json.hpp"
#include "spdlog/spdlog.h"
#include "tools/input.h"
#include "tools/progress.h"

namespace newsdedup {
namespace {

// Members of a bucket each newcomer is compared with. Clusters are
// transitive, so a few members find its cluster; a bucket of a thousand
// near-identical items would otherwise cost a million checks.
constexpr size_t kMembersPerBucket = 4;

// What clustering keeps of an item: its features and its name.
struct Corpus {
  std::vector<TextFeatures> features;
  std::vector<std::string> names;
};

// Cuts `bytes` into about `parts` pieces at line ends: JSON Lines items are
// independent lines, so the pieces parse on all cores.
std::vector<std::string_view> SplitAtLines(std::string_view bytes, size_t parts) {
  std::vector<std::string_view> pieces;
  size_t start = 0;
  for (size_t p = 1; p <= parts && start < bytes.size(); ++p) {
    size_t end = p == parts ? bytes.size() : std::max(start, bytes.size() * p / parts);
    end = end >= bytes.size() ? bytes.size() : bytes.find('\n', end);
    end = end == std::string_view::npos ? bytes.size() : end + 1;
    pieces.push_back(bytes.substr(start, end - start));
    start = end;
  }
  return pieces;
}

// Parses `bytes` (a whole listing or article page, or a block of JSON
// Lines) and appends its items' features and names, on all cores. Items are
// dropped once their features are taken: only features stay in memory.
// `position` counts the file's items across blocks.
absl::Status AddItems(const std::string& file, std::string_view bytes,
                      const ParseOptions& parse_options, const MatchParams& params, int threads,
                      size_t* position, Corpus* corpus) {
  // JSON Lines items are independent lines: one piece per thread.
  const std::vector<std::string_view> pieces =
      *parse_options.format == DumpFormat::kJsonl
          ? SplitAtLines(bytes, static_cast<size_t>(threads))
          : std::vector<std::string_view>{bytes};
  std::vector<absl::StatusOr<ParsedDump>> dumps(pieces.size());
  ParallelFor(pieces.size(), threads, [&](size_t begin, size_t end, int) {
    for (size_t p = begin; p < end; ++p) dumps[p] = ParseDump(pieces[p], parse_options);
  });
  std::vector<const Item*> items;
  for (size_t p = 0; p < pieces.size(); ++p) {
    if (!dumps[p].ok()) {
      // A piece of JSON Lines with no usable line is no error by itself: the
      // file is refused only when none of it was usable (see AddFile).
      if (*parse_options.format == DumpFormat::kJsonl &&
          absl::IsInvalidArgument(dumps[p].status()) &&
          dumps[p].status().message().find("NUL") == absl::string_view::npos) {
        continue;
      }
      return absl::Status(dumps[p].status().code(),
                          absl::StrCat(file, ": ", dumps[p].status().message()));
    }
    for (const std::string& warning : dumps[p]->warnings) spdlog::warn("{}: {}", file, warning);
    for (const Item& item : dumps[p]->items) items.push_back(&item);
  }
  const size_t first = corpus->features.size();
  corpus->features.resize(first + items.size());
  ParallelFor(items.size(), threads, [&](size_t begin, size_t end, int) {
    FeatureExtractor extractor(params);
    for (size_t i = begin; i < end; ++i) {
      corpus->features[first + i] =
          extractor.Extract(items[i]->title, items[i]->lede, items[i]->body, items[i]->url,
                            /*with_band_keys=*/true, /*with_canonical_hash=*/false);
    }
  });
  for (const Item* item : items) {
    corpus->names.push_back(item->id.empty() ? absl::StrCat(file, ":", *position) : item->id);
    ++*position;
  }
  return absl::OkStatus();
}

// Adds one file. JSON Lines are streamed in blocks, so that only the
// features of a large corpus stay in memory, not its text.
absl::Status AddFile(const std::string& file, const DupsOptions& options,
                     const MatchParams& params, int threads, Corpus* corpus) {
  constexpr size_t kBlockBytes = 64 << 20;
  ParseOptions parse_options;
  parse_options.format = InputFormat(file, options.format);
  std::string whole;  // A page that is not JSON Lines, parsed at the end.
  size_t position = 0;
  const size_t before = corpus->features.size();
  bool empty = true;
  absl::Status status = ReadInputInBlocks(file, kBlockBytes, [&](std::string_view block) {
    empty = false;
    if (!parse_options.format.has_value()) parse_options.format = DetectDumpFormat(block);
    if (*parse_options.format != DumpFormat::kJsonl) {
      whole.append(block);
      return absl::OkStatus();
    }
    return AddItems(file, block, parse_options, params, threads, &position, corpus);
  });
  if (!status.ok()) return status;
  if (!parse_options.format.has_value()) parse_options.format = DetectDumpFormat(whole);
  // An empty file is no error: zero items and the parser's warning.
  if (*parse_options.format != DumpFormat::kJsonl || empty) {
    return AddItems(file, whole, parse_options, params, threads, &position, corpus);
  }
  if (corpus->features.size() == before) {
    return absl::InvalidArgumentError(absl::StrCat(file, ": no usable JSON Lines object"));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status FindDuplicates(const std::vector<std::string>& files, const DupsOptions& options,
                            std::ostream& out) {
  const auto start = std::chrono::steady_clock::now();
  const MatchParams params;
  const int threads = ResolveThreads(options.threads);
  Corpus corpus;
  {
    Progress progress(files.size(), "files");
    for (size_t f = 0; f < files.size(); ++f) {
      progress.Update(f);
      if (absl::Status status = AddFile(files[f], options, params, threads, &corpus);
          !status.ok()) {
        return status;
      }
    }
  }
  const std::vector<TextFeatures>& features = corpus.features;
  const auto read_done = std::chrono::steady_clock::now();
  spdlog::debug("read, parsed and featurized {} items in {:.2f}s", features.size(),
                std::chrono::duration<double>(read_done - start).count());

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

  // Candidates one key family at a time (exact hash, URL, then each LSH
  // band of the lead and of the full text): sorting (key, item) pairs costs
  // one small array instead of a hash map with a bucket per key per band.
  Clusterer clusters(features.size());
  struct Entry {
    uint64_t key;
    uint32_t item;
    bool operator<(const Entry& other) const {
      return key != other.key ? key < other.key : item < other.item;
    }
  };
  size_t max_bands = 0;
  for (const TextFeatures& f : features) {
    max_bands = std::max({max_bands, f.lead_band_keys.size(), f.full_band_keys.size()});
  }
  // Family 0: exact hash; 1: URL; then lead band b at 2 + 2b, full at 3 + 2b.
  const size_t families = 2 + 2 * max_bands;
  std::vector<Entry> entries;
  entries.reserve(features.size());
  for (size_t family = 0; family < families; ++family) {
    entries.clear();
    for (size_t i = 0; i < features.size(); ++i) {
      const TextFeatures& f = features[i];
      uint64_t key = 0;
      if (family == 0) {
        key = f.matching_hash;
      } else if (family == 1) {
        key = f.url_hash;
      } else {
        const size_t band = (family - 2) / 2;
        const std::vector<uint64_t>& keys = family % 2 == 0 ? f.lead_band_keys : f.full_band_keys;
        if (band < keys.size()) key = keys[band];
      }
      if (key != 0) entries.push_back({key, static_cast<uint32_t>(i)});
    }
    std::sort(entries.begin(), entries.end());
    for (size_t run = 0; run < entries.size();) {
      size_t end = run + 1;
      while (end < entries.size() && entries[end].key == entries[run].key) ++end;
      // Each member after the first is compared with the first few.
      for (size_t m = run + 1; m < end; ++m) {
        const uint32_t i = entries[m].item;
        for (size_t r = run; r < std::min(m, run + kMembersPerBucket); ++r) {
          const uint32_t j = entries[r].item;
          if (clusters.Same(i, j)) continue;
          const bool weak = weak_title(features[j].title_hash);
          if (!Conflict(params, features[i], features[j], weak) &&
              Verify(params, features[i], features[j], weak).has_value()) {
            clusters.Union(i, j);
          }
        }
      }
      run = end;
    }
  }

  spdlog::debug("candidates and verification in {:.2f}s",
                std::chrono::duration<double>(std::chrono::steady_clock::now() - read_done).count());
  int cluster_number = 0;
  for (const std::vector<size_t>& cluster : clusters.Clusters()) {
    nlohmann::json items = nlohmann::json::array();
    for (size_t i : cluster) items.push_back(corpus.names[i]);
    out << nlohmann::json{{"cluster", cluster_number++}, {"items", items}}.dump() << "\n";
  }
  spdlog::info("{} items, {} clusters of duplicates", features.size(), cluster_number);
  return absl::OkStatus();
}

}  // namespace newsdedup
