// depthwise.cu — convolution with one filter per channel (groups == c_in == c_out), computed directly: each
// output sums only kh·kw products, too short a reduction for GEMM tiles to pay. Forward and backward data give
// one thread per written element (backward data gathers, so no atomics); the weight gradient gives one block
// per filter tap and reduces over samples and pixels with the fixed tree of block_sum.
#include "cuda_kernels.cuh"

namespace jnas::cuda {
namespace {

// Thread i owns output element i = (plane, oh, ow) with plane = sample·c + channel; taps summed in (r, q) order.
__global__ void depthwise_forward_kernel(Conv2dShape s, const float* x, const float* w, float* y) {
    const int64_t hw_out = int64_t(s.h_out) * s.w_out;
    JNAS_GRID_STRIDE(i, int64_t(s.n) * s.c_out * hw_out) {
        const int64_t plane = i / hw_out;
        const int pixel = int(i % hw_out), oh = pixel / s.w_out, ow = pixel % s.w_out;
        const float* in = x + plane * s.h * s.w;
        const float* filter = w + (plane % s.c_out) * s.kh * s.kw;
        float total = 0.0f;
        for (int r = 0; r < s.kh; ++r) {
            const int ih = oh * s.stride - s.pad + r * s.dilation;
            if (ih < 0 || ih >= s.h) continue;
            for (int q = 0; q < s.kw; ++q) {
                const int iw = ow * s.stride - s.pad + q * s.dilation;
                if (iw >= 0 && iw < s.w) total += filter[r * s.kw + q] * in[ih * s.w + iw];
            }
        }
        y[i] = total;
    }
}

// Thread i owns input element i = (plane, ih, iw) and gathers every (output pixel, tap) pair that read it:
// oh·stride − pad + r·dil = ih must have a whole-number solution oh inside the output.
__global__ void depthwise_backward_data_kernel(Conv2dShape s, const float* dy, const float* w, float* dx) {
    const int64_t hw = int64_t(s.h) * s.w;
    JNAS_GRID_STRIDE(i, int64_t(s.n) * s.c_in * hw) {
        const int64_t plane = i / hw;
        const int pixel = int(i % hw), ih = pixel / s.w, iw = pixel % s.w;
        const float* grad = dy + plane * s.h_out * s.w_out;
        const float* filter = w + (plane % s.c_in) * s.kh * s.kw;
        float total = 0.0f;
        for (int r = 0; r < s.kh; ++r) {
            const int th = ih + s.pad - r * s.dilation;
            if (th < 0 || th % s.stride != 0 || th / s.stride >= s.h_out) continue;
            for (int q = 0; q < s.kw; ++q) {
                const int tw = iw + s.pad - q * s.dilation;
                if (tw < 0 || tw % s.stride != 0 || tw / s.stride >= s.w_out) continue;
                total += filter[r * s.kw + q] * grad[(th / s.stride) * s.w_out + tw / s.stride];
            }
        }
        dx[i] += total;
    }
}

// Block b owns weight b = (channel, r, q): dw[b] += Σ over samples and output pixels of dy · (the input that tap
// read), in double like the CPU backend, folded by block_sum.
__global__ void depthwise_backward_weight_kernel(Conv2dShape s, const float* x, const float* dy, float* dw) {
    __shared__ double shared[32];
    const int taps = s.kh * s.kw;
    const int channel = blockIdx.x / taps, tap = blockIdx.x % taps;
    const int r = tap / s.kw, q = tap % s.kw;
    const int hw_out = s.h_out * s.w_out;
    double acc = 0.0;
    for (int64_t j = threadIdx.x; j < int64_t(s.n) * hw_out; j += blockDim.x) {
        const int64_t plane = (j / hw_out) * s.c_in + channel;
        const int pixel = int(j % hw_out);
        const int ih = (pixel / s.w_out) * s.stride - s.pad + r * s.dilation;
        const int iw = (pixel % s.w_out) * s.stride - s.pad + q * s.dilation;
        if (ih < 0 || ih >= s.h || iw < 0 || iw >= s.w) continue;
        acc += double(dy[plane * hw_out + pixel]) * double(x[(plane * s.h + ih) * s.w + iw]);
    }
    acc = block_sum(acc, shared);
    if (threadIdx.x == 0) dw[blockIdx.x] = float(double(dw[blockIdx.x]) + acc);
}

}  // namespace

void depthwise_forward(const Gpu& gpu, const Conv2dShape& s, const float* x, const float* w, float* y) {
    const int64_t total = int64_t(s.n) * s.c_out * s.h_out * s.w_out;
    if (total <= 0) return;
    depthwise_forward_kernel<<<grid_for(total), kThreads, 0, gpu.stream>>>(s, x, w, y);
    check_launch("depthwise_forward");
}

void depthwise_backward_data(const Gpu& gpu, const Conv2dShape& s, const float* dy, const float* w, float* dx) {
    const int64_t total = int64_t(s.n) * s.c_in * s.h * s.w;
    if (total <= 0) return;
    depthwise_backward_data_kernel<<<grid_for(total), kThreads, 0, gpu.stream>>>(s, dy, w, dx);
    check_launch("depthwise_backward_data");
}

void depthwise_backward_weight(const Gpu& gpu, const Conv2dShape& s, const float* x, const float* dy, float* dw) {
    const int weights = s.c_out * s.kh * s.kw;
    if (weights <= 0) return;
    depthwise_backward_weight_kernel<<<weights, kThreads, 0, gpu.stream>>>(s, x, dy, dw);
    check_launch("depthwise_backward_weight");
}

}  // namespace jnas::cuda
