// batch_norm.cpp — batch norm over x viewed as [n, c, hw]. Work is split over channels; each channel's sums
// run over its samples in order in double, so statistics are exact to double rounding and independent of the
// thread count.
#include <cmath>

#include "cpu/cpu_kernels.hpp"
#include "cpu/vector_clones.hpp"

namespace jnas::cpu {
namespace {

int64_t plane_offset(const BatchNormShape& s, int sample, int channel) {
    return (int64_t(sample) * s.c + channel) * s.hw;
}

// y = (x - mean)·scale + beta over one plane.
JNAS_VECTOR_CLONES
void normalize_plane(const float* x, float mean, float scale, float beta, int64_t n, float* y) {
    for (int64_t i = 0; i < n; ++i) y[i] = (x[i] - mean) * scale + beta;
}

// y = (x - mean) · (invstd · gamma) + beta over one channel of every sample.
void normalize_channel(const BatchNormShape& s, int c, const float* x, float mean, float invstd, float gamma,
                       float beta, float* y) {
    float scale = invstd * gamma;
    for (int sample = 0; sample < s.n; ++sample) {
        int64_t base = plane_offset(s, sample, c);
        normalize_plane(x + base, mean, scale, beta, s.hw, y + base);
    }
}

typedef double Doubles8 __attribute__((vector_size(8 * sizeof(double))));

JNAS_INLINE Doubles8 load_doubles(const float* from) { return __builtin_convertvector(load_lanes<8>(from), Doubles8); }

// The plane sums below run in double: the terms go round 8 lanes by index, each lane adds in order, then the
// lanes are added in order and the tail after them.

// Σ x and Σ (x - mean)² over one plane, the second from a first pass's mean.
JNAS_VECTOR_CLONES
double plane_sum(const float* x, int64_t n) {
    Doubles8 lanes = {};
    int64_t i = 0;
    for (; i + 8 <= n; i += 8) lanes += load_doubles(x + i);
    double total = 0.0;
    for (int l = 0; l < 8; ++l) total += lanes[l];
    for (; i < n; ++i) total += double(x[i]);
    return total;
}

JNAS_VECTOR_CLONES
double plane_centered_squares(const float* x, double mean, int64_t n) {
    Doubles8 lanes = {};
    int64_t i = 0;
    for (; i + 8 <= n; i += 8) {
        Doubles8 d = load_doubles(x + i) - mean;
        lanes += d * d;
    }
    double total = 0.0;
    for (int l = 0; l < 8; ++l) total += lanes[l];
    for (; i < n; ++i) total += (double(x[i]) - mean) * (double(x[i]) - mean);
    return total;
}

// sums[0] += Σ dy, sums[1] += Σ dy·(x - mean) over `planes` planes of n values each, `stride` apart (a channel of
// every sample). These are sums over cotangents, one set per Jacobian row (a coupled walk does them B times per
// forward), so they run in 16 float lanes over chunks of at least kFloatChunk values (a few dozen terms a lane,
// whole planes), each chunk's lanes then added into 16 double lanes; a plane's last n % 16 values go straight
// into double. That is a third of the work of converting every term, and as exact as float terms allow.
constexpr int64_t kFloatChunk = 1024;

JNAS_VECTOR_CLONES
void channel_sums(const float* dy, const float* x, double mean, int planes, int64_t n, int64_t stride,
                  double* sums) {
    Doubles8 sum_dy[2] = {}, sum_dy_centered[2] = {};
    Lanes<16> chunk_dy = {}, chunk_dy_centered = {};
    double tail_dy = 0.0, tail_dy_centered = 0.0;
    const float centre = float(mean);
    const int64_t whole = n / 16 * 16;
    int64_t in_chunk = 0;
    for (int plane = 0; plane < planes; ++plane) {
        const float* g = dy + plane * stride;
        const float* v = x + plane * stride;
        for (int64_t i = 0; i < whole; i += 16) {
            Lanes<16> d = load_lanes<16>(g + i);
            chunk_dy += d;
            chunk_dy_centered += d * (load_lanes<16>(v + i) - centre);
        }
        in_chunk += whole;
        if (in_chunk >= kFloatChunk || plane == planes - 1) {
            for (int h = 0; h < 2; ++h) {
                sum_dy[h] += load_doubles(reinterpret_cast<const float*>(&chunk_dy) + 8 * h);
                sum_dy_centered[h] += load_doubles(reinterpret_cast<const float*>(&chunk_dy_centered) + 8 * h);
            }
            chunk_dy = Lanes<16>{};
            chunk_dy_centered = Lanes<16>{};
            in_chunk = 0;
        }
        for (int64_t i = whole; i < n; ++i) {
            tail_dy += double(g[i]);
            tail_dy_centered += double(g[i]) * double(v[i] - centre);
        }
    }
    double a = 0.0, b = 0.0;
    for (int h = 0; h < 2; ++h)
        for (int l = 0; l < 8; ++l) {
            a += sum_dy[h][l];
            b += sum_dy_centered[h][l];
        }
    sums[0] += a + tail_dy;
    sums[1] += b + tail_dy_centered;
}

// dx += scale·(dy - mean_dy - (x - mean)·centered_coeff) over one plane.
JNAS_VECTOR_CLONES
void plane_dx(const float* dy, const float* x, float mean, float scale, float mean_dy, float centered_coeff,
              int64_t n, float* dx) {
    for (int64_t i = 0; i < n; ++i) dx[i] += scale * (dy[i] - mean_dy - (x[i] - mean) * centered_coeff);
}

}  // namespace

void batch_norm_forward_train(int threads, const BatchNormShape& s, const float* x, const float* gamma,
                              const float* beta, float momentum, float* running_mean, float* running_var,
                              float* save_mean, float* save_invstd, float* y) {
    double count = double(s.n) * s.hw;
    parallel_for(threads_for(int64_t(s.n) * s.c * s.hw, threads), s.c, [&](int c) {
        double total = 0.0;
        for (int sample = 0; sample < s.n; ++sample) total += plane_sum(x + plane_offset(s, sample, c), s.hw);
        double mean = total / count;
        double squares = 0.0;  // two passes: Σ(x - mean)² does not cancel the way Σx² - n·mean² does
        for (int sample = 0; sample < s.n; ++sample)
            squares += plane_centered_squares(x + plane_offset(s, sample, c), mean, s.hw);
        double var = squares / count;
        double invstd = 1.0 / std::sqrt(var + double(s.eps));
        save_mean[c] = float(mean);
        save_invstd[c] = float(invstd);
        if (running_mean != nullptr)
            running_mean[c] = float((1.0 - momentum) * running_mean[c] + double(momentum) * mean);
        if (running_var != nullptr) {
            // PyTorch's running variance is unbiased; a single value per channel has none, so keep the biased.
            double unbiased = count > 1.0 ? var * count / (count - 1.0) : var;
            running_var[c] = float((1.0 - momentum) * running_var[c] + double(momentum) * unbiased);
        }
        normalize_channel(s, c, x, float(mean), float(invstd), gamma ? gamma[c] : 1.0f, beta ? beta[c] : 0.0f, y);
    });
}

void batch_norm_forward_eval(int threads, const BatchNormShape& s, const float* x, const float* gamma,
                             const float* beta, const float* running_mean, const float* running_var,
                             float* save_mean, float* save_invstd, float* y) {
    parallel_for(threads_for(int64_t(s.n) * s.c * s.hw, threads), s.c, [&](int c) {
        save_mean[c] = running_mean[c];
        save_invstd[c] = float(1.0 / std::sqrt(double(running_var[c]) + double(s.eps)));
        normalize_channel(s, c, x, save_mean[c], save_invstd[c], gamma ? gamma[c] : 1.0f, beta ? beta[c] : 0.0f, y);
    });
}

// With x̂ = (x - mean)·invstd, N = n·hw: dbeta = Σ dy, dgamma = Σ dy·x̂, and
//   train:     dx = gamma·invstd·(dy - Σdy/N - x̂·Σ(dy·x̂)/N)   (mean and variance depend on x)
//   not train: dx = gamma·invstd·dy                            (statistics are constants)
void batch_norm_backward(int threads, const BatchNormShape& s, bool train, const float* x, const float* dy,
                         float dy_scale, const float* gamma, const float* save_mean, const float* save_invstd,
                         float* dx, float* dgamma, float* dbeta) {
    double count = double(s.n) * s.hw;
    // Frozen statistics and no parameter gradients (the Jacobian walk's dx pass): dx needs no sums at all.
    bool needs_sums = train || dgamma != nullptr || dbeta != nullptr;
    parallel_for(threads_for(int64_t(s.n) * s.c * s.hw, threads), s.c, [&](int c) {
        double mean = save_mean[c], invstd = save_invstd[c];
        double sums[2] = {0.0, 0.0};  // Σ dy, Σ dy·(x - mean)
        if (needs_sums) {
            int64_t base = plane_offset(s, 0, c);
            channel_sums(dy + base, x + base, mean, s.n, s.hw, int64_t(s.c) * s.hw, sums);
        }
        // The sums are of the unscaled dy; dx is linear in dy, so dy_scale goes into its factor.
        double sum_dy = sums[0], sum_dy_centered = sums[1];
        if (dbeta != nullptr) dbeta[c] = float(double(dbeta[c]) + sum_dy * dy_scale);
        if (dgamma != nullptr) dgamma[c] = float(double(dgamma[c]) + sum_dy_centered * dy_scale * invstd);
        if (dx == nullptr) return;
        float scale = float((gamma ? double(gamma[c]) : 1.0) * invstd * dy_scale);
        float mean_dy = train ? float(sum_dy / count) : 0.0f;
        // x̂·Σ(dy·x̂)/N = (x - mean)·invstd²·Σ(dy·(x - mean))/N
        float centered_coeff = train ? float(invstd * invstd * sum_dy_centered / count) : 0.0f;
        for (int sample = 0; sample < s.n; ++sample) {
            int64_t base = plane_offset(s, sample, c);
            plane_dx(dy + base, x + base, float(mean), scale, mean_dy, centered_coeff, s.hw, dx + base);
        }
    });
}

}  // namespace jnas::cpu
