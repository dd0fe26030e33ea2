// test_gpu_twins.cpp — every CUDA kernel against its CPU twin (native/src/cpu) on the same fresh random inputs.
// Outputs of forward kernels are poisoned with NaN first, so an element the GPU forgets to write fails the
// comparison; gradients start from random values, so a backward kernel that overwrites instead of adding fails
// too. Float results are compared by ‖gpu − cpu‖ / ‖cpu‖; integer results and Philox fills exactly.
// Exits 77 (ctest: skipped) with "SKIPPED: <why>" where there is no usable GPU.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>
#include <memory>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "../../native/tests/check.hpp"
#include "backend.hpp"
#include "error.hpp"
#include "patterns.hpp"

using namespace jnas;

namespace {

std::unique_ptr<Backend> g_cpu, g_gpu;

enum Side { kCpu = 0, kGpu = 1 };
Backend& backend(Side side) { return side == kCpu ? *g_cpu : *g_gpu; }

// Runs one kernel call on both backends; `call(backend, side)` picks each side's pointers with buf[side].
template <typename Call>
void on_both(Call call) {
    call(*g_cpu, kCpu);
    call(*g_gpu, kGpu);
}

const float kNaN = std::numeric_limits<float>::quiet_NaN();

// One tensor held by both backends with the same initial contents.
template <typename T>
class Twin {
public:
    explicit Twin(const std::vector<T>& values) : count_(values.size()) {
        for (Side side : {kCpu, kGpu}) {
            ptr_[side] = static_cast<T*>(backend(side).alloc(bytes()));
            backend(side).upload(ptr_[side], values.data(), bytes());
        }
    }
    Twin(size_t count, T value) : Twin(std::vector<T>(count, value)) {}
    ~Twin() {
        for (Side side : {kCpu, kGpu}) backend(side).release(ptr_[side]);
    }
    Twin(const Twin&) = delete;
    Twin& operator=(const Twin&) = delete;

    T* operator[](Side side) const { return ptr_[side]; }
    size_t size() const { return count_; }
    std::vector<T> read(Side side) const {
        std::vector<T> out(count_);
        backend(side).download(out.data(), ptr_[side], bytes());
        return out;
    }

private:
    size_t bytes() const { return count_ * sizeof(T); }
    size_t count_;
    T* ptr_[2] = {nullptr, nullptr};
};
using Floats = Twin<float>;
using Ints = Twin<int32_t>;

// Fresh inputs per call, reproducible per test run.
std::mt19937& rng() {
    static std::mt19937 engine(20240607u);
    return engine;
}
std::vector<float> random(size_t count, float lo = -1.0f, float hi = 1.0f) {
    std::uniform_real_distribution<float> dist(lo, hi);
    std::vector<float> v(count);
    for (float& x : v) x = dist(rng());
    return v;
}

template <typename... Parts>
std::string str(const Parts&... parts) {
    std::ostringstream out;
    (out << ... << parts);
    return out.str();
}

// ‖gpu − cpu‖ / ‖cpu‖ over the finite elements; non-finite elements (poison that leaked, −inf from max pooling
// over padding) must match exactly in kind. A zero reference falls back to the absolute norm.
void expect_close(const std::string& what, const Floats& t, double tolerance) {
    std::vector<float> cpu = t.read(kCpu), gpu = t.read(kGpu);
    double diff = 0.0, norm = 0.0;
    size_t mismatched_specials = 0;
    for (size_t i = 0; i < cpu.size(); ++i) {
        if (!std::isfinite(cpu[i]) || !std::isfinite(gpu[i])) {
            bool same = (std::isnan(cpu[i]) && std::isnan(gpu[i])) || cpu[i] == gpu[i];
            if (!same) ++mismatched_specials;
            continue;
        }
        diff += (double(gpu[i]) - cpu[i]) * (double(gpu[i]) - cpu[i]);
        norm += double(cpu[i]) * cpu[i];
    }
    double error = norm > 0.0 ? std::sqrt(diff / norm) : std::sqrt(diff);
    if (mismatched_specials > 0 || !(error <= tolerance))
        jnas_test::report(__FILE__, __LINE__,
                          str(what, ": relative error ", error, " (tolerance ", tolerance, "), ", mismatched_specials,
                              " non-finite mismatches of ", cpu.size()));
}

void expect_equal(const std::string& what, const Ints& t) {
    std::vector<int32_t> cpu = t.read(kCpu), gpu = t.read(kGpu);
    size_t differ = 0;
    for (size_t i = 0; i < cpu.size(); ++i) differ += cpu[i] != gpu[i];
    if (differ > 0) jnas_test::report(__FILE__, __LINE__, str(what, ": ", differ, " of ", cpu.size(), " differ"));
}

// The same GPU call twice on the same inputs must give the same bits (no order-dependent reductions).
void expect_gpu_repeatable(const std::string& what, const Floats& t, const std::vector<float>& first) {
    std::vector<float> second = t.read(kGpu);
    if (std::memcmp(first.data(), second.data(), first.size() * sizeof(float)) != 0)
        jnas_test::report(__FILE__, __LINE__, str(what, ": GPU result differs between two identical runs"));
}

// Tolerances: elementwise kernels and double-accumulated reductions agree to float rounding (FMA contraction on
// the GPU included); GEMM-based kernels sum in float in a different order than OpenBLAS.
constexpr double kTight = 2e-6, kReduction = 1e-5, kGemm = 1e-4;

// ---- device -------------------------------------------------------------------------------------------------

TEST_CASE("device: name, compiled flag, missing device") {
    CHECK(cuda_compiled());
    CHECK(g_gpu->kind() == JNAS_BACKEND_CUDA);
    CHECK(g_gpu->device_name().find("(sm_") != std::string::npos);
    try {
        make_cuda_backend(1000);
        CHECK(!"make_cuda_backend(1000) should throw");
    } catch (const Error& e) {
        CHECK(e.status() == JNAS_ERR_NO_DEVICE);
        CHECK(std::string(e.what()).find("does not exist") != std::string::npos);
    }
}

TEST_CASE("memory: alloc is zeroed; upload, copy and download round trip") {
    const size_t count = 1001, bytes = count * sizeof(float);
    float* a = static_cast<float*>(g_gpu->alloc(bytes));
    float* b = static_cast<float*>(g_gpu->alloc(bytes));
    std::vector<float> back(count, 1.0f);
    g_gpu->download(back.data(), a, bytes);
    CHECK(std::all_of(back.begin(), back.end(), [](float v) { return v == 0.0f; }));
    std::vector<float> values = random(count);
    g_gpu->upload(a, values.data(), bytes);
    g_gpu->copy(b, a, bytes);
    g_gpu->download(back.data(), b, bytes);
    CHECK(std::memcmp(back.data(), values.data(), bytes) == 0);
    g_gpu->release(a);
    g_gpu->release(b);
    g_gpu->release(g_gpu->alloc(0));  // a zero-byte block is real and releasable
    g_gpu->release(nullptr);
}

// ---- fills ----------------------------------------------------------------------------------------------------

// Philox fills must match exactly; normal draws go through double log/cos, which may differ in the last double
// bit on the device, so a 1-ulp float difference is tolerated on a handful of elements.
TEST_CASE("fills: constant, Philox normal and uniform, dropout masks match bit for bit") {
    const int64_t n = 1000003;
    Floats t(size_t(n), kNaN);
    on_both([&](Backend& b, Side side) { b.fill(t[side], n, 0.25f); });
    expect_close("fill", t, 0.0);
    for (uint64_t seed : {0ull, 42ull, 0x123456789abcdefull}) {
        for (uint64_t stream : {0ull, 7ull, 1ull << 40}) {
            on_both([&](Backend& b, Side side) { b.fill_uniform(t[side], n, seed, stream, -0.5f, 2.0f); });
            std::vector<float> cpu = t.read(kCpu), gpu = t.read(kGpu);
            CHECK(std::memcmp(cpu.data(), gpu.data(), cpu.size() * sizeof(float)) == 0);

            on_both([&](Backend& b, Side side) { b.fill_dropout_mask(t[side], n, seed, stream, 0.3f, 1.0f / 0.7f); });
            cpu = t.read(kCpu);
            gpu = t.read(kGpu);
            CHECK(std::memcmp(cpu.data(), gpu.data(), cpu.size() * sizeof(float)) == 0);

            on_both([&](Backend& b, Side side) { b.fill_normal(t[side], n, seed, stream, 1.0f, 0.02f); });
            cpu = t.read(kCpu);
            gpu = t.read(kGpu);
            int64_t one_ulp = 0, worse = 0;
            for (int64_t i = 0; i < n; ++i) {
                if (cpu[i] == gpu[i]) continue;
                if (std::nextafter(cpu[i], gpu[i]) == gpu[i]) ++one_ulp; else ++worse;
            }
            if (worse > 0 || one_ulp > n / 100000)
                jnas_test::report(__FILE__, __LINE__, str("fill_normal seed ", seed, " stream ", stream, ": ", worse,
                                                          " values differ by more than 1 ulp, ", one_ulp, " by 1 ulp"));
        }
    }
}

// ---- elementwise and reductions ----------------------------------------------------------------------------

TEST_CASE("elementwise: axpy, axpy_dev, scale, multiply") {
    for (int64_t n : {1, 255, 4097, 1 << 20}) {
        Floats x(random(n)), y(random(n)), alpha(std::vector<float>{-0.75f});
        on_both([&](Backend& b, Side side) { b.axpy(n, 1.5f, x[side], y[side]); });
        expect_close(str("axpy n=", n), y, kTight);
        on_both([&](Backend& b, Side side) { b.axpy_dev(n, alpha[side], x[side], y[side]); });
        expect_close(str("axpy_dev n=", n), y, kTight);
        Floats out(size_t(n), kNaN);
        on_both([&](Backend& b, Side side) { b.scale(n, -3.0f, x[side], out[side]); });
        expect_close(str("scale n=", n), out, kTight);
        on_both([&](Backend& b, Side side) { b.multiply(n, x[side], y[side], out[side]); });
        expect_close(str("multiply n=", n), out, kTight);
        on_both([&](Backend& b, Side side) { b.multiply(n, out[side], out[side], out[side]); });
        expect_close(str("multiply in place n=", n), out, kTight);
    }
}

TEST_CASE("reductions: dot_accumulate adds in a fixed order") {
    for (int64_t n : {1, 1000, 4096, 4097, 3000017}) {
        Floats a(random(n)), b(random(n)), out(std::vector<float>{0.5f});
        on_both([&](Backend& be, Side side) { be.dot_accumulate(n, a[side], b[side], out[side]); });
        expect_close(str("dot_accumulate n=", n), out, kReduction);
        std::vector<float> first = out.read(kGpu);
        g_gpu->upload(out[kGpu], std::vector<float>{0.5f}.data(), sizeof(float));
        g_gpu->dot_accumulate(n, a[kGpu], b[kGpu], out[kGpu]);
        expect_gpu_repeatable(str("dot_accumulate n=", n), out, first);
    }
}

TEST_CASE("bias: add_row_bias / sum_rows, add_channel_bias / sum_channels") {
    struct RC { int rows, cols; };
    for (RC s : {RC{1, 1}, RC{7, 33}, RC{130, 10}, RC{64, 1000}}) {
        Floats y(random(size_t(s.rows) * s.cols)), bias(random(s.cols)), db(random(s.cols));
        on_both([&](Backend& b, Side side) { b.add_row_bias(s.rows, s.cols, bias[side], y[side]); });
        expect_close(str("add_row_bias ", s.rows, "x", s.cols), y, kTight);
        on_both([&](Backend& b, Side side) { b.sum_rows(s.rows, s.cols, y[side], db[side]); });
        expect_close(str("sum_rows ", s.rows, "x", s.cols), db, kReduction);
    }
    struct NCHW { int n, c, hw; };
    for (NCHW s : {NCHW{1, 1, 1}, NCHW{3, 5, 49}, NCHW{8, 16, 1024}, NCHW{2, 300, 7}}) {
        size_t total = size_t(s.n) * s.c * s.hw;
        Floats y(random(total)), bias(random(s.c)), db(random(s.c));
        on_both([&](Backend& b, Side side) { b.add_channel_bias(s.n, s.c, s.hw, bias[side], y[side]); });
        expect_close(str("add_channel_bias ", s.n, "x", s.c, "x", s.hw), y, kTight);
        on_both([&](Backend& b, Side side) { b.sum_channels(s.n, s.c, s.hw, y[side], db[side]); });
        expect_close(str("sum_channels ", s.n, "x", s.c, "x", s.hw), db, kReduction);
    }
}

TEST_CASE("activations: forward and backward, including the kinks") {
    std::vector<float> x = random(5003, -8.0f, 8.0f);
    const float kinks[] = {0.0f, 6.0f, -3.0f, 3.0f, -0.0f};
    for (size_t i = 0; i < 5; ++i) x[i] = kinks[i];
    const int64_t n = int64_t(x.size());
    Floats in(x), dy(random(x.size()));
    for (jnas_activation kind :
         {JNAS_ACT_RELU, JNAS_ACT_RELU6, JNAS_ACT_HSWISH, JNAS_ACT_SIGMOID, JNAS_ACT_SWISH, JNAS_ACT_GELU}) {
        Floats y(x.size(), kNaN), dx(random(x.size()));
        on_both([&](Backend& b, Side side) { b.activation_forward(kind, n, in[side], y[side]); });
        expect_close(str("activation_forward ", int(kind)), y, kTight);
        on_both([&](Backend& b, Side side) { b.activation_backward(kind, n, in[side], dy[side], dx[side]); });
        expect_close(str("activation_backward ", int(kind)), dx, kTight);
        // A Jacobian walk's rows: 3 gradients at the first 1667 inputs (not a divisor of the launch's threads).
        Floats dy_rows(random(3 * 1667)), dx_rows(random(3 * 1667));
        on_both([&](Backend& b, Side side) {
            b.activation_backward_rows(kind, 3, 1667, in[side], dy_rows[side], dx_rows[side]);
        });
        expect_close(str("activation_backward_rows ", int(kind)), dx_rows, kTight);
    }
}

// hx += f'²·hy + f''·gy, with the kinks among the inputs; relu and relu6 also without gy (never read).
TEST_CASE("activations: Hessian-diagonal rule f'²·hy + f''·gy, including the kinks") {
    std::vector<float> x = random(5003, -8.0f, 8.0f);
    const float kinks[] = {0.0f, 6.0f, -3.0f, 3.0f, -0.0f};
    for (size_t i = 0; i < 5; ++i) x[i] = kinks[i];
    const int64_t n = int64_t(x.size());
    Floats in(x), hy(random(x.size(), 0.0f, 2.0f)), gy(random(x.size()));
    for (jnas_activation kind :
         {JNAS_ACT_RELU, JNAS_ACT_RELU6, JNAS_ACT_HSWISH, JNAS_ACT_SIGMOID, JNAS_ACT_SWISH, JNAS_ACT_GELU}) {
        Floats hx(random(x.size()));
        on_both([&](Backend& b, Side side) {
            b.activation_hessian_backward(kind, n, in[side], hy[side], gy[side], hx[side]);
        });
        expect_close(str("activation_hessian_backward ", int(kind)), hx, kTight);
        if (kind != JNAS_ACT_RELU && kind != JNAS_ACT_RELU6) continue;
        on_both([&](Backend& b, Side side) {
            b.activation_hessian_backward(kind, n, in[side], hy[side], nullptr, hx[side]);
        });
        expect_close(str("activation_hessian_backward without gy ", int(kind)), hx, kTight);
    }
}

TEST_CASE("copy_channels: copy and accumulate a channel block") {
    ChannelBlock blk{3, 25, 7, 2, 11, 5, 4};  // n, hw, src_channels, src_offset, dst_channels, dst_offset, count
    Floats src(random(size_t(blk.n) * blk.src_channels * blk.hw));
    Floats dst(random(size_t(blk.n) * blk.dst_channels * blk.hw));
    for (bool accumulate : {false, true}) {
        on_both([&](Backend& b, Side side) { b.copy_channels(blk, src[side], dst[side], accumulate); });
        expect_close(str("copy_channels accumulate=", accumulate), dst, kTight);
    }
}

// ---- GEMM -------------------------------------------------------------------------------------------------------

TEST_CASE("gemm: every transpose, odd sizes, leading dimensions, alpha and beta") {
    struct Size { int m, n, k; };
    // Every tile of tiled_gemm.cuh: 4 × 512, 8 × 512, 16 × 256, 8 × 32, 16 × 32, 128 × 32 and 64 × 64.
    for (Size s : {Size{1, 1, 1}, Size{17, 33, 65}, Size{64, 64, 64}, Size{130, 70, 300}, Size{5, 200, 3},
                   Size{3, 300, 20}, Size{14, 129, 33}, Size{12, 40, 50}, Size{40, 20, 77}}) {
        for (int trans = 0; trans < 4; ++trans) {
            const bool ta = trans & 1, tb = trans & 2;
            // Stored shapes: A is m×k (or k×m), B is k×n (or n×k); padded leading dimensions catch stride bugs.
            const int a_rows = ta ? s.k : s.m, a_cols = ta ? s.m : s.k;
            const int b_rows = tb ? s.n : s.k, b_cols = tb ? s.k : s.n;
            const int lda = a_cols + 3, ldb = b_cols + 1, ldc = s.n + 2;
            Floats a(random(size_t(a_rows) * lda)), b(random(size_t(b_rows) * ldb));
            Floats c(size_t(s.m) * ldc, kNaN);  // beta = 0 must not read C, even NaN
            const std::string label = str("gemm ", s.m, "x", s.n, "x", s.k, " ta=", ta, " tb=", tb);
            on_both([&](Backend& be, Side side) {
                be.gemm(ta, tb, s.m, s.n, s.k, 1.0f, a[side], lda, b[side], ldb, 0.0f, c[side], ldc);
            });
            // The padding columns of C stay NaN on both sides, and expect_close requires NaN to match NaN.
            expect_close(label + " beta=0", c, kGemm);
            on_both([&](Backend& be, Side side) {
                be.gemm(ta, tb, s.m, s.n, s.k, -0.5f, a[side], lda, b[side], ldb, 0.75f, c[side], ldc);
            });
            expect_close(label + " beta=0.75", c, kGemm);
        }
    }
}

// Few output tiles and a long k (the NTK Gram Θ = J·Jᵀ): the CUDA GEMM splits k and sums the partials in order.
TEST_CASE("gemm: split K for a small output over a long k (the NTK Gram)") {
    struct Size { int m, n, k; };
    for (Size s : {Size{72, 72, 100000}, Size{5, 3, 5000}, Size{130, 64, 3000}}) {
        for (int trans = 0; trans < 4; ++trans) {
            const bool ta = trans & 1, tb = trans & 2;
            const int lda = ta ? s.m : s.k, ldb = tb ? s.k : s.n;
            Floats a(random(size_t(s.m) * s.k)), b(random(size_t(s.k) * s.n)), c(size_t(s.m) * s.n, kNaN);
            const std::string label = str("gemm split-K ", s.m, "x", s.n, "x", s.k, " ta=", ta, " tb=", tb);
            on_both([&](Backend& be, Side side) {
                be.gemm(ta, tb, s.m, s.n, s.k, 1.0f, a[side], lda, b[side], ldb, 0.0f, c[side], s.n);
            });
            expect_close(label + " beta=0", c, kGemm);
            std::vector<float> c_start = c.read(kGpu);
            on_both([&](Backend& be, Side side) {
                be.gemm(ta, tb, s.m, s.n, s.k, -0.5f, a[side], lda, b[side], ldb, 0.75f, c[side], s.n);
            });
            expect_close(label + " beta=0.75", c, kGemm);
            std::vector<float> first = c.read(kGpu);
            g_gpu->upload(c[kGpu], c_start.data(), c_start.size() * sizeof(float));
            g_gpu->gemm(ta, tb, s.m, s.n, s.k, -0.5f, a[kGpu], lda, b[kGpu], ldb, 0.75f, c[kGpu], s.n);
            expect_gpu_repeatable(label, c, first);
        }
    }
    // Θ = J·Jᵀ exactly as ntk.cpp calls it.
    const int batch = 64, width = 250000;
    Floats j(random(size_t(batch) * width)), theta(size_t(batch) * batch, kNaN);
    on_both([&](Backend& be, Side side) {
        be.gemm(false, true, batch, batch, width, 1.0f, j[side], width, j[side], width, 0.0f, theta[side], batch);
    });
    expect_close("gemm J·Jᵀ 64x250000", theta, kGemm);
}

// ---- convolution --------------------------------------------------------------------------------------------------

Conv2dShape conv_shape(int n, int c_in, int h, int w, int c_out, int k, int stride, int pad, int dilation, int groups) {
    Conv2dShape s{n, c_in, h, w, c_out, 0, 0, k, k, stride, pad, dilation, groups};
    s.h_out = (h + 2 * pad - dilation * (k - 1) - 1) / stride + 1;
    s.w_out = (w + 2 * pad - dilation * (k - 1) - 1) / stride + 1;
    return s;
}

std::string describe(const Conv2dShape& s) {
    return str("conv n", s.n, " ", s.c_in, "->", s.c_out, " ", s.h, "x", s.w, " k", s.kh, " s", s.stride, " p", s.pad,
               " d", s.dilation, " g", s.groups);
}

TEST_CASE("conv2d: forward, backward data, backward weight (groups, depthwise, stride, pad, dilation)") {
    const Conv2dShape shapes[] = {
        conv_shape(1, 1, 1, 1, 1, 1, 1, 0, 1, 1),       // smallest
        conv_shape(2, 3, 9, 11, 5, 3, 1, 1, 1, 1),      // odd sizes
        conv_shape(2, 8, 16, 16, 16, 3, 2, 1, 1, 1),    // stride 2
        conv_shape(1, 6, 13, 7, 9, 3, 1, 2, 2, 3),      // dilation, groups
        conv_shape(2, 4, 7, 7, 8, 3, 1, 1, 1, 4),       // grouped with channel multiplier 2 (not depthwise)
        conv_shape(3, 16, 8, 8, 16, 5, 1, 2, 1, 16),    // depthwise 5x5
        conv_shape(2, 8, 15, 15, 8, 3, 2, 1, 1, 8),     // depthwise stride 2, odd size
        conv_shape(2, 12, 9, 9, 12, 3, 1, 2, 2, 12),    // depthwise dilated
        conv_shape(2, 10, 14, 14, 10, 7, 2, 3, 1, 10),  // depthwise 7x7 stride 2 (an SGNAS sub-block)
        conv_shape(2, 32, 14, 14, 64, 1, 1, 0, 1, 1),   // pointwise
        conv_shape(2, 16, 9, 9, 32, 1, 2, 0, 1, 1),     // strided 1x1 shortcut
        conv_shape(16, 16, 32, 32, 16, 3, 1, 1, 1, 1),  // long weight-gradient reduction: split K
        conv_shape(4, 3, 33, 31, 70, 7, 2, 3, 1, 1),    // stem-like, more than one 64-row tile
    };
    for (const Conv2dShape& s : shapes) {
        const size_t x_size = size_t(s.n) * s.c_in * s.h * s.w, y_size = size_t(s.n) * s.c_out * s.h_out * s.w_out;
        const size_t w_size = size_t(s.c_out) * (s.c_in / s.groups) * s.kh * s.kw;
        Floats x(random(x_size)), w(random(w_size, -0.5f, 0.5f)), y(y_size, kNaN);
        on_both([&](Backend& b, Side side) { b.conv2d_forward(s, x[side], w[side], y[side]); });
        expect_close(describe(s) + " forward", y, kGemm);

        Floats dy(random(y_size)), dx(random(x_size)), dw(random(w_size));
        on_both([&](Backend& b, Side side) { b.conv2d_backward_data(s, dy[side], w[side], dx[side]); });
        expect_close(describe(s) + " backward_data", dx, kGemm);
        std::vector<float> dw_start = dw.read(kGpu);
        on_both([&](Backend& b, Side side) { b.conv2d_backward_weight(s, x[side], dy[side], dw[side]); });
        expect_close(describe(s) + " backward_weight", dw, kGemm);
        std::vector<float> first = dw.read(kGpu);
        g_gpu->upload(dw[kGpu], dw_start.data(), dw_start.size() * sizeof(float));
        g_gpu->conv2d_backward_weight(s, x[kGpu], dy[kGpu], dw[kGpu]);
        expect_gpu_repeatable(describe(s) + " backward_weight", dw, first);
    }
}

// The Jacobian rows' weight gradients (the CPU batches them into one GEMM; CUDA into one launch).
TEST_CASE("conv2d: weight gradients of Jacobian rows, coupled (shared inputs) and frozen (a sample per row)") {
    struct Case {
        Conv2dShape s;
        int rows, x_row_step;
    };
    const Case cases[] = {
        {conv_shape(8, 3, 32, 32, 3, 3, 1, 1, 1, 1), 6, 0},   // NB201 stem, coupled
        {conv_shape(8, 6, 16, 16, 12, 3, 2, 1, 1, 1), 4, 0},  // reduction conv, coupled
        {conv_shape(1, 12, 8, 8, 12, 1, 1, 0, 1, 1), 9, 1},   // pointwise, frozen
    };
    for (const Case& c : cases) {
        const Conv2dShape& s = c.s;
        const size_t sample_x = size_t(s.c_in) * s.h * s.w, sample_y = size_t(s.c_out) * s.h_out * s.w_out;
        const size_t w_size = size_t(s.c_out) * s.c_in * s.kh * s.kw, ldw = w_size + 5;
        Floats x(random(sample_x * (s.n + size_t(c.x_row_step) * (c.rows - 1))));
        Floats dy(random(sample_y * s.n * c.rows)), dw(random(ldw * c.rows));
        on_both([&](Backend& b, Side side) {
            b.conv2d_backward_weight_rows(s, c.rows, c.x_row_step, x[side], dy[side], dw[side], int64_t(ldw));
        });
        expect_close(str(describe(s), " rows ", c.rows, " step ", c.x_row_step), dw, kGemm);
    }
}

// Jacobian rows in one launch: split K over many coupled rows, grouped convolutions (a GEMM problem per row and
// group), a stride and dilation, and depthwise convolutions (the CUDA backend's row-by-row fallback).
TEST_CASE("conv2d: Jacobian-row weight gradients: split K, groups, strides, depthwise") {
    struct Case {
        Conv2dShape s;
        int rows, x_row_step;
    };
    const Case cases[] = {
        {conv_shape(16, 8, 16, 16, 16, 3, 1, 1, 1, 1), 16, 0},  // coupled, long k: split K
        {conv_shape(32, 16, 8, 8, 16, 1, 1, 0, 1, 1), 3, 0},    // coupled pointwise, few rows
        {conv_shape(1, 8, 8, 8, 16, 3, 1, 1, 1, 2), 12, 1},     // frozen, grouped
        {conv_shape(1, 6, 13, 7, 9, 3, 2, 2, 2, 3), 7, 1},      // frozen, stride, dilation, groups
        {conv_shape(4, 6, 9, 9, 12, 3, 1, 1, 1, 1), 5, 0},      // coupled, n > 1 samples per row
        {conv_shape(1, 8, 9, 9, 8, 3, 1, 1, 1, 8), 5, 1},       // depthwise, frozen
        {conv_shape(3, 8, 9, 9, 8, 3, 2, 1, 1, 8), 4, 0},       // depthwise, coupled
    };
    for (const Case& c : cases) {
        const Conv2dShape& s = c.s;
        const size_t sample_x = size_t(s.c_in) * s.h * s.w, sample_y = size_t(s.c_out) * s.h_out * s.w_out;
        const size_t w_size = size_t(s.c_out) * (s.c_in / s.groups) * s.kh * s.kw, ldw = w_size + 3;
        Floats x(random(sample_x * (s.n + size_t(c.x_row_step) * (c.rows - 1))));
        Floats dy(random(sample_y * s.n * c.rows)), dw(random(ldw * c.rows));
        const std::vector<float> dw_start = dw.read(kGpu);
        on_both([&](Backend& b, Side side) {
            b.conv2d_backward_weight_rows(s, c.rows, c.x_row_step, x[side], dy[side], dw[side], int64_t(ldw));
        });
        const std::string label = str(describe(s), " rows ", c.rows, " step ", c.x_row_step);
        expect_close(label, dw, kGemm);
        std::vector<float> first = dw.read(kGpu);
        g_gpu->upload(dw[kGpu], dw_start.data(), dw_start.size() * sizeof(float));
        g_gpu->conv2d_backward_weight_rows(s, c.rows, c.x_row_step, x[kGpu], dy[kGpu], dw[kGpu], int64_t(ldw));
        expect_gpu_repeatable(label, dw, first);
    }
}

// ---- batch norm ------------------------------------------------------------------------------------------------------

TEST_CASE("batch_norm: train/eval forward, running stats, backward with and without batch coupling") {
    struct Shape { int n, c, hw; };
    // {6, 3, 1500}: 9,000 values a channel, more than one chunk of batch_norm.cu's chunked sums.
    for (Shape sh : {Shape{1, 5, 1}, Shape{4, 3, 25}, Shape{8, 16, 64}, Shape{2, 7, 1000}, Shape{6, 3, 1500}}) {
        const BatchNormShape s{sh.n, sh.c, sh.hw, 1e-5f};
        const size_t total = size_t(sh.n) * sh.c * sh.hw;
        const std::string label = str("batch_norm ", sh.n, "x", sh.c, "x", sh.hw);
        Floats x(random(total, 1.0f, 5.0f));  // off-center, so the variance must be computed around the mean
        Floats gamma(random(sh.c, 0.5f, 1.5f)), beta(random(sh.c));
        Floats running_mean(random(sh.c)), running_var(random(sh.c, 0.5f, 2.0f));
        Floats save_mean(sh.c, kNaN), save_invstd(sh.c, kNaN), y(total, kNaN);
        for (bool affine : {true, false}) {
            const std::string tag = label + (affine ? " affine" : " plain");
            on_both([&](Backend& b, Side side) {
                b.batch_norm_forward_train(s, x[side], affine ? gamma[side] : nullptr, affine ? beta[side] : nullptr,
                                           0.1f, affine ? running_mean[side] : nullptr,
                                           affine ? running_var[side] : nullptr, save_mean[side], save_invstd[side],
                                           y[side]);
            });
            expect_close(tag + " train y", y, kReduction);
            expect_close(tag + " save_mean", save_mean, kReduction);
            expect_close(tag + " save_invstd", save_invstd, kReduction);
            expect_close(tag + " running_mean", running_mean, kReduction);
            expect_close(tag + " running_var", running_var, kReduction);

            for (bool train : {true, false}) {
                Floats dy(random(total)), dx(random(total)), dgamma(random(sh.c)), dbeta(random(sh.c));
                for (float dy_scale : {1.0f, -0.3f}) {  // a Jacobian walk's scaled gradient view
                    on_both([&](Backend& b, Side side) {
                        b.batch_norm_backward(s, train, x[side], dy[side], dy_scale, affine ? gamma[side] : nullptr,
                                              save_mean[side], save_invstd[side], dx[side], dgamma[side],
                                              dbeta[side]);
                    });
                    const std::string scaled = tag + str(" backward train=", train, " dy_scale=", dy_scale);
                    expect_close(scaled + " dx", dx, kReduction);
                    expect_close(scaled + " dgamma", dgamma, kReduction);
                    expect_close(scaled + " dbeta", dbeta, kReduction);
                }
                on_both([&](Backend& b, Side side) {  // only dx wanted
                    b.batch_norm_backward(s, train, x[side], dy[side], 1.0f, affine ? gamma[side] : nullptr,
                                          save_mean[side], save_invstd[side], dx[side], nullptr, nullptr);
                });
                expect_close(tag + str(" backward train=", train, " dx only"), dx, kReduction);
                on_both([&](Backend& b, Side side) {  // only the parameter gradients wanted
                    b.batch_norm_backward(s, train, x[side], dy[side], 1.0f, affine ? gamma[side] : nullptr,
                                          save_mean[side], save_invstd[side], nullptr, dgamma[side], dbeta[side]);
                });
                expect_close(tag + str(" backward train=", train, " dgamma only"), dgamma, kReduction);
            }
        }
        Floats y_eval(total, kNaN), mean_eval(sh.c, kNaN), invstd_eval(sh.c, kNaN);
        on_both([&](Backend& b, Side side) {
            b.batch_norm_forward_eval(s, x[side], gamma[side], beta[side], running_mean[side], running_var[side],
                                      mean_eval[side], invstd_eval[side], y_eval[side]);
        });
        expect_close(label + " eval y", y_eval, kTight);
        expect_close(label + " eval save_mean", mean_eval, 0.0);
        expect_close(label + " eval save_invstd", invstd_eval, kTight);
    }
}

TEST_CASE("batch_norm: the rows of a Jacobian walk, coupled (shared x, full-batch rows) and frozen (a sample per row)") {
    struct Case { int n, c, hw, rows, x_row_step; bool train; };
    // {4, 2, 900, 3, ...}: few rows of many values, which take the chunked sums.
    for (Case k : {Case{6, 3, 25, 6, 0, true}, Case{4, 5, 9, 7, 0, false}, Case{1, 4, 16, 9, 1, false},
                   Case{4, 2, 900, 3, 0, true}, Case{4, 2, 900, 3, 0, false}}) {
        const BatchNormShape s{k.n, k.c, k.hw, 1e-5f};
        const size_t numel = size_t(k.c) * k.hw, ld = size_t(k.c) + 5;  // J rows hold more than this op's slots
        const size_t x_samples = size_t(k.n) + size_t(k.x_row_step) * (k.rows - 1);
        Floats x(random(x_samples * numel, 1.0f, 5.0f)), gamma(random(k.c, 0.5f, 1.5f));
        Floats mean(random(k.c, 2.0f, 4.0f)), invstd(random(k.c, 0.5f, 2.0f));
        Floats dy(random(numel * k.n * k.rows)), dx(random(numel * k.n * k.rows));
        Floats dgamma(random(ld * k.rows)), dbeta(random(ld * k.rows));
        on_both([&](Backend& b, Side side) {
            b.batch_norm_backward_rows(s, k.rows, k.x_row_step, k.train, x[side], dy[side], -0.7f, gamma[side],
                                       mean[side], invstd[side], k.x_row_step == 0 ? dx[side] : nullptr,
                                       dgamma[side], dbeta[side], int64_t(ld));
        });
        const std::string label = str("batch_norm rows ", k.rows, " of ", k.n, "x", k.c, "x", k.hw, " step ",
                                      k.x_row_step, " train=", k.train);
        expect_close(label + " dx", dx, kReduction);
        expect_close(label + " dgamma", dgamma, kReduction);  // slots past c: untouched on both sides
        expect_close(label + " dbeta", dbeta, kReduction);
    }
}

// ---- pooling ----------------------------------------------------------------------------------------------------------

PoolShape pool_shape(int n, int c, int h, int w, int kernel, int stride, int pad, bool count_include_pad) {
    return PoolShape{n, c, h, w, (h + 2 * pad - kernel) / stride + 1, (w + 2 * pad - kernel) / stride + 1,
                     kernel, stride, pad, count_include_pad};
}

// ---- layer and group norm, softmax ------------------------------------------------------------------------------------

// Statistics per sample: layer norm's per position ([n, hw]), group norm's per group ([n, groups]); groups 0 below
// stands for layer norm.
TEST_CASE("layer_norm, group_norm: forward with statistics, backward both ways, parameter gradients alone") {
    struct Case { int n, c, hw, groups; };
    const Case cases[] = {{1, 5, 1, 0},    {4, 3, 25, 0}, {8, 16, 64, 0}, {2, 700, 3, 0},  // layer norm
                          {1, 6, 1, 2},    {4, 6, 25, 3}, {8, 16, 64, 4}, {2, 8, 1000, 1},  // group norm
                          {3, 12, 49, 12}};                                                  // instance norm
    for (const Case& k : cases) {
        const SampleNormShape s{k.n, k.c, k.hw, 1e-5f};
        const bool layer = k.groups == 0;
        const size_t total = size_t(k.n) * k.c * k.hw, stats = size_t(k.n) * (layer ? k.hw : k.groups);
        const std::string label = str(layer ? "layer_norm " : str("group_norm G=", k.groups, " "), k.n, "x", k.c, "x",
                                      k.hw);
        Floats x(random(total, 1.0f, 5.0f));  // off-center, so the variance must be computed around the mean
        Floats gamma(random(k.c, 0.5f, 1.5f)), beta(random(k.c));
        Floats save_mean(stats, kNaN), save_invstd(stats, kNaN), y(total, kNaN);
        for (bool affine : {true, false}) {
            const std::string tag = label + (affine ? " affine" : " plain");
            const float* no = nullptr;
            on_both([&](Backend& b, Side side) {
                const float* g = affine ? gamma[side] : no;
                const float* bt = affine ? beta[side] : no;
                if (layer)
                    b.layer_norm_forward(s, x[side], g, bt, save_mean[side], save_invstd[side], y[side]);
                else
                    b.group_norm_forward(s, k.groups, x[side], g, bt, save_mean[side], save_invstd[side], y[side]);
            });
            expect_close(tag + " y", y, kReduction);
            expect_close(tag + " save_mean", save_mean, kReduction);
            expect_close(tag + " save_invstd", save_invstd, kReduction);
            for (bool differentiate : {true, false}) {
                Floats dy(random(total)), dx(random(total)), dgamma(random(k.c)), dbeta(random(k.c));
                auto call = [&](Backend& b, Side side, bool want_dx, bool want_params) {
                    const float* g = affine ? gamma[side] : no;
                    float* dx_p = want_dx ? dx[side] : nullptr;
                    float* dg = want_params ? dgamma[side] : nullptr;
                    float* db = want_params ? dbeta[side] : nullptr;
                    if (layer)
                        b.layer_norm_backward(s, differentiate, x[side], dy[side], g, save_mean[side], save_invstd[side],
                                              dx_p, dg, db);
                    else
                        b.group_norm_backward(s, k.groups, differentiate, x[side], dy[side], g, save_mean[side],
                                              save_invstd[side], dx_p, dg, db);
                };
                auto backward = [&](bool want_dx, bool want_params) {
                    on_both([&](Backend& b, Side side) { call(b, side, want_dx, want_params); });
                };
                const std::string mode = str(" backward differentiate_stats=", differentiate);
                backward(true, true);
                expect_close(tag + mode + " dx", dx, kReduction);
                expect_close(tag + mode + " dgamma", dgamma, kReduction);
                expect_close(tag + mode + " dbeta", dbeta, kReduction);
                backward(true, false);
                expect_close(tag + mode + " dx only", dx, kReduction);
                std::vector<float> start = dgamma.read(kGpu);
                backward(false, true);
                expect_close(tag + mode + " dgamma only", dgamma, kReduction);
                expect_close(tag + mode + " dbeta only", dbeta, kReduction);
                std::vector<float> first = dgamma.read(kGpu);
                g_gpu->upload(dgamma[kGpu], start.data(), start.size() * sizeof(float));
                call(*g_gpu, kGpu, false, true);
                expect_gpu_repeatable(tag + mode + " dgamma", dgamma, first);
            }
        }
    }
}

TEST_CASE("softmax: forward and backward over channels, per position and as one vector") {
    struct Case { int n, c, hw; };
    for (Case k : {Case{1, 1, 1}, Case{3, 10, 1}, Case{4, 7, 49}, Case{2, 1000, 3}, Case{16, 32, 256}}) {
        const size_t total = size_t(k.n) * k.c * k.hw;
        const std::string label = str("softmax ", k.n, "x", k.c, "x", k.hw);
        Floats x(random(total, -20.0f, 20.0f)), y(total, kNaN), dy(random(total)), dx(random(total));
        on_both([&](Backend& b, Side side) { b.softmax_forward(k.n, k.c, k.hw, x[side], y[side]); });
        expect_close(label + " y", y, kReduction);
        on_both([&](Backend& b, Side side) { b.softmax_backward(k.n, k.c, k.hw, y[side], dy[side], dx[side]); });
        expect_close(label + " dx", dx, kReduction);
    }
}

TEST_CASE("pooling: avg (count_include_pad both ways), max with argmax, global average and max") {
    const PoolShape shapes[] = {
        pool_shape(2, 3, 8, 8, 3, 1, 1, true),  pool_shape(2, 3, 8, 8, 3, 1, 1, false),
        pool_shape(1, 4, 9, 7, 3, 2, 1, true),  pool_shape(1, 4, 9, 7, 3, 2, 1, false),
        pool_shape(3, 2, 10, 10, 2, 2, 0, true), pool_shape(2, 5, 13, 11, 5, 3, 2, false),
        pool_shape(1, 1, 1, 1, 1, 1, 0, true),
    };
    for (const PoolShape& s : shapes) {
        const std::string label = str("pool ", s.n, "x", s.c, "x", s.h, "x", s.w, " k", s.kernel, " s", s.stride,
                                      " p", s.pad, " include_pad=", s.count_include_pad);
        const size_t in_size = size_t(s.n) * s.c * s.h * s.w, out_size = size_t(s.n) * s.c * s.h_out * s.w_out;
        Floats x(random(in_size)), y(out_size, kNaN), dy(random(out_size)), dx(random(in_size));
        on_both([&](Backend& b, Side side) { b.avg_pool_forward(s, x[side], y[side]); });
        expect_close(label + " avg forward", y, kTight);
        on_both([&](Backend& b, Side side) { b.avg_pool_backward(s, dy[side], 1.0f, dx[side]); });
        expect_close(label + " avg backward", dx, kTight);
        on_both([&](Backend& b, Side side) { b.avg_pool_backward(s, dy[side], 0.7f, dx[side]); });
        expect_close(label + " avg backward dy_scale=0.7", dx, kTight);
        on_both([&](Backend& b, Side side) { b.avg_pool_hessian_backward(s, dy[side], dx[side]); });
        expect_close(label + " avg Hessian backward", dx, kTight);

        Ints argmax(out_size, -7);
        on_both([&](Backend& b, Side side) { b.max_pool_forward(s, x[side], y[side], argmax[side]); });
        expect_close(label + " max forward", y, 0.0);
        expect_equal(label + " max argmax", argmax);
        on_both([&](Backend& b, Side side) { b.max_pool_backward(s, dy[side], argmax[side], dx[side]); });
        expect_close(label + " max backward", dx, kTight);
    }
    struct Shape { int n, c, hw; };
    for (Shape s : {Shape{1, 1, 1}, Shape{3, 7, 49}, Shape{8, 64, 64}, Shape{2, 3, 5000}}) {
        const size_t total = size_t(s.n) * s.c * s.hw;
        Floats x(random(total)), y(size_t(s.n) * s.c, kNaN), dy(random(size_t(s.n) * s.c)), dx(random(total));
        on_both([&](Backend& b, Side side) { b.global_avg_pool_forward(s.n, s.c, s.hw, x[side], y[side]); });
        expect_close(str("global_avg_pool forward ", s.n, "x", s.c, "x", s.hw), y, kReduction);
        on_both([&](Backend& b, Side side) { b.global_avg_pool_backward(s.n, s.c, s.hw, dy[side], dx[side]); });
        expect_close(str("global_avg_pool backward ", s.n, "x", s.c, "x", s.hw), dx, kTight);
        Ints argmax(size_t(s.n) * s.c, -7);
        if (total > 2) {  // a tie (the first maximum wins) and a NaN (which wins over numbers)
            std::vector<float> values = x.read(kCpu);
            values[0] = values[1] = 2.0f;
            values[total - 1] = kNaN;
            for (Side side : {kCpu, kGpu}) backend(side).upload(x[side], values.data(), total * sizeof(float));
        }
        on_both([&](Backend& b, Side side) {
            b.global_max_pool_forward(s.n, s.c, s.hw, x[side], y[side], argmax[side]);
        });
        expect_close(str("global_max_pool forward ", s.n, "x", s.c, "x", s.hw), y, 0.0);
        expect_equal(str("global_max_pool argmax ", s.n, "x", s.c, "x", s.hw), argmax);
        on_both([&](Backend& b, Side side) {
            b.global_max_pool_backward(s.n, s.c, s.hw, dy[side], argmax[side], dx[side]);
        });
        expect_close(str("global_max_pool backward ", s.n, "x", s.c, "x", s.hw), dx, kTight);
    }
}

// ---- loss ---------------------------------------------------------------------------------------------------------------

TEST_CASE("cross_entropy: loss, correctness, gradient, label smoothing") {
    struct Shape { int rows, classes; };
    for (Shape s : {Shape{1, 1}, Shape{7, 10}, Shape{64, 1000}, Shape{33, 129}}) {
        std::vector<float> logits = random(size_t(s.rows) * s.classes, -6.0f, 6.0f);
        std::vector<int32_t> labels(s.rows);
        for (int r = 0; r < s.rows; ++r) {
            labels[r] = int32_t(rng()() % unsigned(s.classes));
            if (r % 3 == 0) logits[size_t(r) * s.classes + labels[r]] = 20.0f;  // some rows classified correctly
        }
        Floats z(logits);
        Ints label_buf(labels);
        for (float smoothing : {0.0f, 0.1f}) {
            const std::string label = str("cross_entropy ", s.rows, "x", s.classes, " smoothing ", smoothing);
            Floats loss(size_t(s.rows), kNaN), dlogits(size_t(s.rows) * s.classes, kNaN);
            Ints correct(size_t(s.rows), -1);
            on_both([&](Backend& b, Side side) {
                b.cross_entropy(s.rows, s.classes, z[side], label_buf[side], smoothing, 1.0f / s.rows, loss[side],
                                correct[side], dlogits[side]);
            });
            expect_close(label + " loss", loss, kReduction);
            expect_equal(label + " correct", correct);
            expect_close(label + " dlogits", dlogits, kReduction);
            on_both([&](Backend& b, Side side) {  // no gradient wanted
                b.cross_entropy(s.rows, s.classes, z[side], label_buf[side], smoothing, 1.0f, loss[side],
                                correct[side], nullptr);
            });
            expect_close(label + " loss without gradient", loss, kReduction);
        }
    }
}

// ---- optimizers ---------------------------------------------------------------------------------------------------------

TEST_CASE("optimizers: SGD (momentum, nesterov, no buffer) and Adam over several steps") {
    const int64_t n = 10007;
    for (int variant = 0; variant < 3; ++variant) {
        const bool nesterov = variant == 1, buffered = variant != 2;
        Floats w(random(n)), velocity(size_t(n), 0.0f);
        for (int step = 0; step < 4; ++step) {
            Floats g(random(n));
            on_both([&](Backend& b, Side side) {
                b.sgd_step(n, w[side], g[side], buffered ? velocity[side] : nullptr, 0.05f, buffered ? 0.9f : 0.0f,
                           5e-4f, nesterov);
            });
        }
        expect_close(str("sgd variant ", variant, " weights"), w, kTight);
        expect_close(str("sgd variant ", variant, " velocity"), velocity, kTight);
    }
    Floats w(random(n)), m(size_t(n), 0.0f), v(size_t(n), 0.0f);
    for (int64_t step = 1; step <= 5; ++step) {
        Floats g(random(n));
        on_both([&](Backend& b, Side side) {
            b.adam_step(n, w[side], g[side], m[side], v[side], 1e-3f, 0.9f, 0.999f, 1e-8f, 1e-4f, step);
        });
    }
    expect_close("adam weights", w, kTight);
    expect_close("adam m", m, kTight);
    expect_close("adam v", v, kTight);
}

// ---- BayesNAS's ARD update -----------------------------------------------------------------------------------------------

TEST_CASE("ARD update: origin and op groups, with pruned (γ = 0) and unfelt (H = 0) groups among them") {
    const int groups = 300, cells = 5;
    std::vector<float> gammas = random(size_t(groups), 0.01f, 2.0f), hessians = random(size_t(groups) * cells, 0, 1);
    std::vector<int32_t> parents(static_cast<size_t>(groups));
    for (int g = 0; g < groups; ++g) parents[size_t(g)] = g % 6 == 0 ? -1 : g - g % 6;  // an edge, then its 5 ops
    gammas[7] = 0;                                                                        // a pruned op
    for (int c = 0; c < cells; ++c) hessians[size_t(12 * cells + c)] = 0;                 // an unfelt edge
    Floats s(random(size_t(groups) * cells)), h(hessians), gamma(gammas), lambda(random(size_t(groups), 0.005f, 0.05f));
    Ints parent(parents);
    Floats covariances(size_t(groups) * cells, kNaN), omegas(size_t(groups), kNaN), updated(size_t(groups), kNaN);
    on_both([&](Backend& b, Side side) {
        b.ard_update(groups, cells, s[side], h[side], gamma[side], lambda[side], parent[side], covariances[side],
                     omegas[side], updated[side]);
    });
    expect_close("ard covariances", covariances, kTight);
    expect_close("ard omegas", omegas, kTight);
    expect_close("ard gammas", updated, kTight);
}

// ---- shift --------------------------------------------------------------------------------------------------------------

TEST_CASE("shift: overwrite and accumulate at positive, negative, mixed and oversized offsets") {
    struct Offset { int dy, dx; };
    for (Offset o : {Offset{1, 1}, Offset{-1, -1}, Offset{0, 0}, Offset{2, -3}, Offset{-5, 4}, Offset{9, 0},
                     Offset{0, -11}}) {
        const ShiftShape s{3, 5, 9, 11, o.dy, o.dx};
        const std::string label = str("shift dy=", o.dy, " dx=", o.dx);
        const size_t size = size_t(s.n) * s.c * s.h * s.w;
        Floats x(random(size)), y(size, kNaN), dx(random(size));
        on_both([&](Backend& b, Side side) { b.shift(s, x[side], y[side], false); });
        expect_close(label + " overwrite", y, 0.0);
        on_both([&](Backend& b, Side side) { b.shift(s, x[side], dx[side], true); });
        expect_close(label + " accumulate", dx, kTight);
    }
}

// ---- training-free metrics ------------------------------------------------------------------------------------------------

// A symmetric n×n matrix (float) of a kind: SPD (XXᵀ/n + 0.1·I), indefinite ((X + Xᵀ)/2), or graded (eigenvalues
// from 1e-6 to 1e3 behind a random orthogonal basis). The lower triangle holds NaN: only the upper one is read.
std::vector<float> symmetric_matrix(int n, int kind) {
    std::vector<double> x(size_t(n) * n), m(size_t(n) * n, 0.0);
    std::normal_distribution<double> normal(0.0, 1.0);
    for (double& v : x) v = normal(rng());
    if (kind == 0) {
        for (int r = 0; r < n; ++r)
            for (int c = 0; c < n; ++c) {
                for (int k = 0; k < n; ++k) m[size_t(r) * n + c] += x[size_t(r) * n + k] * x[size_t(c) * n + k];
                m[size_t(r) * n + c] = m[size_t(r) * n + c] / n + (r == c ? 0.1 : 0.0);
            }
    } else if (kind == 1) {
        for (int r = 0; r < n; ++r)
            for (int c = 0; c < n; ++c) m[size_t(r) * n + c] = (x[size_t(r) * n + c] + x[size_t(c) * n + r]) / 2;
    } else {
        // Gram-Schmidt on the columns of X gives Q; M = Q diag(λ) Qᵀ.
        std::vector<double> q = x;
        for (int c = 0; c < n; ++c) {
            for (int prev = 0; prev < c; ++prev) {
                double dot = 0.0;
                for (int r = 0; r < n; ++r) dot += q[size_t(r) * n + c] * q[size_t(r) * n + prev];
                for (int r = 0; r < n; ++r) q[size_t(r) * n + c] -= dot * q[size_t(r) * n + prev];
            }
            double norm = 0.0;
            for (int r = 0; r < n; ++r) norm += q[size_t(r) * n + c] * q[size_t(r) * n + c];
            for (int r = 0; r < n; ++r) q[size_t(r) * n + c] /= std::sqrt(norm);
        }
        for (int k = 0; k < n; ++k) {
            const double lambda = std::pow(10.0, n > 1 ? -6.0 + 9.0 * k / (n - 1) : 0.0);
            for (int r = 0; r < n; ++r)
                for (int c = 0; c < n; ++c) m[size_t(r) * n + c] += q[size_t(r) * n + k] * lambda * q[size_t(c) * n + k];
        }
    }
    std::vector<float> out(size_t(n) * n);
    for (int r = 0; r < n; ++r)
        for (int c = 0; c < n; ++c) out[size_t(r) * n + c] = r > c ? kNaN : float(m[size_t(r) * n + c]);
    return out;
}

// Each side's pointers to `count` matrices of n×n floats stored back to back, listed in reverse order so that a
// solver indexing the batch wrongly cannot pass.
std::vector<const float*> reversed_matrices(const Floats& stored, Side side, int count, int n) {
    std::vector<const float*> pointers(static_cast<size_t>(count));
    for (int i = 0; i < count; ++i) pointers[size_t(count - 1 - i)] = stored[side] + size_t(i) * n * n;
    return pointers;
}

TEST_CASE("symmetric_eigenvalues: SPD, indefinite and graded batches of sizes 1 to 200 agree with LAPACK") {
    for (int n : {1, 2, 7, 72, 100, 200}) {  // 72: shared memory on every arch; 200: global memory on every arch
        const int count = 6;
        std::vector<float> values;
        for (int i = 0; i < count; ++i) {
            std::vector<float> m = symmetric_matrix(n, i % 3);
            values.insert(values.end(), m.begin(), m.end());
        }
        Floats stored(values);
        Twin<double> eigenvalues(size_t(count) * n, -7.0);
        Twin<uint32_t> status(size_t(count), 99u);
        on_both([&](Backend& b, Side side) {
            std::vector<const float*> pointers = reversed_matrices(stored, side, count, n);
            b.symmetric_eigenvalues(count, n, pointers.data(), eigenvalues[side], status[side]);
        });
        std::vector<double> cpu = eigenvalues.read(kCpu), gpu = eigenvalues.read(kGpu);
        std::vector<uint32_t> cpu_status = status.read(kCpu), gpu_status = status.read(kGpu);
        for (int i = 0; i < count; ++i) {
            const std::string label = str("symmetric_eigenvalues n=", n, " kind ", (count - 1 - i) % 3);
            CHECK(cpu_status[size_t(i)] == 0u && gpu_status[size_t(i)] == 0u);
            double largest = 0.0, error = 0.0;
            bool ascending = true;
            for (int k = 0; k < n; ++k) {
                const size_t at = size_t(i) * n + k;
                largest = std::max(largest, std::fabs(cpu[at]));
                error = std::max(error, std::fabs(gpu[at] - cpu[at]));
                if (k > 0) ascending = ascending && gpu[at - 1] <= gpu[at];
            }
            if (!(error <= 1e-10 * largest) || !ascending)
                jnas_test::report(__FILE__, __LINE__, str(label, ": max |gpu - cpu| = ", error, " with max |λ| = ",
                                                          largest, ascending ? "" : ", not ascending"));
        }
        g_gpu->upload(eigenvalues[kGpu], std::vector<double>(size_t(count) * n, -7.0).data(),
                      size_t(count) * n * sizeof(double));
        std::vector<const float*> pointers = reversed_matrices(stored, kGpu, count, n);
        g_gpu->symmetric_eigenvalues(count, n, pointers.data(), eigenvalues[kGpu], status[kGpu]);
        std::vector<double> again = eigenvalues.read(kGpu);
        if (std::memcmp(again.data(), gpu.data(), gpu.size() * sizeof(double)) != 0)
            jnas_test::report(__FILE__, __LINE__, str("symmetric_eigenvalues n=", n, ": GPU result differs between runs"));
    }
}

TEST_CASE("symmetric_eigenvalues: NaN or inf in the upper triangle flags that matrix alone") {
    const int n = 9, count = 3;
    std::vector<float> values;
    for (int i = 0; i < count; ++i) {
        std::vector<float> m = symmetric_matrix(n, 0);
        values.insert(values.end(), m.begin(), m.end());
    }
    values[size_t(0) * n * n + 2 * n + 5] = kNaN;                                      // matrix 0: NaN above
    values[size_t(2) * n * n + 8 * n + 8] = std::numeric_limits<float>::infinity();  // matrix 2: inf on the diagonal
    Floats stored(values);
    Twin<double> eigenvalues(size_t(count) * n, -7.0);
    Twin<uint32_t> status(size_t(count), 99u);
    on_both([&](Backend& b, Side side) {
        std::vector<const float*> pointers = {stored[side], stored[side] + n * n, stored[side] + 2 * n * n};
        b.symmetric_eigenvalues(count, n, pointers.data(), eigenvalues[side], status[side]);
    });
    for (Side side : {kCpu, kGpu}) {
        std::vector<double> lambda = eigenvalues.read(side);
        std::vector<uint32_t> flags = status.read(side);
        CHECK(flags[0] == JNAS_SPECTRUM_NONFINITE && flags[1] == 0u && flags[2] == JNAS_SPECTRUM_NONFINITE);
        for (int k = 0; k < n; ++k) {
            CHECK(std::isnan(lambda[size_t(k)]) && std::isnan(lambda[size_t(2 * n + k)]));
            CHECK(std::isfinite(lambda[size_t(n + k)]));
        }
    }
}

TEST_CASE("pack_sign_bits: ReLUs sharing words, zeros, NaN and infinities; rows equal bit for bit") {
    const int64_t rows = 5, units[] = {100, 37, 200, 64, 1}, words = PatternSet::words_for(402);
    // Random starting words: packing ORs its bits in and leaves every other bit as it was.
    std::vector<uint64_t> start(static_cast<size_t>(rows * words));
    for (uint64_t& w : start) w = (uint64_t(rng()()) << 32 | rng()()) & (uint64_t(rng()()) << 32 | rng()());
    Twin<uint64_t> packed(start);
    int64_t offset = 0;
    for (int64_t count : units) {
        std::vector<float> x = random(size_t(rows * count));
        const float specials[] = {0.0f, -0.0f, kNaN, std::numeric_limits<float>::infinity(),
                                  -std::numeric_limits<float>::infinity(), 1e-45f, -1e-45f};
        for (size_t i = 0; i < 7 && i < x.size(); ++i) x[i * 3 % x.size()] = specials[i];
        Floats input(x);
        on_both([&](Backend& b, Side side) { b.pack_sign_bits(rows, count, input[side], offset, words, packed[side]); });
        offset += count;
    }
    std::vector<uint64_t> cpu = packed.read(kCpu), gpu = packed.read(kGpu);
    size_t differ = 0;
    for (size_t i = 0; i < cpu.size(); ++i) differ += cpu[i] != gpu[i];
    if (differ > 0) jnas_test::report(__FILE__, __LINE__, str("pack_sign_bits: ", differ, " words differ"));
}

// Rows as 64-bit words; `exact` is the number of distinct ones, counted with a std::set.
void expect_same_distinct_count(const std::string& what, const std::vector<uint64_t>& packed, int64_t rows,
                                int64_t words) {
    std::set<std::vector<uint64_t>> distinct;
    for (int64_t r = 0; r < rows; ++r) distinct.insert(std::vector<uint64_t>(packed.begin() + r * words,
                                                                              packed.begin() + (r + 1) * words));
    Twin<uint64_t> stored(packed);
    const RowHash masks[] = {kAllHashBits, RowHash{0, 0}, RowHash{0, 0xff}, RowHash{0xff, 0}, RowHash{1, 1}};
    for (const RowHash& mask : masks) {
        int64_t cpu = g_cpu->count_distinct_rows(rows, words, stored[kCpu], mask);
        int64_t gpu = g_gpu->count_distinct_rows(rows, words, stored[kGpu], mask);
        if (cpu != int64_t(distinct.size()) || gpu != cpu)
            jnas_test::report(__FILE__, __LINE__, str(what, " (hash mask ", mask.high, ", ", mask.low, "): exact ",
                                                      distinct.size(), ", CPU ", cpu, ", GPU ", gpu));
    }
}

TEST_CASE("count_distinct_rows: duplicates, last-bit differences, forced collisions; CUDA equals the CPU") {
    auto word = [] { return uint64_t(rng()()) << 32 | rng()(); };
    // 1,000 distinct rows of 130 bits, each repeated up to 3 times, scrambled (test_patterns.cpp's collision case).
    std::vector<std::vector<uint64_t>> rows;
    for (int i = 0; i < 1000; ++i) {
        std::vector<uint64_t> r{word() & word(), word(), word() & 3};
        for (int copy = 0; copy <= i % 3; ++copy) rows.push_back(r);
    }
    std::shuffle(rows.begin(), rows.end(), rng());
    std::vector<uint64_t> packed;
    for (const auto& r : rows) packed.insert(packed.end(), r.begin(), r.end());
    expect_same_distinct_count("repeated 130-bit rows", packed, int64_t(rows.size()), 3);

    // Rows of 200 bits that differ only in their last bit, interleaved with exact copies.
    packed.clear();
    std::vector<uint64_t> base{word(), word(), word(), word() & 0xff};
    for (int i = 0; i < 600; ++i) {
        std::vector<uint64_t> r = base;
        r[1] ^= uint64_t(i % 7);          // 7 prefixes
        r[3] ^= uint64_t(i % 2) << 7;     // bit 199, the last one
        packed.insert(packed.end(), r.begin(), r.end());
    }
    expect_same_distinct_count("rows differing in the last bit", packed, 600, 4);

    // Many rows drawn from 37 one-word patterns; and a single row; and rows of no bits (words = 0).
    packed.clear();
    std::vector<uint64_t> patterns(37);
    for (uint64_t& p : patterns) p = word();
    for (int i = 0; i < 5000; ++i) packed.push_back(patterns[rng()() % patterns.size()]);
    expect_same_distinct_count("5000 rows of 37 one-word patterns", packed, 5000, 1);
    expect_same_distinct_count("one row", {word(), word()}, 1, 2);
    expect_same_distinct_count("rows of no bits", {}, 17, 0);
}

// ---- the mul op's gates ---------------------------------------------------------------------------------------------

TEST_CASE("gates: multiply_accumulate, scale_channels (overwrite and accumulate), channel_dot_accumulate") {
    for (int64_t n : {1, 1000, 70001}) {
        Floats a(random(n)), b(random(n)), y(random(n));
        on_both([&](Backend& be, Side side) { be.multiply_accumulate(n, a[side], b[side], y[side]); });
        expect_close(str("multiply_accumulate n=", n), y, kTight);
    }
    struct NCHW { int n, c, hw; };
    for (NCHW s : {NCHW{1, 1, 1}, NCHW{3, 6, 784}, NCHW{8, 16, 100}, NCHW{64, 120, 1}, NCHW{2, 300, 7}}) {
        const size_t total = size_t(s.n) * s.c * s.hw;
        const std::string shape = str(s.n, "x", s.c, "x", s.hw);
        Floats x(random(total)), gate(random(s.c)), y(total, kNaN), dx(random(total)), dgate(random(s.c));
        on_both([&](Backend& b, Side side) {
            b.scale_channels(s.n, s.c, s.hw, x[side], gate[side], y[side], false);
        });
        expect_close("scale_channels " + shape, y, 0.0);
        on_both([&](Backend& b, Side side) {
            b.scale_channels(s.n, s.c, s.hw, y[side], gate[side], dx[side], true);
        });
        expect_close("scale_channels accumulate " + shape, dx, kTight);
        on_both([&](Backend& b, Side side) {
            b.channel_dot_accumulate(s.n, s.c, s.hw, x[side], dx[side], dgate[side]);
        });
        expect_close("channel_dot_accumulate " + shape, dgate, kReduction);
    }
}

}  // namespace

// An optional argument runs only the cases whose name contains it, e.g. `test_gpu_twins conv2d`.
int main(int argc, char** argv) {
    try {
        g_gpu = make_cuda_backend(0);
    } catch (const Error& e) {
        if (e.status() != JNAS_ERR_NO_DEVICE) throw;
        std::printf("SKIPPED: %s\n", e.what());
        return 77;
    }
    g_cpu = make_cpu_backend();
    std::printf("CPU twin: %s; GPU: %s\n", g_cpu->device_name().c_str(), g_gpu->device_name().c_str());
    for (auto& c : jnas_test::cases()) {
        if (argc > 1 && std::strstr(c.name, argv[1]) == nullptr) continue;
        int before = jnas_test::failures();
        try {
            c.body();
        } catch (const std::exception& e) {
            jnas_test::report(__FILE__, __LINE__, str(c.name, " threw: ", e.what()));
        }
        std::printf("%s %s\n", jnas_test::failures() == before ? "ok  " : "FAIL", c.name);
    }
    std::printf("%d failure(s)\n", jnas_test::failures());
    return jnas_test::failures() == 0 ? 0 : 1;
}
