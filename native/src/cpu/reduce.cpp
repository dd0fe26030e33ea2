// reduce.cpp — reductions whose bits must not depend on the thread count: work is split into pieces fixed by
// the sizes alone (chunks of a vector, blocks of columns, channels), each summed in order in double.
#include <algorithm>
#include <vector>

#include "cpu/accumulate.hpp"
#include "cpu/cpu_kernels.hpp"

namespace jnas::cpu {

void dot_accumulate(int threads, int64_t n, const float* a, const float* b, float* out) {
    constexpr int64_t kChunk = 1 << 14;
    int64_t chunks = (n + kChunk - 1) / kChunk;
    std::vector<double> partial(size_t(std::max<int64_t>(chunks, 1)), 0.0);
    parallel_for(threads_for(n, threads), chunks, [&](int64_t c) {
        int64_t begin = c * kChunk;
        partial[size_t(c)] = dot(a + begin, b + begin, std::min(kChunk, n - begin));
    });
    double total = 0.0;
    for (double p : partial) total += p;
    *out = float(double(*out) + total);
}

void sum_rows(int threads, int rows, int cols, const float* dy, float* db) {
    // Each column block is summed down the rows in order; a block's partial sums stay in cache.
    constexpr int kBlock = 256;
    int blocks = (cols + kBlock - 1) / kBlock;
    parallel_for(threads_for(int64_t(rows) * cols, threads), blocks, [&](int blk) {
        int c0 = blk * kBlock, width = std::min(kBlock, cols - c0);
        double acc[kBlock] = {};
        for (int r = 0; r < rows; ++r) {
            const float* row = dy + int64_t(r) * cols + c0;
            for (int j = 0; j < width; ++j) acc[j] += double(row[j]);
        }
        for (int j = 0; j < width; ++j) db[c0 + j] = float(double(db[c0 + j]) + acc[j]);
    });
}

void sum_channels(int threads, int n, int c, int hw, const float* dy, float* db) {
    parallel_for(threads_for(int64_t(n) * c * hw, threads), c, [&](int ch) {
        double acc = 0.0;
        for (int s = 0; s < n; ++s) acc += sum(dy + (int64_t(s) * c + ch) * hw, hw);
        db[ch] = float(double(db[ch]) + acc);
    });
}

}  // namespace jnas::cpu
