// sign_bits.cpp — Backend::pack_sign_bits on the CPU: the sign bits of a ReLU input into pattern rows.
#include "cpu/cpu_kernels.hpp"

namespace jnas::cpu {

void pack_sign_bits(int threads, int64_t rows, int64_t units, const float* x, int64_t bit_offset, int64_t words,
                    uint64_t* packed) {
    // Rows are independent and each is written by one thread.
    parallel_for(threads_for(rows * units, threads), rows, [&](int64_t r) {
        uint64_t* row = packed + r * words;
        const float* values = x + r * units;
        for (int64_t u = 0; u < units; ++u) {
            int64_t bit = bit_offset + u;
            row[bit >> 6] |= uint64_t(values[u] > 0.0f) << (bit & 63);
        }
    });
}

}  // namespace jnas::cpu
