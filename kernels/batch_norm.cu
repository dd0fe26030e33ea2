// batch_norm.cu — batch norm over x viewed as [n, c, hw]. Statistics take one block per channel, summing in
// double with the fixed tree of block_sum (two passes, Σ(x − mean)², as the CPU backend: Σx² − N·mean² cancels);
// normalization is elementwise. Formulas are those of the CPU backend (native/src/cpu/batch_norm.cpp).
#include <algorithm>

#include "cuda_kernels.cuh"

namespace jnas::cuda {
namespace {

// Element e of a channel's n·hw values, e = sample·hw + i.
__device__ __forceinline__ int64_t channel_element(int c, int hw, int channel, int64_t e) {
    return (e / hw * c + channel) * hw + e % hw;
}

// Block `channel`: batch mean and biased variance → save_mean, save_invstd; running stats with the unbiased
// variance N/(N−1) (kept biased when N == 1, where it has no unbiased value).
__global__ void batch_stats_kernel(BatchNormShape s, const float* x, float momentum, float* running_mean,
                                   float* running_var, float* save_mean, float* save_invstd) {
    __shared__ double shared[32];
    const int channel = blockIdx.x;
    const int64_t count = int64_t(s.n) * s.hw;
    double total = 0.0;
    for (int64_t e = threadIdx.x; e < count; e += blockDim.x) total += double(x[channel_element(s.c, s.hw, channel, e)]);
    const double mean = block_sum(total, shared) / double(count);
    double squares = 0.0;
    for (int64_t e = threadIdx.x; e < count; e += blockDim.x) {
        const double d = double(x[channel_element(s.c, s.hw, channel, e)]) - mean;
        squares += d * d;
    }
    const double var = block_sum(squares, shared) / double(count);
    if (threadIdx.x != 0) return;
    save_mean[channel] = float(mean);
    save_invstd[channel] = float(1.0 / sqrt(var + double(s.eps)));
    if (running_mean != nullptr)
        running_mean[channel] = float((1.0 - momentum) * running_mean[channel] + double(momentum) * mean);
    if (running_var != nullptr) {
        const double unbiased = count > 1 ? var * double(count) / double(count - 1) : var;
        running_var[channel] = float((1.0 - momentum) * running_var[channel] + double(momentum) * unbiased);
    }
}

__global__ void running_stats_kernel(int c, float eps, const float* running_mean, const float* running_var,
                                     float* save_mean, float* save_invstd) {
    JNAS_GRID_STRIDE(channel, c) {
        save_mean[channel] = running_mean[channel];
        save_invstd[channel] = float(1.0 / sqrt(double(running_var[channel]) + double(eps)));
    }
}

// y = (x − mean)·(invstd·gamma) + beta, the per-channel scale rounded to float first as on the CPU.
__global__ void normalize_kernel(BatchNormShape s, const float* x, const float* gamma, const float* beta,
                                 const float* mean, const float* invstd, float* y) {
    JNAS_GRID_STRIDE(i, int64_t(s.n) * s.c * s.hw) {
        const int channel = int(i / s.hw % s.c);
        const float scale = invstd[channel] * (gamma != nullptr ? gamma[channel] : 1.0f);
        y[i] = (x[i] - mean[channel]) * scale + (beta != nullptr ? beta[channel] : 0.0f);
    }
}

// Block (channel, row): row r of batch_norm_backward_rows reads x + r·x_row_floats and dy + r·dy_row_floats, and
// adds into dx + r·dy_row_floats and dgamma/dbeta + r·ld. With x̂ = (x − mean)·invstd, N = n·hw and the output
// gradient g = dy_scale·dy:
// dbeta += Σg, dgamma += Σ g·x̂, and
//   train:     dx += gamma·invstd·(g − Σg/N − x̂·Σ(g·x̂)/N)
//   not train: dx += gamma·invstd·g
// The sums are of the unscaled dy, and dy_scale goes into the factors (as the CPU twin).
__global__ void batch_norm_backward_kernel(BatchNormShape s, bool train, const float* x, int64_t x_row_floats,
                                           const float* dy, int64_t dy_row_floats, float dy_scale,
                                           const float* gamma, const float* save_mean, const float* save_invstd,
                                           float* dx, float* dgamma, float* dbeta, int64_t ld) {
    __shared__ double shared[32];
    const int channel = blockIdx.x;
    x += blockIdx.y * x_row_floats;
    dy += blockIdx.y * dy_row_floats;
    if (dx != nullptr) dx += blockIdx.y * dy_row_floats;
    if (dgamma != nullptr) dgamma += blockIdx.y * ld;
    if (dbeta != nullptr) dbeta += blockIdx.y * ld;
    const int64_t count = int64_t(s.n) * s.hw;
    const double mean = save_mean[channel], invstd = save_invstd[channel];
    double dy_total = 0.0, dy_centered = 0.0;  // Σ dy, Σ dy·(x − mean)
    for (int64_t e = threadIdx.x; e < count; e += blockDim.x) {
        const int64_t i = channel_element(s.c, s.hw, channel, e);
        dy_total += double(dy[i]);
        dy_centered += double(dy[i]) * (double(x[i]) - mean);
    }
    const double sum_dy = block_sum(dy_total, shared);
    const double sum_dy_centered = block_sum(dy_centered, shared);
    if (threadIdx.x == 0) {
        if (dbeta != nullptr) dbeta[channel] = float(double(dbeta[channel]) + sum_dy * dy_scale);
        if (dgamma != nullptr)
            dgamma[channel] = float(double(dgamma[channel]) + sum_dy_centered * dy_scale * invstd);
    }
    if (dx == nullptr) return;
    const float scale = float((gamma != nullptr ? double(gamma[channel]) : 1.0) * invstd * dy_scale);
    const float mean_dy = train ? float(sum_dy / double(count)) : 0.0f;
    // x̂·Σ(dy·x̂)/N = (x − mean)·invstd²·Σ(dy·(x − mean))/N
    const float centered_coeff = train ? float(invstd * invstd * sum_dy_centered / double(count)) : 0.0f;
    const float mean_f = float(mean);
    for (int64_t e = threadIdx.x; e < count; e += blockDim.x) {
        const int64_t i = channel_element(s.c, s.hw, channel, e);
        dx[i] += scale * (dy[i] - mean_dy - (x[i] - mean_f) * centered_coeff);
    }
}

// Constant statistics and no parameter gradients (a Jacobian walk's dx pass): no sums are needed, so this runs
// elementwise over every row rather than a block per channel, with batch_norm_backward_kernel's formula at
// mean_dy = centered_coeff = 0 (a NaN or inf in x still gives NaN, as on the CPU).
__global__ void batch_norm_dx_kernel(BatchNormShape s, int64_t total, const float* x, int64_t x_row_floats,
                                     const float* dy, int64_t dy_row_floats, float dy_scale, const float* gamma,
                                     const float* save_mean, const float* save_invstd, float* dx) {
    const float mean_dy = 0.0f, centered_coeff = 0.0f;
    JNAS_GRID_STRIDE(i, total) {
        const int64_t row = i / dy_row_floats, within = i % dy_row_floats;
        const int channel = int(within / s.hw % s.c);
        const float scale =
            float((gamma != nullptr ? double(gamma[channel]) : 1.0) * double(save_invstd[channel]) * dy_scale);
        const float centered = x[row * x_row_floats + within] - save_mean[channel];
        dx[i] += scale * (dy[i] - mean_dy - centered * centered_coeff);
    }
}

}  // namespace

void batch_norm_forward_train(const Gpu& gpu, const BatchNormShape& s, const float* x, const float* gamma,
                              const float* beta, float momentum, float* running_mean, float* running_var,
                              float* save_mean, float* save_invstd, float* y) {
    if (s.c <= 0) return;
    // A block per channel: few channels (NB201's 3 to 64) make few blocks, so each takes as many threads as it can.
    constexpr int kStatsThreads = 1024;
    batch_stats_kernel<<<s.c, kStatsThreads, 0, gpu.stream>>>(s, x, momentum, running_mean, running_var, save_mean,
                                                               save_invstd);
    check_launch("batch_norm_forward_train");
    const int64_t total = int64_t(s.n) * s.c * s.hw;
    if (total <= 0) return;
    normalize_kernel<<<grid_for(total), kThreads, 0, gpu.stream>>>(s, x, gamma, beta, save_mean, save_invstd, y);
    check_launch("batch_norm_forward_train");
}

void batch_norm_forward_eval(const Gpu& gpu, const BatchNormShape& s, const float* x, const float* gamma,
                             const float* beta, const float* running_mean, const float* running_var,
                             float* save_mean, float* save_invstd, float* y) {
    if (s.c <= 0) return;
    running_stats_kernel<<<grid_for(s.c), kThreads, 0, gpu.stream>>>(s.c, s.eps, running_mean, running_var,
                                                                     save_mean, save_invstd);
    check_launch("batch_norm_forward_eval");
    const int64_t total = int64_t(s.n) * s.c * s.hw;
    if (total <= 0) return;
    normalize_kernel<<<grid_for(total), kThreads, 0, gpu.stream>>>(s, x, gamma, beta, save_mean, save_invstd, y);
    check_launch("batch_norm_forward_eval");
}

void batch_norm_backward(const Gpu& gpu, const BatchNormShape& s, bool train, const float* x, const float* dy,
                         float dy_scale, const float* gamma, const float* save_mean, const float* save_invstd,
                         float* dx, float* dgamma, float* dbeta) {
    batch_norm_backward_rows(gpu, s, 1, 0, train, x, dy, dy_scale, gamma, save_mean, save_invstd, dx, dgamma, dbeta,
                             0);
}

void batch_norm_backward_rows(const Gpu& gpu, const BatchNormShape& s, int rows, int x_row_step, bool train,
                              const float* x, const float* dy, float dy_scale, const float* gamma,
                              const float* save_mean, const float* save_invstd, float* dx, float* dgamma,
                              float* dbeta, int64_t ld) {
    if (s.c <= 0 || rows <= 0) return;
    const int64_t numel = int64_t(s.c) * s.hw, row_floats = s.n * numel;
    if (!train && dgamma == nullptr && dbeta == nullptr) {
        if (dx == nullptr) return;
        const int64_t total = rows * row_floats;
        batch_norm_dx_kernel<<<grid_for(total), kThreads, 0, gpu.stream>>>(
            s, total, x, int64_t(x_row_step) * numel, dy, row_floats, dy_scale, gamma, save_mean, save_invstd, dx);
        check_launch("batch_norm_backward");
        return;
    }
    for (int row0 = 0; row0 < rows; row0 += kMaxGridY) {  // rows beyond gridDim.y's limit go in further launches
        const int count = std::min(kMaxGridY, rows - row0);
        batch_norm_backward_kernel<<<dim3(s.c, count), kThreads, 0, gpu.stream>>>(
            s, train, x + int64_t(row0) * x_row_step * numel, int64_t(x_row_step) * numel, dy + row0 * row_floats,
            row_floats, dy_scale, gamma, save_mean, save_invstd, dx ? dx + row0 * row_floats : nullptr,
            dgamma ? dgamma + row0 * ld : nullptr, dbeta ? dbeta + row0 * ld : nullptr, ld);
        check_launch("batch_norm_backward");
    }
}

}  // namespace jnas::cuda
