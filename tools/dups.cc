#include "tools/dups.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <functional>
#include <memory>

#include "absl/strings/str_cat.h"
#include "core/json_lines.h"
#include "core/match_params.h"
#include "core/matcher.h"
#include "core/parallel_for.h"
#include "core/story_resolver.h"
#include "core/utf8.h"
#include "nlohmann/json.hpp"
#include "spdlog/spdlog.h"
#include "tools/decompress.h"
#include "tools/input.h"
#include "tools/progress.h"
#include "tools/memory_budget.h"
#include "tools/report_format.h"
#include "tools/safe_text.h"

namespace newsdedup {
namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";

// Where an item's text is found again once the candidates say it will be
// compared: its JSON line in a file on disk, or (standard input, pages,
// lines that needed repair) a copy kept in memory.
struct ItemSource {
  static constexpr uint32_t kKept = UINT32_MAX;
  uint32_t file = kKept;   // Index in Corpus::files, or kKept.
  uint32_t length = 0;     // Of the line.
  uint64_t offset = 0;     // Of the line in the file, or index in Corpus::kept.
};

// What clustering keeps of an item: a sketch of its features (completed for
// the items that are compared), its name and where its text is.
struct Corpus {
  bool ignore_urls = false;
  std::vector<std::string> files;
  std::vector<TextFeatures> features;
  std::vector<std::string> names;
  std::vector<ItemSource> sources;
  std::vector<Item> kept;
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

// One piece of input parsed: its items, where their lines are (when they can
// be read again from the file), and its warnings.
struct ParsedPiece {
  absl::StatusOr<ParsedDump> dump = ParsedDump();
  std::vector<std::pair<size_t, size_t>> line_spans;  // Empty: keep the items.
};

// A piece of JSON Lines in a file that can be read again parses straight
// into items with their line spans; anything else (repairs, pages, standard
// input) through ParseDump, its items kept.
ParsedPiece ParsePiece(std::string_view piece, int first_line, bool rereadable,
                       const ParseOptions& options) {
  ParsedPiece parsed;
  const bool jsonl = *options.format == DumpFormat::kJsonl;
  if (jsonl && rereadable && std::memchr(piece.data(), '\0', piece.size()) == nullptr &&
      IsValidUtf8(piece)) {
    JsonLinesResult lines = ParseJsonLines(piece, first_line, options.max_line_bytes);
    parsed.dump->format = DumpFormat::kJsonl;
    parsed.dump->items = std::move(lines.items);
    parsed.dump->warnings = std::move(lines.warnings);
    parsed.line_spans = std::move(lines.line_spans);
    return parsed;
  }
  ParseOptions piece_options = options;
  piece_options.piece_of_larger_dump = jsonl;
  parsed.dump = ParseDump(piece, piece_options);
  return parsed;
}

// Parses `bytes` (a whole page, or a block of JSON Lines starting at
// `block_offset` of the file and at line `first_line`) and appends its
// items' sketches, names and sources, on all cores.
absl::Status AddItems(uint32_t file, std::string_view bytes, uint64_t block_offset,
                      int first_line, bool rereadable, const ParseOptions& parse_options,
                      const MatchParams& params, int threads, size_t* position,
                      Corpus* corpus) {
  const std::string& name = corpus->files[file];
  const std::vector<std::string_view> pieces =
      *parse_options.format == DumpFormat::kJsonl
          ? SplitAtLines(bytes, static_cast<size_t>(threads))
          : std::vector<std::string_view>{bytes};
  std::vector<int> piece_lines(pieces.size(), first_line);
  for (size_t p = 1; p < pieces.size(); ++p) {
    piece_lines[p] = piece_lines[p - 1] + static_cast<int>(std::count(
                                              pieces[p - 1].begin(), pieces[p - 1].end(), '\n'));
  }
  std::vector<ParsedPiece> parsed(pieces.size());
  ParallelFor(pieces.size(), threads, [&](size_t begin, size_t end, int) {
    for (size_t p = begin; p < end; ++p) {
      parsed[p] = ParsePiece(pieces[p], piece_lines[p], rereadable, parse_options);
    }
  });
  const size_t first = corpus->features.size();
  for (size_t p = 0; p < pieces.size(); ++p) {
    if (!parsed[p].dump.ok()) {
      return absl::Status(parsed[p].dump.status().code(),
                          absl::StrCat(name, ": ", parsed[p].dump.status().message()));
    }
    for (const std::string& warning : parsed[p].dump->warnings) {
      spdlog::warn("{}: {}", name, warning);
    }
    const std::vector<Item>& items = parsed[p].dump->items;
    const uint64_t piece_offset = block_offset + (pieces[p].data() - bytes.data());
    for (size_t i = 0; i < items.size(); ++i) {
      ItemSource source;
      if (!parsed[p].line_spans.empty()) {
        source.file = file;
        source.offset = piece_offset + parsed[p].line_spans[i].first;
        source.length = static_cast<uint32_t>(parsed[p].line_spans[i].second);
      } else {
        source.offset = corpus->kept.size() + i;
      }
      corpus->sources.push_back(source);
      corpus->names.push_back(items[i].id.empty() ? absl::StrCat(name, ":", *position)
                                                  : items[i].id);
      ++*position;
    }
    if (parsed[p].line_spans.empty()) {
      corpus->kept.insert(corpus->kept.end(), items.begin(), items.end());
    }
  }
  // Sketches only: most items share no key with any other and never need
  // more.
  corpus->features.resize(corpus->sources.size());
  std::vector<const Item*> items;
  for (const ParsedPiece& piece : parsed) {
    for (const Item& item : piece.dump->items) items.push_back(&item);
  }
  ParallelFor(items.size(), threads, [&](size_t begin, size_t end, int) {
    FeatureExtractor extractor(params);
    for (size_t i = begin; i < end; ++i) {
      corpus->features[first + i] =
          extractor.ExtractSketch(items[i]->title, items[i]->lede, items[i]->body,
                                  corpus->ignore_urls ? std::string() : items[i]->url);
    }
  });
  return absl::OkStatus();
}

bool IsRegularFile(const std::string& path) {
  struct stat info;
  return path != "-" && ::stat(path.c_str(), &info) == 0 && S_ISREG(info.st_mode);
}

// Adds one file. JSON Lines are streamed in blocks, so that only the
// sketches of a large corpus stay in memory, not its text; `on_progress`
// gets the bytes of the file read so far.
absl::Status AddFile(const std::string& file, const DupsOptions& options,
                     const MatchParams& params, int threads,
                     const std::function<void(uint64_t)>& on_progress, Corpus* corpus) {
  // Large enough to keep every core busy on one block, small enough that the
  // progress bar moves on a single 20k-item file.
  constexpr size_t kBlockBytes = 8 << 20;
  const auto index = static_cast<uint32_t>(corpus->files.size());
  corpus->files.push_back(file);
  // A compressed file's offsets are not its text's: its items are kept.
  const bool rereadable = IsRegularFile(file) && FileCompression(file) == Compression::kNone;
  ParseOptions parse_options;
  parse_options.format = InputFormat(file, options.format);
  std::string whole;  // A page that is not JSON Lines, parsed at the end.
  size_t position = 0;
  uint64_t offset = 0;
  int line = 1;
  const size_t before = corpus->features.size();
  bool empty = true;
  const MemoryCeiling ceiling = CurrentMemoryCeiling();
  absl::Status status = ReadInputInBlocks(file, kBlockBytes, [&](std::string_view block) {
    if (absl::Status fits = CheckResidentMemory(
            ceiling, absl::StrCat("dups, after ", corpus->features.size(), " items,"));
        !fits.ok()) {
      return fits;
    }
    uint64_t block_offset = offset;
    offset += block.size();
    if (block_offset == 0 && block.substr(0, kBom.size()) == kBom) {
      block.remove_prefix(kBom.size());
      block_offset = kBom.size();
    }
    empty = false;
    if (!parse_options.format.has_value()) parse_options.format = DetectDumpFormat(block);
    if (*parse_options.format != DumpFormat::kJsonl) {
      whole.append(block);
      return absl::OkStatus();
    }
    absl::Status added = AddItems(index, block, block_offset, line, rereadable, parse_options,
                                  params, threads, &position, corpus);
    line += static_cast<int>(std::count(block.begin(), block.end(), '\n'));
    return added;
  }, on_progress);
  if (!status.ok()) return status;
  if (!parse_options.format.has_value()) parse_options.format = DetectDumpFormat(whole);
  // An empty file is no error: zero items and the parser's warning.
  if (*parse_options.format != DumpFormat::kJsonl || empty) {
    return AddItems(index, whole, 0, 1, /*rereadable=*/false, parse_options, params, threads,
                    &position, corpus);
  }
  if (corpus->features.size() == before) {
    return absl::InvalidArgumentError(absl::StrCat(file, ": no usable JSON Lines object"));
  }
  return absl::OkStatus();
}

// The items' full features, their texts read again from where they are.
class FeatureCompleter {
 public:
  FeatureCompleter(const Corpus& corpus, const MatchParams& params, int threads)
      : corpus_(corpus), params_(params), threads_(threads) {}

  absl::Status status() const { return status_; }

  void operator()(std::span<const uint32_t> items, std::span<TextFeatures> features) {
    // The candidates are known: band keys are no longer needed, and they are
    // most of a sketch.
    ParallelFor(features.size(), threads_, [&](size_t begin, size_t end, int) {
      for (size_t i = begin; i < end; ++i) {
        std::vector<uint64_t>().swap(features[i].lead_band_keys);
        std::vector<uint64_t>().swap(features[i].full_band_keys);
      }
    });
    std::vector<int> fds(corpus_.files.size(), -1);
    for (size_t f = 0; f < corpus_.files.size(); ++f) {
      if (IsRegularFile(corpus_.files[f])) fds[f] = ::open(corpus_.files[f].c_str(), O_RDONLY);
    }
    std::vector<absl::Status> errors(static_cast<size_t>(threads_));
    ParallelFor(items.size(), threads_, [&](size_t begin, size_t end, int worker) {
      FeatureExtractor extractor(params_);
      std::string line;
      for (size_t k = begin; k < end && errors[worker].ok(); ++k) {
        absl::StatusOr<Item> item = ItemText(items[k], fds, &line);
        if (!item.ok()) {
          errors[worker] = item.status();
          break;
        }
        extractor.Complete(item->title, item->lede, item->body,
                           corpus_.ignore_urls ? std::string() : item->url, &features[items[k]]);
      }
    });
    for (int fd : fds) {
      if (fd >= 0) ::close(fd);
    }
    for (const absl::Status& error : errors) {
      if (!error.ok() && status_.ok()) status_ = error;
    }
  }

 private:
  absl::StatusOr<Item> ItemText(uint32_t i, const std::vector<int>& fds, std::string* line) const {
    const ItemSource& source = corpus_.sources[i];
    if (source.file == ItemSource::kKept) return corpus_.kept[source.offset];
    line->resize(source.length);
    const ssize_t got = ::pread(fds[source.file], line->data(), source.length,
                                static_cast<off_t>(source.offset));
    if (got != static_cast<ssize_t>(source.length)) {
      return absl::DataLossError(
          absl::StrCat(corpus_.files[source.file], " changed while it was read"));
    }
    JsonLinesResult parsed = ParseJsonLines(*line, 1, source.length + 1);
    if (parsed.items.size() != 1) {
      return absl::DataLossError(
          absl::StrCat(corpus_.files[source.file], " changed while it was read"));
    }
    return std::move(parsed.items.front());
  }

  const Corpus& corpus_;
  const MatchParams& params_;
  const int threads_;
  absl::Status status_;
};

// The evidence that joined each item to its cluster, as the output shows it.
nlohmann::json Score(const Resolution& resolution, bool first) {
  if (first) return nlohmann::json();
  const MatchEvidence& e = resolution.evidence;
  const auto round2 = [](double v) { return std::round(v * 100.0) / 100.0; };
  return {{"rule", MatchRuleName(e.rule)},
          {"similarity", round2(e.similarity)},
          {"containment", round2(e.containment)}};
}

// Writes the items that stay when duplicates go (the first of each cluster,
// and every item of none), in input order, to `path`.
absl::Status WriteKept(const Corpus& corpus, const std::vector<Resolution>& stories,
                       const std::string& path, std::FILE* out) {
  std::vector<int> fds(corpus.files.size(), -1);
  for (size_t f = 0; f < corpus.files.size(); ++f) {
    if (IsRegularFile(corpus.files[f])) fds[f] = ::open(corpus.files[f].c_str(), O_RDONLY);
  }
  std::vector<bool> seen;
  std::string line;
  absl::Status status;
  for (size_t i = 0; i < stories.size() && status.ok(); ++i) {
    const uint32_t story = stories[i].story;
    if (story >= seen.size()) seen.resize(story + 1, false);
    if (seen[story]) continue;
    seen[story] = true;
    const ItemSource& source = corpus.sources[i];
    if (source.file != ItemSource::kKept) {
      line.resize(source.length);
      if (::pread(fds[source.file], line.data(), source.length, static_cast<off_t>(source.offset)) !=
          static_cast<ssize_t>(source.length)) {
        status = absl::DataLossError(absl::StrCat(corpus.files[source.file], " changed while it was read"));
      }
    } else {
      const Item& item = corpus.kept[source.offset];
      nlohmann::json object = {{"title", item.title},
                               {"text", item.body.empty() ? item.lede : item.lede + "\n" + item.body}};
      for (const auto& [key, value] : {std::pair{"url", &item.url}, std::pair{"id", &item.id},
                                       std::pair{"published", &item.published}}) {
        if (!value->empty()) object[key] = *value;
      }
      if (item.id.empty()) object["id"] = corpus.names[i];
      line = object.dump();
    }
    line += '\n';
    if (status.ok() && std::fwrite(line.data(), 1, line.size(), out) != line.size()) {
      status = absl::DataLossError(absl::StrCat("cannot write ", path, ": ", std::strerror(errno)));
    }
  }
  for (int fd : fds) {
    if (fd >= 0) ::close(fd);
  }
  if (status.ok() && (std::fflush(out) != 0 || std::ferror(out))) {
    status = absl::DataLossError(absl::StrCat("cannot write ", path, ": ", std::strerror(errno)));
  }
  return status;
}

MatchParams DupsParams(const DupsOptions& options) {
  MatchParams params;
  if (options.threshold > 0) {
    params.near_duplicate_jaccard = options.threshold;
    params.lsh_threshold = std::min(params.lsh_threshold, options.threshold);
  }
  return params;
}

}  // namespace

absl::Status FindDuplicates(const std::vector<std::string>& files, const DupsOptions& options,
                            std::ostream& out) {
  const auto start = std::chrono::steady_clock::now();
  const MatchParams params = DupsParams(options);
  const int threads = ResolveThreads(options.threads);
  // Opened first: a path that cannot be written fails before the work.
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> kept(nullptr, &std::fclose);
  if (!options.keep_first.empty()) {
    kept.reset(std::fopen(options.keep_first.c_str(), "wb"));
    if (kept == nullptr) {
      return absl::PermissionDeniedError(
          absl::StrCat("cannot write ", options.keep_first, ": ", std::strerror(errno)));
    }
  }
  Corpus corpus;
  corpus.ignore_urls = options.ignore_urls;
  {
    uint64_t total = 0;
    for (const std::string& file : files) total += InputSize(file);
    Progress progress(total, "bytes");
    uint64_t done = 0;
    for (const std::string& file : files) {
      const auto on_progress = [&](uint64_t bytes) { progress.Update(done + bytes); };
      if (absl::Status status = AddFile(file, options, params, threads, on_progress, &corpus);
          !status.ok()) {
        return status;
      }
      done += InputSize(file);
    }
  }
  const auto read_done = std::chrono::steady_clock::now();
  spdlog::debug("read, parsed and sketched {} items in {:.2f}s", corpus.features.size(),
                std::chrono::duration<double>(read_done - start).count());

  // The same resolver as ingest: the clusters are the stories that ingesting
  // these items as one snapshot into an empty store would make.
  FeatureCompleter completer(corpus, params, threads);
  size_t completed = 0;
  const std::vector<Resolution> stories = StoryResolver(params, threads).Resolve(
      corpus.features, StoredContext(),
      [&](std::span<const uint32_t> items, std::span<TextFeatures> features) {
        completed = items.size();
        completer(items, features);
      });
  if (!completer.status().ok()) return completer.status();
  std::vector<std::vector<size_t>> members;
  for (size_t i = 0; i < stories.size(); ++i) {
    if (stories[i].story >= members.size()) members.resize(stories[i].story + 1);
    members[stories[i].story].push_back(i);
  }
  spdlog::debug("candidates, {} items completed and compared in {:.2f}s", completed,
                std::chrono::duration<double>(std::chrono::steady_clock::now() - read_done).count());
  int cluster_number = 0;
  for (const std::vector<size_t>& cluster : members) {
    if (cluster.size() < 2) continue;
    nlohmann::json items = nlohmann::json::array();
    nlohmann::json scores = nlohmann::json::array();
    for (size_t i : cluster) {
      items.push_back(corpus.names[i]);
      scores.push_back(Score(stories[i], i == cluster.front()));
    }
    out << DumpJson(nlohmann::json{
               {"cluster", cluster_number++}, {"items", items}, {"scores", scores}})
        << "\n";
  }
  spdlog::info("{}, {} of duplicates", Plural(corpus.features.size(), "item", "items"),
               Plural(cluster_number, "cluster", "clusters"));
  if (!options.keep_first.empty()) {
    if (absl::Status status = WriteKept(corpus, stories, options.keep_first, kept.get());
        !status.ok()) {
      return status;
    }
    spdlog::info("{}: {} of {} items kept", options.keep_first, members.size(),
                 corpus.features.size());
  }
  return absl::OkStatus();
}

}  // namespace newsdedup
