// elementwise.cu — pointwise kernels, bias broadcasts, channel-block copies and plane shifts. Every output element
// is written by exactly one thread, so results do not depend on the launch shape.
#include <type_traits>

#include "cuda_kernels.cuh"

namespace jnas::cuda {
namespace {

__global__ void axpy_kernel(int64_t n, float alpha, const float* x, float* y) {
    JNAS_GRID_STRIDE(i, n) y[i] += alpha * x[i];
}

// The scale lives in device memory (a mixed-edge weight), read once per thread rather than copied to the host.
__global__ void axpy_dev_kernel(int64_t n, const float* alpha_dev, const float* x, float* y) {
    const float alpha = *alpha_dev;
    JNAS_GRID_STRIDE(i, n) y[i] += alpha * x[i];
}

__global__ void scale_kernel(int64_t n, float alpha, const float* x, float* y) {
    JNAS_GRID_STRIDE(i, n) y[i] = alpha * x[i];
}

__global__ void multiply_kernel(int64_t n, const float* a, const float* b, float* y) {
    JNAS_GRID_STRIDE(i, n) y[i] = a[i] * b[i];
}

__global__ void add_row_bias_kernel(int64_t total, int cols, const float* bias, float* y) {
    JNAS_GRID_STRIDE(i, total) y[i] += bias[i % cols];
}

__global__ void add_channel_bias_kernel(int64_t total, int c, int hw, const float* bias, float* y) {
    JNAS_GRID_STRIDE(i, total) y[i] += bias[(i / hw) % c];
}

__device__ __forceinline__ float relu6(float v) { return fminf(fmaxf(v, 0.0f), 6.0f); }
// sigmoid(v) and 1 − sigmoid(v), each to float accuracy, from exp(−|v|) <= 1 (as the CPU backend).
struct Sigmoid {
    float s, complement;
};
__device__ __forceinline__ Sigmoid sigmoid_pair(float v) {
    const float e = expf(-fabsf(v));
    const float large = 1.0f / (1.0f + e), small = e * large;
    return v >= 0.0f ? Sigmoid{large, small} : Sigmoid{small, large};
}

// GELU's tanh approximation as the CPU backend computes it: 0.5·v·(1 + tanh(u)) = v·sigmoid(2u),
// u = √(2/π)·(v + 0.044715·v³).
constexpr float kGeluScale = 0.7978845608028654f, kGeluCubic = 0.044715f;
__device__ __forceinline__ Sigmoid gelu_gate(float v) {
    return sigmoid_pair(2.0f * kGeluScale * (v + kGeluCubic * v * v * v));
}

// One kernel per activation (a template parameter), so the loop carries no branch on the kind.
template <jnas_activation Kind>
__device__ __forceinline__ float activate(float v) {
    if (Kind == JNAS_ACT_RELU) return v > 0.0f ? v : 0.0f;
    if (Kind == JNAS_ACT_RELU6) return relu6(v);
    if (Kind == JNAS_ACT_HSWISH) return v * relu6(v + 3.0f) / 6.0f;
    if (Kind == JNAS_ACT_SIGMOID) return sigmoid_pair(v).s;
    if (Kind == JNAS_ACT_SWISH) return v * sigmoid_pair(v).s;
    return v * gelu_gate(v).s;  // gelu
}

// f'(x) and f''(x) as the CPU backend computes them (native/src/cpu/elementwise.cpp derives them): relu, relu6 and
// hswish with PyTorch's choices at the kinks (relu 0 at 0, relu6 1 only on the open interval (0, 6), hswish
// x/3 + 1/2 on the closed interval [-3, 3]) and f'' = 0 except hswish's 1/3 on (-3, 3); with s' = s·(1 − s):
// sigmoid s', s'·(1 − 2s); swish s·(1 + x·(1 − s)), s'·(2 + x·(1 − 2s)); gelu, with s = σ(g), g = 2u,
// g' = 2√(2/π)·(1 + 3·0.044715·x²), g'' = 12√(2/π)·0.044715·x: s + x·s'·g', s'·(2g' + x·(1 − 2s)·g'² + x·g'').
struct Derivatives {
    float first, second;
};
template <jnas_activation Kind>
__device__ __forceinline__ Derivatives derivatives(float v) {
    if (Kind == JNAS_ACT_RELU) return {v > 0.0f ? 1.0f : 0.0f, 0.0f};
    if (Kind == JNAS_ACT_RELU6) return {v > 0.0f && v < 6.0f ? 1.0f : 0.0f, 0.0f};
    if (Kind == JNAS_ACT_HSWISH)
        return {v < -3.0f ? 0.0f : v > 3.0f ? 1.0f : v / 3.0f + 0.5f, v > -3.0f && v < 3.0f ? 1.0f / 3.0f : 0.0f};
    if (Kind == JNAS_ACT_SIGMOID) {
        const Sigmoid g = sigmoid_pair(v);
        const float slope = g.s * g.complement;
        return {slope, slope * (g.complement - g.s)};
    }
    if (Kind == JNAS_ACT_SWISH) {
        const Sigmoid g = sigmoid_pair(v);
        return {g.s * (1.0f + v * g.complement), g.s * g.complement * (2.0f + v * (g.complement - g.s))};
    }
    const Sigmoid g = gelu_gate(v);
    const float gate_slope = 2.0f * kGeluScale * (1.0f + 3.0f * kGeluCubic * v * v);
    const float gate_bend = 12.0f * kGeluScale * kGeluCubic * v;
    return {g.s + v * g.s * g.complement * 2.0f * kGeluScale * (1.0f + 3.0f * kGeluCubic * v * v),
            g.s * g.complement *
                (2.0f * gate_slope + v * (g.complement - g.s) * gate_slope * gate_slope + v * gate_bend)};
}

template <jnas_activation Kind>
__global__ void activation_forward_kernel(int64_t n, const float* x, float* y) {
    JNAS_GRID_STRIDE(i, n) y[i] = activate<Kind>(x[i]);
}

// dx[i] += f'(x[i mod n]) · dy[i] over rows · n values: `rows` gradients at the same x.
template <jnas_activation Kind>
__global__ void activation_backward_kernel(int64_t rows_n, int64_t n, const float* x, const float* dy, float* dx) {
    JNAS_GRID_STRIDE(i, rows_n) dx[i] += derivatives<Kind>(x[i % n]).first * dy[i];
}

// hx += f'²·hy + f''·gy; relu and relu6 (f'' = 0) never read gy, which may be nullptr for them.
template <jnas_activation Kind>
__global__ void activation_hessian_backward_kernel(int64_t n, const float* x, const float* hy, const float* gy,
                                                   float* hx) {
    constexpr bool kCurved = Kind != JNAS_ACT_RELU && Kind != JNAS_ACT_RELU6;
    JNAS_GRID_STRIDE(i, n) {
        const Derivatives d = derivatives<Kind>(x[i]);
        float h = d.first * d.first * hy[i];
        if constexpr (kCurved) h += d.second * gy[i];
        hx[i] += h;
    }
}

// Calls launch(std::integral_constant<jnas_activation, K>{}) for the runtime kind, so each launcher names one
// kernel instantiation per activation.
template <typename Launch>
void dispatch_activation(jnas_activation kind, Launch launch) {
    switch (kind) {
        case JNAS_ACT_RELU: return launch(std::integral_constant<jnas_activation, JNAS_ACT_RELU>{});
        case JNAS_ACT_RELU6: return launch(std::integral_constant<jnas_activation, JNAS_ACT_RELU6>{});
        case JNAS_ACT_HSWISH: return launch(std::integral_constant<jnas_activation, JNAS_ACT_HSWISH>{});
        case JNAS_ACT_SIGMOID: return launch(std::integral_constant<jnas_activation, JNAS_ACT_SIGMOID>{});
        case JNAS_ACT_SWISH: return launch(std::integral_constant<jnas_activation, JNAS_ACT_SWISH>{});
        case JNAS_ACT_GELU: return launch(std::integral_constant<jnas_activation, JNAS_ACT_GELU>{});
    }
}

// Element i of the [n, count, hw] block: sample i / block, offset i % block within the sample's contiguous run.
template <bool Accumulate>
__global__ void copy_channels_kernel(ChannelBlock b, int64_t block, const float* src, float* dst) {
    JNAS_GRID_STRIDE(i, block * b.n) {
        const int64_t sample = i / block, offset = i % block;
        const float v = src[(sample * b.src_channels + b.src_offset) * b.hw + offset];
        float& out = dst[(sample * b.dst_channels + b.dst_offset) * b.hw + offset];
        out = Accumulate ? out + v : v;
    }
}

// Element i of the [n, c, h, w] destination reads the source element dy rows and dx columns away, if inside.
template <bool Accumulate>
__global__ void shift_kernel(ShiftShape s, int64_t total, const float* src, float* dst) {
    JNAS_GRID_STRIDE(i, total) {
        const int x = int(i % s.w), y = int(i / s.w % s.h);
        const int source_y = y + s.dy, source_x = x + s.dx;
        const bool inside = source_y >= 0 && source_y < s.h && source_x >= 0 && source_x < s.w;
        const float v = inside ? src[i + int64_t(s.dy) * s.w + s.dx] : 0.0f;
        dst[i] = Accumulate ? dst[i] + v : v;
    }
}

}  // namespace

void axpy(const Gpu& gpu, int64_t n, float alpha, const float* x, float* y) {
    if (n <= 0) return;
    axpy_kernel<<<grid_for(n), kThreads, 0, gpu.stream>>>(n, alpha, x, y);
    check_launch("axpy");
}

void axpy_dev(const Gpu& gpu, int64_t n, const float* alpha_dev, const float* x, float* y) {
    if (n <= 0) return;
    axpy_dev_kernel<<<grid_for(n), kThreads, 0, gpu.stream>>>(n, alpha_dev, x, y);
    check_launch("axpy_dev");
}

void scale(const Gpu& gpu, int64_t n, float alpha, const float* x, float* y) {
    if (n <= 0) return;
    scale_kernel<<<grid_for(n), kThreads, 0, gpu.stream>>>(n, alpha, x, y);
    check_launch("scale");
}

void multiply(const Gpu& gpu, int64_t n, const float* a, const float* b, float* y) {
    if (n <= 0) return;
    multiply_kernel<<<grid_for(n), kThreads, 0, gpu.stream>>>(n, a, b, y);
    check_launch("multiply");
}

void add_row_bias(const Gpu& gpu, int rows, int cols, const float* bias, float* y) {
    const int64_t total = int64_t(rows) * cols;
    if (total <= 0) return;
    add_row_bias_kernel<<<grid_for(total), kThreads, 0, gpu.stream>>>(total, cols, bias, y);
    check_launch("add_row_bias");
}

void add_channel_bias(const Gpu& gpu, int n, int c, int hw, const float* bias, float* y) {
    const int64_t total = int64_t(n) * c * hw;
    if (total <= 0) return;
    add_channel_bias_kernel<<<grid_for(total), kThreads, 0, gpu.stream>>>(total, c, hw, bias, y);
    check_launch("add_channel_bias");
}

void activation_forward(const Gpu& gpu, jnas_activation kind, int64_t n, const float* x, float* y) {
    if (n <= 0) return;
    dispatch_activation(kind, [&](auto k) {
        activation_forward_kernel<decltype(k)::value><<<grid_for(n), kThreads, 0, gpu.stream>>>(n, x, y);
    });
    check_launch("activation_forward");
}

void activation_backward(const Gpu& gpu, jnas_activation kind, int64_t n, const float* x, const float* dy,
                         float* dx) {
    activation_backward_rows(gpu, kind, 1, n, x, dy, dx);
}

void activation_backward_rows(const Gpu& gpu, jnas_activation kind, int rows, int64_t n, const float* x,
                              const float* dy, float* dx) {
    const int64_t rows_n = rows * n;
    if (rows_n <= 0) return;
    dispatch_activation(kind, [&](auto k) {
        activation_backward_kernel<decltype(k)::value><<<grid_for(rows_n), kThreads, 0, gpu.stream>>>(rows_n, n, x,
                                                                                                      dy, dx);
    });
    check_launch("activation_backward");
}

void activation_hessian_backward(const Gpu& gpu, jnas_activation kind, int64_t n, const float* x, const float* hy,
                                 const float* gy, float* hx) {
    if (n <= 0) return;
    dispatch_activation(kind, [&](auto k) {
        activation_hessian_backward_kernel<decltype(k)::value>
            <<<grid_for(n), kThreads, 0, gpu.stream>>>(n, x, hy, gy, hx);
    });
    check_launch("activation_hessian_backward");
}

void copy_channels(const Gpu& gpu, const ChannelBlock& b, const float* src, float* dst, bool accumulate) {
    const int64_t block = int64_t(b.count) * b.hw;  // contiguous within each sample
    if (block * b.n <= 0) return;
    if (accumulate)
        copy_channels_kernel<true><<<grid_for(block * b.n), kThreads, 0, gpu.stream>>>(b, block, src, dst);
    else
        copy_channels_kernel<false><<<grid_for(block * b.n), kThreads, 0, gpu.stream>>>(b, block, src, dst);
    check_launch("copy_channels");
}

void shift(const Gpu& gpu, const ShiftShape& s, const float* src, float* dst, bool accumulate) {
    const int64_t total = int64_t(s.n) * s.c * s.h * s.w;
    if (total <= 0) return;
    if (accumulate)
        shift_kernel<true><<<grid_for(total), kThreads, 0, gpu.stream>>>(s, total, src, dst);
    else
        shift_kernel<false><<<grid_for(total), kThreads, 0, gpu.stream>>>(s, total, src, dst);
    check_launch("shift");
}

}  // namespace jnas::cuda
