// The floor every other figure is compared with: XXH3 over the bytes of a
// listing dump, the least any pass over the input can cost.

#include <string>

#include "benchmark/benchmark.h"
#include "xxhash.h"

namespace {

void BM_Xxh3Floor(benchmark::State& state) {
  // Listing-like bytes (accents included); the content does not change XXH3's speed.
  std::string text;
  while (text.size() < (64u << 20)) {
    text += "Le 27 mars 2025, à Achgabat, la Haute représentante de l’Union européenne a présidé ";
  }
  for (auto _ : state) {
    benchmark::DoNotOptimize(XXH3_64bits(text.data(), text.size()));
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * text.size()));
}
BENCHMARK(BM_Xxh3Floor)->Unit(benchmark::kMillisecond);

}  // namespace
