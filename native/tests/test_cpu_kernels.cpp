// test_cpu_kernels.cpp — every CPU backend kernel against a plain double-precision reference written straight
// from the definition, plus thread-count determinism (bit-identical results for 1, 2 and 3 threads), memory
// and the Philox generator. CPU backend memory is host memory, so the kernels run on std::vector storage.
#define JNAS_TEST_MAIN
#include "check.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include <unistd.h>

#include "activation_reference.hpp"
#include "backend.hpp"
#include "cpu/block_cache.hpp"
#include "error.hpp"
#include "philox.hpp"

using jnas::Backend;
using jnas::BatchNormShape;
using jnas::ChannelBlock;
using jnas::Conv2dShape;
using jnas::PoolShape;
using tu::reference_activation;
namespace philox = jnas::philox;

namespace {

using Floats = std::vector<float>;
using Doubles = std::vector<double>;

std::unique_ptr<Backend> cpu(int threads) {
    auto backend = jnas::make_cpu_backend();
    backend->set_threads(threads);
    return backend;
}

Floats random_floats(size_t n, unsigned seed, float lo = -1.0f, float hi = 1.0f) {
    std::mt19937 gen(seed);
    std::uniform_real_distribution<float> dist(lo, hi);
    Floats v(n);
    for (float& x : v) x = dist(gen);
    return v;
}

Doubles to_doubles(const Floats& v) { return Doubles(v.begin(), v.end()); }

// Checks got[i] ≈ want[i] for all i; reports the count and the first mismatch under the label `what`.
void expect_close(const Floats& got, const Doubles& want, double rtol, double atol, const std::string& what) {
    if (got.size() != want.size()) {
        jnas_test::report(__FILE__, __LINE__, what + ": size mismatch");
        return;
    }
    size_t bad = 0, first = 0;
    for (size_t i = 0; i < got.size(); ++i) {
        if (!jnas_test::close(got[i], want[i], rtol, atol)) {
            if (bad++ == 0) first = i;
        }
    }
    if (bad > 0) {
        jnas_test::report(__FILE__, __LINE__,
                          what + ": " + std::to_string(bad) + " of " + std::to_string(got.size()) +
                              " differ, first at " + std::to_string(first) + ": " + std::to_string(got[first]) +
                              " vs " + std::to_string(want[first]));
    }
}

void expect_bits_equal(const Floats& a, const Floats& b, const std::string& what) {
    if (a.size() != b.size() || std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) != 0)
        jnas_test::report(__FILE__, __LINE__, what + ": results differ between thread counts");
}

// ---- convolution reference ------------------------------------------------------------------------------------

Conv2dShape conv_shape(int n, int c_in, int h, int w, int c_out, int kh, int kw, int stride, int pad, int dilation,
                       int groups) {
    int h_out = (h + 2 * pad - dilation * (kh - 1) - 1) / stride + 1;
    int w_out = (w + 2 * pad - dilation * (kw - 1) - 1) / stride + 1;
    return Conv2dShape{n, c_in, h, w, c_out, h_out, w_out, kh, kw, stride, pad, dilation, groups};
}

size_t x_size(const Conv2dShape& s) { return size_t(s.n) * s.c_in * s.h * s.w; }
size_t y_size(const Conv2dShape& s) { return size_t(s.n) * s.c_out * s.h_out * s.w_out; }
size_t w_size(const Conv2dShape& s) { return size_t(s.c_out) * (s.c_in / s.groups) * s.kh * s.kw; }

// Calls visit(x_index, w_index, y_index) for every (input, weight, output) triple the convolution multiplies.
template <typename Visit>
void for_each_conv_term(const Conv2dShape& s, Visit visit) {
    int cin_g = s.c_in / s.groups, cout_g = s.c_out / s.groups;
    for (int n = 0; n < s.n; ++n)
        for (int co = 0; co < s.c_out; ++co)
            for (int oh = 0; oh < s.h_out; ++oh)
                for (int ow = 0; ow < s.w_out; ++ow)
                    for (int cg = 0; cg < cin_g; ++cg)
                        for (int i = 0; i < s.kh; ++i)
                            for (int j = 0; j < s.kw; ++j) {
                                int ih = oh * s.stride - s.pad + i * s.dilation;
                                int iw = ow * s.stride - s.pad + j * s.dilation;
                                if (ih < 0 || ih >= s.h || iw < 0 || iw >= s.w) continue;
                                int ci = (co / cout_g) * cin_g + cg;
                                size_t xi = ((size_t(n) * s.c_in + ci) * s.h + ih) * s.w + iw;
                                size_t wi = ((size_t(co) * cin_g + cg) * s.kh + i) * s.kw + j;
                                size_t yi = ((size_t(n) * s.c_out + co) * s.h_out + oh) * s.w_out + ow;
                                visit(xi, wi, yi);
                            }
}

std::string describe(const Conv2dShape& s) {
    char text[160];
    std::snprintf(text, sizeof text, "conv n%d c%d->%d %dx%d k%dx%d s%d p%d d%d g%d", s.n, s.c_in, s.c_out, s.h,
                  s.w, s.kh, s.kw, s.stride, s.pad, s.dilation, s.groups);
    return text;
}

std::vector<Conv2dShape> conv_cases() {
    return {
        conv_shape(2, 3, 9, 11, 5, 3, 3, 1, 1, 1, 1),     // plain 3×3, odd sizes
        conv_shape(1, 4, 7, 7, 6, 3, 3, 2, 1, 1, 2),      // batch 1, stride 2, groups 2
        conv_shape(3, 6, 10, 8, 6, 3, 3, 1, 2, 2, 6),     // depthwise, dilation 2
        conv_shape(2, 8, 9, 9, 8, 5, 5, 2, 2, 1, 8),      // depthwise 5×5 stride 2
        conv_shape(1, 5, 6, 7, 5, 3, 3, 1, 1, 1, 5),      // depthwise, batch 1
        conv_shape(2, 5, 6, 7, 4, 1, 1, 1, 0, 1, 1),      // pointwise (GEMM on the input directly)
        conv_shape(1, 4, 8, 8, 8, 1, 1, 2, 0, 1, 2),      // 1×1 stride 2 grouped (needs im2col)
        conv_shape(3, 4, 5, 6, 4, 3, 1, 1, 1, 1, 1),      // non-square kernel
        conv_shape(1, 2, 3, 3, 3, 5, 5, 1, 2, 1, 1),      // kernel as large as the padded input
        conv_shape(2, 6, 7, 7, 12, 3, 3, 1, 1, 1, 6),     // groups == c_in but two filters each: not depthwise
        conv_shape(17, 4, 6, 6, 4, 3, 3, 1, 1, 1, 1),     // more samples than weight-gradient blocks
        conv_shape(2, 3, 32, 32, 16, 3, 3, 1, 1, 1, 1),   // NB201 stem
        conv_shape(2, 4, 9, 9, 6, 3, 3, 1, 2, 2, 1),      // dense, dilation 2 (backward data: the adjoint conv)
        conv_shape(2, 3, 8, 7, 4, 3, 3, 1, 0, 1, 1),      // no padding: the adjoint pads by 2
        conv_shape(1, 2, 5, 5, 3, 3, 3, 1, 3, 1, 1),      // padding past the kernel: the adjoint crops dy
        // The few-channel direct kernel's blocks: 16 columns with a partial last one, rows 4 + 4 + 2, dilation 2
        // on the unrolled 3-wide taps; a plane of 8 columns; a generic 5×2 kernel with groups.
        conv_shape(2, 3, 10, 20, 4, 3, 3, 1, 2, 2, 1),
        conv_shape(3, 5, 8, 8, 7, 3, 3, 1, 1, 1, 1),
        conv_shape(2, 4, 9, 6, 6, 5, 2, 1, 1, 1, 2),
        // Past kFewChannels: im2col + GEMM, dense and dilated.
        conv_shape(2, 20, 6, 7, 18, 3, 3, 1, 1, 1, 1),
        conv_shape(1, 17, 9, 9, 5, 3, 3, 1, 2, 2, 1),
    };
}

TEST_CASE("conv2d forward, backward data and backward weight match the reference") {
    auto backend = cpu(2);
    unsigned seed = 1;
    for (const Conv2dShape& s : conv_cases()) {
        Floats x = random_floats(x_size(s), seed++), w = random_floats(w_size(s), seed++);
        Floats dy = random_floats(y_size(s), seed++);
        Floats dx0 = random_floats(x_size(s), seed++), dw0 = random_floats(w_size(s), seed++);

        Doubles y_ref(y_size(s), 0.0), dx_ref = to_doubles(dx0), dw_ref = to_doubles(dw0);
        for_each_conv_term(s, [&](size_t xi, size_t wi, size_t yi) {
            y_ref[yi] += double(x[xi]) * w[wi];
            dx_ref[xi] += double(w[wi]) * dy[yi];
            dw_ref[wi] += double(x[xi]) * dy[yi];
        });

        Floats y(y_size(s), std::nanf("")), dx = dx0, dw = dw0;  // forward overwrites, backward adds
        backend->conv2d_forward(s, x.data(), w.data(), y.data());
        backend->conv2d_backward_data(s, dy.data(), w.data(), dx.data());
        backend->conv2d_backward_weight(s, x.data(), dy.data(), dw.data());
        expect_close(y, y_ref, 1e-4, 1e-4, describe(s) + " forward");
        expect_close(dx, dx_ref, 1e-4, 1e-4, describe(s) + " backward data");
        expect_close(dw, dw_ref, 1e-4, 1e-3, describe(s) + " backward weight");
    }
}

// ---- GEMM -------------------------------------------------------------------------------------------------------

void check_gemm(Backend& backend, int m, int n, int k, bool ta, bool tb) {
    const int pad = 3;
    int a_rows = ta ? k : m, a_cols = ta ? m : k, b_rows = tb ? n : k, b_cols = tb ? k : n;
    int lda = a_cols + pad, ldb = b_cols + pad, ldc = n + pad;
    Floats a = random_floats(size_t(a_rows) * lda, 11), b = random_floats(size_t(b_rows) * ldb, 12);
    Floats c = random_floats(size_t(m) * ldc, 13);
    Doubles want = to_doubles(c);
    for (int i = 0; i < m; ++i)
        for (int j = 0; j < n; ++j) {
            double acc = 0.0;
            for (int p = 0; p < k; ++p) {
                double av = ta ? a[size_t(p) * lda + i] : a[size_t(i) * lda + p];
                double bv = tb ? b[size_t(j) * ldb + p] : b[size_t(p) * ldb + j];
                acc += av * bv;
            }
            want[size_t(i) * ldc + j] = 0.5 * acc + 2.0 * c[size_t(i) * ldc + j];
        }
    backend.gemm(ta, tb, m, n, k, 0.5f, a.data(), lda, b.data(), ldb, 2.0f, c.data(), ldc);
    char what[96];
    std::snprintf(what, sizeof what, "gemm %dx%dx%d ta=%d tb=%d", m, n, k, int(ta), int(tb));
    expect_close(c, want, 1e-4, 1e-4, what);
}

TEST_CASE("gemm matches the reference: transpositions, padded leading dimensions, tiles, split depth") {
    auto backend = cpu(2);
    for (bool ta : {false, true}) {
        for (bool tb : {false, true}) {
            check_gemm(*backend, 37, 29, 53, ta, tb);    // one tile
            check_gemm(*backend, 300, 257, 515, ta, tb);  // several row and column tiles
        }
    }
    check_gemm(*backend, 20, 24, 70001, false, true);  // a Gram-like product: K split into depth tiles
    check_gemm(*backend, 8, 5, 0, false, false);       // empty K: C = beta·C
}

// ---- elementwise and reductions ------------------------------------------------------------------------------------

TEST_CASE("axpy, axpy_dev, scale, biases and reductions match the reference") {
    auto backend = cpu(2);
    const int rows = 7, cols = 300, n = 3, c = 5, hw = 11;
    const int64_t len = 100003;
    Floats x = random_floats(len, 21), y = random_floats(len, 22);

    Doubles want(len);
    for (int64_t i = 0; i < len; ++i) want[i] = y[i] + 0.75 * x[i];
    Floats got = y;
    backend->axpy(len, 0.75f, x.data(), got.data());
    expect_close(got, want, 1e-6, 1e-6, "axpy");

    float alpha_dev = -1.5f;
    for (int64_t i = 0; i < len; ++i) want[i] = y[i] - 1.5 * x[i];
    got = y;
    backend->axpy_dev(len, &alpha_dev, x.data(), got.data());
    expect_close(got, want, 1e-6, 1e-6, "axpy_dev");

    for (int64_t i = 0; i < len; ++i) want[i] = 3.0 * x[i];
    backend->scale(len, 3.0f, x.data(), got.data());
    expect_close(got, want, 1e-6, 0, "scale");

    float dot = 0.25f;
    double dot_want = 0.25;
    for (int64_t i = 0; i < len; ++i) dot_want += double(x[i]) * y[i];
    backend->dot_accumulate(len, x.data(), y.data(), &dot);
    CHECK_CLOSE(dot, dot_want, 1e-6, 1e-5);

    Floats mat = random_floats(size_t(rows) * cols, 23), bias = random_floats(cols, 24);
    Doubles mat_want(mat.size());
    for (int r = 0; r < rows; ++r)
        for (int j = 0; j < cols; ++j) mat_want[size_t(r) * cols + j] = double(mat[size_t(r) * cols + j]) + bias[j];
    Floats mat_got = mat;
    backend->add_row_bias(rows, cols, bias.data(), mat_got.data());
    expect_close(mat_got, mat_want, 1e-6, 1e-6, "add_row_bias");

    Doubles db_want = to_doubles(bias);
    for (int r = 0; r < rows; ++r)
        for (int j = 0; j < cols; ++j) db_want[j] += mat[size_t(r) * cols + j];
    Floats db = bias;
    backend->sum_rows(rows, cols, mat.data(), db.data());
    expect_close(db, db_want, 1e-6, 1e-6, "sum_rows");

    Floats t = random_floats(size_t(n) * c * hw, 25), cb = random_floats(c, 26);
    Doubles t_want(t.size()), cb_want = to_doubles(cb);
    for (int s = 0; s < n; ++s)
        for (int ch = 0; ch < c; ++ch)
            for (int i = 0; i < hw; ++i) {
                size_t idx = (size_t(s) * c + ch) * hw + i;
                t_want[idx] = double(t[idx]) + cb[ch];
                cb_want[ch] += t[idx];
            }
    Floats t_got = t, cb_got = cb;
    backend->add_channel_bias(n, c, hw, cb.data(), t_got.data());
    expect_close(t_got, t_want, 1e-6, 1e-6, "add_channel_bias");
    backend->sum_channels(n, c, hw, t.data(), cb_got.data());
    expect_close(cb_got, cb_want, 1e-6, 1e-6, "sum_channels");
}

double reference_derivative(jnas_activation kind, double v) {
    switch (kind) {
        case JNAS_ACT_RELU: return v > 0 ? 1 : 0;
        case JNAS_ACT_RELU6: return v > 0 && v < 6 ? 1 : 0;
        case JNAS_ACT_HSWISH: return v < -3 ? 0 : v > 3 ? 1 : (2 * v + 3) / 6;
        case JNAS_ACT_SIGMOID:
        case JNAS_ACT_SWISH:
        case JNAS_ACT_GELU: {  // central difference of the double reference: these are smooth
            const double h = 1e-5;
            return (reference_activation(kind, v + h) - reference_activation(kind, v - h)) / (2 * h);
        }
    }
    return 0;
}

TEST_CASE("activations and their derivatives, including the kinks") {
    auto backend = cpu(2);
    Floats x = random_floats(40000, 31, -8.0f, 8.0f);
    const float kinks[] = {-3.0f, 3.0f, 0.0f, 6.0f, -0.0f, 2.5f, -4.0f, 7.0f};
    std::copy(std::begin(kinks), std::end(kinks), x.begin());
    Floats dy = random_floats(x.size(), 32), dx0 = random_floats(x.size(), 33);
    for (jnas_activation kind :
         {JNAS_ACT_RELU, JNAS_ACT_RELU6, JNAS_ACT_HSWISH, JNAS_ACT_SIGMOID, JNAS_ACT_SWISH, JNAS_ACT_GELU}) {
        Doubles y_want(x.size()), dx_want(x.size());
        for (size_t i = 0; i < x.size(); ++i) {
            y_want[i] = reference_activation(kind, x[i]);
            dx_want[i] = dx0[i] + reference_derivative(kind, x[i]) * dy[i];
        }
        Floats y(x.size()), dx = dx0;
        backend->activation_forward(kind, int64_t(x.size()), x.data(), y.data());
        backend->activation_backward(kind, int64_t(x.size()), x.data(), dy.data(), dx.data());
        expect_close(y, y_want, 1e-6, 1e-6, "activation forward " + std::to_string(kind));
        expect_close(dx, dx_want, 1e-6, 1e-6, "activation backward " + std::to_string(kind));
    }
}

// f'(x)² and f''(x) as the Hessian kernel computes them (hx += f'²·hy + f''·gy), read out with (hy, gy) = (1, 0)
// and (0, 1) on a zeroed hx.
struct KernelDerivatives {
    Floats slope_squared, bend;
};
KernelDerivatives hessian_kernel_derivatives(Backend& backend, jnas_activation kind, const Floats& x) {
    const int64_t n = int64_t(x.size());
    Floats ones(x.size(), 1.0f), zeros(x.size(), 0.0f);
    KernelDerivatives d{Floats(x.size(), 0.0f), Floats(x.size(), 0.0f)};
    backend.activation_hessian_backward(kind, n, x.data(), ones.data(), zeros.data(), d.slope_squared.data());
    backend.activation_hessian_backward(kind, n, x.data(), zeros.data(), ones.data(), d.bend.data());
    return d;
}

// Whether v lies within `margin` of a kink of kind, where f' jumps and differences say nothing.
bool near_kink(jnas_activation kind, double v, double margin) {
    switch (kind) {
        case JNAS_ACT_RELU: return std::fabs(v) < margin;
        case JNAS_ACT_RELU6: return std::fabs(v) < margin || std::fabs(v - 6) < margin;
        case JNAS_ACT_HSWISH: return std::fabs(v + 3) < margin || std::fabs(v - 3) < margin;
        default: return false;
    }
}

const jnas_activation kAllActivations[] = {JNAS_ACT_RELU,    JNAS_ACT_RELU6, JNAS_ACT_HSWISH,
                                           JNAS_ACT_SIGMOID, JNAS_ACT_SWISH, JNAS_ACT_GELU};

// Against the double reference: central differences with h = 1e-3 are accurate to ~1e-7 (truncation h²/12·f⁗,
// rounding 1e-16/h²), so the float kernel's own rounding (~1e-7 relative) sets the tolerance.
TEST_CASE("activation Hessian kernel: f'² and f'' match central differences of the double reference") {
    auto backend = cpu(2);
    Floats x = random_floats(40000, 34, -8.0f, 8.0f);
    for (jnas_activation kind : kAllActivations) {
        KernelDerivatives d = hessian_kernel_derivatives(*backend, kind, x);
        const double h = 1e-3;
        Doubles square_want, bend_want;
        Floats square_got, bend_got;
        for (size_t i = 0; i < x.size(); ++i) {
            if (near_kink(kind, x[i], 2 * h)) continue;
            double plus = reference_activation(kind, x[i] + h), minus = reference_activation(kind, x[i] - h);
            double slope = (plus - minus) / (2 * h);
            square_want.push_back(slope * slope);
            bend_want.push_back((plus - 2 * reference_activation(kind, x[i]) + minus) / (h * h));
            square_got.push_back(d.slope_squared[i]);
            bend_got.push_back(d.bend[i]);
        }
        expect_close(square_got, square_want, 1e-5, 1e-6, "f'² of activation " + std::to_string(kind));
        expect_close(bend_got, bend_want, 1e-5, 1e-6, "f'' of activation " + std::to_string(kind));
    }
}

// Against the float forward kernel itself at x ± h, h = 1/32 (x ± h exact for |x| < 4): the kernel differentiates
// the forward jnas runs. Forward rounding (<= 2⁻²²·|f| per value, |f| < 4) bounds the second difference's error
// by 4·2⁻²²·4/h² ≈ 4e-3 and the first's by 2⁻²¹·4/(2h) ≈ 6e-5; truncation adds h²/12·|f⁗| and h²/6·|f‴|
// (< 3e-4 here). An f'' formula off by a few percent of its range (0.1 for sigmoid, 0.8 for gelu) fails.
TEST_CASE("activation Hessian kernel: f'² and f'' match central differences of the float forward kernel") {
    auto backend = cpu(2);
    const float h = 1.0f / 32;
    Floats x = random_floats(20000, 35, -3.9f, 3.9f);
    for (float& v : x) v = std::round(v * 1024.0f) / 1024.0f;  // multiples of 2⁻¹⁰: x ± h and x are exact
    Floats plus(x.size()), minus(x.size());
    for (size_t i = 0; i < x.size(); ++i) plus[i] = x[i] + h, minus[i] = x[i] - h;
    const int64_t n = int64_t(x.size());
    for (jnas_activation kind : kAllActivations) {
        KernelDerivatives d = hessian_kernel_derivatives(*backend, kind, x);
        Floats f(x.size()), f_plus(x.size()), f_minus(x.size());
        backend->activation_forward(kind, n, x.data(), f.data());
        backend->activation_forward(kind, n, plus.data(), f_plus.data());
        backend->activation_forward(kind, n, minus.data(), f_minus.data());
        double worst_square = 0, worst_bend = 0;
        for (size_t i = 0; i < x.size(); ++i) {
            if (near_kink(kind, x[i], 2 * h)) continue;
            double slope = (double(f_plus[i]) - f_minus[i]) / (2.0 * h);
            double bend = (double(f_plus[i]) - 2.0 * f[i] + f_minus[i]) / (double(h) * h);
            worst_square = std::max(worst_square, std::fabs(d.slope_squared[i] - slope * slope));
            worst_bend = std::max(worst_bend, std::fabs(d.bend[i] - bend));
        }
        std::printf("  activation %d: max |f'² - difference| %.3g, max |f'' - difference| %.3g\n", int(kind),
                    worst_square, worst_bend);
        CHECK(worst_square <= 1e-3);
        CHECK(worst_bend <= 5e-3);
    }
}

// The kinks, by PyTorch's choices for f' (see activation_backward) and f'' = 0 there (hswish's 1/3 only inside
// (-3, 3)); the accumulation
// hx += f'²·hy + f''·gy on random values; and relu / relu6 reading no gy (nullptr).
TEST_CASE("activation Hessian kernel: kinks, accumulation, no gradient for relu and relu6") {
    auto backend = cpu(2);
    const Floats kinks = {0.0f, 6.0f, -3.0f, 3.0f};
    struct Want { jnas_activation kind; float square[4], bend[4]; };
    const Want wants[] = {{JNAS_ACT_RELU, {0, 1, 0, 1}, {0, 0, 0, 0}},
                          {JNAS_ACT_RELU6, {0, 0, 0, 1}, {0, 0, 0, 0}},
                          {JNAS_ACT_HSWISH, {0.25f, 1, 0.25f, 2.25f}, {1.0f / 3, 0, 0, 0}}};
    for (const Want& w : wants) {
        KernelDerivatives d = hessian_kernel_derivatives(*backend, w.kind, kinks);
        for (size_t i = 0; i < kinks.size(); ++i) {
            CHECK(d.slope_squared[i] == w.square[i]);
            CHECK(d.bend[i] == w.bend[i]);
        }
    }
    Floats x = random_floats(5000, 36, -8.0f, 8.0f), hy = random_floats(x.size(), 37, 0.0f, 2.0f);
    Floats gy = random_floats(x.size(), 38), hx0 = random_floats(x.size(), 39);
    for (jnas_activation kind : kAllActivations) {
        KernelDerivatives d = hessian_kernel_derivatives(*backend, kind, x);
        Doubles want(x.size());
        for (size_t i = 0; i < x.size(); ++i)
            want[i] = hx0[i] + double(d.slope_squared[i]) * hy[i] + double(d.bend[i]) * gy[i];
        Floats hx = hx0;
        bool flat = kind == JNAS_ACT_RELU || kind == JNAS_ACT_RELU6;
        backend->activation_hessian_backward(kind, int64_t(x.size()), x.data(), hy.data(),
                                             flat ? nullptr : gy.data(), hx.data());
        expect_close(hx, want, 1e-6, 1e-6, "activation Hessian accumulation " + std::to_string(kind));
    }
}

TEST_CASE("copy_channels copies and accumulates a channel block") {
    auto backend = cpu(2);
    ChannelBlock b{3, 10, 5, 1, 7, 4, 3};  // src [3, 5, 10] channels 1..3 -> dst [3, 7, 10] channels 4..6
    Floats src = random_floats(size_t(3) * 5 * 10, 41), dst = random_floats(size_t(3) * 7 * 10, 42);
    for (bool accumulate : {false, true}) {
        Doubles want = to_doubles(dst);
        for (int s = 0; s < b.n; ++s)
            for (int ch = 0; ch < b.count; ++ch)
                for (int i = 0; i < b.hw; ++i) {
                    double v = src[(size_t(s) * b.src_channels + b.src_offset + ch) * b.hw + i];
                    double& d = want[(size_t(s) * b.dst_channels + b.dst_offset + ch) * b.hw + i];
                    d = accumulate ? d + v : v;
                }
        Floats got = dst;
        backend->copy_channels(b, src.data(), got.data(), accumulate);
        expect_close(got, want, 1e-6, 1e-6, accumulate ? "copy_channels accumulate" : "copy_channels copy");
    }
}

// ---- batch norm -----------------------------------------------------------------------------------------------------

struct BnReference {
    Doubles mean, var, y;  // biased batch variance
};

BnReference reference_bn_forward(const BatchNormShape& s, const Floats& x, const Floats* gamma, const Floats* beta) {
    BnReference r{Doubles(s.c, 0.0), Doubles(s.c, 0.0), Doubles(x.size())};
    double count = double(s.n) * s.hw;
    auto at = [&](int n, int c, int i) { return (size_t(n) * s.c + c) * s.hw + i; };
    for (int c = 0; c < s.c; ++c) {
        for (int n = 0; n < s.n; ++n)
            for (int i = 0; i < s.hw; ++i) r.mean[c] += x[at(n, c, i)] / count;
        for (int n = 0; n < s.n; ++n)
            for (int i = 0; i < s.hw; ++i) r.var[c] += std::pow(x[at(n, c, i)] - r.mean[c], 2) / count;
        for (int n = 0; n < s.n; ++n)
            for (int i = 0; i < s.hw; ++i) {
                double xhat = (x[at(n, c, i)] - r.mean[c]) / std::sqrt(r.var[c] + s.eps);
                r.y[at(n, c, i)] = xhat * (gamma ? (*gamma)[c] : 1.0) + (beta ? (*beta)[c] : 0.0);
            }
    }
    return r;
}

TEST_CASE("batch norm train forward: output, saved statistics and running statistics") {
    auto backend = cpu(2);
    for (BatchNormShape s : {BatchNormShape{4, 3, 10, 1e-5f}, BatchNormShape{1, 5, 7, 1e-3f},
                             BatchNormShape{9, 2, 1, 1e-5f}}) {
        Floats x = random_floats(size_t(s.n) * s.c * s.hw, 51, -2.0f, 3.0f);
        Floats gamma = random_floats(s.c, 52), beta = random_floats(s.c, 53);
        Floats running_mean = random_floats(s.c, 54), running_var = random_floats(s.c, 55, 0.5f, 2.0f);
        for (bool affine : {true, false}) {
            BnReference ref = reference_bn_forward(s, x, affine ? &gamma : nullptr, affine ? &beta : nullptr);
            const double momentum = 0.1, count = double(s.n) * s.hw;
            Doubles rm_want(s.c), rv_want(s.c), invstd_want(s.c);
            for (int c = 0; c < s.c; ++c) {
                rm_want[c] = 0.9 * running_mean[c] + momentum * ref.mean[c];
                rv_want[c] = 0.9 * running_var[c] + momentum * ref.var[c] * count / (count - 1);
                invstd_want[c] = 1.0 / std::sqrt(ref.var[c] + s.eps);
            }
            Floats y(x.size()), save_mean(s.c), save_invstd(s.c), rm = running_mean, rv = running_var;
            backend->batch_norm_forward_train(s, x.data(), affine ? gamma.data() : nullptr,
                                              affine ? beta.data() : nullptr, float(momentum), rm.data(), rv.data(),
                                              save_mean.data(), save_invstd.data(), y.data());
            expect_close(y, ref.y, 1e-4, 1e-5, "bn train y");
            expect_close(save_mean, ref.mean, 1e-5, 1e-6, "bn save_mean");
            expect_close(save_invstd, invstd_want, 1e-5, 1e-6, "bn save_invstd");
            expect_close(rm, rm_want, 1e-5, 1e-6, "bn running_mean");
            expect_close(rv, rv_want, 1e-5, 1e-6, "bn running_var");

            // Running statistics are optional.
            Floats y2(x.size());
            backend->batch_norm_forward_train(s, x.data(), affine ? gamma.data() : nullptr,
                                              affine ? beta.data() : nullptr, 0.1f, nullptr, nullptr,
                                              save_mean.data(), save_invstd.data(), y2.data());
            expect_close(y2, ref.y, 1e-4, 1e-5, "bn train y without running stats");
        }
    }
}

TEST_CASE("batch norm eval forward uses the running statistics") {
    auto backend = cpu(2);
    BatchNormShape s{3, 4, 6, 1e-5f};
    Floats x = random_floats(size_t(s.n) * s.c * s.hw, 61), gamma = random_floats(s.c, 62),
           beta = random_floats(s.c, 63);
    Floats rm = random_floats(s.c, 64), rv = random_floats(s.c, 65, 0.5f, 2.0f);
    Doubles y_want(x.size()), invstd_want(s.c);
    for (int c = 0; c < s.c; ++c) invstd_want[c] = 1.0 / std::sqrt(double(rv[c]) + s.eps);
    for (int n = 0; n < s.n; ++n)
        for (int c = 0; c < s.c; ++c)
            for (int i = 0; i < s.hw; ++i) {
                size_t idx = (size_t(n) * s.c + c) * s.hw + i;
                y_want[idx] = (x[idx] - rm[c]) * invstd_want[c] * gamma[c] + beta[c];
            }
    Floats y(x.size()), save_mean(s.c), save_invstd(s.c);
    backend->batch_norm_forward_eval(s, x.data(), gamma.data(), beta.data(), rm.data(), rv.data(),
                                     save_mean.data(), save_invstd.data(), y.data());
    expect_close(y, y_want, 1e-5, 1e-5, "bn eval y");
    expect_close(save_mean, to_doubles(rm), 0, 0, "bn eval save_mean");
    expect_close(save_invstd, invstd_want, 1e-6, 1e-7, "bn eval save_invstd");
}

// Reference backward, from the definition: with statistics constant (train = false) dx = gamma·invstd·dy;
// with batch statistics (train = true) the closed form of d/dx of x̂ = (x - mean(x))/sqrt(var(x) + eps).
struct BnGrads {
    Doubles dx, dgamma, dbeta;
};

BnGrads reference_bn_backward(const BatchNormShape& s, bool train, const Floats& x, const Floats& dy,
                              const Doubles& gamma, const Doubles& mean, const Doubles& invstd) {
    BnGrads g{Doubles(x.size(), 0.0), Doubles(s.c, 0.0), Doubles(s.c, 0.0)};
    double count = double(s.n) * s.hw;
    auto at = [&](int n, int c, int i) { return (size_t(n) * s.c + c) * s.hw + i; };
    for (int c = 0; c < s.c; ++c) {
        double sum_dy = 0, sum_dy_xhat = 0;
        for (int n = 0; n < s.n; ++n)
            for (int i = 0; i < s.hw; ++i) {
                double xhat = (x[at(n, c, i)] - mean[c]) * invstd[c];
                sum_dy += dy[at(n, c, i)];
                sum_dy_xhat += dy[at(n, c, i)] * xhat;
            }
        g.dbeta[c] = sum_dy;
        g.dgamma[c] = sum_dy_xhat;
        for (int n = 0; n < s.n; ++n)
            for (int i = 0; i < s.hw; ++i) {
                double xhat = (x[at(n, c, i)] - mean[c]) * invstd[c];
                double d = dy[at(n, c, i)];
                if (train) d -= sum_dy / count + xhat * sum_dy_xhat / count;
                g.dx[at(n, c, i)] = gamma[c] * invstd[c] * d;
            }
    }
    return g;
}

TEST_CASE("batch norm train-mode reference backward agrees with finite differences") {
    BatchNormShape s{2, 2, 3, 1e-5f};
    Floats x = random_floats(12, 71), dy = random_floats(12, 72);
    Doubles gamma{1.5, -0.5};
    // L(x) = Σ dy · bn(x), in double; dL/dx by central differences vs the closed form.
    auto loss = [&](const Doubles& xd) {
        Floats xf(xd.begin(), xd.end());
        BnReference r = reference_bn_forward(s, xf, nullptr, nullptr);
        double total = 0;
        for (size_t i = 0; i < xd.size(); ++i) total += dy[i] * r.y[i] * gamma[(i / s.hw) % s.c];
        return total;
    };
    BnReference r = reference_bn_forward(s, x, nullptr, nullptr);
    Doubles invstd(s.c);
    for (int c = 0; c < s.c; ++c) invstd[c] = 1.0 / std::sqrt(r.var[c] + s.eps);
    BnGrads g = reference_bn_backward(s, true, x, dy, gamma, r.mean, invstd);
    // x holds floats, so perturb by a float-exact step and evaluate in double.
    for (size_t i = 0; i < x.size(); ++i) {
        const double h = 1.0 / 1024;
        Doubles plus = to_doubles(x), minus = to_doubles(x);
        plus[i] += h;
        minus[i] -= h;
        CHECK_CLOSE(g.dx[i], (loss(plus) - loss(minus)) / (2 * h), 1e-3, 1e-3);
    }
}

TEST_CASE("batch norm backward (train and statistics-constant, dy scaled) matches the reference and accumulates") {
    auto backend = cpu(2);
    for (BatchNormShape s : {BatchNormShape{4, 3, 10, 1e-5f}, BatchNormShape{1, 2, 9, 1e-5f}}) {
        size_t size = size_t(s.n) * s.c * s.hw;
        Floats x = random_floats(size, 81, -2.0f, 3.0f), dy = random_floats(size, 82);
        Floats gamma = random_floats(s.c, 83), beta = random_floats(s.c, 84);
        Floats y(size), save_mean(s.c), save_invstd(s.c);
        backend->batch_norm_forward_train(s, x.data(), gamma.data(), beta.data(), 0.1f, nullptr, nullptr,
                                          save_mean.data(), save_invstd.data(), y.data());
        for (auto [train, affine, dy_scale] : {std::tuple{true, true, 1.0f}, {true, false, 1.0f}, {false, true, 1.0f},
                                           {false, false, 1.0f}, {true, true, -0.375f}, {false, true, 0.25f}}) {
            Doubles gamma_d = affine ? to_doubles(gamma) : Doubles(s.c, 1.0);
            Floats scaled_dy = dy;  // the gradient the scaled call stands for (dy_scale is a power of 2 or 3/8)
            for (float& v : scaled_dy) v *= dy_scale;
            BnGrads ref = reference_bn_backward(s, train, x, scaled_dy, gamma_d, to_doubles(save_mean),
                                                to_doubles(save_invstd));
            Floats dx0 = random_floats(size, 85), dg0 = random_floats(s.c, 86), db0 = random_floats(s.c, 87);
            Doubles dx_want = to_doubles(dx0), dg_want = to_doubles(dg0), db_want = to_doubles(db0);
            for (size_t i = 0; i < size; ++i) dx_want[i] += ref.dx[i];
            for (int c = 0; c < s.c; ++c) {
                dg_want[c] += ref.dgamma[c];
                db_want[c] += ref.dbeta[c];
            }
            Floats dx = dx0, dg = dg0, db = db0;
            backend->batch_norm_backward(s, train, x.data(), dy.data(), dy_scale, affine ? gamma.data() : nullptr,
                                         save_mean.data(), save_invstd.data(), dx.data(),
                                         affine ? dg.data() : nullptr, affine ? db.data() : nullptr);
            std::string what = std::string("bn backward ") + (train ? "train" : "frozen") + " dy_scale " +
                               std::to_string(dy_scale);
            expect_close(dx, dx_want, 1e-4, 1e-4, what + " dx");
            if (affine) {
                expect_close(dg, dg_want, 1e-4, 1e-4, what + " dgamma");
                expect_close(db, db_want, 1e-4, 1e-4, what + " dbeta");
            }
        }
        // Only parameter gradients wanted.
        Floats dg(s.c, 0.0f);
        backend->batch_norm_backward(s, true, x.data(), dy.data(), 1.0f, gamma.data(), save_mean.data(),
                                     save_invstd.data(), nullptr, dg.data(), nullptr);
        BnGrads ref = reference_bn_backward(s, true, x, dy, to_doubles(gamma), to_doubles(save_mean),
                                            to_doubles(save_invstd));
        expect_close(dg, ref.dgamma, 1e-4, 1e-4, "bn backward dgamma alone");
    }
}

// ---- pooling --------------------------------------------------------------------------------------------------------

PoolShape pool_shape(int n, int c, int h, int w, int kernel, int stride, int pad, bool include_pad) {
    return PoolShape{n, c, h, w, (h + 2 * pad - kernel) / stride + 1, (w + 2 * pad - kernel) / stride + 1,
                     kernel, stride, pad, include_pad};
}

std::vector<PoolShape> pool_cases() {
    std::vector<PoolShape> all;
    for (bool include_pad : {true, false}) {
        all.push_back(pool_shape(2, 3, 8, 8, 3, 1, 1, include_pad));   // NB201 avg_pool_3x3
        all.push_back(pool_shape(1, 2, 7, 9, 2, 2, 0, include_pad));   // odd sizes, no padding
        all.push_back(pool_shape(2, 2, 9, 7, 3, 2, 1, include_pad));   // stride 2 with padding
        all.push_back(pool_shape(1, 1, 5, 5, 5, 1, 2, include_pad));   // window larger than the border
        all.push_back(pool_shape(1, 2, 6, 11, 3, 1, 0, include_pad));  // stride 1 without padding: a smaller output
        all.push_back(pool_shape(2, 1, 4, 7, 2, 1, 1, include_pad));   // stride 1, even kernel: a larger output
    }
    return all;
}

// The window of output (oh, ow): positions inside the padded border counted by pad_count, real ones visited.
template <typename Visit>
void for_each_window_position(const PoolShape& s, int oh, int ow, int* padded_count, Visit visit) {
    *padded_count = 0;
    for (int i = 0; i < s.kernel; ++i)
        for (int j = 0; j < s.kernel; ++j) {
            int ih = oh * s.stride - s.pad + i, iw = ow * s.stride - s.pad + j;
            if (ih >= -s.pad && ih < s.h + s.pad && iw >= -s.pad && iw < s.w + s.pad) ++*padded_count;
            if (ih >= 0 && ih < s.h && iw >= 0 && iw < s.w) visit(ih * s.w + iw);
        }
}

TEST_CASE("avg pool forward and backward (dy scaled) with and without count_include_pad") {
    auto backend = cpu(2);
    for (const PoolShape& s : pool_cases()) {
        const float dy_scale = s.count_include_pad ? 1.0f : -0.625f;
        size_t in_size = size_t(s.n) * s.c * s.h * s.w, out_size = size_t(s.n) * s.c * s.h_out * s.w_out;
        Floats x = random_floats(in_size, 91), dy = random_floats(out_size, 92), dx0 = random_floats(in_size, 93);
        Doubles y_want(out_size), dx_want = to_doubles(dx0);
        for (int p = 0; p < s.n * s.c; ++p)
            for (int oh = 0; oh < s.h_out; ++oh)
                for (int ow = 0; ow < s.w_out; ++ow) {
                    size_t o = (size_t(p) * s.h_out + oh) * s.w_out + ow;
                    double total = 0;
                    int real = 0, padded = 0;
                    for_each_window_position(s, oh, ow, &padded, [&](int idx) {
                        total += x[size_t(p) * s.h * s.w + idx];
                        ++real;
                    });
                    int divisor = s.count_include_pad ? padded : real;
                    y_want[o] = total / divisor;
                    for_each_window_position(s, oh, ow, &padded, [&](int idx) {
                        dx_want[size_t(p) * s.h * s.w + idx] += double(dy[o]) * dy_scale / divisor;
                    });
                }
        Floats y(out_size), dx = dx0;
        backend->avg_pool_forward(s, x.data(), y.data());
        backend->avg_pool_backward(s, dy.data(), dy_scale, dx.data());
        std::string what = "avg pool k" + std::to_string(s.kernel) + " s" + std::to_string(s.stride) + " p" +
                           std::to_string(s.pad) + (s.count_include_pad ? " incl" : " excl");
        expect_close(y, y_want, 1e-5, 1e-6, what + " forward");
        expect_close(dx, dx_want, 1e-5, 1e-6, what + " backward");
    }
}

TEST_CASE("max pool: first maximum wins, padding never wins, gradient to the argmax") {
    auto backend = cpu(2);
    for (const PoolShape& s : pool_cases()) {
        if (!s.count_include_pad) continue;  // the flag means nothing to max pooling
        size_t in_size = size_t(s.n) * s.c * s.h * s.w, out_size = size_t(s.n) * s.c * s.h_out * s.w_out;
        // Few distinct values, all negative: many ties, and a padded zero would win if padding counted.
        Floats x(in_size);
        std::mt19937 gen(101);
        for (float& v : x) v = -float(gen() % 3 + 1);
        Floats dy = random_floats(out_size, 102), dx0 = random_floats(in_size, 103);
        Doubles y_want(out_size), dx_want = to_doubles(dx0);
        std::vector<int32_t> argmax_want(out_size);
        for (int p = 0; p < s.n * s.c; ++p)
            for (int oh = 0; oh < s.h_out; ++oh)
                for (int ow = 0; ow < s.w_out; ++ow) {
                    size_t o = (size_t(p) * s.h_out + oh) * s.w_out + ow;
                    double best = -std::numeric_limits<double>::infinity();
                    int best_idx = -1, padded = 0;
                    for_each_window_position(s, oh, ow, &padded, [&](int idx) {
                        if (x[size_t(p) * s.h * s.w + idx] > best) {
                            best = x[size_t(p) * s.h * s.w + idx];
                            best_idx = idx;
                        }
                    });
                    y_want[o] = best;
                    argmax_want[o] = best_idx;
                    dx_want[size_t(p) * s.h * s.w + best_idx] += dy[o];
                }
        Floats y(out_size), dx = dx0;
        std::vector<int32_t> argmax(out_size, -7);
        backend->max_pool_forward(s, x.data(), y.data(), argmax.data());
        backend->max_pool_backward(s, dy.data(), argmax.data(), dx.data());
        expect_close(y, y_want, 0, 0, "max pool forward");
        CHECK(argmax == argmax_want);
        expect_close(dx, dx_want, 1e-6, 1e-6, "max pool backward");
    }
}

TEST_CASE("global avg pool forward and backward") {
    auto backend = cpu(2);
    const int n = 3, c = 4, hw = 49;
    Floats x = random_floats(size_t(n) * c * hw, 111), dy = random_floats(size_t(n) * c, 112);
    Floats dx0 = random_floats(x.size(), 113);
    Doubles y_want(size_t(n) * c, 0.0), dx_want = to_doubles(dx0);
    for (int p = 0; p < n * c; ++p)
        for (int i = 0; i < hw; ++i) {
            y_want[p] += x[size_t(p) * hw + i] / double(hw);
            dx_want[size_t(p) * hw + i] += dy[p] / double(hw);
        }
    Floats y(size_t(n) * c), dx = dx0;
    backend->global_avg_pool_forward(n, c, hw, x.data(), y.data());
    backend->global_avg_pool_backward(n, c, hw, dy.data(), dx.data());
    expect_close(y, y_want, 1e-6, 1e-7, "global avg pool forward");
    expect_close(dx, dx_want, 1e-6, 1e-7, "global avg pool backward");
}

// ---- loss -----------------------------------------------------------------------------------------------------------

TEST_CASE("cross-entropy with label smoothing: loss, correctness and gradient") {
    auto backend = cpu(2);
    const int rows = 9, classes = 10;
    Floats logits = random_floats(size_t(rows) * classes, 121, -5.0f, 5.0f);
    logits[3] = 80.0f;  // large logits must not overflow
    std::vector<int32_t> labels(rows);
    for (int r = 0; r < rows; ++r) labels[r] = (r * 7) % classes;
    labels[0] = 3;
    for (float eps : {0.0f, 0.1f}) {
        const double scale = 1.0 / rows;
        Doubles loss_want(rows), grad_want(logits.size());
        std::vector<int32_t> correct_want(rows);
        for (int r = 0; r < rows; ++r) {
            const float* z = &logits[size_t(r) * classes];
            int argmax = int(std::max_element(z, z + classes) - z);
            double top = z[argmax], total = 0;
            for (int k = 0; k < classes; ++k) total += std::exp(z[k] - top);
            double lse = top + std::log(total), loss = 0;
            for (int k = 0; k < classes; ++k) {
                double target = (1.0 - eps) * (k == labels[r]) + eps / double(classes);
                loss -= target * (z[k] - lse);
                grad_want[size_t(r) * classes + k] = (std::exp(z[k] - lse) - target) * scale;
            }
            loss_want[r] = loss;
            correct_want[r] = argmax == labels[r];
        }
        Floats loss(rows), grad(logits.size(), std::nanf(""));
        std::vector<int32_t> correct(rows, -1);
        backend->cross_entropy(rows, classes, logits.data(), labels.data(), eps, float(scale), loss.data(),
                               correct.data(), grad.data());
        expect_close(loss, loss_want, 1e-5, 1e-5, "cross-entropy loss");
        expect_close(grad, grad_want, 1e-5, 1e-7, "cross-entropy dlogits");
        CHECK(correct == correct_want);
        Floats loss_only(rows);
        backend->cross_entropy(rows, classes, logits.data(), labels.data(), eps, 1.0f, loss_only.data(),
                               correct.data(), nullptr);
        expect_close(loss_only, loss_want, 1e-5, 1e-5, "cross-entropy without gradient");
    }
}

// ---- optimizers -----------------------------------------------------------------------------------------------------

TEST_CASE("SGD (momentum, nesterov, weight decay, no velocity) follows PyTorch's update over three steps") {
    auto backend = cpu(2);
    const int64_t n = 1000;
    struct Setting { float momentum, weight_decay; bool nesterov, has_velocity; };
    for (Setting st : {Setting{0.9f, 5e-4f, false, true}, Setting{0.9f, 1e-2f, true, true},
                       Setting{0.0f, 0.0f, false, false}}) {
        Floats w = random_floats(n, 131), v(n, 0.0f);
        Doubles w_want = to_doubles(w), v_want(n, 0.0);
        for (int step = 0; step < 3; ++step) {
            Floats g = random_floats(n, 132 + step);
            for (int64_t i = 0; i < n; ++i) {
                double grad = g[i] + st.weight_decay * w_want[i];
                v_want[i] = st.momentum * v_want[i] + grad;
                double update = st.nesterov ? grad + st.momentum * v_want[i] : v_want[i];
                w_want[i] -= 0.05 * update;
            }
            backend->sgd_step(n, w.data(), g.data(), st.has_velocity ? v.data() : nullptr, 0.05f, st.momentum,
                              st.weight_decay, st.nesterov);
        }
        expect_close(w, w_want, 1e-5, 1e-6, "sgd weights");
    }
}

TEST_CASE("Adam with bias correction and L2 decay follows PyTorch's update over three steps") {
    auto backend = cpu(2);
    const int64_t n = 1000;
    const double lr = 1e-2, b1 = 0.9, b2 = 0.999, eps = 1e-8, wd = 1e-3;
    Floats w = random_floats(n, 141), m(n, 0.0f), v(n, 0.0f);
    Doubles w_want = to_doubles(w), m_want(n, 0.0), v_want(n, 0.0);
    for (int step = 1; step <= 3; ++step) {
        Floats g = random_floats(n, 142 + step);
        for (int64_t i = 0; i < n; ++i) {
            double grad = g[i] + wd * w_want[i];
            m_want[i] = b1 * m_want[i] + (1 - b1) * grad;
            v_want[i] = b2 * v_want[i] + (1 - b2) * grad * grad;
            double m_hat = m_want[i] / (1 - std::pow(b1, step)), v_hat = v_want[i] / (1 - std::pow(b2, step));
            w_want[i] -= lr * m_hat / (std::sqrt(v_hat) + eps);
        }
        backend->adam_step(n, w.data(), g.data(), m.data(), v.data(), float(lr), float(b1), float(b2), float(eps),
                           float(wd), step);
    }
    expect_close(w, w_want, 1e-5, 1e-6, "adam weights");
    expect_close(m, m_want, 1e-5, 1e-7, "adam first moment");
    expect_close(v, v_want, 1e-4, 1e-9, "adam second moment");
}

// ---- thread-count determinism ---------------------------------------------------------------------------------------

// Runs `run` on a fresh backend with each thread count and checks that the outputs are bit-identical.
template <typename Run>
void expect_thread_invariant(const std::string& what, Run run) {
    Floats first;
    for (int threads : {1, 2, 3}) {
        auto backend = cpu(threads);
        Floats out = run(*backend);
        if (threads == 1)
            first = out;
        else
            expect_bits_equal(first, out, what + " (" + std::to_string(threads) + " threads)");
    }
}

Floats concat(std::initializer_list<Floats> parts) {
    Floats all;
    for (const Floats& p : parts) all.insert(all.end(), p.begin(), p.end());
    return all;
}

TEST_CASE("conv2d results are bit-identical for 1, 2 and 3 threads") {
    std::vector<Conv2dShape> shapes = {
        conv_shape(64, 16, 32, 32, 16, 3, 3, 1, 1, 1, 1),  // NB201 cell conv
        conv_shape(1, 16, 16, 16, 32, 3, 3, 1, 1, 1, 1),   // batch 1: OpenBLAS gets the threads
        conv_shape(5, 8, 9, 9, 8, 3, 3, 2, 1, 1, 8),       // depthwise
        conv_shape(7, 8, 6, 6, 12, 1, 1, 1, 0, 1, 2),      // grouped pointwise
    };
    unsigned seed = 200;
    for (const Conv2dShape& s : shapes) {
        Floats x = random_floats(x_size(s), seed++), w = random_floats(w_size(s), seed++);
        Floats dy = random_floats(y_size(s), seed++);
        expect_thread_invariant(describe(s), [&](Backend& b) {
            Floats y(y_size(s)), dx(x_size(s), 0.5f), dw(w_size(s), 0.5f);
            b.conv2d_forward(s, x.data(), w.data(), y.data());
            b.conv2d_backward_data(s, dy.data(), w.data(), dx.data());
            b.conv2d_backward_weight(s, x.data(), dy.data(), dw.data());
            return concat({y, dx, dw});
        });
    }
}

// The Jacobian rows' weight gradients: coupled rows (every row the same inputs, its own cotangents) and frozen rows
// (row r = sample r alone), against the double reference of each row and bit-identical for 1, 2 and 3 threads.
struct RowsCase {
    Conv2dShape s;  // s.n = samples per row
    int rows, x_row_step;
};

std::vector<RowsCase> rows_cases() {
    return {
        {conv_shape(6, 3, 32, 32, 3, 3, 3, 1, 1, 1, 1), 5, 0},  // NB201 stem, coupled rows
        {conv_shape(5, 6, 16, 16, 6, 1, 1, 1, 0, 1, 1), 3, 0},  // pointwise, coupled rows
        {conv_shape(4, 3, 9, 11, 6, 3, 3, 2, 1, 1, 1), 4, 0},   // stride 2, odd sizes
        {conv_shape(1, 3, 16, 16, 6, 3, 3, 1, 1, 1, 1), 7, 1},  // frozen rows
        {conv_shape(1, 6, 8, 8, 12, 1, 1, 1, 0, 1, 1), 5, 1},   // frozen pointwise
        {conv_shape(2, 4, 6, 6, 4, 3, 3, 1, 1, 1, 2), 3, 0},    // grouped: the per-row fallback
        {conv_shape(3, 4, 6, 6, 4, 3, 3, 1, 1, 1, 4), 2, 1},    // depthwise, overlapping rows: the fallback
        {conv_shape(2, 3, 7, 7, 5, 3, 3, 1, 1, 1, 1), 3, 1},    // several samples per row, overlapping
        {conv_shape(2, 2, 6, 9, 3, 5, 3, 1, 2, 2, 1), 3, 1},    // direct kernel, tap by tap: 5×3, dilated
        {conv_shape(3, 3, 5, 5, 3, 2, 2, 1, 1, 1, 1), 2, 0},    // direct kernel, coupled rows, even filter
        {conv_shape(3, 5, 5, 7, 4, 1, 1, 1, 0, 1, 1), 3, 0},    // pointwise kernel: channels 4 + 1, a 35-float plane
        {conv_shape(1, 3, 6, 6, 3, 1, 1, 1, 0, 1, 1), 6, 1},    // pointwise kernel, frozen rows: 36 = 2·16 + 4
        {conv_shape(4, 6, 16, 16, 6, 3, 3, 1, 1, 1, 1), 3, 0},  // NB201's 6 channels, coupled: direct, 2 outputs at once
        {conv_shape(2, 3, 8, 8, 5, 3, 3, 1, 1, 1, 1), 2, 1},    // 8-wide planes, outputs 2 + 2 + 1
    };
}

TEST_CASE("conv2d weight gradients of Jacobian rows match the per-row reference and every thread count") {
    unsigned seed = 300;
    for (const RowsCase& c : rows_cases()) {
        const Conv2dShape& s = c.s;
        // row r's inputs start x_row_step samples after row r-1's; J's rows are wider than one weight
        size_t row_x = size_t(c.x_row_step) * x_size(s) / s.n, w = w_size(s), ldw = w + 3;
        Floats x = random_floats(x_size(s) + row_x * (c.rows - 1), seed++);
        Floats dy = random_floats(y_size(s) * c.rows, seed++);
        Floats dw0 = random_floats(ldw * c.rows, seed++);
        Doubles want = to_doubles(dw0);
        for (int r = 0; r < c.rows; ++r) {
            const float* x_r = x.data() + r * row_x;
            const float* dy_r = dy.data() + r * y_size(s);
            for_each_conv_term(s, [&](size_t xi, size_t wi, size_t yi) {
                want[r * ldw + wi] += double(x_r[xi]) * dy_r[yi];
            });
        }
        std::string what = describe(s) + " rows " + std::to_string(c.rows) + " step " + std::to_string(c.x_row_step);
        expect_thread_invariant(what, [&](Backend& b) {
            Floats dw = dw0;
            b.conv2d_backward_weight_rows(s, c.rows, c.x_row_step, x.data(), dy.data(), dw.data(), int64_t(ldw));
            expect_close(dw, want, 1e-4, 1e-3, what);
            return dw;
        });
    }
}

TEST_CASE("batch norm, reductions, pooling, loss and GEMM are bit-identical for 1, 2 and 3 threads") {
    BatchNormShape bn{64, 16, 1024, 1e-5f};
    Floats x = random_floats(size_t(bn.n) * bn.c * bn.hw, 301), dy = random_floats(x.size(), 302);
    Floats gamma = random_floats(bn.c, 303), beta = random_floats(bn.c, 304);
    expect_thread_invariant("batch norm", [&](Backend& b) {
        Floats y(x.size()), mean(bn.c), invstd(bn.c), rm(bn.c, 0.0f), rv(bn.c, 1.0f);
        Floats dx(x.size(), 0.0f), dg(bn.c, 0.0f), db(bn.c, 0.0f);
        b.batch_norm_forward_train(bn, x.data(), gamma.data(), beta.data(), 0.1f, rm.data(), rv.data(), mean.data(),
                                   invstd.data(), y.data());
        b.batch_norm_backward(bn, true, x.data(), dy.data(), 1.0f, gamma.data(), mean.data(), invstd.data(),
                              dx.data(), dg.data(), db.data());
        return concat({y, mean, invstd, rm, rv, dx, dg, db});
    });
    expect_thread_invariant("reductions", [&](Backend& b) {
        Floats dot{0.0f}, rows(1024, 0.0f), channels(bn.c, 0.0f), pooled(size_t(bn.n) * bn.c);
        b.dot_accumulate(int64_t(x.size()), x.data(), dy.data(), dot.data());
        b.sum_rows(bn.n * bn.c, bn.hw, x.data(), rows.data());
        b.sum_channels(bn.n, bn.c, bn.hw, x.data(), channels.data());
        b.global_avg_pool_forward(bn.n, bn.c, bn.hw, x.data(), pooled.data());
        return concat({dot, rows, channels, pooled});
    });
    expect_thread_invariant("pooling", [&](Backend& b) {
        PoolShape s = pool_shape(64, 16, 32, 32, 3, 1, 1, false);
        Floats avg(x.size()), mx(x.size()), dx(x.size(), 0.0f);
        std::vector<int32_t> argmax(x.size());
        b.avg_pool_forward(s, x.data(), avg.data());
        b.avg_pool_backward(s, dy.data(), 1.0f, dx.data());
        b.max_pool_forward(s, x.data(), mx.data(), argmax.data());
        b.max_pool_backward(s, dy.data(), argmax.data(), dx.data());
        return concat({avg, mx, dx});
    });
    expect_thread_invariant("cross-entropy", [&](Backend& b) {
        const int rows = 512, classes = 100;
        std::vector<int32_t> labels(rows), correct(rows);
        for (int r = 0; r < rows; ++r) labels[r] = r % classes;
        Floats loss(rows), grad(size_t(rows) * classes);
        b.cross_entropy(rows, classes, x.data(), labels.data(), 0.1f, 1.0f / rows, loss.data(), correct.data(),
                        grad.data());
        return concat({loss, grad});
    });
    expect_thread_invariant("gemm", [&](Backend& b) {
        const int m = 300, n = 257, k = 515;
        Floats c(size_t(m) * n, 1.0f);
        b.gemm(false, true, m, n, k, 1.0f, x.data(), k, dy.data(), k, 0.5f, c.data(), n);
        const int rows = 12, depth = 70001;  // split depth
        Floats gram(size_t(rows) * rows, 0.0f);
        b.gemm(false, true, rows, rows, depth, 1.0f, x.data(), depth, x.data(), depth, 0.0f, gram.data(), rows);
        return concat({c, gram});
    });
}

// ---- memory, device name, random numbers ----------------------------------------------------------------------------

TEST_CASE("the block cache reuses released blocks of a class or up to twice it, zeroed on request, within capacity") {
    using jnas::cpu::BlockCache;
    const size_t mb = size_t(1) << 20;
    CHECK(BlockCache::block_size(1000) == 1000);  // small: malloc's own
    CHECK(BlockCache::block_size(32 * mb) == 32 * mb);
    CHECK(BlockCache::block_size(32 * mb + 1) == 40 * mb);
    CHECK(BlockCache::block_size(41 * mb) == 48 * mb && BlockCache::block_size(45 * mb) == 48 * mb);
    CHECK(BlockCache::block_size(63 * mb) == 64 * mb);

    jnas::cpu::CacheBudget budget(100 * mb);
    BlockCache cache(10 * mb, budget);
    auto* first = static_cast<unsigned char*>(cache.alloc(3 * mb, true));
    std::memset(first, 0xAB, 3 * mb);
    cache.release(first);
    CHECK(cache.cached_bytes() == 3 * mb);
    // Another request of the same class gets the block back, zeroed over what it asked for; a scratch request
    // gets it as it was left.
    auto* again = static_cast<unsigned char*>(cache.alloc(3 * mb - 4096, true));
    CHECK(again == first);
    CHECK(std::all_of(again, again + 3 * mb - 4096, [](unsigned char b) { return b == 0; }));
    CHECK(cache.cached_bytes() == 0);
    std::memset(again, 0xCD, 3 * mb);
    cache.release(again);
    auto* scratch = static_cast<unsigned char*>(cache.alloc(3 * mb, false));
    CHECK(scratch == first && scratch[0] == 0xCD && scratch[3 * mb - 1] == 0xCD);
    // A smaller cached block is never taken, nor one more than twice the request; a larger one up to twice is.
    cache.release(scratch);
    void* other = cache.alloc(4 * mb, true);
    CHECK(other != first && cache.cached_bytes() == 3 * mb);
    void* small = cache.alloc(1 * mb, true);
    CHECK(small != first && cache.cached_bytes() == 3 * mb);
    void* half = cache.alloc(3 * mb / 2, true);
    CHECK(half == first && cache.cached_bytes() == 0);
    cache.release(half);  // back as the 3 MB block it is
    cache.release(small);
    CHECK(cache.cached_bytes() == 4 * mb);
    // Past the capacity the largest cached blocks go first; a block larger than the capacity is never kept.
    void* big = cache.alloc(8 * mb, true);
    cache.release(other);
    CHECK(cache.cached_bytes() == 8 * mb);
    cache.release(big);
    CHECK(cache.cached_bytes() == 9 * mb);  // the 8 MB block and the 1 MB one; the 4 and 3 MB ones were dropped
    void* huge = cache.alloc(12 * mb, true);
    cache.release(huge);
    CHECK(cache.cached_bytes() == 9 * mb);
    // Small blocks are not cached, nor are pointers the cache did not hand out mistaken for its own.
    cache.release(cache.alloc(1000, true));
    cache.release(nullptr);
    CHECK(cache.cached_bytes() == 9 * mb);
    CHECK(budget.used() == 9 * mb);
}

TEST_CASE("block caches sharing a budget keep no more between them than it grants") {
    using jnas::cpu::BlockCache;
    const size_t mb = size_t(1) << 20;
    jnas::cpu::CacheBudget budget(6 * mb);
    {
        BlockCache first(10 * mb, budget), second(10 * mb, budget);
        void* a = first.alloc(4 * mb, true);
        void* b = second.alloc(4 * mb, true);
        first.release(a);
        CHECK(first.cached_bytes() == 4 * mb && budget.used() == 4 * mb);
        second.release(b);  // 4 + 4 > 6: freed, not kept
        CHECK(second.cached_bytes() == 0 && budget.used() == 4 * mb);
        // Taking a block back returns its share: then the other cache may keep one.
        void* again = first.alloc(4 * mb, true);
        CHECK(again == a && budget.used() == 0);
        void* c = second.alloc(4 * mb, true);
        second.release(c);
        CHECK(second.cached_bytes() == 4 * mb && budget.used() == 4 * mb);
        first.release(again);
        CHECK(first.cached_bytes() == 0 && budget.used() == 4 * mb);
    }
    CHECK(budget.used() == 0);  // destroyed caches give their blocks' shares back
}

TEST_CASE("alloc gives zeroed 64-byte-aligned memory and throws OUT_OF_MEMORY when it cannot") {
    auto backend = cpu(2);
    for (size_t bytes : {size_t(0), size_t(1), size_t(100), size_t(1) << 20}) {
        auto* p = static_cast<unsigned char*>(backend->alloc(bytes));
        CHECK(p != nullptr);
        CHECK(reinterpret_cast<uintptr_t>(p) % 64 == 0);
        CHECK(std::all_of(p, p + bytes, [](unsigned char b) { return b == 0; }));
        backend->release(p);
    }
    backend->release(nullptr);
    bool threw = false;
    try {
        backend->alloc(size_t(1) << 62);
    } catch (const jnas::Error& e) {
        threw = e.status() == JNAS_ERR_OUT_OF_MEMORY && std::string(e.what()).find("bytes") != std::string::npos;
    }
    CHECK(threw);
    // More than the machine's memory is refused before asking the system, which may overcommit.
    size_t physical = size_t(sysconf(_SC_PHYS_PAGES)) * size_t(sysconf(_SC_PAGESIZE));
    threw = false;
    try {
        backend->alloc(physical + 1);
    } catch (const jnas::Error& e) {
        threw = e.status() == JNAS_ERR_OUT_OF_MEMORY &&
                std::string(e.what()).find("the machine has " + std::to_string(physical)) != std::string::npos;
    }
    CHECK(threw);

    Floats src = random_floats(33, 151), back(33);
    void* buffer = backend->alloc(33 * sizeof(float));
    backend->upload(buffer, src.data(), 33 * sizeof(float));
    backend->fill(static_cast<float*>(buffer) + 30, 3, 2.5f);
    backend->download(back.data(), buffer, 33 * sizeof(float));
    backend->synchronize();
    CHECK(std::equal(src.begin(), src.begin() + 30, back.begin()));
    CHECK(back[30] == 2.5f && back[32] == 2.5f);
    backend->release(buffer);
}

TEST_CASE("fill writes every value bit for bit, zeros (memset) and others, over blocks and threads") {
    const float values[] = {0.0f, -0.0f, 2.5f, std::nanf("")};
    for (int threads : {1, 2, 3})
        for (int64_t n : {int64_t(1), int64_t(1000), int64_t(65536), int64_t(200001)}) {
            auto backend = cpu(threads);
            for (float value : values) {
                Floats buffer(size_t(n) + 2, 7.0f);
                backend->fill(buffer.data() + 1, n, value);
                CHECK(buffer.front() == 7.0f && buffer.back() == 7.0f);  // nothing outside
                CHECK(std::all_of(buffer.begin() + 1, buffer.end() - 1,
                                  [&](float v) { return std::memcmp(&v, &value, sizeof v) == 0; }));
            }
        }
}

TEST_CASE("side_by_side: every task once, on at most threads lanes, single-threaded there; the first error") {
    for (int threads : {1, 2, 3}) {
        auto backend = cpu(threads);
        CHECK(backend->lanes(7) == threads && backend->lanes(1) == 1 && backend->lanes(0) == 0);
        std::vector<int> runs(7, 0), lane_of(7, -1);
        Floats big(size_t(1) << 20, 1.0f);
        backend->side_by_side(7, [&](int task, int lane) {
            ++runs[size_t(task)];
            lane_of[size_t(task)] = lane;
            backend->fill(big.data() + task, 1, 2.0f);  // a kernel inside a lane: one thread, no nested team
        });
        CHECK(std::all_of(runs.begin(), runs.end(), [](int n) { return n == 1; }));
        CHECK(std::all_of(lane_of.begin(), lane_of.end(), [&](int lane) { return lane >= 0 && lane < threads; }));
        CHECK(std::count(big.begin(), big.end(), 2.0f) == 7);
        std::string error;
        try {
            backend->side_by_side(5, [&](int task, int) {
                if (task >= 2) jnas::fail(JNAS_ERR_OUT_OF_MEMORY, "task ", task, " failed");
            });
        } catch (const jnas::Error& e) {
            error = e.what();
        }
        CHECK(error.find("task 2 failed") != std::string::npos);
    }
}

TEST_CASE("device name and kind") {
    CHECK(cpu(3)->device_name() == "cpu (3 threads)");
    CHECK(cpu(1)->kind() == JNAS_BACKEND_CPU);
    CHECK(cpu(0)->device_name().rfind("cpu (", 0) == 0);
}

TEST_CASE("Philox fills: uniform in [0, 1), normal with mean 0 and std 1, the same bits every time") {
    auto backend = cpu(2);
    const int64_t n = 100000;
    Floats u(n), z(n), z_again(n);
    backend->fill_uniform(u.data(), n, 42, 7, 0.0f, 1.0f);
    CHECK(std::all_of(u.begin(), u.end(), [](float v) { return v >= 0.0f && v < 1.0f; }));
    double u_mean = 0;
    for (float v : u) u_mean += v / double(n);
    CHECK_CLOSE(u_mean, 0.5, 0, 0.01);

    backend->fill_normal(z.data(), n, 42, 7, 0.0f, 1.0f);
    double mean = 0, sq = 0;
    for (float v : z) mean += v / double(n);
    for (float v : z) sq += (v - mean) * (v - mean) / double(n);
    CHECK_CLOSE(mean, 0.0, 0, 0.01);
    CHECK_CLOSE(std::sqrt(sq), 1.0, 0, 0.01);

    cpu(1)->fill_normal(z_again.data(), n, 42, 7, 0.0f, 1.0f);
    expect_bits_equal(z, z_again, "fill_normal repeated");
    CHECK(z[12345] == philox::normal(42, 7, 12345) && u[999] == philox::uniform(42, 7, 999));

    Floats other(n);
    backend->fill_normal(other.data(), n, 42, 8, 0.0f, 1.0f);  // another stream, other numbers
    CHECK(std::memcmp(other.data(), z.data(), n * sizeof(float)) != 0);

    Floats scaled(n);
    backend->fill_normal(scaled.data(), n, 42, 7, 3.0f, 0.5f);
    backend->fill_uniform(u.data(), n, 1, 1, -2.0f, 4.0f);
    CHECK(scaled[17] == 3.0f + 0.5f * z[17]);
    CHECK(std::all_of(u.begin(), u.end(), [](float v) { return v >= -2.0f && v <= 4.0f; }));
}

}  // namespace
