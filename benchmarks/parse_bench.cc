// Plain-text dump parsing throughput on a ~100 MB listing page.

#include <cstdint>
#include <string>

#include "benchmark/benchmark.h"
#include "core/dump_parser.h"

namespace newsdedup {
namespace {

// French-like words, accents included, so that the UTF-8 checks leave their
// ASCII fast path as often as on real pages.
constexpr const char* kWords[] = {"le",
                                  "la",
                                  "les",
                                  "de",
                                  "des",
                                  "du",
                                  "et",
                                  "\xC3\xA0",
                                  "en",
                                  "pour",
                                  "Kazakhstan",
                                  "Ouzb\xC3\xA9kistan",
                                  "Tadjikistan",
                                  "Astana",
                                  "Tachkent",
                                  "pr\xC3\xA9sident",
                                  "accord",
                                  "coop\xC3\xA9ration",
                                  "r\xC3\xA9gion",
                                  "\xC3\xA9nergie",
                                  "transport",
                                  "corridor",
                                  "sommet",
                                  "minist\xC3\xA8re",
                                  "Union",
                                  "europ\xC3\xA9"
                                  "enne",
                                  "strat\xC3\xA9gique",
                                  "partenariat",
                                  "d\xE2\x80\x99investissement",
                                  "l\xE2\x80\x99"
                                  "Asie",
                                  "centrale",
                                  "\xC2\xAB"
                                  " nouvelle "
                                  "\xC2\xBB",
                                  "2025",
                                  "millions",
                                  "d\xE2\x80\x99"
                                  "euros",
                                  "visite",
                                  "r\xC3\xA9union",
                                  "projets",
                                  "annonc\xC3\xA9"};

// A deterministic ~100 MB listing: title lines of 8 to 15 words (a few
// ending with '?'), lede lines of two to four sentences.
const std::string& ListingDump() {
  static const std::string* const dump = [] {
    constexpr size_t kTargetBytes = 100 << 20;
    constexpr size_t kNumWords = sizeof(kWords) / sizeof(kWords[0]);
    uint64_t state = 0x9E3779B97F4A7C15ULL;
    auto next = [&state](uint64_t bound) {
      state ^= state << 13;
      state ^= state >> 7;
      state ^= state << 17;
      return state % bound;
    };
    auto* text = new std::string;
    text->reserve(kTargetBytes + 4096);
    while (text->size() < kTargetBytes) {
      const uint64_t title_words = 8 + next(8);
      text->append("Titre");
      for (uint64_t w = 0; w < title_words; ++w) {
        text->append(" ").append(kWords[next(kNumWords)]);
      }
      text->append(next(10) == 0 ? " ?\n" : "\n");
      const uint64_t sentences = 2 + next(3);
      for (uint64_t s = 0; s < sentences; ++s) {
        text->append(s == 0 ? "Le" : " Le");
        const uint64_t words = 10 + next(15);
        for (uint64_t w = 0; w < words; ++w) {
          text->append(" ").append(kWords[next(kNumWords)]);
        }
        text->append(".");
      }
      text->append("\n");
    }
    return text;
  }();
  return *dump;
}

void BM_ParseListing(benchmark::State& state) {
  const std::string& dump = ListingDump();
  const ParseOptions options{.format = DumpFormat::kListing};
  for (auto _ : state) {
    absl::StatusOr<ParsedDump> parsed = ParseDump(dump, options);
    benchmark::DoNotOptimize(parsed);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) *
                          static_cast<int64_t>(dump.size()));
}
BENCHMARK(BM_ParseListing)->Unit(benchmark::kMillisecond);

void BM_ParseListingDetected(benchmark::State& state) {
  const std::string& dump = ListingDump();
  for (auto _ : state) {
    absl::StatusOr<ParsedDump> parsed = ParseDump(dump);
    benchmark::DoNotOptimize(parsed);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) *
                          static_cast<int64_t>(dump.size()));
}
BENCHMARK(BM_ParseListingDetected)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace newsdedup
