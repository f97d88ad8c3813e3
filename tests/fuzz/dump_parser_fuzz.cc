// Feeds arbitrary bytes to ParseDump, with a format forced or detected,
// then runs each parsed item through the normalizers and the feature
// extractor, and verifies each item against the one before it: everything a
// scraped dump reaches on its way to the store. Nothing may crash.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "absl/status/statusor.h"
#include "core/dump_parser.h"
#include "core/match_params.h"
#include "core/matcher.h"
#include "core/normalize.h"
#include "core/utf8.h"

namespace newsdedup {
namespace {

// The parser's promises to everything downstream.
void Require(bool condition, const char* what) {
  if (condition) return;
  std::fprintf(stderr, "invariant broken: %s\n", what);
  std::abort();
}

void CheckItems(const ParsedDump& dump) {
  static const MatchParams params;
  static FeatureExtractor extractor(params);
  std::optional<TextFeatures> previous;
  for (size_t i = 0; i < dump.items.size(); ++i) {
    const Item& item = dump.items[i];
    Require(item.position == static_cast<int>(i), "items[i].position == i");
    for (const std::string* field : {&item.title, &item.lede, &item.body}) {
      Require(IsValidUtf8(*field), "parsed fields are valid UTF-8");
      CanonicalForm(*field);
      MatchingForm(*field);
    }
    TextFeatures features = extractor.Extract(
        item.title, item.lede, item.body, item.url, /*with_band_keys=*/true);
    if (previous.has_value()) {
      Verify(params, features, *previous, /*weak_title=*/false);
      ClassifyChange(MatchParams(), *previous, features);
    }
    previous = std::move(features);
  }
}

}  // namespace
}  // namespace newsdedup

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace newsdedup;
  if (size == 0) return 0;
  // The first byte picks the format (detected, or one forced): one parse per
  // execution, so that a long run covers all five as many times.
  constexpr std::optional<DumpFormat> kFormats[] = {std::nullopt, DumpFormat::kListing,
                                                    DumpFormat::kArticle, DumpFormat::kJsonl,
                                                    DumpFormat::kHtml};
  const std::string_view bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
  ParseOptions options;
  options.format = kFormats[data[0] % std::size(kFormats)];
  // Small enough that long inputs also take the line-cutting path.
  options.max_line_bytes = 4096;
  absl::StatusOr<ParsedDump> dump = ParseDump(bytes, options);
  if (dump.ok()) CheckItems(*dump);
  return 0;
}
