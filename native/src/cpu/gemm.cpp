// gemm.cpp — single-precision GEMM through OpenBLAS (the pthread build, cblas.h), parallelized by us.
//
// Why not OpenBLAS's own threads: its result for an element depends on how the matrix is partitioned (edge
// micro-kernels sum differently), and its partition depends on the thread count, so threaded sgemm is not
// bit-reproducible across thread counts (measured on 0.3.21, Haswell kernels). Instead every GEMM is cut into
// tiles chosen from its shape alone; each tile is one single-threaded sgemm, and the tiles are shared out over
// OpenMP threads. The same tiles run whatever the thread count, so the bits never change. (Single-threaded
// OpenBLAS is deterministic for a given shape, whatever the operands' alignment.)
#include <cblas.h>

#include <algorithm>
#include <new>
#include <vector>

#include "cpu/cpu_kernels.hpp"
#include "error.hpp"

namespace jnas::cpu {
namespace {

// Up to this many tiles per GEMM; more than the cores any target machine gives one context.
constexpr int64_t kMaxTiles = 16;
// A tile should be worth a parallel task: about 2 MFLOP (m·n·k ≥ 2^20).
constexpr int64_t kTileWork = int64_t(1) << 20;
// Smallest tile sides, multiples of the micro-kernel's 16×4/8×8 tiles so splits add few edge tiles.
constexpr int kMinTileRows = 64, kMinTileCols = 256;
// The depth (K) is split only for thin outputs with a long K, e.g. Gram matrices J·Jᵀ of many parameters.
constexpr int kMinTileDepth = 16384;

int ceil_div(int64_t a, int64_t b) { return int((a + b - 1) / b); }
int round_up(int v, int multiple) { return ceil_div(v, multiple) * multiple; }

struct GemmPlan {
    int tile_rows, tile_cols, tile_depth;
    int row_tiles, col_tiles, depth_tiles;
};

GemmPlan plan_gemm(int m, int n, int k, bool split_depth) {
    int64_t wanted = std::clamp<int64_t>(int64_t(m) * n * k / kTileWork, 1, kMaxTiles);
    int row_tiles = int(std::min<int64_t>(wanted, ceil_div(m, kMinTileRows)));
    int col_tiles = int(std::min<int64_t>(wanted / row_tiles, ceil_div(n, kMinTileCols)));
    int depth_tiles = 1;
    if (split_depth && row_tiles * col_tiles == 1) depth_tiles = int(std::min<int64_t>(wanted, k / kMinTileDepth));
    depth_tiles = std::max(depth_tiles, 1);
    GemmPlan p;
    p.tile_rows = round_up(ceil_div(m, row_tiles), 16);
    p.tile_cols = round_up(ceil_div(n, col_tiles), 16);
    p.tile_depth = round_up(ceil_div(k, depth_tiles), 16);
    p.row_tiles = ceil_div(m, p.tile_rows);
    p.col_tiles = ceil_div(n, p.tile_cols);
    p.depth_tiles = ceil_div(k, p.tile_depth);
    return p;
}

// One row-major sgemm on the calling thread (OpenBLAS is kept single-threaded, see the file comment).
void sgemm(bool trans_a, bool trans_b, int m, int n, int k, float alpha, const float* a, int lda, const float* b,
           int ldb, float beta, float* c, int ldc) {
    if (m <= 0 || n <= 0) return;
    if (k <= 0) {  // C = beta·C; BLAS rejects the leading dimensions an empty operand may come with
        for (int i = 0; i < m; ++i)
            for (int j = 0; j < n; ++j) {
                float& v = c[int64_t(i) * ldc + j];
                v = beta == 0.0f ? 0.0f : beta * v;
            }
        return;
    }
    cblas_sgemm(CblasRowMajor, trans_a ? CblasTrans : CblasNoTrans, trans_b ? CblasTrans : CblasNoTrans, m, n, k,
                alpha, a, lda, b, ldb, beta, c, ldc);
}

// Where op(A)[row, depth] and op(B)[depth, col] start, for the four transposition cases.
const float* a_at(bool trans_a, const float* a, int lda, int row, int depth) {
    return trans_a ? a + int64_t(depth) * lda + row : a + int64_t(row) * lda + depth;
}
const float* b_at(bool trans_b, const float* b, int ldb, int depth, int col) {
    return trans_b ? b + int64_t(col) * ldb + depth : b + int64_t(depth) * ldb + col;
}

// C = alpha·Σ_d op(A)_d·op(B)_d + beta·C with the depth tiles' products kept apart and added in tile order.
void gemm_split_depth(int threads, const GemmPlan& p, bool trans_a, bool trans_b, int m, int n, int k,
                      float alpha, const float* a, int lda, const float* b, int ldb, float beta, float* c,
                      int ldc) {
    int64_t size = int64_t(m) * n;
    std::vector<float> partial;
    try {
        partial.resize(size_t(size * p.depth_tiles));
    } catch (const std::bad_alloc&) {
        fail(JNAS_ERR_OUT_OF_MEMORY, "cpu gemm: cannot allocate ", size * p.depth_tiles * 4, " bytes");
    }
    parallel_for_dynamic(std::min(threads, p.depth_tiles), p.depth_tiles, [&](int d) {
        int k0 = d * p.tile_depth, depth = std::min(p.tile_depth, k - k0);
        sgemm(trans_a, trans_b, m, n, depth, 1.0f, a_at(trans_a, a, lda, 0, k0), lda, b_at(trans_b, b, ldb, k0, 0),
              ldb, 0.0f, partial.data() + d * size, n);
    });
    parallel_for(threads_for(size * p.depth_tiles, threads), size, [&](int64_t e) {
        float total = 0.0f;
        for (int d = 0; d < p.depth_tiles; ++d) total += partial[size_t(d * size + e)];
        float& out = c[(e / n) * ldc + e % n];
        out = beta == 0.0f ? alpha * total : alpha * total + beta * out;
    });
}

void run_gemm(int threads, bool split_depth, bool trans_a, bool trans_b, int m, int n, int k, float alpha,
              const float* a, int lda, const float* b, int ldb, float beta, float* c, int ldc) {
    if (m <= 0 || n <= 0) return;
    if (k <= 0) return sgemm(trans_a, trans_b, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    GemmPlan p = plan_gemm(m, n, k, split_depth);
    if (p.depth_tiles > 1)
        return gemm_split_depth(threads, p, trans_a, trans_b, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    int tiles = p.row_tiles * p.col_tiles;
    parallel_for_dynamic(std::min(threads, tiles), tiles, [&](int t) {
        int i0 = (t / p.col_tiles) * p.tile_rows, j0 = (t % p.col_tiles) * p.tile_cols;
        sgemm(trans_a, trans_b, std::min(p.tile_rows, m - i0), std::min(p.tile_cols, n - j0), k, alpha,
              a_at(trans_a, a, lda, i0, 0), lda, b_at(trans_b, b, ldb, 0, j0), ldb, beta,
              c + int64_t(i0) * ldc + j0, ldc);
    });
}

}  // namespace

void set_blas_threads(int threads) {
    // The setting is global to the process and checked before every GEMM (someone else may have changed it).
    if (openblas_get_num_threads() != threads) openblas_set_num_threads(threads);
}

void gemm(int threads, bool trans_a, bool trans_b, int m, int n, int k, float alpha, const float* a, int lda,
          const float* b, int ldb, float beta, float* c, int ldc) {
    set_blas_threads(1);
    run_gemm(threads, true, trans_a, trans_b, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}

void gemm_tiles(int threads, bool trans_a, bool trans_b, int m, int n, int k, float alpha, const float* a, int lda,
                const float* b, int ldb, float beta, float* c, int ldc) {
    run_gemm(threads, false, trans_a, trans_b, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}

}  // namespace jnas::cpu
