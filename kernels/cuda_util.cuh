// cuda_util.cuh — what every kernel file shares: CUDA status checks that become jnas::Error, the launch context
// a backend hands to its kernels (stream + scratch memory), grid sizing, and deterministic block reductions.
#pragma once

#include <cuda_runtime.h>

#include <cstddef>
#include <cstdint>

#include "error.hpp"

namespace jnas::cuda {

// A failed CUDA call is a bug or a broken device, never bad user input (that is rejected at the API edge).
inline void check(cudaError_t status, const char* what) {
    if (status != cudaSuccess) fail(JNAS_ERR_INTERNAL, what, ": ", cudaGetErrorString(status));
}

// After every launch: catches bad launch configurations now and faults of earlier kernels as soon as they surface.
inline void check_launch(const char* kernel) { check(cudaGetLastError(), kernel); }

// Device memory the kernels may borrow between two launches of one call (split-K partials, reduction partials).
// Grows on demand and is never shrunk; every use is ordered on the backend's one stream, so one buffer serves
// all kernels.
class Scratch {
public:
    Scratch() = default;
    ~Scratch();
    Scratch(const Scratch&) = delete;
    Scratch& operator=(const Scratch&) = delete;
    // At least `bytes` of device memory, valid until the next call; throws OUT_OF_MEMORY.
    void* get(size_t bytes);

private:
    void* data_ = nullptr;
    size_t bytes_ = 0;
};

// Everything a kernel launcher needs from its backend.
struct Gpu {
    cudaStream_t stream;
    Scratch* scratch;
};

// Elementwise kernels: 256 threads (8 warps, enough to hide latency on every arch from sm_75) and grid-stride
// loops, so the grid is capped and a launch covers any n. Each element is still written by one thread.
constexpr int kThreads = 256;
constexpr int64_t kMaxBlocks = 65535;
constexpr int kMaxGridY = 65535;  // gridDim.y's limit, where a launch puts independent rows

inline unsigned grid_for(int64_t n, int threads = kThreads) {
    int64_t blocks = (n + threads - 1) / threads;
    if (blocks < 1) blocks = 1;
    return static_cast<unsigned>(blocks < kMaxBlocks ? blocks : kMaxBlocks);
}

#define JNAS_GRID_STRIDE(i, n) \
    for (int64_t i = int64_t(blockIdx.x) * blockDim.x + threadIdx.x; i < (n); i += int64_t(gridDim.x) * blockDim.x)

// ---- deterministic reductions ----------------------------------------------------------------------------
// The order of the additions depends only on blockDim (a multiple of 32): each warp folds by a fixed shuffle
// tree, then warp 0 folds the per-warp results. No atomics, so results are identical from run to run.
template <typename T>
__device__ __forceinline__ T warp_sum(T v) {
    for (int offset = 16; offset > 0; offset /= 2) v += __shfl_down_sync(0xffffffffu, v, offset);
    return v;
}

// Sum of v over the block, returned to every thread. `shared` holds 32 values; the call synchronizes the block.
template <typename T>
__device__ T block_sum(T v, T* shared) {
    v = warp_sum(v);
    const int lane = threadIdx.x % 32, warp = threadIdx.x / 32;
    __syncthreads();  // a previous block_sum may still be reading shared[0]
    if (lane == 0) shared[warp] = v;
    __syncthreads();
    if (warp == 0) {
        v = lane < int(blockDim.x / 32) ? shared[lane] : T(0);
        v = warp_sum(v);
        if (lane == 0) shared[0] = v;
    }
    __syncthreads();
    return shared[0];
}

}  // namespace jnas::cuda
