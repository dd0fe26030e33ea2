// elementwise.cpp — pointwise kernels, channel-block copies and plane shifts. Each output element is written by
// exactly one iteration, so splitting the loops over threads cannot change a bit.
#include <algorithm>
#include <cmath>
#include <cstring>

#include "cpu/cpu_kernels.hpp"

namespace jnas::cpu {

void axpy(int threads, int64_t n, float alpha, const float* x, float* y) {
    parallel_for(threads_for(n, threads), n, [&](int64_t i) { y[i] += alpha * x[i]; });
}

void scale(int threads, int64_t n, float alpha, const float* x, float* y) {
    parallel_for(threads_for(n, threads), n, [&](int64_t i) { y[i] = alpha * x[i]; });
}

void multiply(int threads, int64_t n, const float* a, const float* b, float* y) {
    parallel_for(threads_for(n, threads), n, [&](int64_t i) { y[i] = a[i] * b[i]; });
}

void add_row_bias(int threads, int rows, int cols, const float* bias, float* y) {
    parallel_for(threads_for(int64_t(rows) * cols, threads), rows, [&](int r) {
        float* row = y + int64_t(r) * cols;
        for (int c = 0; c < cols; ++c) row[c] += bias[c];
    });
}

void add_channel_bias(int threads, int n, int c, int hw, const float* bias, float* y) {
    int64_t planes = int64_t(n) * c;
    parallel_for(threads_for(planes * hw, threads), planes, [&](int64_t p) {
        float b = bias[p % c];
        float* plane = y + p * hw;
        for (int i = 0; i < hw; ++i) plane[i] += b;
    });
}

namespace {

constexpr auto relu6 = [](float v) { return std::min(std::max(v, 0.0f), 6.0f); };  // a closure: see relu_slope

// sigmoid(v) and its complement 1 − sigmoid(v) = sigmoid(−v), both to float accuracy (1 − s would lose the small
// one's digits, which the derivatives need), from e = exp(−|v|) <= 1, which never overflows.
struct Sigmoid {
    float s, complement;
};
Sigmoid sigmoid_pair(float v) {
    float e = std::exp(-std::fabs(v));
    float large = 1.0f / (1.0f + e), small = e * large;
    return v >= 0.0f ? Sigmoid{large, small} : Sigmoid{small, large};
}

// GELU's tanh approximation 0.5·v·(1 + tanh(u)), u = √(2/π)·(v + 0.044715·v³), computed as the identical
// v·sigmoid(2u), which shares sigmoid_pair's one exp (and its accurate complement for the derivatives).
constexpr float kGeluScale = 0.7978845608028654f, kGeluCubic = 0.044715f;
Sigmoid gelu_gate(float v) { return sigmoid_pair(2.0f * kGeluScale * (v + kGeluCubic * v * v * v)); }

// f'(x) of the piecewise-linear ones with PyTorch's choices at the kinks: relu 0 at 0, relu6 1 only on the open
// interval (0, 6), hswish x/3 + 1/2 on the closed interval [-3, 3].
// They and the Derivatives below are closures, not functions: passed to the map_* templates, each is then its own
// type, inlined into a loop that vectorizes, where a function pointer is an indirect call per element.
constexpr auto relu_slope = [](float v) { return v > 0.0f ? 1.0f : 0.0f; };
constexpr auto relu6_slope = [](float v) { return v > 0.0f && v < 6.0f ? 1.0f : 0.0f; };
constexpr auto hswish_slope = [](float v) { return v < -3.0f ? 0.0f : v > 3.0f ? 1.0f : v / 3.0f + 0.5f; };

// f'(x) and f''(x) of the activations with curvature. With s' = s·(1 − s) and 1 − 2s = (1 − s) − s (both from the
// accurate pair, so neither loses the small one's digits):
//   hswish  = x·(x + 3)/6 on (-3, 3): f'' = 1/3 there, 0 outside (the jumps of f' at ±3 are ignored like ReLU's);
//   sigmoid: f' = s',  f'' = s'·(1 − 2s);
//   swish   = x·s: f' = s·(1 + x·(1 − s)),  f'' = 2s' + x·s'' = s'·(2 + x·(1 − 2s));
//   gelu    = x·σ(g), g = 2u, g' = 2√(2/π)·(1 + 3·0.044715·x²), g'' = 12√(2/π)·0.044715·x, with s = σ(g):
//             f' = s + x·s'·g',  f'' = s'·(2g' + x·(1 − 2s)·g'² + x·g'').
struct Derivatives {
    float first, second;
};
constexpr auto hswish_derivatives = [](float v) {
    return Derivatives{hswish_slope(v), v > -3.0f && v < 3.0f ? 1.0f / 3.0f : 0.0f};
};
constexpr auto sigmoid_derivatives = [](float v) {
    Sigmoid g = sigmoid_pair(v);
    float slope = g.s * g.complement;
    return Derivatives{slope, slope * (g.complement - g.s)};
};
constexpr auto swish_derivatives = [](float v) {
    Sigmoid g = sigmoid_pair(v);
    return Derivatives{g.s * (1.0f + v * g.complement), g.s * g.complement * (2.0f + v * (g.complement - g.s))};
};
constexpr auto gelu_derivatives = [](float v) {
    Sigmoid g = gelu_gate(v);
    float gate_slope = 2.0f * kGeluScale * (1.0f + 3.0f * kGeluCubic * v * v);
    float gate_bend = 12.0f * kGeluScale * kGeluCubic * v;
    // f' in the backward's own evaluation order (not via gate_slope), so gradients keep their bits
    float first = g.s + v * g.s * g.complement * 2.0f * kGeluScale * (1.0f + 3.0f * kGeluCubic * v * v);
    float second = g.s * g.complement *
                   (2.0f * gate_slope + v * (g.complement - g.s) * gate_slope * gate_slope + v * gate_bend);
    return Derivatives{first, second};
};

// The pointwise loops are instantiated per activation so that each one vectorizes without a branch on kind.
template <typename F>
void map_forward(int threads, int64_t n, const float* x, float* y, F f) {
    parallel_for(threads_for(n, threads), n, [&](int64_t i) { y[i] = f(x[i]); });
}

template <typename F>
void map_backward(int threads, int64_t n, const float* x, const float* dy, float* dx, F derivative) {
    parallel_for(threads_for(n, threads), n, [&](int64_t i) { dx[i] += derivative(x[i]) * dy[i]; });
}

template <typename F>
void map_hessian_backward(int threads, int64_t n, const float* x, const float* hy, const float* gy, float* hx,
                          F derivatives) {
    parallel_for(threads_for(n, threads), n, [&](int64_t i) {
        Derivatives d = derivatives(x[i]);
        hx[i] += d.first * d.first * hy[i] + d.second * gy[i];
    });
}

}  // namespace

void activation_forward(int threads, jnas_activation kind, int64_t n, const float* x, float* y) {
    switch (kind) {
        case JNAS_ACT_RELU: return map_forward(threads, n, x, y, [](float v) { return v > 0.0f ? v : 0.0f; });
        case JNAS_ACT_RELU6: return map_forward(threads, n, x, y, relu6);
        case JNAS_ACT_HSWISH:
            return map_forward(threads, n, x, y, [](float v) { return v * relu6(v + 3.0f) / 6.0f; });
        case JNAS_ACT_SIGMOID: return map_forward(threads, n, x, y, [](float v) { return sigmoid_pair(v).s; });
        case JNAS_ACT_SWISH: return map_forward(threads, n, x, y, [](float v) { return v * sigmoid_pair(v).s; });
        case JNAS_ACT_GELU: return map_forward(threads, n, x, y, [](float v) { return v * gelu_gate(v).s; });
    }
}

void activation_backward(int threads, jnas_activation kind, int64_t n, const float* x, const float* dy,
                         float* dx) {
    switch (kind) {
        case JNAS_ACT_RELU: return map_backward(threads, n, x, dy, dx, relu_slope);
        case JNAS_ACT_RELU6: return map_backward(threads, n, x, dy, dx, relu6_slope);
        case JNAS_ACT_HSWISH: return map_backward(threads, n, x, dy, dx, hswish_slope);
        case JNAS_ACT_SIGMOID:
            return map_backward(threads, n, x, dy, dx, [](float v) { return sigmoid_derivatives(v).first; });
        case JNAS_ACT_SWISH:
            return map_backward(threads, n, x, dy, dx, [](float v) { return swish_derivatives(v).first; });
        case JNAS_ACT_GELU:
            return map_backward(threads, n, x, dy, dx, [](float v) { return gelu_derivatives(v).first; });
    }
}

// relu and relu6 have f' in {0, 1}, so f'² = f' and their hx is the gradient kernel's, without gy (f'' = 0).
void activation_hessian_backward(int threads, jnas_activation kind, int64_t n, const float* x, const float* hy,
                                 const float* gy, float* hx) {
    switch (kind) {
        case JNAS_ACT_RELU: return map_backward(threads, n, x, hy, hx, relu_slope);
        case JNAS_ACT_RELU6: return map_backward(threads, n, x, hy, hx, relu6_slope);
        case JNAS_ACT_HSWISH: return map_hessian_backward(threads, n, x, hy, gy, hx, hswish_derivatives);
        case JNAS_ACT_SIGMOID: return map_hessian_backward(threads, n, x, hy, gy, hx, sigmoid_derivatives);
        case JNAS_ACT_SWISH: return map_hessian_backward(threads, n, x, hy, gy, hx, swish_derivatives);
        case JNAS_ACT_GELU: return map_hessian_backward(threads, n, x, hy, gy, hx, gelu_derivatives);
    }
}

void copy_channels(int threads, const ChannelBlock& b, const float* src, float* dst, bool accumulate) {
    int64_t block = int64_t(b.count) * b.hw;  // the block is contiguous within each sample
    parallel_for(threads_for(block * b.n, threads), b.n, [&](int s) {
        const float* from = src + (int64_t(s) * b.src_channels + b.src_offset) * b.hw;
        float* to = dst + (int64_t(s) * b.dst_channels + b.dst_offset) * b.hw;
        if (accumulate) {
            for (int64_t i = 0; i < block; ++i) to[i] += from[i];
        } else {
            std::memcpy(to, from, size_t(block) * sizeof(float));
        }
    });
}

void shift(int threads, const ShiftShape& s, const float* src, float* dst, bool accumulate) {
    const int64_t planes = int64_t(s.n) * s.c, hw = int64_t(s.h) * s.w;
    // The columns x whose source column x + dx lies inside the plane: [x_lo, x_hi), empty when |dx| >= w.
    const int x_lo = std::clamp(-s.dx, 0, s.w), x_hi = std::clamp(s.w - s.dx, x_lo, s.w);
    parallel_for(threads_for(planes * hw, threads), planes, [&](int64_t p) {
        const float* from = src + p * hw;
        float* to = dst + p * hw;
        for (int y = 0; y < s.h; ++y) {
            float* row = to + int64_t(y) * s.w;
            const int source_y = y + s.dy;
            if (source_y < 0 || source_y >= s.h) {  // the whole row lies outside: zeros
                if (!accumulate) std::fill(row, row + s.w, 0.0f);
                continue;
            }
            const float* source = from + int64_t(source_y) * s.w;
            if (accumulate) {
                for (int x = x_lo; x < x_hi; ++x) row[x] += source[x + s.dx];
            } else {
                std::fill(row, row + x_lo, 0.0f);
                for (int x = x_lo; x < x_hi; ++x) row[x] = source[x + s.dx];
                std::fill(row + x_hi, row + s.w, 0.0f);
            }
        }
    });
}

}  // namespace jnas::cpu
