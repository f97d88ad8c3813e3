#ifndef NEWSDEDUP_TOOLS_DUPS_CORPUS_H_
#define NEWSDEDUP_TOOLS_DUPS_CORPUS_H_

// The items `dups` clusters, as read from the files on the command line:
// per item a sketch of its features (FeatureExtractor::ExtractSketch,
// completed to full features only for the items that are compared), its name
// and where its text is found again. Shared by the single-process `dups`
// (whole files) and the MPI one (tools/mpi/: each rank its byte range of the
// JSON Lines files, and whole other files), so both read every item alike.
//
// An item is named by its JSON Lines `id` when it has one, else
// FILE:POSITION (0-based position in its file).

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "core/dump_parser.h"
#include "core/json_lines.h"
#include "core/item.h"
#include "core/match_params.h"
#include "core/matcher.h"

namespace newsdedup {

class DupsCorpus {
 public:
  // `files` as given on the command line; items are added file by file.
  // With `ignore_urls`, JSON Lines `url`s are not features: texts alone
  // decide.
  DupsCorpus(std::vector<std::string> files, const MatchParams& params, int threads,
             bool ignore_urls);
  // Frees the features on all cores: one thread freeing 100k items' sets
  // was a twentieth of `dups`.
  ~DupsCorpus();
  DupsCorpus(const DupsCorpus&) = delete;
  DupsCorpus& operator=(const DupsCorpus&) = delete;

  // The format files[file] is read with: `flag`, else by its name
  // (InputFormat), else detected on its first block as AddFile does.
  static absl::StatusOr<DumpFormat> FormatOf(const std::string& path,
                                             std::optional<DumpFormat> flag);

  // Adds every item of files[file] (JSON Lines streamed in blocks, so that
  // only sketches stay in memory; other formats whole). NotFound or
  // InvalidArgument naming the file. `on_progress`, when set, gets the bytes
  // of the file (compressed, if it is) read so far.
  absl::Status AddFile(uint32_t file, std::optional<DumpFormat> format,
                       const std::function<void(uint64_t)>& on_progress = nullptr);

  // Adds the items of bytes [begin, end) of JSON Lines file files[file],
  // whose first line is line `first_line` of the file. Rereads by offset
  // later. REQUIRES: begin and end are line starts (or the file's end). Zero
  // items is no error here: the caller decides for the whole file.
  absl::Status AddJsonlRange(uint32_t file, uint64_t begin, uint64_t end, int first_line);

  size_t size() const { return ids_.size(); }
  std::vector<TextFeatures>& features() { return features_; }
  // The features, moved out (to be freed elsewhere) once no one reads them;
  // the items stay counted, named and readable.
  std::vector<TextFeatures> TakeFeatures() { return std::move(features_); }
  const std::vector<TextFeatures>& features() const { return features_; }
  const std::vector<std::string>& files() const { return files_; }

  // Items are added in segments, one per Add call: a whole file, or a byte
  // range of one. REQUIRES: calls in the order of the files and of the
  // ranges in each file.
  size_t segments() const { return segments_.size(); }
  uint32_t FileOfSegment(size_t segment) const { return segments_[segment].file; }
  uint64_t ItemsOfSegment(size_t segment) const { return segments_[segment].items; }
  // The items of a segment are at positions base, base + 1... of its file:
  // the items of the file read by other MPI ranks come first. Default 0.
  void SetPositionBase(size_t segment, uint64_t base) { segments_[segment].position_base = base; }
  std::string NameOf(size_t item) const;

  // Completes the features of the listed items in place
  // (FeatureExtractor::Complete), reading their texts again, and drops every
  // item's band keys: call it once the candidates are known. DataLoss when a
  // file changed meanwhile.
  absl::Status Complete(std::span<const uint32_t> items);

  // Calls on_line, in item order, with the JSON line (newline included) of
  // each item in [begin, end) with keep[item]: a line read from a plain file
  // as it is; another item as its title, text, url, id (its name when it has
  // none) and published. Stops at the first error: DataLoss when a file
  // changed meanwhile, or on_line's.
  absl::Status ForEachLine(const std::vector<char>& keep, size_t begin, size_t end,
                           const std::function<absl::Status(std::string_view)>& on_line) const;

 private:
  // Where an item's text is found again: its JSON line in a file on disk,
  // or (standard input, pages, lines that needed repair) a copy kept in
  // memory.
  struct Source {
    static constexpr uint32_t kKept = UINT32_MAX;
    uint32_t file = kKept;   // Index in files_, or kKept.
    uint32_t length = 0;     // Of the line.
    uint64_t offset = 0;     // Of the line in the file, or index in kept_.
  };
  void StartSegment(uint32_t file) { segments_.push_back({size(), file, 0, 0}); }
  absl::Status AddItems(uint32_t file, std::string_view bytes, uint64_t block_offset,
                        int first_line, bool rereadable, const ParseOptions& parse_options);
  absl::StatusOr<Item> ItemText(uint32_t item, const std::vector<int>& fds, std::string* line,
                                JsonLinesParser* parser) const;
  // Makes room for the items of `bytes_left` more bytes, at the density of
  // a block of `block_bytes` that held `block_items`: growing the vectors by
  // doubling moved every item's features, up to a third of a block's time.
  void ReserveAtDensity(uint64_t bytes_left, uint64_t block_bytes, size_t block_items);

  // The URL the features are extracted with.
  std::string_view UrlOf(const Item& item) const {
    return ignore_urls_ ? std::string_view() : std::string_view(item.url);
  }
  // One descriptor per file that can be read again by offset, else -1.
  std::vector<int> OpenRereadable() const;

  std::vector<std::string> files_;
  MatchParams params_;
  int threads_;
  bool ignore_urls_;
  std::vector<TextFeatures> features_;
  std::vector<std::string> ids_;  // Per item; empty when it has none.
  std::vector<Source> sources_;
  std::vector<Item> kept_;
  struct Segment {
    size_t first_item = 0;
    uint32_t file = 0;
    uint64_t items = 0;
    uint64_t position_base = 0;
  };
  std::vector<Segment> segments_;
};

// True for a regular, uncompressed file: it can be read again by offset
// (not "-", and a compressed file's offsets are not its text's).
bool IsRereadableFile(const std::string& path);

}  // namespace newsdedup

#endif  // NEWSDEDUP_TOOLS_DUPS_CORPUS_H_
