// vector_clones.hpp — building a hot loop once per x86 vector width. The library is built for x86-64-v2 (SSE4.2,
// so that it loads on any x86-64 machine of the last decade), which would use a quarter of an AVX-512 unit; a
// function marked JNAS_VECTOR_CLONES is also built for AVX2 and AVX-512, and the loader picks the widest the CPU
// has. Files holding such functions are built without FMA contraction (native/CMakeLists.txt), which only the
// wider builds could use: with the same operations in the same order, every build gives the same bits.
#pragma once

#if defined(__x86_64__) && defined(__GNUC__)
#define JNAS_VECTOR_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define JNAS_VECTOR_CLONES
#endif

// What the clones call must be inlined into them, to be built for their vector width too.
#define JNAS_INLINE __attribute__((always_inline)) inline

namespace jnas::cpu {

// Whether the clones run on AVX-512, with 32 vector registers (AVX2 and SSE have 16): for kernels that keep more
// sums in registers there, in the same order, so the choice never changes a result.
inline bool has_32_vector_registers() {
#if defined(__x86_64__) && defined(__GNUC__)
    static const bool avx512 = __builtin_cpu_supports("avx512f");
    return avx512;
#else
    return false;
#endif
}

// Cols floats as one value of GCC's vector extension: unlike a float array, the compiler keeps it in registers,
// and the lanes are the same in every build (one AVX-512 register, two AVX2 or four SSE ones for 16). The
// attribute cannot depend on a template parameter, hence one specialization per width.
template <int Cols>
struct LanesOf;
template <>
struct LanesOf<8> {
    typedef float type __attribute__((vector_size(8 * sizeof(float))));
};
template <>
struct LanesOf<16> {
    typedef float type __attribute__((vector_size(16 * sizeof(float))));
};
template <int Cols>
using Lanes = typename LanesOf<Cols>::type;

template <int Cols>
JNAS_INLINE Lanes<Cols> load_lanes(const float* from) {
    Lanes<Cols> v;
    __builtin_memcpy(&v, from, sizeof v);  // an unaligned load
    return v;
}

}  // namespace jnas::cpu
