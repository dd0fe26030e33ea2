// conv_direct.cpp — depthwise convolution (groups == c_in == c_out) computed directly: with one input channel
// per filter, an im2col copy would cost as much memory traffic as the convolution itself.
// Forward and backward-data work on whole (sample, channel) planes, each written by one thread; the weight
// gradient is split over channels, each summing its samples in order in double.
#include <algorithm>
#include <vector>

#include "cpu/accumulate.hpp"
#include "cpu/cpu_kernels.hpp"

namespace jnas::cpu {
namespace {

// Visits every filter tap that touches the output row oh, in (oh, i, j) order, with the valid output columns
// [lo, hi) of that tap and the offsets of its input row (ih) and column (w_offset): the window arithmetic the
// three plane kernels share. The visiting order fixes their summation order.
template <typename TapBody>
void for_each_tap(const Conv2dShape& s, TapBody body) {
    for (int oh = 0; oh < s.h_out; ++oh) {
        for (int i = 0; i < s.kh; ++i) {
            int ih = oh * s.stride - s.pad + i * s.dilation;
            if (ih < 0 || ih >= s.h) continue;
            for (int j = 0; j < s.kw; ++j) {
                int w_offset = j * s.dilation - s.pad;
                int lo, hi;
                valid_range(w_offset, s.stride, s.w, s.w_out, &lo, &hi);
                body(oh, i * s.kw + j, int64_t(ih) * s.w + w_offset, lo, hi);
            }
        }
    }
}

// y_plane = Σ_{i,j} w[i, j] · x_plane shifted by (i, j), taps added in (i, j) order.
void forward_plane(const Conv2dShape& s, const float* x, const float* w, float* y) {
    std::fill(y, y + int64_t(s.h_out) * s.w_out, 0.0f);
    for_each_tap(s, [&](int oh, int tap, int64_t in_offset, int lo, int hi) {
        float* out = y + int64_t(oh) * s.w_out;
        const float* in = x + in_offset;
        for (int ow = lo; ow < hi; ++ow) out[ow] += w[tap] * in[ow * s.stride];
    });
}

// dx_plane += the adjoint of forward_plane applied to dy_plane.
void backward_data_plane(const Conv2dShape& s, const float* dy, const float* w, float* dx) {
    for_each_tap(s, [&](int oh, int tap, int64_t in_offset, int lo, int hi) {
        const float* grad = dy + int64_t(oh) * s.w_out;
        float* out = dx + in_offset;
        for (int ow = lo; ow < hi; ++ow) out[ow * s.stride] += w[tap] * grad[ow];
    });
}

// taps[i·kw + j] += Σ_{oh,ow} dy_plane[oh, ow] · x_plane[oh·stride - pad + i·dil, ow·stride - pad + j·dil]
void backward_weight_plane(const Conv2dShape& s, const float* x, const float* dy, double* taps) {
    for_each_tap(s, [&](int oh, int tap, int64_t in_offset, int lo, int hi) {
        const float* grad = dy + int64_t(oh) * s.w_out;
        const float* in = x + in_offset;
        int stride = s.stride;
        taps[tap] += sum_in_order(hi - lo, [=](int64_t k) {
            int64_t ow = lo + k;
            return double(grad[ow]) * double(in[ow * stride]);
        });
    });
}

}  // namespace

void depthwise_forward(int threads, const Conv2dShape& s, const float* x, const float* w, float* y) {
    int64_t planes = int64_t(s.n) * s.c_out, hw_in = int64_t(s.h) * s.w, hw_out = int64_t(s.h_out) * s.w_out;
    int64_t taps = int64_t(s.kh) * s.kw;
    parallel_for(threads_for(planes * hw_out * taps, threads), planes, [&](int64_t p) {
        forward_plane(s, x + p * hw_in, w + (p % s.c_out) * taps, y + p * hw_out);
    });
}

void depthwise_backward_data(int threads, const Conv2dShape& s, const float* dy, const float* w, float* dx) {
    int64_t planes = int64_t(s.n) * s.c_in, hw_in = int64_t(s.h) * s.w, hw_out = int64_t(s.h_out) * s.w_out;
    int64_t taps = int64_t(s.kh) * s.kw;
    parallel_for(threads_for(planes * hw_out * taps, threads), planes, [&](int64_t p) {
        backward_data_plane(s, dy + p * hw_out, w + (p % s.c_in) * taps, dx + p * hw_in);
    });
}

void depthwise_backward_weight(int threads, const Conv2dShape& s, const float* x, const float* dy, float* dw) {
    int64_t hw_in = int64_t(s.h) * s.w, hw_out = int64_t(s.h_out) * s.w_out;
    int taps = s.kh * s.kw;
    parallel_for(threads_for(int64_t(s.n) * s.c_in * hw_out * taps, threads), s.c_in, [&](int c) {
        std::vector<double> sums(size_t(taps), 0.0);
        for (int sample = 0; sample < s.n; ++sample) {
            int64_t plane = int64_t(sample) * s.c_in + c;
            backward_weight_plane(s, x + plane * hw_in, dy + plane * hw_out, sums.data());
        }
        for (int t = 0; t < taps; ++t) dw[int64_t(c) * taps + t] = float(double(dw[int64_t(c) * taps + t]) + sums[t]);
    });
}

}  // namespace jnas::cpu
