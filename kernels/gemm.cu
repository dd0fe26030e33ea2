// gemm.cu — Backend::gemm, row-major C = alpha·op(A)·op(B) + beta·C, on the tiled core of tiled_gemm.cuh.
#include "cuda_kernels.cuh"
#include "tiled_gemm.cuh"

namespace jnas::cuda {
namespace {

// op(A) is m × k. Stored as is, row i is contiguous along p; transposed, A is stored k × m and column i is.
template <bool Transposed>
struct MatrixA {
    static constexpr bool k_fastest = !Transposed;
    const float* data;
    int ld;
    __device__ float operator()(int, int i, int p) const {
        return Transposed ? data[int64_t(p) * ld + i] : data[int64_t(i) * ld + p];
    }
};

// op(B) is k × n. Stored as is, row p is contiguous along j; transposed, B is stored n × k.
template <bool Transposed>
struct MatrixB {
    static constexpr bool k_fastest = Transposed;
    const float* data;
    int ld;
    __device__ float operator()(int, int p, int j) const {
        return Transposed ? data[int64_t(j) * ld + p] : data[int64_t(p) * ld + j];
    }
};

// beta == 0 never reads C (BLAS semantics): C may hold garbage, even NaN, that must not leak into the result.
struct ScaleIntoC {
    float* c;
    int ldc;
    float alpha, beta;
    __device__ void operator()(int, int, int i, int j, float value) const {
        float& out = c[int64_t(i) * ldc + j];
        out = beta == 0.0f ? alpha * value : alpha * value + beta * out;
    }
};

// Partial product `split` of a split-K GEMM, [splits][m][n].
struct StorePartial {
    float* partials;
    int m, n;
    __device__ void operator()(int, int split, int i, int j, float value) const {
        partials[(int64_t(split) * m + i) * n + j] = value;
    }
};

// C = alpha·(the partials summed in split order) + beta·C, with ScaleIntoC's beta == 0 rule.
__global__ void add_partials_into_c_kernel(int m, int n, int splits, const float* partials, float* c, int ldc,
                                           float alpha, float beta) {
    JNAS_GRID_STRIDE(e, int64_t(m) * n) {
        float total = 0.0f;
        for (int split = 0; split < splits; ++split) total += partials[split * int64_t(m) * n + e];
        ScaleIntoC{c, ldc, alpha, beta}(0, 0, int(e / n), int(e % n), total);
    }
}

// A product with few output tiles and a long k, such as the NTK Gram Θ = J·Jᵀ (B × B over every parameter), splits
// k (split_k), or a handful of blocks would walk all of it while the rest of the GPU idles.
template <bool TransA, bool TransB>
void launch_gemm(const Gpu& gpu, int m, int n, int k, float alpha, const float* a, int lda, const float* b, int ldb,
                 float beta, float* c, int ldc) {
    const int64_t tiles = int64_t((m + kGemmTileM - 1) / kGemmTileM) * ((n + kGemmTileN - 1) / kGemmTileN);
    const KSplit split = split_k(tiles, k);
    if (split.splits == 1)
        return launch_tiled_gemm(gpu, "gemm", 1, m, n, k, k, 1, MatrixA<TransA>{a, lda}, MatrixB<TransB>{b, ldb},
                                 ScaleIntoC{c, ldc, alpha, beta});
    float* partials = static_cast<float*>(gpu.scratch->get(size_t(split.splits) * m * n * sizeof(float)));
    launch_tiled_gemm(gpu, "gemm", 1, m, n, k, split.k_split, split.splits, MatrixA<TransA>{a, lda},
                      MatrixB<TransB>{b, ldb}, StorePartial{partials, m, n});
    add_partials_into_c_kernel<<<grid_for(int64_t(m) * n), kThreads, 0, gpu.stream>>>(m, n, split.splits, partials, c,
                                                                                     ldc, alpha, beta);
    check_launch("gemm");
}

}  // namespace

void gemm(const Gpu& gpu, bool trans_a, bool trans_b, int m, int n, int k, float alpha, const float* a, int lda,
          const float* b, int ldb, float beta, float* c, int ldc) {
    if (m <= 0 || n <= 0) return;
    if (trans_a && trans_b) return launch_gemm<true, true>(gpu, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    if (trans_a) return launch_gemm<true, false>(gpu, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    if (trans_b) return launch_gemm<false, true>(gpu, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    launch_gemm<false, false>(gpu, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}

}  // namespace jnas::cuda
