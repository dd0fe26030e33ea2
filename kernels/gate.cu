// gate.cu — the mul op's kernels: elementwise products accumulated, per-channel gates (every output element
// written by one thread), and per-channel dot products (one block per channel, summed in double by the fixed
// trees of cuda_util.cuh, as the CPU backend sums in double).
#include "cuda_kernels.cuh"

namespace jnas::cuda {
namespace {

__global__ void multiply_accumulate_kernel(int64_t n, const float* a, const float* b, float* y) {
    JNAS_GRID_STRIDE(i, n) y[i] += a[i] * b[i];
}

template <bool Accumulate>
__global__ void scale_channels_kernel(int64_t total, int c, int hw, const float* x, const float* gate, float* y) {
    JNAS_GRID_STRIDE(i, total) {
        const float v = gate[(i / hw) % c] * x[i];
        y[i] = Accumulate ? y[i] + v : v;
    }
}

__global__ void channel_dot_kernel(int n, int c, int hw, const float* a, const float* b, float* out) {
    __shared__ double shared[32];
    const int channel = blockIdx.x;
    const int64_t count = int64_t(n) * hw;
    double acc = 0.0;
    for (int64_t i = threadIdx.x; i < count; i += blockDim.x) {
        const int64_t at = (i / hw * c + channel) * hw + i % hw;
        acc += double(a[at]) * double(b[at]);
    }
    acc = block_sum(acc, shared);
    if (threadIdx.x == 0) out[channel] = float(double(out[channel]) + acc);
}

}  // namespace

void multiply_accumulate(const Gpu& gpu, int64_t n, const float* a, const float* b, float* y) {
    if (n <= 0) return;
    multiply_accumulate_kernel<<<grid_for(n), kThreads, 0, gpu.stream>>>(n, a, b, y);
    check_launch("multiply_accumulate");
}

void scale_channels(const Gpu& gpu, int n, int c, int hw, const float* x, const float* gate, float* y,
                    bool accumulate) {
    const int64_t total = int64_t(n) * c * hw;
    if (total <= 0) return;
    if (accumulate)
        scale_channels_kernel<true><<<grid_for(total), kThreads, 0, gpu.stream>>>(total, c, hw, x, gate, y);
    else
        scale_channels_kernel<false><<<grid_for(total), kThreads, 0, gpu.stream>>>(total, c, hw, x, gate, y);
    check_launch("scale_channels");
}

void channel_dot_accumulate(const Gpu& gpu, int n, int c, int hw, const float* a, const float* b, float* out) {
    if (c <= 0) return;
    channel_dot_kernel<<<c, kThreads, 0, gpu.stream>>>(n, c, hw, a, b, out);
    check_launch("channel_dot_accumulate");
}

}  // namespace jnas::cuda
