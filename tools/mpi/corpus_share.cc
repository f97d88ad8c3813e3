#include "tools/mpi/corpus_share.h"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <utility>

#include "absl/strings/str_cat.h"
#include "tools/decompress.h"
#include "tools/input.h"

namespace newsdedup {
namespace {

// Errors are ordered as the single process meets them: by file, then by
// offset in it (a file without a usable line fails after all its lines).
uint64_t ErrorKey(uint32_t file, uint64_t offset) {
  constexpr int kOffsetBits = 40;
  return uint64_t{file} << kOffsetBits | std::min(offset, (uint64_t{1} << kOffsetBits) - 1);
}

// What one rank reads of one file for one of its chunks.
struct Share {
  uint32_t chunk = 0;
  uint32_t file = 0;
  bool whole = false;           // Else JSON Lines bytes [begin, end).
  uint64_t begin = 0, end = 0;  // Line starts in the file.
  uint64_t lines = 0;           // In [begin, end).
};

// The chunks of the inputs: each file is cut on its own into `per_file`
// byte ranges (chunk f * per_file + k is bytes [k S / K, (k + 1) S / K) of
// file f, S its size), so that every rank gets the same share of each file.
// Cutting the concatenation instead gave one rank most of a file of short
// items and the other most of a file of long ones: equal bytes, 1.65x the
// items (the 1M-item corpus of docs/scale-out.md at np=2).
class Chunks {
 public:
  Chunks(const std::vector<uint64_t>& sizes, int per_file) : sizes_(sizes), per_file_(per_file) {}
  int count() const { return static_cast<int>(sizes_.size()) * per_file_; }
  uint32_t FileOf(int c) const { return static_cast<uint32_t>(c / per_file_); }
  uint64_t SizeOf(uint32_t f) const { return sizes_[f]; }
  // Where chunk c starts in its file.
  uint64_t StartInFile(int c) const {
    const uint64_t size = sizes_[FileOf(c)];
    return static_cast<uint64_t>(static_cast<unsigned __int128>(c % per_file_) * size / per_file_);
  }
  // Where chunk c ends in its file.
  uint64_t EndInFile(int c) const {
    return c % per_file_ + 1 == per_file_ ? sizes_[FileOf(c)] : StartInFile(c + 1);
  }
  // The chunk of file f that holds it when one rank reads it whole (a
  // compressed file, a text dump): files in turn, so that a folder of
  // dumps spreads over the ranks.
  int WholeChunk(uint32_t f) const { return static_cast<int>(f) * per_file_ + f % per_file_; }

 private:
  const std::vector<uint64_t>& sizes_;
  int per_file_;
};

// Every rank's (share, value) entries: per share of any rank, its chunk,
// file and a count. Collective.
struct Counted {
  uint32_t chunk, file;
  uint64_t value;
};
std::vector<Counted> AllCounts(Ranks& ranks, const std::vector<Share>& shares,
                               const std::vector<uint64_t>& values) {
  std::string mine;
  for (size_t s = 0; s < shares.size(); ++s) {
    Put(Counted{shares[s].chunk, shares[s].file, values[s]}, &mine);
  }
  std::vector<Counted> all;
  for (const std::string& rank : ranks.AllGather(mine)) AppendAll(rank, &all);
  return all;
}

// Per share, the sum of the values of the same file's shares in earlier
// chunks.
std::vector<uint64_t> CountsBefore(const std::vector<Share>& shares, std::vector<Counted> all) {
  std::sort(all.begin(), all.end(), [](const Counted& a, const Counted& b) {
    return a.file != b.file ? a.file < b.file : a.chunk < b.chunk;
  });
  std::vector<uint64_t> running(all.size(), 0);  // Before each entry, in its file.
  for (size_t e = 1; e < all.size(); ++e) {
    if (all[e].file == all[e - 1].file) running[e] = running[e - 1] + all[e - 1].value;
  }
  std::vector<uint64_t> before(shares.size(), 0);
  for (size_t s = 0; s < shares.size(); ++s) {
    const auto it = std::lower_bound(all.begin(), all.end(), shares[s],
                                     [](const Counted& c, const Share& share) {
                                       return c.file != share.file ? c.file < share.file
                                                                   : c.chunk < share.chunk;
                                     });
    before[s] = running[it - all.begin()];
  }
  return before;
}

// The shares of this rank's chunks, in chunk (so file) order; the lines of
// each JSON Lines range.
absl::Status PlanShares(const Ranks& ranks, const std::vector<std::string>& files,
                        std::optional<DumpFormat> format, const Chunks& chunks,
                        std::vector<Share>* shares, uint64_t* error_key) {
  for (int c = 0; c < chunks.count(); ++c) {
    if (ItemLayout::RankOfChunk(c, ranks.size()) != ranks.rank()) continue;
    const uint32_t f = chunks.FileOf(c);
    const bool whole_here = chunks.WholeChunk(f) == c;
    if (chunks.EndInFile(c) == chunks.StartInFile(c) && !whole_here) continue;
    *error_key = ErrorKey(f, 0);
    absl::StatusOr<DumpFormat> detected = DupsCorpus::FormatOf(files[f], format);
    if (!detected.ok()) return detected.status();
    // A compressed file's offsets are not its text's: one rank reads it; so
    // does one an empty file (which then fails as the single process fails).
    const bool by_ranges = *detected == DumpFormat::kJsonl &&
                           FileCompression(files[f]) == Compression::kNone &&
                           chunks.SizeOf(f) > 0;
    if (!by_ranges) {
      if (whole_here) shares->push_back({static_cast<uint32_t>(c), f, true, 0, 0, 0});
      continue;
    }
    absl::StatusOr<uint64_t> begin = LineStartAtOrAfter(files[f], chunks.StartInFile(c));
    if (!begin.ok()) return begin.status();
    absl::StatusOr<uint64_t> stop = LineStartAtOrAfter(files[f], chunks.EndInFile(c));
    if (!stop.ok()) return stop.status();
    if (*begin >= *stop) continue;
    absl::StatusOr<uint64_t> lines = CountLines(files[f], *begin, *stop);
    if (!lines.ok()) return lines.status();
    shares->push_back({static_cast<uint32_t>(c), f, false, *begin, *stop, *lines});
  }
  return absl::OkStatus();
}

// Reads the shares, one corpus segment each, and says which files, as a
// whole, hold no usable JSON Lines object (after every rank's counts).
absl::Status ReadShares(Ranks& ranks, const std::vector<std::string>& files,
                        std::optional<DumpFormat> format, const std::vector<Share>& shares,
                        DupsCorpus* corpus, std::vector<Counted>* items) {
  std::vector<uint64_t> lines(shares.size());
  for (size_t s = 0; s < shares.size(); ++s) lines[s] = shares[s].lines;
  const std::vector<uint64_t> lines_before = CountsBefore(shares, AllCounts(ranks, shares, lines));
  absl::Status status;
  uint64_t key = UINT64_MAX;
  for (size_t s = 0; s < shares.size() && status.ok(); ++s) {
    status = shares[s].whole ? corpus->AddFile(shares[s].file, format)
                             : corpus->AddJsonlRange(shares[s].file, shares[s].begin,
                                                     shares[s].end,
                                                     static_cast<int>(1 + lines_before[s]));
    if (!status.ok()) key = ErrorKey(shares[s].file, shares[s].begin);
  }
  // Every rank counts, so that the collectives match; a share never read
  // counts zero.
  std::vector<uint64_t> counts(shares.size(), 0);
  for (size_t s = 0; s < corpus->segments(); ++s) counts[s] = corpus->ItemsOfSegment(s);
  *items = AllCounts(ranks, shares, counts);
  std::vector<uint64_t> per_file(files.size(), 0);
  for (const Counted& c : *items) per_file[c.file] += c.value;
  const std::vector<uint64_t> before = CountsBefore(shares, *items);
  for (size_t s = 0; s < corpus->segments(); ++s) corpus->SetPositionBase(s, before[s]);
  // A JSON Lines file (one read by ranges) without a usable line fails
  // after all its lines.
  for (const Share& share : shares) {
    if (!share.whole && per_file[share.file] == 0 && ErrorKey(share.file, UINT64_MAX) < key) {
      key = ErrorKey(share.file, UINT64_MAX);
      status = absl::InvalidArgumentError(
          absl::StrCat(files[share.file], ": no usable JSON Lines object"));
    }
  }
  return ranks.AgreeOnError(key, status);
}

}  // namespace

absl::StatusOr<ItemLayout> ReadCorpusShare(Ranks& ranks, const std::vector<std::string>& files,
                                           std::optional<DumpFormat> format, DupsCorpus* corpus) {
  std::vector<uint64_t> sizes(files.size(), 0);
  absl::Status status;
  uint64_t key = UINT64_MAX;
  for (uint32_t f = 0; f < files.size() && status.ok(); ++f) {
    absl::StatusOr<uint64_t> size = InputFileSize(files[f]);
    status = size.status();
    if (size.ok()) sizes[f] = *size;
    if (!status.ok()) key = ErrorKey(f, 0);
  }
  if (absl::Status agreed = ranks.AgreeOnError(key, status); !agreed.ok()) return agreed;
  const Chunks chunks(sizes, ItemLayout::kChunksPerRank * ranks.size());
  std::vector<Share> shares;
  status = PlanShares(ranks, files, format, chunks, &shares, &key);
  if (absl::Status agreed = ranks.AgreeOnError(key, status); !agreed.ok()) return agreed;
  std::vector<Counted> items;
  if (absl::Status read = ReadShares(ranks, files, format, shares, corpus, &items); !read.ok()) {
    return read;
  }
  std::vector<uint64_t> chunk_items(chunks.count(), 0);
  for (const Counted& c : items) chunk_items[c.chunk] += c.value;
  ItemLayout layout(ranks.size(), chunk_items);
  if (layout.total() >= std::numeric_limits<uint32_t>::max()) {
    return ranks.AgreeOnError(0, absl::InvalidArgumentError("more than 4,294,967,294 items"));
  }
  return layout;
}

}  // namespace newsdedup
