#include "core/minhash.h"

#include <algorithm>
#include <bit>
#include <cassert>
#include <cstdint>
#include <span>

#include "absl/container/inlined_vector.h"
#include "core/mix.h"

namespace newsdedup {
namespace {

// An empty slot. A slot whose minimum really is 0xffffffff (odds 2^-32 per
// shingle) is also taken as empty and borrows a value: still a deterministic
// function of the set, so signatures stay comparable.
constexpr uint32_t kEmptySlot = 0xffffffff;

// Salts that make the shingle mixer and the densification probes
// independent functions of the same seed.
constexpr uint64_t kShingleSalt = 0x5851f42d4c957f2dULL;
constexpr uint64_t kProbeSalt = 0x14057b7ef767814fULL;

// The pseudo-random slots that empty slot `slot` probes, in order: Knuth's
// MMIX LCG seeded by (seed, slot); its top bits, which pick the slot, are
// its best.
class ProbeSequence {
 public:
  ProbeSequence(uint64_t seed, uint32_t slot, uint32_t num_slots)
      : state_(Fmix64(Fmix64(seed ^ kProbeSalt) + slot)),
        num_slots_(num_slots) {}

  uint32_t Next() {
    state_ = state_ * 6364136223846793005ULL + 1442695040888963407ULL;
    return FastRange32(state_, num_slots_);
  }

 private:
  uint64_t state_;
  uint32_t num_slots_;
};

}  // namespace

MinHasher::MinHasher(int num_hashes, uint64_t seed)
    : num_hashes_(num_hashes), seed_(seed) {
  assert(num_hashes >= 1);
  const auto num_slots = static_cast<uint32_t>(num_hashes);
  first_probes_.reserve(size_t{num_slots} * kFirstProbes);
  for (uint32_t slot = 0; slot < num_slots; ++slot) {
    ProbeSequence probes(seed, slot, num_slots);
    for (int i = 0; i < kFirstProbes; ++i)
      first_probes_.push_back(probes.Next());
  }
}

Signature MinHasher::Sign(std::span<const uint64_t> shingles) const {
  Signature signature(num_hashes_);
  SignInto(shingles, signature.data());
  return signature;
}

void MinHasher::SignInto(std::span<const uint64_t> shingles,
                         uint32_t* out) const {
  const auto num_slots = static_cast<uint32_t>(num_hashes_);
  std::fill(out, out + num_slots, kEmptySlot);
  if (shingles.empty()) return;
  // One-permutation hashing: one mix per shingle; its top half picks the
  // slot, its bottom half is the value competing for that slot's minimum.
  const uint64_t shingle_key = Fmix64(seed_ ^ kShingleSalt);
  for (const uint64_t shingle : shingles) {
    const uint64_t mixed = Fmix64(shingle ^ shingle_key);
    uint32_t& slot = out[FastRange32(mixed, num_slots)];
    slot = std::min(slot, static_cast<uint32_t>(mixed));
  }
  Densify(out);
}

// Optimal densification (Shrivastava 2017): each empty slot copies the value
// of the first slot that a shingle filled along its own probe sequence. Two
// sets whose slots are filled alike thus fill their empty slots alike, which
// keeps the estimate unbiased. Only slots filled by shingles are probed,
// never slots filled by borrowing.
void MinHasher::Densify(uint32_t* slots) const {
  const auto num_slots = static_cast<uint32_t>(num_hashes_);
  // One bit per slot filled by a shingle, set without branches (which slots
  // are full is random: branches on it would mostly mispredict). Inline up
  // to 1024 slots, so that signing allocates nothing for usual sizes.
  const uint32_t num_words = (num_slots + 63) / 64;
  absl::InlinedVector<uint64_t, 16> filled_words(num_words);
  uint64_t* const filled = filled_words.data();
  for (uint32_t slot = 0; slot < num_slots; ++slot) {
    filled[slot / 64] |= static_cast<uint64_t>(slots[slot] != kEmptySlot)
                         << (slot % 64);
  }
  const auto is_filled = [filled](uint32_t slot) {
    return (filled[slot / 64] >> (slot % 64)) & 1;
  };
  uint32_t num_filled = 0;
  for (uint32_t word = 0; word < num_words; ++word) {
    num_filled += std::popcount(filled[word]);
  }
  if (num_filled == 0 || num_filled == num_slots) return;
  // With one filled slot a probe misses with odds (1 - 1/k); 64k misses in a
  // row happen with odds e^-64. A scan after that keeps the loop finite.
  const uint64_t max_probes = uint64_t{64} * num_slots;
  for (uint32_t word = 0; word < num_words; ++word) {
    uint64_t empty = ~filled[word];
    if (word == num_words - 1 && num_slots % 64 != 0) {
      empty &= (uint64_t{1} << (num_slots % 64)) - 1;
    }
    for (; empty != 0; empty &= empty - 1) {
      const uint32_t slot = word * 64 + std::countr_zero(empty);
      // The first probes come from the table, tested four at a time: the
      // first hit among four without a mispredicted branch per probe.
      const uint32_t* const first = &first_probes_[size_t{slot} * kFirstProbes];
      unsigned hits = 0;
      for (int batch = 0; batch < kFirstProbes && hits == 0; batch += 4) {
        for (int i = batch; i < batch + 4; ++i) {
          hits |= static_cast<unsigned>(is_filled(first[i])) << i;
        }
      }
      uint32_t source = first[0];
      if (hits != 0) {
        source = first[std::countr_zero(hits)];
      } else {
        ProbeSequence probes(seed_, slot, num_slots);
        for (uint64_t probe = 0; probe < max_probes; ++probe) {
          source = probes.Next();
          if (probe >= kFirstProbes && is_filled(source)) break;
        }
        while (!is_filled(source)) source = (source + 1) % num_slots;
      }
      slots[slot] = slots[source];
    }
  }
}

}  // namespace newsdedup
