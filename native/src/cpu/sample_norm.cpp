// sample_norm.cpp — layer norm and group norm over x viewed as [n, c, hw], statistics per sample.
// Layer norm's statistic belongs to a position and runs over its c channels, which lie hw apart: a task takes one
// sample's block of consecutive positions and walks the channels in order. Group norm's statistic runs over a
// contiguous block of c/groups channel planes: a task per (sample, group). The parameter gradients are split
// over channels. Every sum runs in one fixed order in double, so the bits do not depend on the thread count.
#include <algorithm>
#include <cmath>

#include "cpu/accumulate.hpp"
#include "cpu/cpu_kernels.hpp"

namespace jnas::cpu {
namespace {

constexpr int kBlock = 256;  // layer norm: positions per task

float gamma_at(const float* gamma, int c) { return gamma ? gamma[c] : 1.0f; }
float beta_at(const float* beta, int c) { return beta ? beta[c] : 0.0f; }

// Runs body(sample, first position, positions in block) for every block of every sample.
template <typename Body>
void for_position_blocks(int threads, const SampleNormShape& s, Body body) {
    const int blocks = (s.hw + kBlock - 1) / kBlock;
    parallel_for(threads_for(int64_t(s.n) * s.c * s.hw, threads), int64_t(s.n) * blocks, [&](int64_t task) {
        const int sample = int(task / blocks), first = int(task % blocks) * kBlock;
        body(sample, first, std::min(kBlock, s.hw - first));
    });
}

// dgamma[c] += Σ dy·(x − mean)·invstd and dbeta[c] += Σ dy over every sample's plane of channel c, where a plane's
// position p uses statistic stats(sample, c) + p·step (layer norm: step 1, a statistic per position; group norm:
// step 0, the plane's group's).
template <typename Stats>
void parameter_gradients(int threads, const SampleNormShape& s, const float* x, const float* dy,
                         const float* save_mean, const float* save_invstd, Stats stats, int step, float* dgamma,
                         float* dbeta) {
    if (!dgamma && !dbeta) return;
    parallel_for(threads_for(int64_t(s.n) * s.c * s.hw, threads), s.c, [&](int c) {
        double sum_dy = 0.0, sum_dy_normalized = 0.0;
        for (int sample = 0; sample < s.n; ++sample) {
            const int64_t plane = (int64_t(sample) * s.c + c) * s.hw;
            const int64_t stat = stats(sample, c);
            const float* mean = save_mean + stat;
            const float* invstd = save_invstd + stat;
            sum_dy += sum(dy + plane, s.hw);
            sum_dy_normalized += sum_in_order(s.hw, [&](int64_t p) {
                return double(dy[plane + p]) * (double(x[plane + p]) - mean[p * step]) * invstd[p * step];
            });
        }
        if (dbeta) dbeta[c] = float(double(dbeta[c]) + sum_dy);
        if (dgamma) dgamma[c] = float(double(dgamma[c]) + sum_dy_normalized);
    });
}

}  // namespace

void layer_norm_forward(int threads, const SampleNormShape& s, const float* x, const float* gamma, const float* beta,
                        float* save_mean, float* save_invstd, float* y) {
    for_position_blocks(threads, s, [&](int sample, int first, int count) {
        const int64_t base = int64_t(sample) * s.c * s.hw + first;
        double mean[kBlock], squares[kBlock];
        std::fill(mean, mean + count, 0.0);
        std::fill(squares, squares + count, 0.0);
        for (int c = 0; c < s.c; ++c)
            for (int p = 0; p < count; ++p) mean[p] += double(x[base + int64_t(c) * s.hw + p]);
        for (int p = 0; p < count; ++p) mean[p] /= double(s.c);
        // two passes: Σ(x − mean)² does not cancel the way Σx² − C·mean² does
        for (int c = 0; c < s.c; ++c)
            for (int p = 0; p < count; ++p) {
                const double d = double(x[base + int64_t(c) * s.hw + p]) - mean[p];
                squares[p] += d * d;
            }
        float* sample_mean = save_mean + int64_t(sample) * s.hw + first;
        float* sample_invstd = save_invstd + int64_t(sample) * s.hw + first;
        for (int p = 0; p < count; ++p) {
            sample_mean[p] = float(mean[p]);
            sample_invstd[p] = float(1.0 / std::sqrt(squares[p] / double(s.c) + double(s.eps)));
        }
        for (int c = 0; c < s.c; ++c) {
            const float g = gamma_at(gamma, c), b = beta_at(beta, c);
            for (int p = 0; p < count; ++p) {
                const int64_t i = base + int64_t(c) * s.hw + p;
                y[i] = (x[i] - sample_mean[p]) * sample_invstd[p] * g + b;
            }
        }
    });
}

void layer_norm_backward(int threads, const SampleNormShape& s, bool differentiate_stats, const float* x,
                         const float* dy, const float* gamma, const float* save_mean, const float* save_invstd,
                         float* dx, float* dgamma, float* dbeta) {
    parameter_gradients(threads, s, x, dy, save_mean, save_invstd,
                        [&](int sample, int) { return int64_t(sample) * s.hw; }, 1, dgamma, dbeta);
    if (!dx) return;
    for_position_blocks(threads, s, [&](int sample, int first, int count) {
        const int64_t base = int64_t(sample) * s.c * s.hw + first;
        const float* mean = save_mean + int64_t(sample) * s.hw + first;
        const float* invstd = save_invstd + int64_t(sample) * s.hw + first;
        // per position, with g = gamma·dy: Σ g and Σ g·(x − mean)
        double sum_g[kBlock], sum_g_centered[kBlock];
        std::fill(sum_g, sum_g + count, 0.0);
        std::fill(sum_g_centered, sum_g_centered + count, 0.0);
        for (int c = 0; differentiate_stats && c < s.c; ++c) {
            const double g_c = gamma_at(gamma, c);
            for (int p = 0; p < count; ++p) {
                const int64_t i = base + int64_t(c) * s.hw + p;
                const double g = g_c * double(dy[i]);
                sum_g[p] += g;
                sum_g_centered[p] += g * (double(x[i]) - double(mean[p]));
            }
        }
        float mean_g[kBlock], centered_coeff[kBlock];  // Σg/C and invstd²·Σg·(x − mean)/C
        for (int p = 0; p < count; ++p) {
            mean_g[p] = float(sum_g[p] / double(s.c));
            centered_coeff[p] = float(double(invstd[p]) * double(invstd[p]) * sum_g_centered[p] / double(s.c));
        }
        for (int c = 0; c < s.c; ++c) {
            const float g_c = gamma_at(gamma, c);
            for (int p = 0; p < count; ++p) {
                const int64_t i = base + int64_t(c) * s.hw + p;
                dx[i] += invstd[p] * (g_c * dy[i] - mean_g[p] - (x[i] - mean[p]) * centered_coeff[p]);
            }
        }
    });
}

void group_norm_forward(int threads, const SampleNormShape& s, int groups, const float* x, const float* gamma,
                        const float* beta, float* save_mean, float* save_invstd, float* y) {
    const int channels = s.c / groups;
    const int64_t count = int64_t(channels) * s.hw;  // a group's values, contiguous
    parallel_for(threads_for(int64_t(s.n) * s.c * s.hw, threads), int64_t(s.n) * groups, [&](int64_t set) {
        const int64_t base = set * count;
        const double mean = sum(x + base, count) / double(count);
        const double var = centered_sum_squares(x + base, count, mean) / double(count);
        const float mean_f = float(mean), invstd = float(1.0 / std::sqrt(var + double(s.eps)));
        save_mean[set] = mean_f;
        save_invstd[set] = invstd;
        const int first_channel = int(set % groups) * channels;
        for (int k = 0; k < channels; ++k) {
            const float g = gamma_at(gamma, first_channel + k), b = beta_at(beta, first_channel + k);
            const int64_t plane = base + int64_t(k) * s.hw;
            for (int p = 0; p < s.hw; ++p) y[plane + p] = (x[plane + p] - mean_f) * invstd * g + b;
        }
    });
}

void group_norm_backward(int threads, const SampleNormShape& s, int groups, bool differentiate_stats, const float* x,
                         const float* dy, const float* gamma, const float* save_mean, const float* save_invstd,
                         float* dx, float* dgamma, float* dbeta) {
    const int channels = s.c / groups;
    parameter_gradients(threads, s, x, dy, save_mean, save_invstd,
                        [&](int sample, int c) { return int64_t(sample) * groups + c / channels; }, 0, dgamma, dbeta);
    if (!dx) return;
    const int64_t count = int64_t(channels) * s.hw;
    parallel_for(threads_for(int64_t(s.n) * s.c * s.hw, threads), int64_t(s.n) * groups, [&](int64_t set) {
        const int64_t base = set * count;
        const int first_channel = int(set % groups) * channels;
        const double mean = save_mean[set], invstd = save_invstd[set];
        double sum_g = 0.0, sum_g_centered = 0.0;  // with g = gamma·dy: Σ g, Σ g·(x − mean)
        for (int k = 0; differentiate_stats && k < channels; ++k) {
            const double g_c = gamma_at(gamma, first_channel + k);
            const int64_t plane = base + int64_t(k) * s.hw;
            sum_g += g_c * sum(dy + plane, s.hw);
            sum_g_centered += g_c * centered_dot(dy + plane, x + plane, s.hw, mean);
        }
        const float mean_g = float(sum_g / double(count));
        const float centered_coeff = float(invstd * invstd * sum_g_centered / double(count));
        const float mean_f = float(mean), invstd_f = float(invstd);
        for (int k = 0; k < channels; ++k) {
            const float g_c = gamma_at(gamma, first_channel + k);
            const int64_t plane = base + int64_t(k) * s.hw;
            for (int p = 0; p < s.hw; ++p)
                dx[plane + p] += invstd_f * (g_c * dy[plane + p] - mean_g - (x[plane + p] - mean_f) * centered_coeff);
        }
    });
}

}  // namespace jnas::cpu
