// tiled_gemm.cuh — the one hand-written SGEMM core behind gemm.cu and the convolutions (conv.cu). It computes
//   C_z[i, j] = Σ_p A_z(i, p) · B_z(p, j)   for i < m, j < n, p < k
// for a batch of problems z (blockIdx.z), reading A and B through operand functors and handing each result to
// an epilogue functor. Plain matrices, transposed matrices, and im2col views of an image are all operands, so
// convolution is an implicit GEMM: nothing is unfolded in memory.
//
// Split-K: blockIdx.z = problem · splits + split; split s sums p in [s·k_split, (s+1)·k_split) and the epilogue
// receives the split index (conv.cu adds the partials in split order, so results stay deterministic).
//
// Tiling: a block of 256 threads owns a tile of C and walks k in steps of 16. Each step stages the tile's rows of
// A (tile_m × 16) and columns of B (16 × tile_n) in shared memory; each thread then accumulates a patch of C in
// registers: rows ty + threads_m·r, columns tx + threads_n·c, so a warp's shared-memory reads of B hit
// consecutive banks and its reads of A are broadcasts. The default tile is 64×64 (4×4 patches), 128×32 for at most
// 32 columns; products with at most 16 rows (NB201's convolutions of 3, 6 and 12 channels) take a tile of 4, 8 or
// 16 rows, as wide as the columns allow, rather than compute 64 rows to keep 3. Per output, p is summed in
// increasing order within a split whatever the tile, so the tile changes no result.
#pragma once

#include "cuda_util.cuh"

namespace jnas::cuda {

constexpr int kGemmTileK = 16, kGemmThreads = 256;
// The default tile, and the measure the split-K policy counts output tiles in (so the splits, and with them the
// results, do not depend on which tile runs).
constexpr int kGemmTileM = 64, kGemmTileN = 64;

// A block's 256 threads as ThreadsM × (256 / ThreadsM), each accumulating a PatchM × PatchN patch of C.
template <int ThreadsM, int PatchM, int PatchN>
struct GemmTile {
    static constexpr int threads_m = ThreadsM, threads_n = kGemmThreads / ThreadsM;
    static constexpr int patch_m = PatchM, patch_n = PatchN;
    static constexpr int m = threads_m * patch_m, n = threads_n * patch_n;
};
using DefaultTile = GemmTile<16, 4, 4>;  // 64 × 64
using Tall128Tile = GemmTile<8, 16, 1>;  // 128 × 32: many rows, few columns (stacked Jacobian rows' weights)
using Rows16Tile = GemmTile<8, 2, 8>;    // 16 × 256
using Rows8Tile = GemmTile<4, 2, 8>;     // 8 × 512
using Rows4Tile = GemmTile<4, 1, 8>;     // 4 × 512
using Narrow8Tile = GemmTile<8, 1, 1>;   // 8 × 32: few rows and few columns over a long k (weight gradients)
using Narrow16Tile = GemmTile<16, 1, 2>; // 16 × 32

// Operands expose `static constexpr bool k_fastest`: whether consecutive p (rather than consecutive rows i or
// columns j) are adjacent in memory, so that consecutive threads load adjacent addresses.
//   float operator()(int z, int i, int p) const   for A (m × k)
//   float operator()(int z, int p, int j) const   for B (k × n)
// Epilogue: void operator()(int z, int split, int i, int j, float value) const, called once per C element.
template <typename Tile, typename OperandA, typename OperandB, typename Epilogue>
__global__ void __launch_bounds__(kGemmThreads)
    tiled_gemm_kernel(int m, int n, int k, int k_split, int splits, OperandA a, OperandB b, Epilogue epilogue) {
    __shared__ float a_tile[kGemmTileK][Tile::m + 1];  // [p][i]: a thread's rows are one row of this array
    __shared__ float b_tile[kGemmTileK][Tile::n + 1];  // [p][j]

    const int z = blockIdx.z / splits, split = blockIdx.z % splits;
    const int row0 = blockIdx.y * Tile::m, col0 = blockIdx.x * Tile::n;
    const int k_begin = split * k_split;
    const int k_end = k_begin + k_split < k ? k_begin + k_split : k;
    const int tx = threadIdx.x % Tile::threads_n, ty = threadIdx.x / Tile::threads_n;

    float acc[Tile::patch_m][Tile::patch_n] = {};
    for (int p0 = k_begin; p0 < k_end; p0 += kGemmTileK) {
        for (int e = threadIdx.x; e < Tile::m * kGemmTileK; e += kGemmThreads) {
            const int ti = OperandA::k_fastest ? e / kGemmTileK : e % Tile::m;
            const int tp = OperandA::k_fastest ? e % kGemmTileK : e / Tile::m;
            const int i = row0 + ti, p = p0 + tp;
            a_tile[tp][ti] = i < m && p < k_end ? a(z, i, p) : 0.0f;
        }
        for (int e = threadIdx.x; e < Tile::n * kGemmTileK; e += kGemmThreads) {
            const int tj = OperandB::k_fastest ? e / kGemmTileK : e % Tile::n;
            const int tp = OperandB::k_fastest ? e % kGemmTileK : e / Tile::n;
            const int j = col0 + tj, p = p0 + tp;
            b_tile[tp][tj] = j < n && p < k_end ? b(z, p, j) : 0.0f;
        }
        __syncthreads();
#pragma unroll
        for (int tp = 0; tp < kGemmTileK; ++tp) {
            float a_col[Tile::patch_m], b_row[Tile::patch_n];
#pragma unroll
            for (int r = 0; r < Tile::patch_m; ++r) a_col[r] = a_tile[tp][ty + Tile::threads_m * r];
#pragma unroll
            for (int c = 0; c < Tile::patch_n; ++c) b_row[c] = b_tile[tp][tx + Tile::threads_n * c];
#pragma unroll
            for (int r = 0; r < Tile::patch_m; ++r)
#pragma unroll
                for (int c = 0; c < Tile::patch_n; ++c) acc[r][c] += a_col[r] * b_row[c];
        }
        __syncthreads();  // the next step overwrites the tiles
    }
#pragma unroll
    for (int r = 0; r < Tile::patch_m; ++r) {
#pragma unroll
        for (int c = 0; c < Tile::patch_n; ++c) {
            const int i = row0 + ty + Tile::threads_m * r, j = col0 + tx + Tile::threads_n * c;
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

template <typename Tile, typename OperandA, typename OperandB, typename Epilogue>
void launch_tiled_gemm_with(const Gpu& gpu, const char* name, int problems, int m, int n, int k, int k_split,
                            int splits, OperandA a, OperandB b, Epilogue epilogue) {
    const dim3 grid((n + Tile::n - 1) / Tile::n, (m + Tile::m - 1) / Tile::m, problems * splits);
    tiled_gemm_kernel<Tile><<<grid, kGemmThreads, 0, gpu.stream>>>(m, n, k, k_split, splits, a, b, epilogue);
    check_launch(name);
}

// Launches problems × splits tile grids of an m × n × k product, in the tile that fits m and n (see the top);
// k_split is rounded to whole k steps by callers.
template <typename OperandA, typename OperandB, typename Epilogue>
void launch_tiled_gemm(const Gpu& gpu, const char* name, int problems, int m, int n, int k, int k_split, int splits,
                       OperandA a, OperandB b, Epilogue epilogue) {
    if (m > 16)
        return n <= 32
                   ? launch_tiled_gemm_with<Tall128Tile>(gpu, name, problems, m, n, k, k_split, splits, a, b, epilogue)
                   : launch_tiled_gemm_with<DefaultTile>(gpu, name, problems, m, n, k, k_split, splits, a, b, epilogue);
    if (n <= 64)
        return m <= 8 ? launch_tiled_gemm_with<Narrow8Tile>(gpu, name, problems, m, n, k, k_split, splits, a, b, epilogue)
                      : launch_tiled_gemm_with<Narrow16Tile>(gpu, name, problems, m, n, k, k_split, splits, a, b,
                                                              epilogue);
    if (m <= 4)
        return launch_tiled_gemm_with<Rows4Tile>(gpu, name, problems, m, n, k, k_split, splits, a, b, epilogue);
    if (m <= 8)
        return launch_tiled_gemm_with<Rows8Tile>(gpu, name, problems, m, n, k, k_split, splits, a, b, epilogue);
    launch_tiled_gemm_with<Rows16Tile>(gpu, name, problems, m, n, k, k_split, splits, a, b, epilogue);
}

}  // namespace jnas::cuda
