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

template <bool TransA, bool TransB>
void launch_gemm(const Gpu& gpu, int m, int n, int k, float alpha, const float* a, int lda, const float* b, int ldb,
                 float beta, float* c, int ldc) {
    launch_tiled_gemm(gpu, "gemm", 1, m, n, k, k, 1, MatrixA<TransA>{a, lda}, MatrixB<TransB>{b, ldb},
                      ScaleIntoC{c, ldc, alpha, beta});
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
