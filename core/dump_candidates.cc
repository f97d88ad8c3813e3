#include "core/dump_candidates.h"

#include <algorithm>
#include <atomic>
#include <bit>

#include "core/parallel_for.h"

namespace newsdedup {

namespace {

// Sorts one family's entries by (key, item): a counting sort on the key's top
// bits into buckets of a few dozen entries, each then sorted in cache. The
// keys are hashes, so the buckets are even; std::sort of the whole array was
// a twentieth of `dups`.
void SortKeyed(std::vector<KeyedItem>* keyed, std::vector<KeyedItem>* scratch) {
  const size_t n = keyed->size();
  const int bits = std::clamp(static_cast<int>(std::bit_width(n / 32)), 1, 16);
  const int shift = 64 - bits;
  std::vector<uint32_t> starts((size_t{1} << bits) + 1, 0);
  for (const KeyedItem& e : *keyed) ++starts[(e.key >> shift) + 1];
  for (size_t b = 1; b < starts.size(); ++b) starts[b] += starts[b - 1];
  scratch->resize(n);
  std::vector<uint32_t> fill(starts.begin(), starts.end() - 1);
  for (const KeyedItem& e : *keyed) (*scratch)[fill[e.key >> shift]++] = e;
  for (size_t b = 0; b + 1 < starts.size(); ++b) {
    std::sort(scratch->begin() + starts[b], scratch->begin() + starts[b + 1]);
  }
  keyed->swap(*scratch);
}

// The band keys of a pass lie in each item's own heap array: the first key
// read of each item missed the cache (a fifth of a pass). The keys of an
// item further on are fetched while this one is read.
constexpr size_t kPrefetchAhead = 8;

void PrefetchKey(const KeyFamilies& families, const TextFeatures& f, size_t family) {
  if (const uint64_t* slot = families.KeySlot(f, family)) __builtin_prefetch(slot);
}

}  // namespace

KeyFamilies KeyFamilies::Of(std::span<const TextFeatures> items) {
  KeyFamilies families;
  for (const TextFeatures& f : items) {
    families.lead_bands = std::max(families.lead_bands, f.lead_band_keys.size());
    families.full_bands = std::max(families.full_bands, f.full_band_keys.size());
  }
  return families;
}

const uint64_t* KeyFamilies::KeySlot(const TextFeatures& f, size_t family) const {
  switch (family) {
    case 0:
      return &f.matching_hash;
    case 1:
      return &f.url_hash;
    case 2:
      return &f.url_key_hash;
    case 3:
      return &f.title_hash;
  }
  const size_t band = family - kFixed;
  if (band < lead_bands) return band < f.lead_band_keys.size() ? &f.lead_band_keys[band] : nullptr;
  const size_t full_band = band - lead_bands;
  return full_band < f.full_band_keys.size() ? &f.full_band_keys[full_band] : nullptr;
}

void AppendKeyPairs(std::span<const KeyedItem> sorted, size_t max_per_key,
                    std::vector<uint64_t>* pairs) {
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

DumpCandidates CountCandidates(std::vector<std::vector<uint64_t>> pairs, uint32_t first,
                               size_t count, int threads) {
  // Counting sort by the later item, then per item by the earlier one: runs
  // of one earlier item count the keys the two share.
  DumpCandidates candidates;
  candidates.first_ = first;
  // Each list is counted and scattered by one thread, into the positions
  // after those of the lists before it: one thread scattering every pair
  // left a core idle. The order within an item's range does not matter,
  // its earlier items are sorted next.
  const int workers = std::max(1, threads);
  std::vector<std::vector<uint64_t>> fill(pairs.size());
  ParallelFor(pairs.size(), workers, [&](size_t begin, size_t end, int) {
    for (size_t l = begin; l < end; ++l) {
      fill[l].assign(count, 0);
      for (uint64_t pair : pairs[l]) ++fill[l][(pair >> 32) - first];
    }
  });
  std::vector<uint64_t> starts(count + 1, 0);
  for (size_t i = 0; i < count; ++i) {
    uint64_t at = starts[i];
    for (std::vector<uint64_t>& list_fill : fill) {
      const uint64_t pairs_of_item = list_fill[i];
      list_fill[i] = at;
      at += pairs_of_item;
    }
    starts[i + 1] = at;
  }
  std::vector<uint32_t> earlier(starts.back());
  ParallelFor(pairs.size(), workers, [&](size_t begin, size_t end, int) {
    for (size_t l = begin; l < end; ++l) {
      for (uint64_t pair : pairs[l]) {
        earlier[fill[l][(pair >> 32) - first]++] = static_cast<uint32_t>(pair);
      }
      std::vector<uint64_t>().swap(pairs[l]);
      std::vector<uint64_t>().swap(fill[l]);
    }
  });
  std::vector<std::vector<EarlierCandidate>> counted(count == 0 ? 0 : workers);
  std::vector<std::vector<uint64_t>> sizes(counted.size());
  ParallelFor(count, workers, [&](size_t begin, size_t end, int w) {
    for (size_t i = begin; i < end; ++i) {
      const auto from = earlier.begin() + starts[i], to = earlier.begin() + starts[i + 1];
      std::sort(from, to);
      const size_t before = counted[w].size();
      for (auto run = from; run != to;) {
        auto run_end = run;
        while (run_end != to && *run_end == *run) ++run_end;
        counted[w].push_back({*run, static_cast<uint32_t>(run_end - run)});
        run = run_end;
      }
      sizes[w].push_back(counted[w].size() - before);
    }
  });
  candidates.offsets_.reserve(count + 1);
  candidates.offsets_.push_back(0);
  for (size_t w = 0; w < counted.size(); ++w) {
    for (uint64_t size : sizes[w]) candidates.offsets_.push_back(candidates.offsets_.back() + size);
    candidates.entries_.insert(candidates.entries_.end(), counted[w].begin(), counted[w].end());
    std::vector<EarlierCandidate>().swap(counted[w]);
  }
  return candidates;
}

DumpCandidates FindDumpCandidates(std::span<const TextFeatures> items, size_t max_per_key,
                                  int threads) {
  const KeyFamilies families = KeyFamilies::Of(items);
  // Families are read a few at a time in one pass over the items: a pass
  // per family read every item's features 53 times (25 bands per view).
  // Each worker gets as many passes: 7 passes of 8 on two cores left one
  // idle for the last pass.
  constexpr size_t kMaxFamiliesPerPass = 8;
  const int workers = std::max(1, std::min<int>(threads, static_cast<int>(families.count())));
  // A round is one pass per worker.
  const size_t families_per_round = workers * kMaxFamiliesPerPass;
  const size_t rounds = (families.count() + families_per_round - 1) / families_per_round;
  const size_t families_per_pass =
      (families.count() + workers * rounds - 1) / (workers * rounds);
  const size_t passes = (families.count() + families_per_pass - 1) / families_per_pass;
  // Pairs per worker, passes dealt out in turn.
  std::vector<std::vector<uint64_t>> pairs(workers);
  std::atomic<size_t> next_pass{0};
  ParallelFor(workers, workers, [&](size_t begin, size_t end, int) {
    for (size_t w = begin; w < end; ++w) {
      std::vector<std::vector<KeyedItem>> keyed(families_per_pass);
      std::vector<KeyedItem> scratch;
      for (size_t pass = next_pass++; pass < passes; pass = next_pass++) {
        const size_t first = pass * families_per_pass;
        const size_t count = std::min(families_per_pass, families.count() - first);
        for (size_t k = 0; k < count; ++k) keyed[k].clear();
        for (size_t i = 0; i < items.size(); ++i) {
          if (i + kPrefetchAhead < items.size()) {
            PrefetchKey(families, items[i + kPrefetchAhead], first);
            PrefetchKey(families, items[i + kPrefetchAhead], first + count - 1);
          }
          for (size_t k = 0; k < count; ++k) {
            const uint64_t key = families.KeyOf(items[i], first + k);
            if (key != 0) keyed[k].push_back({key, static_cast<uint32_t>(i)});
          }
        }
        for (size_t k = 0; k < count; ++k) {
          SortKeyed(&keyed[k], &scratch);
          AppendKeyPairs(keyed[k], max_per_key, &pairs[w]);
        }
      }
    }
  });
  return CountCandidates(std::move(pairs), 0, items.size(), threads);
}

}  // namespace newsdedup
