// batch_norm.cu — batch norm over x viewed as [n, c, hw]. Statistics sum in double with the fixed tree of block_sum
// (two passes, Σ(x − mean)², as the CPU backend: Σx² − N·mean² cancels); normalization is elementwise. Formulas
// are those of the CPU backend (native/src/cpu/batch_norm.cpp).
//
// A channel's sums take one block when that keeps the GPU busy (many channels or rows, or few values each).
// Otherwise (NB201's 3 channels of 72 × 1024 values, a training step's few channels) each channel is cut into
// chunks of kChunk values, a block each, whose partial sums a second kernel adds in chunk order: the summation
// order depends on the shape alone, so results repeat exactly.
#include <algorithm>

#include "cuda_kernels.cuh"

namespace jnas::cuda {
namespace {

// Element e of a channel's n·hw values, e = sample·hw + i.
__device__ __forceinline__ int64_t channel_element(int c, int hw, int channel, int64_t e) {
    return (e / hw * c + channel) * hw + e % hw;
}

constexpr int64_t kChunk = int64_t(kThreads) * 8;
// Channels × rows at or above which a block per (channel, row) is enough blocks.
constexpr int64_t kEnoughBlocks = 128;

int64_t chunks_of(int64_t count) { return (count + kChunk - 1) / kChunk; }

// Running statistics with the unbiased variance N/(N−1) (kept biased when N == 1, where it has none).
__device__ void store_stats(const BatchNormShape& s, int channel, double mean, double var, float momentum,
                            float* running_mean, float* running_var, float* save_mean, float* save_invstd) {
    const int64_t count = int64_t(s.n) * s.hw;
    save_mean[channel] = float(mean);
    save_invstd[channel] = float(1.0 / sqrt(var + double(s.eps)));
    if (running_mean != nullptr)
        running_mean[channel] = float((1.0 - momentum) * running_mean[channel] + double(momentum) * mean);
    if (running_var != nullptr) {
        const double unbiased = count > 1 ? var * double(count) / double(count - 1) : var;
        running_var[channel] = float((1.0 - momentum) * running_var[channel] + double(momentum) * unbiased);
    }
}

// Block (channel, chunk): Σx over the chunk's values, or Σ(x − mean)² when mean is given → partials[channel][chunk].
__global__ void stats_chunk_kernel(BatchNormShape s, const float* x, const double* mean, double* partials) {
    __shared__ double shared[32];
    const int channel = blockIdx.x;
    const int64_t count = int64_t(s.n) * s.hw, begin = blockIdx.y * kChunk;
    const int64_t end = begin + kChunk < count ? begin + kChunk : count;
    double total = 0.0;
    for (int64_t e = begin + threadIdx.x; e < end; e += blockDim.x) {
        const double v = double(x[channel_element(s.c, s.hw, channel, e)]);
        total += mean == nullptr ? v : (v - mean[channel]) * (v - mean[channel]);
    }
    total = block_sum(total, shared);
    if (threadIdx.x == 0) partials[int64_t(channel) * gridDim.y + blockIdx.y] = total;
}

// Thread `channel`: the chunks' partials in chunk order. First pass: the mean into mean[]; second (variance):
// the statistics.
__global__ void stats_finish_kernel(BatchNormShape s, int64_t chunks, const double* partials, bool variance,
                                    float momentum, float* running_mean, float* running_var, float* save_mean,
                                    float* save_invstd, double* mean) {
    JNAS_GRID_STRIDE(channel, s.c) {
        double total = 0.0;
        for (int64_t k = 0; k < chunks; ++k) total += partials[channel * chunks + k];
        const double average = total / double(int64_t(s.n) * s.hw);
        if (!variance)
            mean[channel] = average;
        else
            store_stats(s, int(channel), mean[channel], average, momentum, running_mean, running_var, save_mean,
                        save_invstd);
    }
}

// Block `channel`: batch mean and biased variance → save_mean, save_invstd, and the running statistics.
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
    if (threadIdx.x == 0)
        store_stats(s, channel, mean, var, momentum, running_mean, running_var, save_mean, save_invstd);
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

// ---- the backward's arithmetic, shared by the fused kernel and the chunked one ----
// With x̂ = (x − mean)·invstd, N = n·hw and the output gradient g = dy_scale·dy:
// dbeta += Σg, dgamma += Σ g·x̂, and
//   train:     dx += gamma·invstd·(g − Σg/N − x̂·Σ(g·x̂)/N)
//   not train: dx += gamma·invstd·g
// The sums are of the unscaled dy, and dy_scale goes into the factors (as the CPU twin).
struct DxCoefficients {
    float scale, mean_dy, centered_coeff;  // dx += scale·(dy − mean_dy − (x − mean)·centered_coeff)
};

// From one (row, channel)'s Σdy and Σdy·(x − mean): adds to its dgamma and dbeta slots (nullable) and returns dx's
// coefficients.
__device__ __forceinline__ DxCoefficients finish_channel(const BatchNormShape& s, int channel, bool train,
                                                         double sum_dy, double sum_dy_centered, float dy_scale,
                                                         const float* gamma, const float* save_invstd,
                                                         float* dgamma, float* dbeta) {
    const double invstd = save_invstd[channel], count = double(int64_t(s.n) * s.hw);
    if (dbeta != nullptr) *dbeta = float(double(*dbeta) + sum_dy * dy_scale);
    if (dgamma != nullptr) *dgamma = float(double(*dgamma) + sum_dy_centered * dy_scale * invstd);
    return DxCoefficients{float((gamma != nullptr ? double(gamma[channel]) : 1.0) * invstd * dy_scale),
                          train ? float(sum_dy / count) : 0.0f,
                          // x̂·Σ(dy·x̂)/N = (x − mean)·invstd²·Σ(dy·(x − mean))/N
                          train ? float(invstd * invstd * sum_dy_centered / count) : 0.0f};
}

// With constant statistics the last two coefficients are 0, and a NaN or inf in x still gives NaN, as on the CPU.
__device__ __forceinline__ float dx_term(const DxCoefficients& c, float dy, float x, float mean) {
    return c.scale * (dy - c.mean_dy - (x - mean) * c.centered_coeff);
}

// Block (channel, row): row r of batch_norm_backward_rows reads x + r·x_row_floats and dy + r·dy_row_floats, and
// adds into dx + r·dy_row_floats and dgamma/dbeta + r·ld.
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
    const double mean = save_mean[channel];
    double dy_total = 0.0, dy_centered = 0.0;  // Σ dy, Σ dy·(x − mean)
    for (int64_t e = threadIdx.x; e < count; e += blockDim.x) {
        const int64_t i = channel_element(s.c, s.hw, channel, e);
        dy_total += double(dy[i]);
        dy_centered += double(dy[i]) * (double(x[i]) - mean);
    }
    const double sum_dy = block_sum(dy_total, shared);
    const double sum_dy_centered = block_sum(dy_centered, shared);
    const bool first = threadIdx.x == 0;  // the one thread that adds to dgamma and dbeta
    const DxCoefficients coefficients =
        finish_channel(s, channel, train, sum_dy, sum_dy_centered, dy_scale, gamma, save_invstd,
                       first && dgamma != nullptr ? dgamma + channel : nullptr,
                       first && dbeta != nullptr ? dbeta + channel : nullptr);
    if (dx == nullptr) return;
    const float mean_f = float(mean);
    for (int64_t e = threadIdx.x; e < count; e += blockDim.x) {
        const int64_t i = channel_element(s.c, s.hw, channel, e);
        dx[i] += dx_term(coefficients, dy[i], x[i], mean_f);
    }
}

// ---- the backward with chunked sums: per (row, channel) Σdy and Σdy·(x − mean), then dx elementwise ----
// Block (channel·chunks + chunk, row) → partials[row][channel][chunk][2].
__global__ void grad_chunk_kernel(BatchNormShape s, int64_t chunks, const float* x, int64_t x_row_floats,
                                  const float* dy, int64_t dy_row_floats, const float* save_mean, double* partials) {
    __shared__ double shared[32];
    const int channel = int(blockIdx.x / chunks);
    const int64_t chunk = blockIdx.x % chunks, row = blockIdx.y;
    x += row * x_row_floats;
    dy += row * dy_row_floats;
    const int64_t count = int64_t(s.n) * s.hw, begin = chunk * kChunk;
    const int64_t end = begin + kChunk < count ? begin + kChunk : count;
    const double mean = save_mean[channel];
    double dy_total = 0.0, dy_centered = 0.0;
    for (int64_t e = begin + threadIdx.x; e < end; e += blockDim.x) {
        const int64_t i = channel_element(s.c, s.hw, channel, e);
        dy_total += double(dy[i]);
        dy_centered += double(dy[i]) * (double(x[i]) - mean);
    }
    dy_total = block_sum(dy_total, shared);
    dy_centered = block_sum(dy_centered, shared);
    if (threadIdx.x != 0) return;
    double* out = partials + ((row * s.c + channel) * chunks + chunk) * 2;
    out[0] = dy_total;
    out[1] = dy_centered;
}

// Thread (row, channel): the partials in chunk order (none when chunks == 0: constant statistics and no parameter
// gradients), then finish_channel.
__global__ void grad_finish_kernel(BatchNormShape s, int rows, int64_t chunks, const double* partials, bool train,
                                   float dy_scale, const float* gamma, const float* save_invstd, float* dgamma,
                                   float* dbeta, int64_t ld, DxCoefficients* coefficients) {
    JNAS_GRID_STRIDE(i, int64_t(rows) * s.c) {
        const int64_t row = i / s.c;
        const int channel = int(i % s.c);
        double sum_dy = 0.0, sum_dy_centered = 0.0;
        for (int64_t k = 0; k < chunks; ++k) {
            sum_dy += partials[(i * chunks + k) * 2];
            sum_dy_centered += partials[(i * chunks + k) * 2 + 1];
        }
        coefficients[i] = finish_channel(s, channel, train, sum_dy, sum_dy_centered, dy_scale, gamma, save_invstd,
                                         dgamma != nullptr ? dgamma + row * ld + channel : nullptr,
                                         dbeta != nullptr ? dbeta + row * ld + channel : nullptr);
    }
}

// dx, elementwise, with each value's (row, channel) coefficients.
__global__ void grad_dx_kernel(BatchNormShape s, int64_t total, const float* x, int64_t x_row_floats,
                               const float* dy, int64_t dy_row_floats, const float* save_mean,
                               const DxCoefficients* coefficients, float* dx) {
    JNAS_GRID_STRIDE(i, total) {
        const int64_t row = i / dy_row_floats, within = i % dy_row_floats;
        const int channel = int(within / s.hw % s.c);
        dx[i] += dx_term(coefficients[row * s.c + channel], dy[i], x[row * x_row_floats + within],
                         save_mean[channel]);
    }
}

}  // namespace

void batch_norm_forward_train(const Gpu& gpu, const BatchNormShape& s, const float* x, const float* gamma,
                              const float* beta, float momentum, float* running_mean, float* running_var,
                              float* save_mean, float* save_invstd, float* y) {
    if (s.c <= 0) return;
    const int64_t count = int64_t(s.n) * s.hw, chunks = chunks_of(count);
    if (s.c >= kEnoughBlocks || chunks <= 1) {
        batch_stats_kernel<<<s.c, kThreads, 0, gpu.stream>>>(s, x, momentum, running_mean, running_var, save_mean,
                                                              save_invstd);
    } else {
        double* mean = static_cast<double*>(gpu.scratch->get(size_t(s.c) * (chunks + 1) * sizeof(double)));
        double* partials = mean + s.c;
        for (bool variance : {false, true}) {
            stats_chunk_kernel<<<dim3(s.c, unsigned(chunks)), kThreads, 0, gpu.stream>>>(
                s, x, variance ? mean : nullptr, partials);
            stats_finish_kernel<<<grid_for(s.c), kThreads, 0, gpu.stream>>>(
                s, chunks, partials, variance, momentum, running_mean, running_var, save_mean, save_invstd, mean);
        }
    }
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
    const int64_t numel = int64_t(s.c) * s.hw, row_floats = s.n * numel, count = int64_t(s.n) * s.hw;
    const bool needs_sums = train || dgamma != nullptr || dbeta != nullptr;
    const int64_t x_row_floats = int64_t(x_row_step) * numel;
    if (!needs_sums || (int64_t(s.c) * rows < kEnoughBlocks && chunks_of(count) > 1 && rows <= kMaxGridY)) {
        if (!needs_sums && dx == nullptr) return;
        const int64_t chunks = needs_sums ? chunks_of(count) : 0;
        const int64_t pairs = int64_t(rows) * s.c;  // (row, channel)
        double* partials = static_cast<double*>(
            gpu.scratch->get(size_t(pairs) * (2 * size_t(chunks) * sizeof(double) + sizeof(DxCoefficients))));
        DxCoefficients* coefficients = reinterpret_cast<DxCoefficients*>(partials + 2 * pairs * chunks);
        if (chunks > 0)
            grad_chunk_kernel<<<dim3(unsigned(s.c * chunks), unsigned(rows)), kThreads, 0, gpu.stream>>>(
                s, chunks, x, x_row_floats, dy, row_floats, save_mean, partials);
        grad_finish_kernel<<<grid_for(pairs), kThreads, 0, gpu.stream>>>(
            s, rows, chunks, partials, train, dy_scale, gamma, save_invstd, dgamma, dbeta, ld, coefficients);
        if (dx != nullptr) {
            const int64_t total = rows * row_floats;
            grad_dx_kernel<<<grid_for(total), kThreads, 0, gpu.stream>>>(s, total, x, x_row_floats, dy, row_floats,
                                                                         save_mean, coefficients, dx);
        }
        check_launch("batch_norm_backward");
        return;
    }
    for (int row0 = 0; row0 < rows; row0 += kMaxGridY) {  // rows beyond gridDim.y's limit go in further launches
        const int launch_rows = std::min(kMaxGridY, rows - row0);
        batch_norm_backward_kernel<<<dim3(s.c, launch_rows), kThreads, 0, gpu.stream>>>(
            s, train, x + row0 * x_row_floats, x_row_floats, dy + row0 * row_floats, row_floats, dy_scale, gamma,
            save_mean, save_invstd, dx ? dx + row0 * row_floats : nullptr, dgamma ? dgamma + row0 * ld : nullptr,
            dbeta ? dbeta + row0 * ld : nullptr, ld);
        check_launch("batch_norm_backward");
    }
}

}  // namespace jnas::cuda
