// reduce.cu — reductions with a fixed summation order: every partial sum is owned by one thread, block, or
// chunk chosen from the sizes alone, and partials are combined by the fixed trees of cuda_util.cuh. Sums run
// in double, as on the CPU backend, so long reductions lose nothing to float rounding.
#include "cuda_kernels.cuh"

namespace jnas::cuda {
namespace {

// ---- dot product: pass 1 sums fixed chunks into per-chunk partials, pass 2 sums the partials in order ----
constexpr int64_t kDotMinChunk = 4096;
constexpr int64_t kDotMaxChunks = 1024;

__global__ void dot_partials_kernel(int64_t n, int64_t chunk, const float* a, const float* b, double* partials) {
    __shared__ double shared[32];
    const int64_t begin = int64_t(blockIdx.x) * chunk;
    const int64_t end = begin + chunk < n ? begin + chunk : n;
    double acc = 0.0;
    for (int64_t i = begin + threadIdx.x; i < end; i += blockDim.x) acc += double(a[i]) * double(b[i]);
    acc = block_sum(acc, shared);
    if (threadIdx.x == 0) partials[blockIdx.x] = acc;
}

__global__ void dot_finish_kernel(int chunks, const double* partials, float* out) {
    __shared__ double shared[32];
    double acc = 0.0;
    for (int i = threadIdx.x; i < chunks; i += blockDim.x) acc += partials[i];
    acc = block_sum(acc, shared);
    if (threadIdx.x == 0) *out = float(double(*out) + acc);
}

// ---- column sums of a [rows, cols] matrix: a 32-column strip per block, its 8 row lanes folded in order ----
constexpr int kStripCols = 32, kRowLanes = 8;

__global__ void sum_rows_kernel(int rows, int cols, const float* dy, float* db) {
    __shared__ double lanes[kRowLanes][kStripCols];
    const int col = blockIdx.x * kStripCols + threadIdx.x;
    double acc = 0.0;
    if (col < cols)
        for (int r = threadIdx.y; r < rows; r += kRowLanes) acc += double(dy[int64_t(r) * cols + col]);
    lanes[threadIdx.y][threadIdx.x] = acc;
    __syncthreads();
    if (threadIdx.y == 0 && col < cols) {
        double total = 0.0;
        for (int lane = 0; lane < kRowLanes; ++lane) total += lanes[lane][threadIdx.x];
        db[col] = float(double(db[col]) + total);
    }
}

// ---- per-channel sums of [n, c, hw]: one block per channel ----
__global__ void sum_channels_kernel(int n, int c, int hw, const float* dy, float* db) {
    __shared__ double shared[32];
    const int channel = blockIdx.x;
    const int64_t count = int64_t(n) * hw;
    double acc = 0.0;
    for (int64_t i = threadIdx.x; i < count; i += blockDim.x)
        acc += double(dy[(i / hw * c + channel) * hw + i % hw]);
    acc = block_sum(acc, shared);
    if (threadIdx.x == 0) db[channel] = float(double(db[channel]) + acc);
}

}  // namespace

void dot_accumulate(const Gpu& gpu, int64_t n, const float* a, const float* b, float* out_dev) {
    if (n <= 0) return;
    // The chunk depends on n only, never on the device, so every GPU sums in the same order.
    int64_t chunk = (n + kDotMaxChunks - 1) / kDotMaxChunks;
    if (chunk < kDotMinChunk) chunk = kDotMinChunk;
    const int chunks = int((n + chunk - 1) / chunk);
    double* partials = static_cast<double*>(gpu.scratch->get(size_t(chunks) * sizeof(double)));
    dot_partials_kernel<<<chunks, kThreads, 0, gpu.stream>>>(n, chunk, a, b, partials);
    check_launch("dot_accumulate");
    dot_finish_kernel<<<1, kThreads, 0, gpu.stream>>>(chunks, partials, out_dev);
    check_launch("dot_accumulate");
}

void sum_rows(const Gpu& gpu, int rows, int cols, const float* dy, float* db) {
    if (rows <= 0 || cols <= 0) return;
    const dim3 block(kStripCols, kRowLanes);
    sum_rows_kernel<<<(cols + kStripCols - 1) / kStripCols, block, 0, gpu.stream>>>(rows, cols, dy, db);
    check_launch("sum_rows");
}

void sum_channels(const Gpu& gpu, int n, int c, int hw, const float* dy, float* db) {
    if (c <= 0) return;
    sum_channels_kernel<<<c, kThreads, 0, gpu.stream>>>(n, c, hw, dy, db);
    check_launch("sum_channels");
}

}  // namespace jnas::cuda
