// The matcher's two costs per item: extracting features (one tokenizer pass
// per field, shingles, dates, names, signatures and band keys) and verifying
// a candidate pair on the shingle sets.

#include <random>
#include <string>
#include <vector>

#include "benchmark/benchmark.h"
#include "core/matcher.h"

namespace {

using newsdedup::FeatureExtractor;
using newsdedup::MatchParams;
using newsdedup::TextFeatures;

constexpr char kTitle[] = "UE-Asie centrale : Kaja Kallas mise sur le partenariat durable";
constexpr char kLede[] =
    "Le 27 mars 2025, à Achgabat (Turkménistan), la Haute représentante de l’Union européenne "
    "pour les affaires étrangères, Kaja Kallas, a présidé la 20e réunion ministérielle entre "
    "l’UE et les cinq États d’Asie centrale. Cette rencontre a permis de renforcer les "
    "coopérations régionales dans les domaines du transport, du numérique, de l’énergie et de "
    "la politique migratoire, dans le cadre de la stratégie Global Gateway.";

// The lede with about `edits` of its words replaced, as a near-duplicate.
std::string Edited(double edits, std::mt19937_64& rng) {
  std::string text;
  std::string word;
  for (const char* c = kLede;; ++c) {
    if (*c == ' ' || *c == '\0') {
      text += (rng() % 1000 < edits * 1000) ? std::string("mot") : word;
      if (*c == '\0') break;
      text += ' ';
      word.clear();
    } else {
      word += *c;
    }
  }
  return text;
}

void BM_ExtractListingItem(benchmark::State& state) {
  const MatchParams params;
  FeatureExtractor extractor(params);
  const std::string lede = kLede;
  for (auto _ : state) {
    benchmark::DoNotOptimize(extractor.Extract(kTitle, lede, "", "", /*with_band_keys=*/true));
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * (sizeof(kTitle) + lede.size()));
}
BENCHMARK(BM_ExtractListingItem);

void BM_VerifyNearDuplicatePair(benchmark::State& state) {
  const MatchParams params;
  FeatureExtractor extractor(params);
  std::mt19937_64 rng(1);
  std::vector<TextFeatures> edited;
  for (int i = 0; i < 64; ++i) {
    edited.push_back(extractor.Extract(kTitle, Edited(0.1, rng), "", "", false));
  }
  const TextFeatures original = extractor.Extract(kTitle, kLede, "", "", false);
  size_t next = 0;
  for (auto _ : state) {
    const TextFeatures& candidate = edited[next++ % edited.size()];
    benchmark::DoNotOptimize(newsdedup::Conflict(params, original, candidate, false));
    benchmark::DoNotOptimize(newsdedup::Verify(params, original, candidate, false));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_VerifyNearDuplicatePair);

}  // namespace
