#include "tools/dups.h"

#include <algorithm>
#include <chrono>
#include <cstdint>

#include "absl/strings/str_cat.h"
#include "core/match_params.h"
#include "core/matcher.h"
#include "core/parallel_for.h"
#include "core/story_resolver.h"
#include "nlohmann/json.hpp"
#include "spdlog/spdlog.h"
#include "tools/input.h"
#include "tools/progress.h"

namespace newsdedup {
namespace {

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
  ParseOptions piece_options = parse_options;
  piece_options.piece_of_larger_dump = *parse_options.format == DumpFormat::kJsonl;
  std::vector<absl::StatusOr<ParsedDump>> dumps(pieces.size());
  ParallelFor(pieces.size(), threads, [&](size_t begin, size_t end, int) {
    for (size_t p = begin; p < end; ++p) dumps[p] = ParseDump(pieces[p], piece_options);
  });
  std::vector<const Item*> items;
  for (size_t p = 0; p < pieces.size(); ++p) {
    if (!dumps[p].ok()) {
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

  // The same resolver as ingest: the clusters are the stories that ingesting
  // these items as one snapshot into an empty store would make.
  const std::vector<Resolution> stories =
      StoryResolver(params, threads).Resolve(features, StoredContext());
  std::vector<std::vector<size_t>> members;
  for (size_t i = 0; i < stories.size(); ++i) {
    if (stories[i].story >= members.size()) members.resize(stories[i].story + 1);
    members[stories[i].story].push_back(i);
  }
  spdlog::debug("candidates and verification in {:.2f}s",
                std::chrono::duration<double>(std::chrono::steady_clock::now() - read_done).count());
  int cluster_number = 0;
  for (const std::vector<size_t>& cluster : members) {
    if (cluster.size() < 2) continue;
    nlohmann::json items = nlohmann::json::array();
    for (size_t i : cluster) items.push_back(corpus.names[i]);
    out << nlohmann::json{{"cluster", cluster_number++}, {"items", items}}.dump() << "\n";
  }
  spdlog::info("{} items, {} clusters of duplicates", features.size(), cluster_number);
  return absl::OkStatus();
}

}  // namespace newsdedup
