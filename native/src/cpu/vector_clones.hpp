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
