// row_hash.hpp — the 128-bit hash of a packed activation-pattern row, one definition compiled for both the host
// (patterns.cpp, the CPU backend) and the device (kernels/patterns.cu), so both backends order rows alike.
#pragma once

#include <cstdint>

#if defined(__CUDACC__)
#define JNAS_HOST_DEVICE __host__ __device__
#else
#define JNAS_HOST_DEVICE
#endif

namespace jnas {

// A 128-bit row hash: two independent 64-bit lanes.
struct RowHash {
    uint64_t high, low;

    JNAS_HOST_DEVICE bool operator==(const RowHash& other) const { return high == other.high && low == other.low; }
    JNAS_HOST_DEVICE bool operator<(const RowHash& other) const {
        return high != other.high ? high < other.high : low < other.low;
    }
};

// Every bit of both lanes: the mask distinct counts use (tests narrow it to force collisions).
constexpr RowHash kAllHashBits{~uint64_t(0), ~uint64_t(0)};

// SplitMix64's finalizer.
JNAS_HOST_DEVICE inline uint64_t fmix_splitmix(uint64_t x) {
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

// MurmurHash3's 64-bit finalizer.
JNAS_HOST_DEVICE inline uint64_t fmix_murmur(uint64_t x) {
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ULL;
    return x ^ (x >> 33);
}

// Each lane folds the words in order through a 64-bit multiply-xorshift finalizer, h = fmix(h ^ word), from its
// own seed and with its own constants (SplitMix64's and MurmurHash3's), so the lanes are independent. Each lane is
// a bijection of a one-word row (patterns of at most 64 bits never collide); for longer rows a collision of both
// lanes has probability about 2^-128 per pair.
JNAS_HOST_DEVICE inline RowHash hash_row(const uint64_t* words, int64_t count) {
    uint64_t high = 0x9e3779b97f4a7c15ULL, low = 0x243f6a8885a308d3ULL;  // golden ratio and pi, as seeds
    for (int64_t i = 0; i < count; ++i) {
        high = fmix_splitmix(high ^ words[i]);
        low = fmix_murmur(low ^ words[i]);
    }
    return {high, low};
}

}  // namespace jnas
