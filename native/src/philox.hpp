// philox.hpp — counter-based random numbers (Philox 4x32-10, Salmon et al. 2011), shared by the CPU backend
// and the CUDA kernels so that a seed gives the same bits on both. Element i of stream s under seed k is a
// pure function of (k, s, i): no state, no dependence on thread count or launch shape.
#pragma once

#include <cmath>
#include <cstdint>

#if defined(__CUDACC__)
#define JNAS_HD __host__ __device__ __forceinline__
#else
#define JNAS_HD inline
#endif

namespace jnas::philox {

struct Block {
    uint32_t v[4];
};

JNAS_HD uint32_t mulhilo(uint32_t a, uint32_t b, uint32_t* hi) {
    uint64_t p = static_cast<uint64_t>(a) * b;
    *hi = static_cast<uint32_t>(p >> 32);
    return static_cast<uint32_t>(p);
}

// Four 32-bit random words for counter (index, stream) and key seed.
JNAS_HD Block generate(uint64_t seed, uint64_t stream, uint64_t index) {
    uint32_t c0 = static_cast<uint32_t>(index), c1 = static_cast<uint32_t>(index >> 32);
    uint32_t c2 = static_cast<uint32_t>(stream), c3 = static_cast<uint32_t>(stream >> 32);
    uint32_t k0 = static_cast<uint32_t>(seed), k1 = static_cast<uint32_t>(seed >> 32);
    for (int round = 0; round < 10; ++round) {
        uint32_t hi0, hi1;
        uint32_t lo0 = mulhilo(0xD2511F53u, c0, &hi0);
        uint32_t lo1 = mulhilo(0xCD9E8D57u, c2, &hi1);
        uint32_t n0 = hi1 ^ c1 ^ k0, n1 = lo1, n2 = hi0 ^ c3 ^ k1, n3 = lo0;
        c0 = n0; c1 = n1; c2 = n2; c3 = n3;
        k0 += 0x9E3779B9u;
        k1 += 0xBB67AE85u;
    }
    return Block{{c0, c1, c2, c3}};
}

// Uniform in [0, 1) with 24 random bits (exactly representable in float).
JNAS_HD float uniform(uint64_t seed, uint64_t stream, uint64_t index) {
    Block b = generate(seed, stream, index);
    return static_cast<float>(b.v[0] >> 8) * (1.0f / 16777216.0f);
}

// Standard normal by Box-Muller in double, rounded once to float (so host and device agree).
JNAS_HD float normal(uint64_t seed, uint64_t stream, uint64_t index) {
    Block b = generate(seed, stream, index);
    double u1 = (static_cast<double>(b.v[0] >> 8) + 0.5) * (1.0 / 16777216.0);  // (0, 1)
    double u2 = static_cast<double>(b.v[1] >> 8) * (1.0 / 16777216.0);          // [0, 1)
    return static_cast<float>(sqrt(-2.0 * log(u1)) * cos(6.283185307179586 * u2));
}

}  // namespace jnas::philox
