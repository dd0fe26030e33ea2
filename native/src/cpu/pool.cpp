// pool.cpp — average, max, global average and global max pooling over NCHW. Every kernel works on whole (sample, channel)
// planes, each owned by one thread, so forward and backward results do not depend on the thread count. Stride-1
// average pooling (a 3×3 pool on every NB201 and DARTS edge) sums its windows as box sums on the few-channel
// correlation (conv_few_channels.cpp), which works on zero-padded planes in vector registers.
#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "cpu/accumulate.hpp"
#include "cpu/cpu_kernels.hpp"
#include "cpu/vector_clones.hpp"

namespace jnas::cpu {
namespace {

// One pooling window, clipped to the image, plus the divisor average pooling uses for it.
struct Window {
    int h0, h1, w0, w1;  // rows [h0, h1), columns [w0, w1) inside the image
    int divisor;
};

// As PyTorch: count_include_pad counts the window's positions inside the padded border, otherwise only the
// real ones.
Window window_at(const PoolShape& s, int oh, int ow) {
    int h0 = oh * s.stride - s.pad, w0 = ow * s.stride - s.pad;
    int h1 = std::min(h0 + s.kernel, s.h + s.pad), w1 = std::min(w0 + s.kernel, s.w + s.pad);
    int padded_size = (h1 - h0) * (w1 - w0);
    Window win{std::max(h0, 0), std::min(h1, s.h), std::max(w0, 0), std::min(w1, s.w), 0};
    win.divisor = s.count_include_pad ? padded_size : std::max(win.h1 - win.h0, 0) * std::max(win.w1 - win.w0, 0);
    return win;
}

// Every output position's window, in row-major output order. The windows are the same for every plane, so the
// kernels compute them once per call rather than once per (plane, position).
std::vector<Window> all_windows(const PoolShape& s) {
    std::vector<Window> windows;
    windows.reserve(size_t(s.h_out) * s.w_out);
    for (int oh = 0; oh < s.h_out; ++oh)
        for (int ow = 0; ow < s.w_out; ++ow) windows.push_back(window_at(s, oh, ow));
    return windows;
}

// The divisor^Power of every output's window, in output order: Power 1 divides the gradient, Power 2 the
// Hessian-diagonal pass's squared derivative that the window spreads evenly over its inputs; 0 for a window with
// no input.
template <int Power>
std::vector<float> window_divisors(const std::vector<Window>& windows) {
    std::vector<float> divisors(windows.size());
    for (size_t o = 0; o < windows.size(); ++o) {
        float d = float(windows[o].divisor);
        divisors[o] = Power == 1 ? d : d * d;
    }
    return divisors;
}

// Each output's share, value / divisor (0 where the divisor is 0), in place or not: one pass, built per vector
// width (vector_clones.hpp; a division is exact in every width).
JNAS_VECTOR_CLONES
void window_shares(size_t count, const float* divisors, const float* values, float scale, float* shares) {
    for (size_t o = 0; o < count; ++o) shares[o] = divisors[o] > 0.0f ? values[o] * scale / divisors[o] : 0.0f;
}

int64_t plane_count(const PoolShape& s) { return int64_t(s.n) * s.c; }

int pool_threads(const PoolShape& s, int threads) {
    return threads_for(plane_count(s) * s.h_out * s.w_out * s.kernel * s.kernel, threads);
}

void sum_windows_plane(const PoolShape& s, const std::vector<Window>& windows, const float* in, float* out) {
    for (size_t o = 0; o < windows.size(); ++o) {
        const Window& win = windows[o];
        float total = 0.0f;
        for (int ih = win.h0; ih < win.h1; ++ih)
            for (int iw = win.w0; iw < win.w1; ++iw) total += in[ih * s.w + iw];
        out[o] = total;
    }
}

}  // namespace

void avg_pool_forward(int threads, const PoolShape& s, const float* x, float* y) {
    const std::vector<Window> windows = all_windows(s);
    const std::vector<float> divisors = window_divisors<1>(windows);
    int64_t hw_out = int64_t(s.h_out) * s.w_out;
    const std::vector<float> ones(size_t(s.kernel) * s.kernel, 1.0f);
    parallel_for(pool_threads(s, threads), plane_count(s), [&](int64_t p) {
        const float* in = x + p * s.h * s.w;
        float* out = y + p * hw_out;
        if (s.stride == 1) {  // each window's inputs from 0 in row-major order, as sum_windows_plane adds them
            thread_local std::vector<float> padded;
            padded.resize(size_t(box_sum_scratch_floats(s.h_out, s.w_out, s.kernel)));
            box_sum_plane(in, s.h, s.w, s.pad, s.pad, s.kernel, ones.data(), s.h_out, s.w_out, false, padded.data(),
                          out);
        } else {
            sum_windows_plane(s, windows, in, out);
        }
        window_shares(size_t(hw_out), divisors.data(), out, 1.0f, out);  // the sums become means
    });
}

namespace {

// The scatter for any stride: each output's share added over its window, outputs in row-major order.
void scatter_plane(const PoolShape& s, const std::vector<Window>& windows, const float* shares, float* out) {
    for (size_t o = 0; o < windows.size(); ++o) {
        const Window& win = windows[o];
        for (int ih = win.h0; ih < win.h1; ++ih)
            for (int iw = win.w0; iw < win.w1; ++iw) out[ih * s.w + iw] += shares[o];
    }
}

template <int Power>
void avg_pool_spread(int threads, const PoolShape& s, const float* dy, float dy_scale, float* dx) {
    const std::vector<Window> windows = all_windows(s);
    const std::vector<float> divisors = window_divisors<Power>(windows);
    const std::vector<float> ones(size_t(s.kernel) * s.kernel, 1.0f);
    int64_t hw_out = int64_t(s.h_out) * s.w_out;
    parallel_for(pool_threads(s, threads), plane_count(s), [&](int64_t p) {
        thread_local std::vector<float> shares;
        shares.resize(size_t(hw_out));
        window_shares(size_t(hw_out), divisors.data(), dy + p * hw_out, dy_scale, shares.data());
        float* out = dx + p * s.h * s.w;
        if (s.stride == 1) {  // input (ih, iw) gets the shares of the windows holding it, rows oh <= ih + pad
            thread_local std::vector<float> padded;
            padded.resize(size_t(box_sum_scratch_floats(s.h, s.w, s.kernel)));
            int border = s.kernel - 1 - s.pad;
            box_sum_plane(shares.data(), s.h_out, s.w_out, border, border, s.kernel, ones.data(), s.h, s.w, true,
                          padded.data(), out);
        } else {
            scatter_plane(s, windows, shares.data(), out);
        }
    });
}

}  // namespace

void avg_pool_backward(int threads, const PoolShape& s, const float* dy, float dy_scale, float* dx) {
    avg_pool_spread<1>(threads, s, dy, dy_scale, dx);
}

void avg_pool_hessian_backward(int threads, const PoolShape& s, const float* hy, float* hx) {
    avg_pool_spread<2>(threads, s, hy, 1.0f, hx);
}

// Padding counts as -inf, the first maximum in row-major order wins, and a NaN wins over numbers (as PyTorch).
// A window that sees only padding (impossible for pad <= kernel/2) yields -inf and argmax -1.
void max_pool_forward(int threads, const PoolShape& s, const float* x, float* y, int32_t* argmax) {
    const std::vector<Window> windows = all_windows(s);
    parallel_for(pool_threads(s, threads), plane_count(s), [&](int64_t p) {
        const float* in = x + p * s.h * s.w;
        int64_t out_base = p * s.h_out * s.w_out;
        for (int oh = 0; oh < s.h_out; ++oh) {
            for (int ow = 0; ow < s.w_out; ++ow) {
                const Window& win = windows[oh * s.w_out + ow];
                float best = -std::numeric_limits<float>::infinity();
                int32_t best_index = win.h0 < win.h1 && win.w0 < win.w1 ? win.h0 * s.w + win.w0 : -1;
                for (int ih = win.h0; ih < win.h1; ++ih) {
                    for (int iw = win.w0; iw < win.w1; ++iw) {
                        float v = in[ih * s.w + iw];
                        if (v > best || (std::isnan(v) && !std::isnan(best))) {
                            best = v;
                            best_index = ih * s.w + iw;
                        }
                    }
                }
                y[out_base + oh * s.w_out + ow] = best;
                argmax[out_base + oh * s.w_out + ow] = best_index;
            }
        }
    });
}

void max_pool_backward(int threads, const PoolShape& s, const float* dy, const int32_t* argmax, float* dx) {
    int64_t hw_out = int64_t(s.h_out) * s.w_out;
    parallel_for(threads_for(plane_count(s) * hw_out, threads), plane_count(s), [&](int64_t p) {
        float* out = dx + p * s.h * s.w;
        for (int64_t o = p * hw_out; o < (p + 1) * hw_out; ++o)
            if (argmax[o] >= 0) out[argmax[o]] += dy[o];
    });
}

void global_avg_pool_forward(int threads, int n, int c, int hw, const float* x, float* y) {
    int64_t planes = int64_t(n) * c;
    parallel_for(threads_for(planes * hw, threads), planes, [&](int64_t p) {
        y[p] = float(sum(x + p * hw, hw) / double(hw));
    });
}

void global_avg_pool_backward(int threads, int n, int c, int hw, const float* dy, float* dx) {
    int64_t planes = int64_t(n) * c;
    parallel_for(threads_for(planes * hw, threads), planes, [&](int64_t p) {
        float share = dy[p] / float(hw);
        float* out = dx + p * hw;
        for (int i = 0; i < hw; ++i) out[i] += share;
    });
}

// As max_pool_forward: the first maximum in plane order wins, and a NaN wins over numbers.
void global_max_pool_forward(int threads, int n, int c, int hw, const float* x, float* y, int32_t* argmax) {
    int64_t planes = int64_t(n) * c;
    parallel_for(threads_for(planes * hw, threads), planes, [&](int64_t p) {
        const float* in = x + p * hw;
        int32_t best = 0;
        for (int i = 1; i < hw; ++i)
            if (in[i] > in[best] || (std::isnan(in[i]) && !std::isnan(in[best]))) best = i;
        y[p] = in[best];
        argmax[p] = best;
    });
}

void global_max_pool_backward(int threads, int n, int c, int hw, const float* dy, const int32_t* argmax, float* dx) {
    int64_t planes = int64_t(n) * c;
    parallel_for(threads_for(planes, threads), planes, [&](int64_t p) { dx[p * hw + argmax[p]] += dy[p]; });
}

}  // namespace jnas::cpu
