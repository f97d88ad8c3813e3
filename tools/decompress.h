#ifndef NEWSDEDUP_TOOLS_DECOMPRESS_H_
#define NEWSDEDUP_TOOLS_DECOMPRESS_H_

// The bytes of an input stream, decompressed on the fly when it is gzip
// (zlib) or zstd (libzstd). The compression is told by the stream's first
// bytes, never by its name, so that "-" (a pipe) and a misnamed file work
// too; concatenated gzip members and zstd frames are read one after the
// other, as gunzip and zstdcat do.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace newsdedup {

enum class Compression { kNone, kGzip, kZstd };

// "none", "gzip", "zstd".
std::string_view CompressionName(Compression compression);

class DecompressingReader {
 public:
  // Reads `file` (not owned; must outlive the reader); `name` is the input's
  // name for error messages. Peeks at the first bytes to detect the
  // compression: DataLossError when even they cannot be read.
  static absl::StatusOr<std::unique_ptr<DecompressingReader>> Open(std::FILE* file,
                                                                   std::string name);
  virtual ~DecompressingReader() = default;

  virtual Compression compression() const = 0;

  // The bytes read from the stream so far (compressed, if it is): how far
  // along the input is, for progress.
  virtual uint64_t raw_bytes_read() const = 0;

  // Fills `out` with up to `size` decompressed bytes; 0 at the end of the
  // stream. DataLossError naming the input for a read error and for corrupt
  // or truncated compressed data.
  virtual absl::StatusOr<size_t> Read(char* out, size_t size) = 0;
};

// The compression of the file at `path`, from its first bytes; kNone when it
// cannot be read (the reader then says why).
Compression FileCompression(const std::string& path);

// The name without a compression suffix: "a.jsonl.gz" -> "a.jsonl".
std::string_view WithoutCompressionSuffix(std::string_view name);

}  // namespace newsdedup

#endif  // NEWSDEDUP_TOOLS_DECOMPRESS_H_
