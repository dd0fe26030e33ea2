// softmax.cu — softmax over the channels of x viewed as [n, c, hw]. A thread per (sample, position) walks the c
// values, hw apart (adjacent threads read adjacent positions), in channel order with double sums as the CPU
// backend (native/src/cpu/softmax.cpp); no reduction crosses threads, so the bits do not depend on the launch.
#include "cuda_kernels.cuh"

namespace jnas::cuda {
namespace {

// exp(x − max) / Σ exp(x − max)
__global__ void softmax_forward_kernel(int64_t positions, int c, int hw, const float* x, float* y) {
    JNAS_GRID_STRIDE(position, positions) {
        const int64_t base = position / hw * c * hw + position % hw;
        float largest = x[base];
        for (int ch = 1; ch < c; ++ch) largest = fmaxf(largest, x[base + int64_t(ch) * hw]);
        double total = 0.0;
        for (int ch = 0; ch < c; ++ch) {
            const float e = expf(x[base + int64_t(ch) * hw] - largest);
            y[base + int64_t(ch) * hw] = e;
            total += double(e);
        }
        for (int ch = 0; ch < c; ++ch) {
            float& v = y[base + int64_t(ch) * hw];
            v = float(double(v) / total);
        }
    }
}

// dx += y ⊙ (dy − Σ_c y·dy)
__global__ void softmax_backward_kernel(int64_t positions, int c, int hw, const float* y, const float* dy, float* dx) {
    JNAS_GRID_STRIDE(position, positions) {
        const int64_t base = position / hw * c * hw + position % hw;
        double weighted = 0.0;
        for (int ch = 0; ch < c; ++ch) {
            const int64_t i = base + int64_t(ch) * hw;
            weighted += double(y[i]) * double(dy[i]);
        }
        const float w = float(weighted);
        for (int ch = 0; ch < c; ++ch) {
            const int64_t i = base + int64_t(ch) * hw;
            dx[i] += y[i] * (dy[i] - w);
        }
    }
}

}  // namespace

void softmax_forward(const Gpu& gpu, int n, int c, int hw, const float* x, float* y) {
    const int64_t positions = int64_t(n) * hw;
    if (positions <= 0 || c <= 0) return;
    softmax_forward_kernel<<<grid_for(positions), kThreads, 0, gpu.stream>>>(positions, c, hw, x, y);
    check_launch("softmax_forward");
}

void softmax_backward(const Gpu& gpu, int n, int c, int hw, const float* y, const float* dy, float* dx) {
    const int64_t positions = int64_t(n) * hw;
    if (positions <= 0 || c <= 0) return;
    softmax_backward_kernel<<<grid_for(positions), kThreads, 0, gpu.stream>>>(positions, c, hw, y, dy, dx);
    check_launch("softmax_backward");
}

}  // namespace jnas::cuda
