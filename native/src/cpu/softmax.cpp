// softmax.cpp — softmax over the channels of x viewed as [n, c, hw]. A position's c values lie hw apart, so each
// task takes one sample's block of consecutive positions and walks the channels in order with the block's
// positions as the inner, contiguous loop. Every output belongs to one task and each position's sums run over
// c in channel order (in double), so the bits do not depend on the thread count.
#include <algorithm>
#include <cmath>

#include "cpu/cpu_kernels.hpp"

namespace jnas::cpu {
namespace {

constexpr int kBlock = 256;  // positions per task

// Runs body(sample, first position, positions in block) for every block of every sample.
template <typename Body>
void for_position_blocks(int threads, int n, int c, int hw, Body body) {
    const int blocks = (hw + kBlock - 1) / kBlock;
    parallel_for(threads_for(int64_t(n) * c * hw, threads), int64_t(n) * blocks, [&](int64_t task) {
        const int sample = int(task / blocks), first = int(task % blocks) * kBlock;
        body(sample, first, std::min(kBlock, hw - first));
    });
}

}  // namespace

// exp(x − max) / Σ exp(x − max): the largest exponent is 0, so nothing overflows.
void softmax_forward(int threads, int n, int c, int hw, const float* x, float* y) {
    for_position_blocks(threads, n, c, hw, [&](int sample, int first, int count) {
        const float* in = x + int64_t(sample) * c * hw + first;
        float* out = y + int64_t(sample) * c * hw + first;
        float largest[kBlock];
        double total[kBlock];
        std::copy(in, in + count, largest);
        for (int ch = 1; ch < c; ++ch)
            for (int p = 0; p < count; ++p) largest[p] = std::max(largest[p], in[int64_t(ch) * hw + p]);
        std::fill(total, total + count, 0.0);
        for (int ch = 0; ch < c; ++ch) {
            for (int p = 0; p < count; ++p) {
                const float e = std::exp(in[int64_t(ch) * hw + p] - largest[p]);
                out[int64_t(ch) * hw + p] = e;
                total[p] += double(e);
            }
        }
        for (int ch = 0; ch < c; ++ch)
            for (int p = 0; p < count; ++p) {
                float& v = out[int64_t(ch) * hw + p];
                v = float(double(v) / total[p]);
            }
    });
}

void softmax_backward(int threads, int n, int c, int hw, const float* y, const float* dy, float* dx) {
    for_position_blocks(threads, n, c, hw, [&](int sample, int first, int count) {
        const int64_t base = int64_t(sample) * c * hw + first;
        double weighted[kBlock];  // Σ_c y·dy per position
        std::fill(weighted, weighted + count, 0.0);
        for (int ch = 0; ch < c; ++ch)
            for (int p = 0; p < count; ++p) {
                const int64_t i = base + int64_t(ch) * hw + p;
                weighted[p] += double(y[i]) * double(dy[i]);
            }
        for (int ch = 0; ch < c; ++ch)
            for (int p = 0; p < count; ++p) {
                const int64_t i = base + int64_t(ch) * hw + p;
                dx[i] += y[i] * (dy[i] - float(weighted[p]));
            }
    });
}

}  // namespace jnas::cpu
