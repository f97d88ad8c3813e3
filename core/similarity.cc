#include "core/similarity.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cassert>
#include <cstdint>
#include <span>

namespace newsdedup {
namespace {

// Above this size ratio, galloping through the larger set beats a merge walk.
constexpr size_t kGallopRatio = 32;

size_t MergeIntersectionSize(std::span<const uint64_t> a,
                             std::span<const uint64_t> b) {
  size_t count = 0;
  size_t i = 0;
  size_t j = 0;
  while (i < a.size() && j < b.size()) {
    const uint64_t x = a[i];
    const uint64_t y = b[j];
    count += x == y;
    i += x <= y;
    j += y <= x;
  }
  return count;
}

// For each element of `small`, an exponential then binary search in `large`
// starting where the previous element was found: O(|small| log |large|).
size_t GallopIntersectionSize(std::span<const uint64_t> small,
                              std::span<const uint64_t> large) {
  size_t count = 0;
  size_t begin = 0;  // Everything in large before `begin` is below x.
  for (const uint64_t x : small) {
    size_t end = begin;
    size_t step = 1;
    while (end < large.size() && large[end] < x) {
      begin = end + 1;
      end += step;
      step *= 2;
    }
    // large[end] >= x when end is in range: x is in [begin, end].
    const auto search_end = large.begin() + std::min(end + 1, large.size());
    begin =
        std::lower_bound(large.begin() + begin, search_end, x) - large.begin();
    if (begin == large.size()) break;
    if (large[begin] == x) {
      ++count;
      ++begin;
    }
  }
  return count;
}

// |A∩B| / |A∪B| from the sizes; 1.0 for two empty sets.
double JaccardOfSizes(size_t intersection, size_t a, size_t b) {
  if (a == 0 && b == 0) return 1.0;
  return static_cast<double>(intersection) / static_cast<double>(a + b - intersection);
}

}  // namespace

double EstimateJaccard(std::span<const uint32_t> a,
                       std::span<const uint32_t> b) {
  assert(a.size() == b.size());
  if (a.empty()) return 1.0;
  size_t equal = 0;
  for (size_t i = 0; i < a.size(); ++i) equal += a[i] == b[i];
  return static_cast<double>(equal) / static_cast<double>(a.size());
}

size_t IntersectionSize(std::span<const uint64_t> a,
                        std::span<const uint64_t> b) {
  if (a.size() > b.size()) std::swap(a, b);
  if (a.size() * kGallopRatio < b.size()) return GallopIntersectionSize(a, b);
  return MergeIntersectionSize(a, b);
}

double Jaccard(std::span<const uint64_t> a, std::span<const uint64_t> b) {
  if (a.empty() && b.empty()) return 1.0;
  return JaccardOfSizes(IntersectionSize(a, b), a.size(), b.size());
}

bool JaccardAtLeast(std::span<const uint64_t> a, std::span<const uint64_t> b, double threshold) {
  if (a.size() > b.size()) std::swap(a, b);
  if (a.size() * kGallopRatio < b.size()) return Jaccard(a, b) >= threshold;
  // The fewest shared elements that reach the threshold. Jaccard grows with
  // the intersection at fixed sizes, and so does its rounded quotient: the
  // answer is exactly Jaccard's.
  const auto reaches = [&](size_t shared) {
    return JaccardOfSizes(shared, a.size(), b.size()) >= threshold;
  };
  const double sizes = static_cast<double>(a.size() + b.size());
  size_t needed = static_cast<size_t>(
      std::clamp(threshold * sizes / (1.0 + threshold), 0.0, static_cast<double>(a.size())));
  while (needed > 0 && reaches(needed - 1)) --needed;
  while (needed <= a.size() && !reaches(needed)) ++needed;
  if (needed > a.size()) return false;
  size_t count = 0;
  size_t i = 0;
  size_t j = 0;
  while (i < a.size() && j < b.size()) {
    if (count + std::min(a.size() - i, b.size() - j) < needed) return false;
    const uint64_t x = a[i];
    const uint64_t y = b[j];
    count += x == y;
    i += x <= y;
    j += y <= x;
  }
  return count >= needed;
}

double Containment(std::span<const uint64_t> part,
                   std::span<const uint64_t> whole) {
  if (part.empty()) return 0.0;
  return static_cast<double>(IntersectionSize(part, whole)) /
         static_cast<double>(part.size());
}

Overlap SetOverlap(std::span<const uint64_t> a, std::span<const uint64_t> b) {
  const size_t intersection = IntersectionSize(a, b);
  const size_t smaller = std::min(a.size(), b.size());
  Overlap overlap;
  overlap.jaccard = JaccardOfSizes(intersection, a.size(), b.size());
  if (smaller > 0) {
    overlap.containment = static_cast<double>(intersection) / static_cast<double>(smaller);
  }
  return overlap;
}

uint64_t SimHash(std::span<const uint64_t> word_hashes) {
  // The majority of each bit is counted 8 bits at a time: kSpread puts the
  // bits of a byte one per byte, so one addition counts 8 bits in 8 byte
  // counters (emptied every 255 words, before they overflow). A loop over
  // the 64 bits of every word cost a fifth of `dups`.
  static constexpr std::array<uint64_t, 256> kSpread = [] {
    std::array<uint64_t, 256> spread{};
    for (int byte = 0; byte < 256; ++byte) {
      for (int bit = 0; bit < 8; ++bit) {
        if ((byte >> bit) & 1) spread[byte] |= uint64_t{1} << (8 * bit);
      }
    }
    return spread;
  }();
  constexpr size_t kWordsPerRound = 255;
  uint32_t ones[64] = {};
  for (size_t start = 0; start < word_hashes.size(); start += kWordsPerRound) {
    const size_t end = std::min(word_hashes.size(), start + kWordsPerRound);
    uint64_t counters[8] = {};
    for (size_t w = start; w < end; ++w) {
      for (int byte = 0; byte < 8; ++byte) {
        counters[byte] += kSpread[(word_hashes[w] >> (8 * byte)) & 0xFF];
      }
    }
    for (int byte = 0; byte < 8; ++byte) {
      for (int bit = 0; bit < 8; ++bit) ones[8 * byte + bit] += (counters[byte] >> (8 * bit)) & 0xFF;
    }
  }
  uint64_t fingerprint = 0;
  for (int bit = 0; bit < 64; ++bit) {
    if (2 * uint64_t{ones[bit]} > word_hashes.size()) fingerprint |= uint64_t{1} << bit;
  }
  return fingerprint;
}

int SimHashDistance(uint64_t a, uint64_t b) { return std::popcount(a ^ b); }

}  // namespace newsdedup
