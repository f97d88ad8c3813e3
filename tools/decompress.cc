#include "tools/decompress.h"

#include <zlib.h>
#include <zstd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "absl/strings/str_cat.h"

namespace newsdedup {
namespace {

constexpr std::string_view kGzipMagic = "\x1f\x8b";
constexpr std::string_view kZstdMagic = "\x28\xb5\x2f\xfd";
constexpr size_t kInputBlock = 1 << 16;

// The raw bytes of the stream: first the ones peeked at, then the rest.
class RawSource {
 public:
  RawSource(std::FILE* file, std::string name, std::string peeked)
      : file_(file),
        name_(std::move(name)),
        peeked_(std::move(peeked)),
        bytes_read_(peeked_.size()) {}

  const std::string& name() const { return name_; }
  uint64_t bytes_read() const { return bytes_read_; }

  absl::StatusOr<size_t> Read(char* out, size_t size) {
    if (peeked_offset_ < peeked_.size()) {
      const size_t n = std::min(size, peeked_.size() - peeked_offset_);
      std::memcpy(out, peeked_.data() + peeked_offset_, n);
      peeked_offset_ += n;
      return n;
    }
    const size_t n = std::fread(out, 1, size, file_);
    if (n == 0 && std::ferror(file_)) {
      return absl::DataLossError(absl::StrCat("cannot read ", name_, ": ", std::strerror(errno)));
    }
    bytes_read_ += n;
    return n;
  }

 private:
  std::FILE* file_;
  std::string name_;
  std::string peeked_;
  size_t peeked_offset_ = 0;
  uint64_t bytes_read_ = 0;  // Peeked bytes included.
};

class PlainReader final : public DecompressingReader {
 public:
  explicit PlainReader(RawSource raw) : raw_(std::move(raw)) {}
  Compression compression() const override { return Compression::kNone; }
  uint64_t raw_bytes_read() const override { return raw_.bytes_read(); }
  absl::StatusOr<size_t> Read(char* out, size_t size) override { return raw_.Read(out, size); }

 private:
  RawSource raw_;
};

class GzipReader final : public DecompressingReader {
 public:
  explicit GzipReader(RawSource raw) : raw_(std::move(raw)), input_(kInputBlock) {
    std::memset(&stream_, 0, sizeof(stream_));
    // 15 + 16: the largest window, gzip header and trailer expected.
    initialized_ = inflateInit2(&stream_, 15 + 16) == Z_OK;
  }
  ~GzipReader() override {
    if (initialized_) inflateEnd(&stream_);
  }
  Compression compression() const override { return Compression::kGzip; }
  uint64_t raw_bytes_read() const override { return raw_.bytes_read(); }

  absl::StatusOr<size_t> Read(char* out, size_t size) override {
    if (!initialized_) return absl::ResourceExhaustedError("cannot start zlib");
    stream_.next_out = reinterpret_cast<Bytef*>(out);
    stream_.avail_out = static_cast<uInt>(std::min<size_t>(size, 1u << 30));
    const uInt wanted = stream_.avail_out;
    while (stream_.avail_out == wanted) {
      if (stream_.avail_in == 0) {
        absl::StatusOr<size_t> n = raw_.Read(input_.data(), input_.size());
        if (!n.ok()) return n.status();
        if (*n == 0) {
          if (!in_member_) break;
          return absl::DataLossError(
              absl::StrCat("cannot read ", raw_.name(), ": truncated gzip data"));
        }
        stream_.next_in = reinterpret_cast<Bytef*>(input_.data());
        stream_.avail_in = static_cast<uInt>(*n);
      }
      in_member_ = true;
      const int result = inflate(&stream_, Z_NO_FLUSH);
      if (result == Z_STREAM_END) {
        // Another member may follow, as gzip -c a b > ab writes.
        in_member_ = false;
        inflateReset(&stream_);
      } else if (result != Z_OK && result != Z_BUF_ERROR) {
        return absl::DataLossError(absl::StrCat("cannot read ", raw_.name(), ": corrupt gzip data (",
                                                stream_.msg != nullptr ? stream_.msg : "zlib error",
                                                ")"));
      }
    }
    return wanted - stream_.avail_out;
  }

 private:
  RawSource raw_;
  std::vector<char> input_;
  z_stream stream_;
  bool initialized_ = false;
  bool in_member_ = false;  // A member started and has not ended yet.
};

class ZstdReader final : public DecompressingReader {
 public:
  explicit ZstdReader(RawSource raw)
      : raw_(std::move(raw)), input_(ZSTD_DStreamInSize()), context_(ZSTD_createDCtx()) {}
  ~ZstdReader() override { ZSTD_freeDCtx(context_); }
  Compression compression() const override { return Compression::kZstd; }
  uint64_t raw_bytes_read() const override { return raw_.bytes_read(); }

  absl::StatusOr<size_t> Read(char* out, size_t size) override {
    if (context_ == nullptr) return absl::ResourceExhaustedError("cannot start zstd");
    ZSTD_outBuffer output{out, size, 0};
    while (output.pos == 0 && size > 0) {
      if (in_.pos == in_.size) {
        absl::StatusOr<size_t> n = raw_.Read(input_.data(), input_.size());
        if (!n.ok()) return n.status();
        if (*n == 0) {
          if (!in_frame_) break;
          return absl::DataLossError(
              absl::StrCat("cannot read ", raw_.name(), ": truncated zstd data"));
        }
        in_ = {input_.data(), *n, 0};
      }
      // Frames whose window passes libzstd's default limit (128 MiB) are
      // refused here rather than allowed to take that memory.
      const size_t result = ZSTD_decompressStream(context_, &output, &in_);
      if (ZSTD_isError(result)) {
        return absl::DataLossError(absl::StrCat("cannot read ", raw_.name(),
                                                ": corrupt zstd data (",
                                                ZSTD_getErrorName(result), ")"));
      }
      in_frame_ = result != 0;
    }
    return output.pos;
  }

 private:
  RawSource raw_;
  std::vector<char> input_;
  ZSTD_inBuffer in_{nullptr, 0, 0};
  ZSTD_DCtx* context_;
  bool in_frame_ = false;  // A frame started and has not been flushed yet.
};

}  // namespace

std::string_view CompressionName(Compression compression) {
  switch (compression) {
    case Compression::kNone:
      return "none";
    case Compression::kGzip:
      return "gzip";
    case Compression::kZstd:
      return "zstd";
  }
  return "none";
}

absl::StatusOr<std::unique_ptr<DecompressingReader>> DecompressingReader::Open(std::FILE* file,
                                                                               std::string name) {
  std::string peeked(kZstdMagic.size(), '\0');
  const size_t n = std::fread(peeked.data(), 1, peeked.size(), file);
  if (n == 0 && std::ferror(file)) {
    return absl::DataLossError(absl::StrCat("cannot read ", name, ": ", std::strerror(errno)));
  }
  peeked.resize(n);
  const bool gzip = peeked.starts_with(kGzipMagic);
  const bool zstd = peeked.starts_with(kZstdMagic);
  RawSource raw(file, std::move(name), std::move(peeked));
  if (gzip) return std::make_unique<GzipReader>(std::move(raw));
  if (zstd) return std::make_unique<ZstdReader>(std::move(raw));
  return std::make_unique<PlainReader>(std::move(raw));
}

Compression FileCompression(const std::string& path) {
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (file == nullptr) return Compression::kNone;
  absl::StatusOr<std::unique_ptr<DecompressingReader>> reader =
      DecompressingReader::Open(file.get(), path);
  return reader.ok() ? (*reader)->compression() : Compression::kNone;
}

std::string_view WithoutCompressionSuffix(std::string_view name) {
  for (std::string_view suffix : {".gz", ".zst", ".zstd"}) {
    if (name.ends_with(suffix)) return name.substr(0, name.size() - suffix.size());
  }
  return name;
}

}  // namespace newsdedup
