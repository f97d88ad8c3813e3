#include "core/dump_candidates.h"

#include <algorithm>
#include <atomic>

#include "core/parallel_for.h"

namespace newsdedup {
namespace {

// The index keys of an item, one family at a time: exact text, URL, title,
// then each band of the lead and of the full text. A key family is its own
// namespace, so equal hashes of different things never make candidates.
constexpr size_t kFixedFamilies = 3;

size_t FamilyCount(std::span<const TextFeatures> items) {
  size_t lead = 0, full = 0;
  for (const TextFeatures& f : items) {
    lead = std::max(lead, f.lead_band_keys.size());
    full = std::max(full, f.full_band_keys.size());
  }
  return kFixedFamilies + lead + full;
}

// 0 when the item has no key in `family`.
uint64_t KeyOf(const TextFeatures& f, size_t family, size_t lead_bands) {
  switch (family) {
    case 0:
      return f.matching_hash;
    case 1:
      return f.url_hash;
    case 2:
      return f.title_hash;
  }
  const size_t band = family - kFixedFamilies;
  if (band < lead_bands) return band < f.lead_band_keys.size() ? f.lead_band_keys[band] : 0;
  const size_t full_band = band - lead_bands;
  return full_band < f.full_band_keys.size() ? f.full_band_keys[full_band] : 0;
}

struct Keyed {
  uint64_t key;
  uint32_t item;
  bool operator<(const Keyed& other) const {
    return key != other.key ? key < other.key : item < other.item;
  }
};

// Appends (later, earlier) pairs of one family: each item with the newest
// max_per_key earlier items of its key.
void AppendFamilyPairs(std::span<const TextFeatures> items, size_t family, size_t lead_bands,
                       size_t max_per_key, std::vector<Keyed>* scratch,
                       std::vector<uint64_t>* pairs) {
  scratch->clear();
  for (size_t i = 0; i < items.size(); ++i) {
    const uint64_t key = KeyOf(items[i], family, lead_bands);
    if (key != 0) scratch->push_back({key, static_cast<uint32_t>(i)});
  }
  std::sort(scratch->begin(), scratch->end());
  const std::vector<Keyed>& sorted = *scratch;
  for (size_t run = 0; run < sorted.size();) {
    size_t end = run + 1;
    while (end < sorted.size() && sorted[end].key == sorted[run].key) ++end;
    for (size_t m = run + 1; m < end; ++m) {
      const uint64_t later = sorted[m].item;
      for (size_t e = m - std::min(m - run, max_per_key); e < m; ++e) {
        pairs->push_back(later << 32 | sorted[e].item);
      }
    }
    run = end;
  }
}

}  // namespace

DumpCandidates FindDumpCandidates(std::span<const TextFeatures> items, size_t max_per_key,
                                  int threads) {
  const size_t families = FamilyCount(items);
  size_t lead_bands = 0;
  for (const TextFeatures& f : items) lead_bands = std::max(lead_bands, f.lead_band_keys.size());

  // Pairs per worker, families dealt out in turn.
  const int workers = std::max(1, std::min<int>(threads, static_cast<int>(families)));
  std::vector<std::vector<uint64_t>> pairs(workers);
  std::atomic<size_t> next_family{0};
  ParallelFor(workers, workers, [&](size_t begin, size_t end, int) {
    for (size_t w = begin; w < end; ++w) {
      std::vector<Keyed> scratch;
      for (size_t f = next_family++; f < families; f = next_family++) {
        AppendFamilyPairs(items, f, lead_bands, max_per_key, &scratch, &pairs[w]);
      }
    }
  });

  // Counting sort by the later item, then per item by the earlier one: runs
  // of one earlier item count the keys the two share.
  DumpCandidates candidates;
  std::vector<uint64_t> starts(items.size() + 1, 0);
  for (const auto& list : pairs) {
    for (uint64_t pair : list) ++starts[(pair >> 32) + 1];
  }
  for (size_t i = 0; i < items.size(); ++i) starts[i + 1] += starts[i];
  std::vector<uint32_t> earlier(starts.back());
  {
    std::vector<uint64_t> fill(starts.begin(), starts.end() - 1);
    for (const auto& list : pairs) {
      for (uint64_t pair : list) earlier[fill[pair >> 32]++] = static_cast<uint32_t>(pair);
    }
  }
  pairs.clear();
  pairs.shrink_to_fit();
  std::vector<std::vector<EarlierCandidate>> counted(items.size() == 0 ? 0 : workers);
  std::vector<std::vector<uint64_t>> sizes(counted.size());
  ParallelFor(items.size(), workers, [&](size_t begin, size_t end, int w) {
    for (size_t i = begin; i < end; ++i) {
      const auto first = earlier.begin() + starts[i], last = earlier.begin() + starts[i + 1];
      std::sort(first, last);
      const size_t before = counted[w].size();
      for (auto run = first; run != last;) {
        auto run_end = run;
        while (run_end != last && *run_end == *run) ++run_end;
        counted[w].push_back({*run, static_cast<uint32_t>(run_end - run)});
        run = run_end;
      }
      sizes[w].push_back(counted[w].size() - before);
    }
  });
  candidates.offsets_.reserve(items.size() + 1);
  candidates.offsets_.push_back(0);
  for (size_t w = 0; w < counted.size(); ++w) {
    for (uint64_t size : sizes[w]) candidates.offsets_.push_back(candidates.offsets_.back() + size);
    candidates.entries_.insert(candidates.entries_.end(), counted[w].begin(), counted[w].end());
  }
  return candidates;
}

}  // namespace newsdedup
