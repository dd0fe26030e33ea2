// pool.cu — average, max and global average pooling over NCHW. Forward kernels give one thread per output;
// backward kernels give one thread per input element, which gathers from the outputs whose windows cover it
// in (oh, ow) order — the order in which the CPU backend scatters into it — so no atomics are needed.
#include <cmath>

#include "cuda_kernels.cuh"

namespace jnas::cuda {
namespace {

// One pooling window clipped to the image, plus the divisor average pooling uses for it (as PyTorch:
// count_include_pad counts positions inside the padded border, otherwise only real ones).
struct Window {
    int h0, h1, w0, w1;  // rows [h0, h1), columns [w0, w1) inside the image
    int divisor;
};

__device__ __forceinline__ Window window_at(const PoolShape& s, int oh, int ow) {
    const int h0 = oh * s.stride - s.pad, w0 = ow * s.stride - s.pad;
    const int h1 = min(h0 + s.kernel, s.h + s.pad), w1 = min(w0 + s.kernel, s.w + s.pad);
    Window win{max(h0, 0), min(h1, s.h), max(w0, 0), min(w1, s.w), 0};
    win.divisor = s.count_include_pad ? (h1 - h0) * (w1 - w0) : max(win.h1 - win.h0, 0) * max(win.w1 - win.w0, 0);
    return win;
}

// The outputs whose windows can contain input row (or column) `in`: o·stride − pad ≤ in < o·stride − pad + kernel.
__device__ __forceinline__ void covering_outputs(int in, int pad, int kernel, int stride, int out, int* first,
                                                 int* last) {
    const int top = in + pad;  // window start o·stride must lie in (top − kernel, top]
    *first = top - kernel + 1 <= 0 ? 0 : (top - kernel + 1 + stride - 1) / stride;
    *last = min(top / stride, out - 1);
}

__global__ void avg_pool_forward_kernel(PoolShape s, const float* x, float* y) {
    const int hw_out = s.h_out * s.w_out;
    JNAS_GRID_STRIDE(i, int64_t(s.n) * s.c * hw_out) {
        const int64_t plane = i / hw_out;
        const int pixel = int(i % hw_out);
        const Window win = window_at(s, pixel / s.w_out, pixel % s.w_out);
        const float* in = x + plane * s.h * s.w;
        float total = 0.0f;
        for (int ih = win.h0; ih < win.h1; ++ih)
            for (int iw = win.w0; iw < win.w1; ++iw) total += in[ih * s.w + iw];
        y[i] = win.divisor > 0 ? total / float(win.divisor) : 0.0f;
    }
}

// Power 1: the gradient of the output gradient dy_scale·dy; Power 2: the Hessian-diagonal pass's squared
// derivative (1/divisor², dy_scale 1).
template <int Power>
__global__ void avg_pool_backward_kernel(PoolShape s, const float* dy, float dy_scale, float* dx) {
    const int hw = s.h * s.w;
    JNAS_GRID_STRIDE(i, int64_t(s.n) * s.c * hw) {
        const int64_t plane = i / hw;
        const int ih = int(i % hw) / s.w, iw = int(i % hw) % s.w;
        int oh0, oh1, ow0, ow1;
        covering_outputs(ih, s.pad, s.kernel, s.stride, s.h_out, &oh0, &oh1);
        covering_outputs(iw, s.pad, s.kernel, s.stride, s.w_out, &ow0, &ow1);
        const float* grad = dy + plane * s.h_out * s.w_out;
        float acc = dx[i];
        for (int oh = oh0; oh <= oh1; ++oh) {
            for (int ow = ow0; ow <= ow1; ++ow) {
                const Window win = window_at(s, oh, ow);
                const float divisor = Power == 1 ? float(win.divisor) : float(win.divisor) * float(win.divisor);
                if (win.divisor > 0) acc += grad[oh * s.w_out + ow] * dy_scale / divisor;
            }
        }
        dx[i] = acc;
    }
}

// Padding counts as −inf, the first maximum in row-major order wins, and NaN wins over numbers (as PyTorch and
// the CPU backend). A window that sees only padding yields −inf and argmax −1.
__global__ void max_pool_forward_kernel(PoolShape s, const float* x, float* y, int32_t* argmax) {
    const int hw_out = s.h_out * s.w_out;
    JNAS_GRID_STRIDE(i, int64_t(s.n) * s.c * hw_out) {
        const int64_t plane = i / hw_out;
        const int pixel = int(i % hw_out);
        const Window win = window_at(s, pixel / s.w_out, pixel % s.w_out);
        const float* in = x + plane * s.h * s.w;
        float best = -INFINITY;
        int32_t best_index = win.h0 < win.h1 && win.w0 < win.w1 ? win.h0 * s.w + win.w0 : -1;
        for (int ih = win.h0; ih < win.h1; ++ih) {
            for (int iw = win.w0; iw < win.w1; ++iw) {
                const float v = in[ih * s.w + iw];
                if (v > best || (isnan(v) && !isnan(best))) {
                    best = v;
                    best_index = ih * s.w + iw;
                }
            }
        }
        y[i] = best;
        argmax[i] = best_index;
    }
}

__global__ void max_pool_backward_kernel(PoolShape s, const float* dy, const int32_t* argmax, float* dx) {
    const int hw = s.h * s.w;
    JNAS_GRID_STRIDE(i, int64_t(s.n) * s.c * hw) {
        const int64_t plane = i / hw;
        const int pixel = int(i % hw), ih = pixel / s.w, iw = pixel % s.w;
        int oh0, oh1, ow0, ow1;
        covering_outputs(ih, s.pad, s.kernel, s.stride, s.h_out, &oh0, &oh1);
        covering_outputs(iw, s.pad, s.kernel, s.stride, s.w_out, &ow0, &ow1);
        const int64_t out_base = plane * s.h_out * s.w_out;
        float acc = dx[i];
        for (int oh = oh0; oh <= oh1; ++oh)
            for (int ow = ow0; ow <= ow1; ++ow)
                if (argmax[out_base + oh * s.w_out + ow] == pixel) acc += dy[out_base + oh * s.w_out + ow];
        dx[i] = acc;
    }
}

// One warp per (sample, channel) plane: lanes stride the plane, sum in double, fold by warp_sum.
constexpr int kPlanesPerBlock = kThreads / 32;

__global__ void global_avg_pool_forward_kernel(int64_t planes, int hw, const float* x, float* y) {
    const int64_t plane = int64_t(blockIdx.x) * kPlanesPerBlock + threadIdx.x / 32;
    const int lane = threadIdx.x % 32;
    if (plane >= planes) return;  // whole warps leave together, so warp_sum below sees full warps
    double acc = 0.0;
    for (int i = lane; i < hw; i += 32) acc += double(x[plane * hw + i]);
    acc = warp_sum(acc);
    if (lane == 0) y[plane] = float(acc / double(hw));
}

__global__ void global_avg_pool_backward_kernel(int64_t total, int hw, const float* dy, float* dx) {
    JNAS_GRID_STRIDE(i, total) dx[i] += dy[i / hw] / float(hw);
}

// A thread per plane scans it in order, so the first maximum wins as on the CPU (a NaN wins over numbers).
__global__ void global_max_pool_forward_kernel(int64_t planes, int hw, const float* x, float* y, int32_t* argmax) {
    JNAS_GRID_STRIDE(plane, planes) {
        const float* in = x + plane * hw;
        int32_t best = 0;
        for (int i = 1; i < hw; ++i)
            if (in[i] > in[best] || (isnan(in[i]) && !isnan(in[best]))) best = i;
        y[plane] = in[best];
        argmax[plane] = best;
    }
}

__global__ void global_max_pool_backward_kernel(int64_t planes, int hw, const float* dy, const int32_t* argmax,
                                                float* dx) {
    JNAS_GRID_STRIDE(plane, planes) dx[plane * hw + argmax[plane]] += dy[plane];
}

}  // namespace

void avg_pool_forward(const Gpu& gpu, const PoolShape& s, const float* x, float* y) {
    const int64_t total = int64_t(s.n) * s.c * s.h_out * s.w_out;
    if (total <= 0) return;
    avg_pool_forward_kernel<<<grid_for(total), kThreads, 0, gpu.stream>>>(s, x, y);
    check_launch("avg_pool_forward");
}

void avg_pool_backward(const Gpu& gpu, const PoolShape& s, const float* dy, float dy_scale, float* dx) {
    const int64_t total = int64_t(s.n) * s.c * s.h * s.w;
    if (total <= 0) return;
    avg_pool_backward_kernel<1><<<grid_for(total), kThreads, 0, gpu.stream>>>(s, dy, dy_scale, dx);
    check_launch("avg_pool_backward");
}

void avg_pool_hessian_backward(const Gpu& gpu, const PoolShape& s, const float* hy, float* hx) {
    const int64_t total = int64_t(s.n) * s.c * s.h * s.w;
    if (total <= 0) return;
    avg_pool_backward_kernel<2><<<grid_for(total), kThreads, 0, gpu.stream>>>(s, hy, 1.0f, hx);
    check_launch("avg_pool_hessian_backward");
}

void max_pool_forward(const Gpu& gpu, const PoolShape& s, const float* x, float* y, int32_t* argmax) {
    const int64_t total = int64_t(s.n) * s.c * s.h_out * s.w_out;
    if (total <= 0) return;
    max_pool_forward_kernel<<<grid_for(total), kThreads, 0, gpu.stream>>>(s, x, y, argmax);
    check_launch("max_pool_forward");
}

void max_pool_backward(const Gpu& gpu, const PoolShape& s, const float* dy, const int32_t* argmax, float* dx) {
    const int64_t total = int64_t(s.n) * s.c * s.h * s.w;
    if (total <= 0) return;
    max_pool_backward_kernel<<<grid_for(total), kThreads, 0, gpu.stream>>>(s, dy, argmax, dx);
    check_launch("max_pool_backward");
}

void global_avg_pool_forward(const Gpu& gpu, int n, int c, int hw, const float* x, float* y) {
    const int64_t planes = int64_t(n) * c;
    if (planes <= 0) return;
    const int64_t blocks = (planes + kPlanesPerBlock - 1) / kPlanesPerBlock;
    global_avg_pool_forward_kernel<<<unsigned(blocks), kThreads, 0, gpu.stream>>>(planes, hw, x, y);
    check_launch("global_avg_pool_forward");
}

void global_avg_pool_backward(const Gpu& gpu, int n, int c, int hw, const float* dy, float* dx) {
    const int64_t total = int64_t(n) * c * hw;
    if (total <= 0) return;
    global_avg_pool_backward_kernel<<<grid_for(total), kThreads, 0, gpu.stream>>>(total, hw, dy, dx);
    check_launch("global_avg_pool_backward");
}

void global_max_pool_forward(const Gpu& gpu, int n, int c, int hw, const float* x, float* y, int32_t* argmax) {
    const int64_t planes = int64_t(n) * c;
    if (planes <= 0) return;
    global_max_pool_forward_kernel<<<grid_for(planes), kThreads, 0, gpu.stream>>>(planes, hw, x, y, argmax);
    check_launch("global_max_pool_forward");
}

void global_max_pool_backward(const Gpu& gpu, int n, int c, int hw, const float* dy, const int32_t* argmax,
                              float* dx) {
    const int64_t planes = int64_t(n) * c;
    if (planes <= 0) return;
    global_max_pool_backward_kernel<<<grid_for(planes), kThreads, 0, gpu.stream>>>(planes, hw, dy, argmax, dx);
    check_launch("global_max_pool_backward");
}

}  // namespace jnas::cuda
