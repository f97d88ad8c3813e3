#ifndef NEWSDEDUP_CORE_MIX_H_
#define NEWSDEDUP_CORE_MIX_H_

// Small integer mixers shared by the shingler, the MinHasher and the LSH
// index. Their outputs reach the disk (through shingle hashes, signatures
// and band keys), so golden tests pin them.

#include <cstdint>

namespace newsdedup {

constexpr uint64_t RotateLeft(uint64_t x, int bits) {
  return (x << bits) | (x >> (64 - bits));
}

// MurmurHash3's 64-bit finalizer: a bijection where every input bit flips
// each output bit with probability about 1/2.
constexpr uint64_t Fmix64(uint64_t x) {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ULL;
  x ^= x >> 33;
  return x;
}

// Maps the top 32 bits of `hash` uniformly onto [0, n) without a division
// (Lemire's fast range reduction).
constexpr uint32_t FastRange32(uint64_t hash, uint32_t n) {
  return static_cast<uint32_t>(((hash >> 32) * n) >> 32);
}

}  // namespace newsdedup

#endif  // NEWSDEDUP_CORE_MIX_H_
