#ifndef NEWSDEDUP_TESTS_TOOLS_TEST_DUMPS_H_
#define NEWSDEDUP_TESTS_TOOLS_TEST_DUMPS_H_

// Dumps made up for end-to-end tests that need more than the seeds: large
// listings (slow enough to interrupt, big enough to fill a small disk) and
// compressed copies of a file.

#include <zlib.h>
#include <zstd.h>

#include <cstdint>
#include <string>

#include "absl/strings/str_cat.h"

namespace newsdedup::testing {

// A listing of `items` distinct made-up stories, about 500 bytes each;
// `seed` varies the words.
inline std::string LargeListing(int items, uint64_t seed = 42) {
  std::string out;
  uint64_t state = seed;
  auto word = [&state] {
    state = state * 6364136223846793005u + 1442695040888963407u;
    std::string w;
    for (int n = 3 + (state >> 60) % 7, i = 0; i < n; ++i) {
      w.push_back('a' + (state >> (8 + 5 * i)) % 26);
    }
    return w;
  };
  for (int i = 0; i < items; ++i) {
    absl::StrAppend(&out, "Titre numéro ", i, " ", word(), " ", word(), " ",
                    word(), "\n");
    std::string lede = "Une dépêche";
    for (int w = 0; w < 60; ++w) absl::StrAppend(&lede, " ", word());
    absl::StrAppend(&out, lede, ".\n");
  }
  return out;
}

// `bytes` as one gzip member, as gzip(1) writes it.
inline std::string Gzip(const std::string& bytes) {
  z_stream stream{};
  deflateInit2(&stream, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&stream, bytes.size()) + 64, '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
  stream.avail_in = static_cast<uInt>(bytes.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  deflate(&stream, Z_FINISH);
  out.resize(stream.total_out);
  deflateEnd(&stream);
  return out;
}

// `bytes` as one zstd frame, as zstd(1) writes it.
inline std::string Zstd(const std::string& bytes) {
  std::string out(ZSTD_compressBound(bytes.size()), '\0');
  out.resize(ZSTD_compress(out.data(), out.size(), bytes.data(), bytes.size(), 3));
  return out;
}

}  // namespace newsdedup::testing

#endif  // NEWSDEDUP_TESTS_TOOLS_TEST_DUMPS_H_
