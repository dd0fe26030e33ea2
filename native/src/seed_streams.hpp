// seed_streams.hpp — java-core's SeedStreams: an independent seed for every random draw of a score, derived from
// (seed, repeat, stream) with SplitMix64's finalizer, so that the native scorer draws what `jnas score` draws.
#pragma once

#include <cstdint>

namespace jnas::seed_streams {

// The draws of a training-free score, numbered as SeedStreams.Stream's first constants (their ordinals).
enum class Stream : uint64_t { KappaWeights = 0, KappaBatch = 1, RegionWeights = 2, RegionPatches = 3 };

constexpr uint64_t kGoldenGamma = 0x9E3779B97F4A7C15ull;

// A bijection that spreads every input bit over the output.
inline uint64_t mix(uint64_t z) {
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

inline uint64_t derive(uint64_t seed, int repeat, Stream stream) {
    uint64_t h = mix(seed + kGoldenGamma);
    h = mix(h + kGoldenGamma * uint64_t(int64_t(repeat) + 1));
    return mix(h + kGoldenGamma * (uint64_t(stream) + 1));
}

}  // namespace jnas::seed_streams
