// The store's record decoders on arbitrary bytes (a damaged block that
// escaped its checksum, or a bug): never crash, never allocate more than the
// bytes describe, and a record that decodes encodes back to bytes that decode
// to the same record. The first byte picks the record type.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "store/record_codec.h"

namespace {

// Encode(Decode(bytes)) must decode, and encode to the same bytes again.
template <typename Decode, typename Encode>
void RoundTrip(std::string_view bytes, Decode decode, Encode encode, const char* what) {
  const auto first = decode(bytes);
  if (!first.ok()) return;
  const std::string again = encode(*first);
  const auto second = decode(again);
  if (!second.ok() || encode(*second) != again) {
    std::fprintf(stderr, "%s does not survive a round trip\n", what);
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace newsdedup;  // NOLINT
  if (size == 0) return 0;
  const std::string_view bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 8) {
    case 0:
      RoundTrip(bytes, DecodeSnapshot, EncodeSnapshot, "snapshot");
      break;
    case 1:
      RoundTrip(bytes, DecodeItem, EncodeItem, "item");
      break;
    case 2:
      RoundTrip(bytes, DecodeStory, EncodeStory, "story");
      break;
    case 3:
      RoundTrip(bytes, DecodeVersion, EncodeVersion, "version");
      break;
    case 4: {
      VersionRecord texts;
      if (DecodeVersionTexts(bytes, &texts).ok()) {
        const std::string again = EncodeVersionTexts(texts);
        VersionRecord second;
        if (!DecodeVersionTexts(again, &second).ok() || EncodeVersionTexts(second) != again) {
          std::fprintf(stderr, "version texts do not survive a round trip\n");
          std::abort();
        }
      }
      break;
    }
    case 5:
      RoundTrip(bytes, DecodeCounters, EncodeCounters, "counters");
      break;
    case 6: {
      const auto ids = DecodePostings(bytes);
      if (ids.ok()) {
        std::string again;
        AppendPostings(*ids, &again);
        const auto second = DecodePostings(again);
        if (!second.ok() || *second != *ids) {
          std::fprintf(stderr, "posting list does not survive a round trip\n");
          std::abort();
        }
      }
      break;
    }
    case 7:
      RoundTrip(bytes, DecodeTextHistory, EncodeTextHistory, "source text history");
      break;
  }
  return 0;
}
