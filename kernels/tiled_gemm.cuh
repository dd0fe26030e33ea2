// tiled_gemm.cuh — the one hand-written SGEMM core behind gemm.cu and the convolutions (conv.cu). It computes
//   C_z[i, j] = Σ_p A_z(i, p) · B_z(p, j)   for i < m, j < n, p < k
// for a batch of problems z (blockIdx.z), reading A and B through operand functors and handing each result to
// an epilogue functor. Plain matrices, transposed matrices, and im2col views of an image are all operands, so
// convolution is an implicit GEMM: nothing is unfolded in memory.
//
// Split-K: blockIdx.z = problem · splits + split; split s sums p in [s·k_split, (s+1)·k_split) and the epilogue
// receives the split index (conv.cu adds the partials in split order, so results stay deterministic).
//
// Tiling: a block of 256 threads owns a 64×64 tile of C and walks k in steps of 16. Each step stages a 64×16
// tile of A and a 16×64 tile of B in shared memory (4 loads per thread each); each thread then accumulates a
// 4×4 patch of C in registers: rows ty + 16·r, columns tx + 16·c, so a warp's shared-memory reads of B hit 16
// consecutive banks and its reads of A are broadcasts. Per output, p is summed in increasing order.
#pragma once

#include "cuda_util.cuh"

namespace jnas::cuda {

constexpr int kGemmTileM = 64, kGemmTileN = 64, kGemmTileK = 16, kGemmThreads = 256, kGemmPatch = 4;

// Operands expose `static constexpr bool k_fastest`: whether consecutive p (rather than consecutive rows i or
// columns j) are adjacent in memory, so that consecutive threads load adjacent addresses.
//   float operator()(int z, int i, int p) const   for A (m × k)
//   float operator()(int z, int p, int j) const   for B (k × n)
// Epilogue: void operator()(int z, int split, int i, int j, float value) const, called once per C element.
template <typename OperandA, typename OperandB, typename Epilogue>
__global__ void __launch_bounds__(kGemmThreads)
    tiled_gemm_kernel(int m, int n, int k, int k_split, int splits, OperandA a, OperandB b, Epilogue epilogue) {
    __shared__ float a_tile[kGemmTileK][kGemmTileM + 1];  // [p][i]: a thread's 4 rows are one row of this array
    __shared__ float b_tile[kGemmTileK][kGemmTileN + 1];  // [p][j]

    const int z = blockIdx.z / splits, split = blockIdx.z % splits;
    const int row0 = blockIdx.y * kGemmTileM, col0 = blockIdx.x * kGemmTileN;
    const int k_begin = split * k_split;
    const int k_end = k_begin + k_split < k ? k_begin + k_split : k;
    const int tx = threadIdx.x % 16, ty = threadIdx.x / 16;

    float acc[kGemmPatch][kGemmPatch] = {};
    for (int p0 = k_begin; p0 < k_end; p0 += kGemmTileK) {
        for (int e = threadIdx.x; e < kGemmTileM * kGemmTileK; e += kGemmThreads) {
            const int ti = OperandA::k_fastest ? e / kGemmTileK : e % kGemmTileM;
            const int tp = OperandA::k_fastest ? e % kGemmTileK : e / kGemmTileM;
            const int i = row0 + ti, p = p0 + tp;
            a_tile[tp][ti] = i < m && p < k_end ? a(z, i, p) : 0.0f;
        }
        for (int e = threadIdx.x; e < kGemmTileN * kGemmTileK; e += kGemmThreads) {
            const int tj = OperandB::k_fastest ? e / kGemmTileK : e % kGemmTileN;
            const int tp = OperandB::k_fastest ? e % kGemmTileK : e / kGemmTileN;
            const int j = col0 + tj, p = p0 + tp;
            b_tile[tp][tj] = j < n && p < k_end ? b(z, p, j) : 0.0f;
        }
        __syncthreads();
#pragma unroll
        for (int tp = 0; tp < kGemmTileK; ++tp) {
            float a_col[kGemmPatch], b_row[kGemmPatch];
#pragma unroll
            for (int r = 0; r < kGemmPatch; ++r) a_col[r] = a_tile[tp][ty + 16 * r];
#pragma unroll
            for (int c = 0; c < kGemmPatch; ++c) b_row[c] = b_tile[tp][tx + 16 * c];
#pragma unroll
            for (int r = 0; r < kGemmPatch; ++r)
#pragma unroll
                for (int c = 0; c < kGemmPatch; ++c) acc[r][c] += a_col[r] * b_row[c];
        }
        __syncthreads();  // the next step overwrites the tiles
    }
#pragma unroll
    for (int r = 0; r < kGemmPatch; ++r) {
#pragma unroll
        for (int c = 0; c < kGemmPatch; ++c) {
            const int i = row0 + ty + 16 * r, j = col0 + tx + 16 * c;
            if (i < m && j < n) epilogue(z, split, i, j, acc[r][c]);
        }
    }
}

// ---- split-K policy ----
// Products with few output tiles and a long k (weight gradients over every sample and pixel, the NTK Gram over
// every parameter) split k until there are about kTargetBlocks blocks, in chunks of at least kMinSplitK. The split
// depends on the shape alone, so the summation order is the same on every device and every run.
constexpr int kTargetBlocks = 512, kMinSplitK = 1024, kMaxSplits = 64;
// gridDim.z, which holds problems × splits.
constexpr int kMaxGridZ = 65535;

struct KSplit {
    int splits, k_split;  // k_split: a whole number of k steps (the last split may be shorter)
};

// How a reduction of length k over `tiles` output tiles is split.
inline KSplit split_k(int64_t tiles, int k) {
    int64_t splits = (k + kMinSplitK - 1) / kMinSplitK;
    if (splits > kTargetBlocks / tiles) splits = kTargetBlocks / tiles;
    if (splits > kMaxSplits) splits = kMaxSplits;
    if (splits < 1) splits = 1;
    const int k_split = int((k + splits - 1) / splits + kGemmTileK - 1) / kGemmTileK * kGemmTileK;
    return KSplit{(k + k_split - 1) / k_split, k_split};
}

// Launches problems × splits tile grids of an m × n × k product; k_split is rounded to whole k steps by callers.
template <typename OperandA, typename OperandB, typename Epilogue>
void launch_tiled_gemm(const Gpu& gpu, const char* name, int problems, int m, int n, int k, int k_split, int splits,
                       OperandA a, OperandB b, Epilogue epilogue) {
    const dim3 grid((n + kGemmTileN - 1) / kGemmTileN, (m + kGemmTileM - 1) / kGemmTileM, problems * splits);
    tiled_gemm_kernel<<<grid, kGemmThreads, 0, gpu.stream>>>(m, n, k, k_split, splits, a, b, epilogue);
    check_launch(name);
}

}  // namespace jnas::cuda
