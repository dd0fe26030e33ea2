// sample_norm.cu — layer norm and group norm over x viewed as [n, c, hw], statistics per sample, with the formulas
// of the CPU backend (native/src/cpu/sample_norm.cpp). Layer norm: a thread per (sample, position) walks its c
// channels in order, as the CPU does. Group norm: a block per (sample, group) sums the group's contiguous values
// with the fixed tree of block_sum. Parameter gradients: a block per channel. All sums in double, no atomics.
#include "cuda_kernels.cuh"

namespace jnas::cuda {
namespace {

__device__ __forceinline__ float gamma_at(const float* gamma, int c) { return gamma != nullptr ? gamma[c] : 1.0f; }
__device__ __forceinline__ float beta_at(const float* beta, int c) { return beta != nullptr ? beta[c] : 0.0f; }

__global__ void layer_norm_forward_kernel(SampleNormShape s, const float* x, const float* gamma, const float* beta,
                                          float* save_mean, float* save_invstd, float* y) {
    JNAS_GRID_STRIDE(position, int64_t(s.n) * s.hw) {
        const int64_t base = position / s.hw * s.c * s.hw + position % s.hw;
        double total = 0.0;
        for (int c = 0; c < s.c; ++c) total += double(x[base + int64_t(c) * s.hw]);
        const double mean = total / double(s.c);
        double squares = 0.0;  // two passes: Σ(x − mean)² does not cancel the way Σx² − C·mean² does
        for (int c = 0; c < s.c; ++c) {
            const double d = double(x[base + int64_t(c) * s.hw]) - mean;
            squares += d * d;
        }
        const float mean_f = float(mean), invstd = float(1.0 / sqrt(squares / double(s.c) + double(s.eps)));
        save_mean[position] = mean_f;
        save_invstd[position] = invstd;
        for (int c = 0; c < s.c; ++c) {
            const int64_t i = base + int64_t(c) * s.hw;
            y[i] = (x[i] - mean_f) * invstd * gamma_at(gamma, c) + beta_at(beta, c);
        }
    }
}

// With g = gamma·dy: dx += invstd·(g − Σg/C − (x − mean)·invstd²·Σg·(x − mean)/C), or invstd·g when the statistics
// are constants.
__global__ void layer_norm_backward_kernel(SampleNormShape s, bool differentiate_stats, const float* x,
                                           const float* dy, const float* gamma, const float* save_mean,
                                           const float* save_invstd, float* dx) {
    JNAS_GRID_STRIDE(position, int64_t(s.n) * s.hw) {
        const int64_t base = position / s.hw * s.c * s.hw + position % s.hw;
        const float mean = save_mean[position], invstd = save_invstd[position];
        double sum_g = 0.0, sum_g_centered = 0.0;
        for (int c = 0; differentiate_stats && c < s.c; ++c) {
            const int64_t i = base + int64_t(c) * s.hw;
            const double g = double(gamma_at(gamma, c)) * double(dy[i]);
            sum_g += g;
            sum_g_centered += g * (double(x[i]) - double(mean));
        }
        const float mean_g = float(sum_g / double(s.c));
        const float centered_coeff = float(double(invstd) * double(invstd) * sum_g_centered / double(s.c));
        for (int c = 0; c < s.c; ++c) {
            const int64_t i = base + int64_t(c) * s.hw;
            dx[i] += invstd * (gamma_at(gamma, c) * dy[i] - mean_g - (x[i] - mean) * centered_coeff);
        }
    }
}

// Block `group set` = sample·groups + group over its count = (c/groups)·hw contiguous values.
__global__ void group_norm_forward_kernel(SampleNormShape s, int groups, const float* x, const float* gamma,
                                          const float* beta, float* save_mean, float* save_invstd, float* y) {
    __shared__ double shared[32];
    const int64_t set = blockIdx.x;
    const int channels = s.c / groups, first_channel = int(set % groups) * channels;
    const int64_t count = int64_t(channels) * s.hw, base = set * count;
    double total = 0.0;
    for (int64_t e = threadIdx.x; e < count; e += blockDim.x) total += double(x[base + e]);
    const double mean = block_sum(total, shared) / double(count);
    double squares = 0.0;
    for (int64_t e = threadIdx.x; e < count; e += blockDim.x) {
        const double d = double(x[base + e]) - mean;
        squares += d * d;
    }
    const double var = block_sum(squares, shared) / double(count);
    const float mean_f = float(mean), invstd = float(1.0 / sqrt(var + double(s.eps)));
    if (threadIdx.x == 0) {
        save_mean[set] = mean_f;
        save_invstd[set] = invstd;
    }
    for (int64_t e = threadIdx.x; e < count; e += blockDim.x) {
        const int c = first_channel + int(e / s.hw);
        y[base + e] = (x[base + e] - mean_f) * invstd * gamma_at(gamma, c) + beta_at(beta, c);
    }
}

__global__ void group_norm_backward_kernel(SampleNormShape s, int groups, bool differentiate_stats, const float* x,
                                           const float* dy, const float* gamma, const float* save_mean,
                                           const float* save_invstd, float* dx) {
    __shared__ double shared[32];
    const int64_t set = blockIdx.x;
    const int channels = s.c / groups, first_channel = int(set % groups) * channels;
    const int64_t count = int64_t(channels) * s.hw, base = set * count;
    const float mean = save_mean[set], invstd = save_invstd[set];
    double g_total = 0.0, g_centered = 0.0;
    for (int64_t e = threadIdx.x; differentiate_stats && e < count; e += blockDim.x) {
        const double g = double(gamma_at(gamma, first_channel + int(e / s.hw))) * double(dy[base + e]);
        g_total += g;
        g_centered += g * (double(x[base + e]) - double(mean));
    }
    const double sum_g = block_sum(g_total, shared), sum_g_centered = block_sum(g_centered, shared);
    const float mean_g = float(sum_g / double(count));
    const float centered_coeff = float(double(invstd) * double(invstd) * sum_g_centered / double(count));
    for (int64_t e = threadIdx.x; e < count; e += blockDim.x) {
        const int c = first_channel + int(e / s.hw);
        dx[base + e] += invstd * (gamma_at(gamma, c) * dy[base + e] - mean_g - (x[base + e] - mean) * centered_coeff);
    }
}

// Block `channel`: dgamma += Σ dy·(x − mean)·invstd, dbeta += Σ dy over every sample's plane of the channel. The
// statistic of (sample, position p): layer norm's sample·hw + p (groups 0), group norm's sample·groups + group.
__global__ void sample_norm_parameters_kernel(SampleNormShape s, int groups, const float* x, const float* dy,
                                              const float* save_mean, const float* save_invstd, float* dgamma,
                                              float* dbeta) {
    __shared__ double shared[32];
    const int channel = blockIdx.x;
    const int64_t count = int64_t(s.n) * s.hw;
    double dy_total = 0.0, dy_normalized = 0.0;
    for (int64_t e = threadIdx.x; e < count; e += blockDim.x) {
        const int64_t sample = e / s.hw, p = e % s.hw;
        const int64_t i = (sample * s.c + channel) * s.hw + p;
        const int64_t stat = groups == 0 ? sample * s.hw + p : sample * groups + channel / (s.c / groups);
        dy_total += double(dy[i]);
        dy_normalized += double(dy[i]) * (double(x[i]) - double(save_mean[stat])) * double(save_invstd[stat]);
    }
    const double sum_dy = block_sum(dy_total, shared), sum_dy_normalized = block_sum(dy_normalized, shared);
    if (threadIdx.x != 0) return;
    if (dbeta != nullptr) dbeta[channel] = float(double(dbeta[channel]) + sum_dy);
    if (dgamma != nullptr) dgamma[channel] = float(double(dgamma[channel]) + sum_dy_normalized);
}

void parameter_gradients(const Gpu& gpu, const SampleNormShape& s, int groups, const float* x, const float* dy,
                         const float* save_mean, const float* save_invstd, float* dgamma, float* dbeta) {
    if (dgamma == nullptr && dbeta == nullptr) return;
    sample_norm_parameters_kernel<<<s.c, kThreads, 0, gpu.stream>>>(s, groups, x, dy, save_mean, save_invstd, dgamma,
                                                                    dbeta);
    check_launch("sample_norm parameter gradients");
}

}  // namespace

void layer_norm_forward(const Gpu& gpu, const SampleNormShape& s, const float* x, const float* gamma, const float* beta,
                        float* save_mean, float* save_invstd, float* y) {
    const int64_t positions = int64_t(s.n) * s.hw;
    if (positions <= 0 || s.c <= 0) return;
    layer_norm_forward_kernel<<<grid_for(positions), kThreads, 0, gpu.stream>>>(s, x, gamma, beta, save_mean,
                                                                               save_invstd, y);
    check_launch("layer_norm_forward");
}

void layer_norm_backward(const Gpu& gpu, const SampleNormShape& s, bool differentiate_stats, const float* x,
                         const float* dy, const float* gamma, const float* save_mean, const float* save_invstd,
                         float* dx, float* dgamma, float* dbeta) {
    const int64_t positions = int64_t(s.n) * s.hw;
    if (positions <= 0 || s.c <= 0) return;
    parameter_gradients(gpu, s, 0, x, dy, save_mean, save_invstd, dgamma, dbeta);
    if (dx == nullptr) return;
    layer_norm_backward_kernel<<<grid_for(positions), kThreads, 0, gpu.stream>>>(s, differentiate_stats, x, dy, gamma,
                                                                                save_mean, save_invstd, dx);
    check_launch("layer_norm_backward");
}

void group_norm_forward(const Gpu& gpu, const SampleNormShape& s, int groups, const float* x, const float* gamma,
                        const float* beta, float* save_mean, float* save_invstd, float* y) {
    const int64_t sets = int64_t(s.n) * groups;
    if (sets <= 0 || s.hw <= 0) return;
    group_norm_forward_kernel<<<unsigned(sets), kThreads, 0, gpu.stream>>>(s, groups, x, gamma, beta, save_mean,
                                                                           save_invstd, y);
    check_launch("group_norm_forward");
}

void group_norm_backward(const Gpu& gpu, const SampleNormShape& s, int groups, bool differentiate_stats,
                         const float* x, const float* dy, const float* gamma, const float* save_mean,
                         const float* save_invstd, float* dx, float* dgamma, float* dbeta) {
    const int64_t sets = int64_t(s.n) * groups;
    if (sets <= 0 || s.hw <= 0) return;
    parameter_gradients(gpu, s, groups, x, dy, save_mean, save_invstd, dgamma, dbeta);
    if (dx == nullptr) return;
    group_norm_backward_kernel<<<unsigned(sets), kThreads, 0, gpu.stream>>>(s, groups, differentiate_stats, x, dy,
                                                                            gamma, save_mean, save_invstd, dx);
    check_launch("group_norm_backward");
}

}  // namespace jnas::cuda
