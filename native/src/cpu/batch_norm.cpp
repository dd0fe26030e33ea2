// batch_norm.cpp — batch norm over x viewed as [n, c, hw]. Work is split over channels; each channel's sums
// run over its samples in order in double, so statistics are exact to double rounding and independent of the
// thread count.
#include <cmath>

#include "cpu/accumulate.hpp"
#include "cpu/cpu_kernels.hpp"

namespace jnas::cpu {
namespace {

int64_t plane_offset(const BatchNormShape& s, int sample, int channel) {
    return (int64_t(sample) * s.c + channel) * s.hw;
}

// y = (x - mean) · (invstd · gamma) + beta over one channel of every sample.
void normalize_channel(const BatchNormShape& s, int c, const float* x, float mean, float invstd, float gamma,
                       float beta, float* y) {
    float scale = invstd * gamma;
    for (int sample = 0; sample < s.n; ++sample) {
        int64_t base = plane_offset(s, sample, c);
        for (int i = 0; i < s.hw; ++i) y[base + i] = (x[base + i] - mean) * scale + beta;
    }
}

}  // namespace

void batch_norm_forward_train(int threads, const BatchNormShape& s, const float* x, const float* gamma,
                              const float* beta, float momentum, float* running_mean, float* running_var,
                              float* save_mean, float* save_invstd, float* y) {
    double count = double(s.n) * s.hw;
    parallel_for(threads_for(int64_t(s.n) * s.c * s.hw, threads), s.c, [&](int c) {
        double total = 0.0;
        for (int sample = 0; sample < s.n; ++sample) total += sum(x + plane_offset(s, sample, c), s.hw);
        double mean = total / count;
        double squares = 0.0;  // two passes: Σ(x - mean)² does not cancel the way Σx² - n·mean² does
        for (int sample = 0; sample < s.n; ++sample)
            squares += centered_sum_squares(x + plane_offset(s, sample, c), s.hw, mean);
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
                         const float* gamma, const float* save_mean, const float* save_invstd, float* dx,
                         float* dgamma, float* dbeta) {
    double count = double(s.n) * s.hw;
    // Frozen statistics and no parameter gradients (the Jacobian walk's dx pass): dx needs no sums at all.
    bool needs_sums = train || dgamma != nullptr || dbeta != nullptr;
    parallel_for(threads_for(int64_t(s.n) * s.c * s.hw, threads), s.c, [&](int c) {
        double mean = save_mean[c], invstd = save_invstd[c];
        double sum_dy = 0.0, sum_dy_centered = 0.0;  // Σ dy, Σ dy·(x - mean)
        for (int sample = 0; needs_sums && sample < s.n; ++sample) {
            int64_t base = plane_offset(s, sample, c);
            sum_dy += sum(dy + base, s.hw);
            sum_dy_centered += centered_dot(dy + base, x + base, s.hw, mean);
        }
        if (dbeta != nullptr) dbeta[c] = float(double(dbeta[c]) + sum_dy);
        if (dgamma != nullptr) dgamma[c] = float(double(dgamma[c]) + sum_dy_centered * invstd);
        if (dx == nullptr) return;
        float scale = float((gamma ? double(gamma[c]) : 1.0) * invstd);
        float mean_dy = train ? float(sum_dy / count) : 0.0f;
        // x̂·Σ(dy·x̂)/N = (x - mean)·invstd²·Σ(dy·(x - mean))/N
        float centered_coeff = train ? float(invstd * invstd * sum_dy_centered / count) : 0.0f;
        float mean_f = float(mean);
        for (int sample = 0; sample < s.n; ++sample) {
            int64_t base = plane_offset(s, sample, c);
            for (int i = 0; i < s.hw; ++i)
                dx[base + i] += scale * (dy[base + i] - mean_dy - (x[base + i] - mean_f) * centered_coeff);
        }
    });
}

}  // namespace jnas::cpu
