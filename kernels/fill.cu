// fill.cu — constant and Philox fills. Element i of a random fill is philox::normal/uniform(seed, stream, i),
// the same function the CPU backend evaluates, so both backends produce the same tensors from a seed.
#include "cuda_kernels.cuh"
#include "philox.hpp"

namespace jnas::cuda {
namespace {

__global__ void fill_kernel(float* dst, int64_t n, float value) {
    JNAS_GRID_STRIDE(i, n) dst[i] = value;
}

// __fmul_rn/__fadd_rn keep nvcc from fusing offset + scale·r into one FMA: the CPU rounds the product and the
// sum separately, and the fills must agree bit for bit.
__global__ void fill_normal_kernel(float* dst, int64_t n, uint64_t seed, uint64_t stream, float mean, float std) {
    JNAS_GRID_STRIDE(i, n) dst[i] = __fadd_rn(mean, __fmul_rn(std, philox::normal(seed, stream, uint64_t(i))));
}

__global__ void fill_uniform_kernel(float* dst, int64_t n, uint64_t seed, uint64_t stream, float lo, float width) {
    JNAS_GRID_STRIDE(i, n) dst[i] = __fadd_rn(lo, __fmul_rn(width, philox::uniform(seed, stream, uint64_t(i))));
}

__global__ void fill_dropout_mask_kernel(float* dst, int64_t n, uint64_t seed, uint64_t stream, float p,
                                         float keep_value) {
    JNAS_GRID_STRIDE(i, n) dst[i] = philox::uniform(seed, stream, uint64_t(i)) >= p ? keep_value : 0.0f;
}

}  // namespace

void fill(const Gpu& gpu, float* dst, int64_t n, float value) {
    if (n <= 0) return;
    fill_kernel<<<grid_for(n), kThreads, 0, gpu.stream>>>(dst, n, value);
    check_launch("fill");
}

void fill_normal(const Gpu& gpu, float* dst, int64_t n, uint64_t seed, uint64_t stream, float mean, float std) {
    if (n <= 0) return;
    fill_normal_kernel<<<grid_for(n), kThreads, 0, gpu.stream>>>(dst, n, seed, stream, mean, std);
    check_launch("fill_normal");
}

void fill_uniform(const Gpu& gpu, float* dst, int64_t n, uint64_t seed, uint64_t stream, float lo, float hi) {
    if (n <= 0) return;
    // hi - lo rounded on the host once, as the CPU backend does
    fill_uniform_kernel<<<grid_for(n), kThreads, 0, gpu.stream>>>(dst, n, seed, stream, lo, hi - lo);
    check_launch("fill_uniform");
}

void fill_dropout_mask(const Gpu& gpu, float* dst, int64_t n, uint64_t seed, uint64_t stream, float p,
                       float keep_value) {
    if (n <= 0) return;
    fill_dropout_mask_kernel<<<grid_for(n), kThreads, 0, gpu.stream>>>(dst, n, seed, stream, p, keep_value);
    check_launch("fill_dropout_mask");
}

}  // namespace jnas::cuda
