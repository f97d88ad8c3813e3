#include "tools/dups_corpus.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <utility>

#include "absl/strings/str_cat.h"
#include "core/json_lines.h"
#include "core/parallel_for.h"
#include "core/utf8.h"
#include "nlohmann/json.hpp"
#include "spdlog/spdlog.h"
#include "tools/decompress.h"
#include "tools/input.h"
#include "tools/memory_budget.h"
#include "tools/safe_text.h"

namespace newsdedup {
namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";
// JSON Lines are read in blocks of whole lines of about this size: large
// enough to keep every core busy on one block, small enough that the progress
// bar moves on a single 20k-item file.
constexpr size_t kBlockBytes = 8 << 20;

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

// One piece of input parsed, then sketched: its items (none left once
// sketched, when their lines can be read again from the file), where their
// lines are, their sketches and ids, and its warnings.
struct ParsedPiece {
  absl::StatusOr<ParsedDump> dump = ParsedDump();
  std::vector<std::pair<size_t, size_t>> line_spans;  // Empty: keep the items.
  std::vector<TextFeatures> features;
  std::vector<std::string> ids;
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

}  // namespace

bool IsRereadableFile(const std::string& path) {
  struct stat info;
  return path != "-" && ::stat(path.c_str(), &info) == 0 && S_ISREG(info.st_mode) &&
         FileCompression(path) == Compression::kNone;
}

DupsCorpus::DupsCorpus(std::vector<std::string> files, const MatchParams& params, int threads,
                       bool ignore_urls)
    : files_(std::move(files)), params_(params), threads_(threads), ignore_urls_(ignore_urls) {}

DupsCorpus::~DupsCorpus() {
  ParallelFor(features_.size(), threads_, [&](size_t begin, size_t end, int) {
    for (size_t i = begin; i < end; ++i) features_[i] = TextFeatures();
  });
}

absl::StatusOr<DumpFormat> DupsCorpus::FormatOf(const std::string& path,
                                               std::optional<DumpFormat> flag) {
  if (std::optional<DumpFormat> format = InputFormat(path, flag)) return *format;
  // Detected on the first block, as AddFile does.
  std::optional<DumpFormat> detected;
  absl::Status status = ReadInputInBlocks(path, kBlockBytes, [&](std::string_view block) {
    if (block.substr(0, kBom.size()) == kBom) block.remove_prefix(kBom.size());
    detected = DetectDumpFormat(block);
    return absl::CancelledError();  // One block is enough.
  });
  if (!status.ok() && !absl::IsCancelled(status)) return status;
  return detected.value_or(DetectDumpFormat(""));
}

absl::Status DupsCorpus::AddFile(uint32_t file, std::optional<DumpFormat> format,
                                 const std::function<void(uint64_t)>& on_progress) {
  StartSegment(file);
  const std::string& path = files_[file];
  const bool rereadable = IsRereadableFile(path);
  std::error_code size_error;
  uint64_t file_bytes = rereadable ? std::filesystem::file_size(path, size_error) : 0;
  if (size_error) file_bytes = 0;
  ParseOptions parse_options;
  parse_options.format = InputFormat(path, format);
  std::string whole;  // A page that is not JSON Lines, parsed at the end.
  uint64_t offset = 0;
  int line = 1;
  const size_t before = size();
  bool empty = true;
  const MemoryCeiling ceiling = CurrentMemoryCeiling();
  absl::Status status = ReadInputInBlocks(path, kBlockBytes, [&](std::string_view block) {
    if (absl::Status fits =
            CheckResidentMemory(ceiling, absl::StrCat("dups, after ", size(), " items,"));
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
    const size_t items_before = size();
    absl::Status added = AddItems(file, block, block_offset, line, rereadable, parse_options);
    if (block_offset <= kBom.size() && rereadable) {
      ReserveAtDensity(file_bytes > offset ? file_bytes - offset : 0, block.size(),
                       size() - items_before);
    }
    line += static_cast<int>(std::count(block.begin(), block.end(), '\n'));
    return added;
  }, on_progress);
  if (!status.ok()) return status;
  if (!parse_options.format.has_value()) parse_options.format = DetectDumpFormat(whole);
  // An empty file is no error: zero items and the parser's warning.
  if (*parse_options.format != DumpFormat::kJsonl || empty) {
    return AddItems(file, whole, 0, 1, /*rereadable=*/false, parse_options);
  }
  if (size() == before) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": no usable JSON Lines object"));
  }
  return absl::OkStatus();
}

absl::Status DupsCorpus::AddJsonlRange(uint32_t file, uint64_t begin, uint64_t end,
                                       int first_line) {
  StartSegment(file);
  ParseOptions parse_options;
  parse_options.format = DumpFormat::kJsonl;
  uint64_t offset = begin;
  int line = first_line;
  return ReadFileRangeInBlocks(files_[file], begin, end, kBlockBytes, [&](std::string_view block) {
    uint64_t block_offset = offset;
    offset += block.size();
    if (block_offset == 0 && block.substr(0, kBom.size()) == kBom) {
      block.remove_prefix(kBom.size());
      block_offset = kBom.size();
    }
    absl::Status added =
        AddItems(file, block, block_offset, line, /*rereadable=*/true, parse_options);
    line += static_cast<int>(std::count(block.begin(), block.end(), '\n'));
    return added;
  });
}

// Parses `bytes` (a whole page, or a block of JSON Lines starting at
// `block_offset` of the file and at line `first_line`) and appends its
// items' sketches, names and sources, on all cores: each piece is parsed,
// sketched and (when it can be read again) freed by one thread.
absl::Status DupsCorpus::AddItems(uint32_t file, std::string_view bytes, uint64_t block_offset,
                                  int first_line, bool rereadable,
                                  const ParseOptions& parse_options) {
  const std::string& name = files_[file];
  const std::vector<std::string_view> pieces =
      *parse_options.format == DumpFormat::kJsonl
          ? SplitAtLines(bytes, static_cast<size_t>(threads_))
          : std::vector<std::string_view>{bytes};
  std::vector<int> piece_lines(pieces.size(), first_line);
  for (size_t p = 1; p < pieces.size(); ++p) {
    piece_lines[p] = piece_lines[p - 1] + static_cast<int>(std::count(
                                              pieces[p - 1].begin(), pieces[p - 1].end(), '\n'));
  }
  std::vector<ParsedPiece> parsed(pieces.size());
  // A whole page is one piece: its items are sketched on all cores.
  const int sketch_threads =
      std::max(1, threads_ / std::max(1, static_cast<int>(pieces.size())));
  const auto sketch = [&](ParsedPiece* piece) {
    std::vector<Item>& items = piece->dump->items;
    piece->features.resize(items.size());
    piece->ids.resize(items.size());
    ParallelFor(items.size(), sketch_threads, [&](size_t begin, size_t end, int) {
      FeatureExtractor extractor(params_);
      for (size_t i = begin; i < end; ++i) {
        piece->features[i] = extractor.ExtractSketch(items[i].title, items[i].lede, items[i].body,
                                                     UrlOf(items[i]));
        piece->ids[i] = std::move(items[i].id);
      }
    });
    // Sketches only: most items share no key with any other and never need
    // more, and those that do are read again from their lines.
    if (!piece->line_spans.empty()) std::vector<Item>().swap(items);
  };
  ParallelFor(pieces.size(), threads_, [&](size_t begin, size_t end, int) {
    for (size_t p = begin; p < end; ++p) {
      parsed[p] = ParsePiece(pieces[p], piece_lines[p], rereadable, parse_options);
      if (parsed[p].dump.ok()) sketch(&parsed[p]);
    }
  });
  for (size_t p = 0; p < pieces.size(); ++p) {
    if (!parsed[p].dump.ok()) {
      return absl::Status(parsed[p].dump.status().code(),
                          absl::StrCat(name, ": ", parsed[p].dump.status().message()));
    }
  }
  for (size_t p = 0; p < pieces.size(); ++p) {
    for (const std::string& warning : parsed[p].dump->warnings) {
      spdlog::warn("{}: {}", name, warning);
    }
    const size_t count = parsed[p].ids.size();
    const uint64_t piece_offset = block_offset + (pieces[p].data() - bytes.data());
    for (size_t i = 0; i < count; ++i) {
      Source source;
      if (!parsed[p].line_spans.empty()) {
        source.file = file;
        source.offset = piece_offset + parsed[p].line_spans[i].first;
        source.length = static_cast<uint32_t>(parsed[p].line_spans[i].second);
      } else {
        source.offset = kept_.size() + i;
      }
      sources_.push_back(source);
    }
    ids_.insert(ids_.end(), std::make_move_iterator(parsed[p].ids.begin()),
                std::make_move_iterator(parsed[p].ids.end()));
    features_.insert(features_.end(), std::make_move_iterator(parsed[p].features.begin()),
                     std::make_move_iterator(parsed[p].features.end()));
    segments_.back().items += count;
    std::vector<Item>& items = parsed[p].dump->items;
    kept_.insert(kept_.end(), std::make_move_iterator(items.begin()),
                 std::make_move_iterator(items.end()));
  }
  return absl::OkStatus();
}

void DupsCorpus::ReserveAtDensity(uint64_t bytes_left, uint64_t block_bytes, size_t block_items) {
  if (block_bytes == 0 || block_items == 0) return;
  // A twentieth more, for denser parts further on.
  const double expected = static_cast<double>(bytes_left) * static_cast<double>(block_items) /
                          static_cast<double>(block_bytes) * 1.05;
  const size_t total = size() + static_cast<size_t>(expected);
  features_.reserve(total);
  ids_.reserve(total);
  sources_.reserve(total);
}

std::string DupsCorpus::NameOf(size_t item) const {
  if (!ids_[item].empty()) return ids_[item];
  // The last segment starting at or before the item holds it.
  const auto segment = std::prev(std::upper_bound(
      segments_.begin(), segments_.end(), item,
      [](size_t i, const Segment& s) { return i < s.first_item; }));
  return absl::StrCat(files_[segment->file], ":",
                      segment->position_base + (item - segment->first_item));
}

absl::Status DupsCorpus::Complete(std::span<const uint32_t> items) {
  // The candidates are known: band keys are no longer needed, and they are
  // most of a sketch.
  ParallelFor(features_.size(), threads_, [&](size_t begin, size_t end, int) {
    for (size_t i = begin; i < end; ++i) {
      std::vector<uint64_t>().swap(features_[i].lead_band_keys);
      std::vector<uint64_t>().swap(features_[i].full_band_keys);
    }
  });
  const std::vector<int> fds = OpenRereadable();
  std::vector<absl::Status> errors(static_cast<size_t>(threads_));
  // Texts differ in length: ranges are taken in turn, so no core waits.
  ParallelForChunks(items.size(), threads_, 1024, [&](size_t begin, size_t end, int worker) {
    FeatureExtractor extractor(params_);
    JsonLinesParser parser;
    std::string line;
    for (size_t k = begin; k < end && errors[worker].ok(); ++k) {
      absl::StatusOr<Item> item = ItemText(items[k], fds, &line, &parser);
      if (!item.ok()) {
        errors[worker] = item.status();
        break;
      }
      extractor.Complete(item->title, item->lede, item->body, &features_[items[k]]);
    }
  });
  for (int fd : fds) {
    if (fd >= 0) ::close(fd);
  }
  for (const absl::Status& error : errors) {
    if (!error.ok()) return error;
  }
  return absl::OkStatus();
}

std::vector<int> DupsCorpus::OpenRereadable() const {
  std::vector<int> fds(files_.size(), -1);
  for (size_t f = 0; f < files_.size(); ++f) {
    if (IsRereadableFile(files_[f])) fds[f] = ::open(files_[f].c_str(), O_RDONLY);
  }
  return fds;
}

absl::Status DupsCorpus::ForEachLine(
    const std::vector<char>& keep, size_t begin, size_t end,
    const std::function<absl::Status(std::string_view)>& on_line) const {
  const std::vector<int> fds = OpenRereadable();
  std::string line;
  absl::Status status;
  for (size_t i = begin; i < end && status.ok(); ++i) {
    if (!keep[i]) continue;
    const Source& source = sources_[i];
    if (source.file != Source::kKept) {
      line.resize(source.length);
      if (::pread(fds[source.file], line.data(), source.length,
                  static_cast<off_t>(source.offset)) != static_cast<ssize_t>(source.length)) {
        status = absl::DataLossError(
            absl::StrCat(files_[source.file], " changed while it was read"));
        break;
      }
    } else {
      const Item& item = kept_[source.offset];
      nlohmann::json object = {
          {"title", item.title},
          {"text", item.body.empty() ? item.lede : item.lede + "\n" + item.body},
          {"id", NameOf(i)}};
      if (!item.url.empty()) object["url"] = item.url;
      if (!item.published.empty()) object["published"] = item.published;
      line = DumpJson(object);
    }
    line += '\n';
    status = on_line(line);
  }
  for (int fd : fds) {
    if (fd >= 0) ::close(fd);
  }
  return status;
}

absl::StatusOr<Item> DupsCorpus::ItemText(uint32_t i, const std::vector<int>& fds,
                                          std::string* line, JsonLinesParser* parser) const {
  const Source& source = sources_[i];
  if (source.file == Source::kKept) return kept_[source.offset];
  line->resize(source.length);
  const ssize_t got = ::pread(fds[source.file], line->data(), source.length,
                              static_cast<off_t>(source.offset));
  const auto changed = [&] {
    return absl::DataLossError(absl::StrCat(files_[source.file], " changed while it was read"));
  };
  if (got != static_cast<ssize_t>(source.length)) return changed();
  JsonLinesResult parsed = parser->Parse(*line, 1, source.length + 1);
  if (parsed.items.size() != 1) return changed();
  return std::move(parsed.items.front());
}

}  // namespace newsdedup
