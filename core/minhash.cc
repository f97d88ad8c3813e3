#include "core/minhash.h"

#include <algorithm>
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

// Which slots got a value from a shingle. Inline up to 1024 slots, so that
// signing allocates nothing for usual signature sizes.
class SlotBitmap {
 public:
  explicit SlotBitmap(uint32_t num_slots) : words_((num_slots + 63) / 64) {}
  void Set(uint32_t slot) { words_[slot / 64] |= uint64_t{1} << (slot % 64); }
  bool Get(uint32_t slot) const {
    return (words_[slot / 64] >> (slot % 64)) & 1;
  }

 private:
  absl::InlinedVector<uint64_t, 16> words_;
};

// Optimal densification (Shrivastava 2017): each empty slot i copies the
// value of the first slot that a shingle filled, along a pseudo-random probe
// sequence of its own seeded by (i, attempt). Two sets whose slots are filled
// alike thus fill their empty slots alike, which keeps the estimate unbiased.
// Only slots filled by shingles are probed, never slots filled by borrowing.
void Densify(uint64_t seed, uint32_t num_slots, uint32_t* slots) {
  SlotBitmap filled(num_slots);
  uint32_t num_filled = 0;
  for (uint32_t slot = 0; slot < num_slots; ++slot) {
    if (slots[slot] == kEmptySlot) continue;
    filled.Set(slot);
    ++num_filled;
  }
  if (num_filled == 0 || num_filled == num_slots) return;
  const uint64_t probe_key = Fmix64(seed ^ kProbeSalt);
  // With one filled slot a probe misses with odds (1 - 1/k); 64k misses in a
  // row happen with odds e^-64. A scan after that keeps the loop finite.
  const uint64_t max_attempts = uint64_t{64} * num_slots;
  for (uint32_t slot = 0; slot < num_slots; ++slot) {
    if (filled.Get(slot)) continue;
    uint32_t source = slot;
    bool found = false;
    for (uint64_t attempt = 0; attempt < max_attempts && !found; ++attempt) {
      source = FastRange32(
          Fmix64(probe_key ^ ((uint64_t{slot} << 32) | attempt)), num_slots);
      found = filled.Get(source);
    }
    while (!filled.Get(source)) source = (source + 1) % num_slots;
    slots[slot] = slots[source];
  }
}

}  // namespace

MinHasher::MinHasher(int num_hashes, uint64_t seed)
    : num_hashes_(num_hashes), seed_(seed) {
  assert(num_hashes >= 1);
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
  Densify(seed_, num_slots, out);
}

}  // namespace newsdedup
