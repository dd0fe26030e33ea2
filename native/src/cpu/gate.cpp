// gate.cpp — the mul op's kernels: elementwise products accumulated, per-channel gates, and the per-channel dot
// products that give a gate its gradient and its Hessian diagonal. Each output element is written by one
// iteration and each channel's sum runs in one fixed order (in double), so the thread count changes no bit.
#include "cpu/accumulate.hpp"
#include "cpu/cpu_kernels.hpp"

namespace jnas::cpu {

void multiply_accumulate(int threads, int64_t n, const float* a, const float* b, float* y) {
    parallel_for(threads_for(n, threads), n, [&](int64_t i) { y[i] += a[i] * b[i]; });
}

void scale_channels(int threads, int n, int c, int hw, const float* x, const float* gate, float* y, bool accumulate) {
    int64_t planes = int64_t(n) * c;
    parallel_for(threads_for(planes * hw, threads), planes, [&](int64_t p) {
        float g = gate[p % c];
        const float* in = x + p * hw;
        float* out = y + p * hw;
        if (accumulate)
            for (int i = 0; i < hw; ++i) out[i] += g * in[i];
        else
            for (int i = 0; i < hw; ++i) out[i] = g * in[i];
    });
}

void channel_dot_accumulate(int threads, int n, int c, int hw, const float* a, const float* b, float* out) {
    parallel_for(threads_for(int64_t(n) * c * hw, threads), c, [&](int ch) {
        double acc = 0.0;
        for (int s = 0; s < n; ++s) {
            int64_t offset = (int64_t(s) * c + ch) * hw;
            acc += dot(a + offset, b + offset, hw);
        }
        out[ch] = float(double(out[ch]) + acc);
    });
}

}  // namespace jnas::cpu
