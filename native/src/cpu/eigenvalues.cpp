// eigenvalues.cpp — Backend::symmetric_eigenvalues on the CPU: LAPACKE_dsyevd on each matrix in double, the CPU
// twin of the CUDA Jacobi eigensolver (kernels/eigen_jacobi.cu).
#include <lapacke.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "cpu/cpu_kernels.hpp"
#include "error.hpp"

namespace jnas::cpu {
namespace {

// LAPACKE's info for one matrix (0: solved), after writing its eigenvalues and status. Runs inside a parallel
// region, so it reports argument errors through the return value rather than throwing.
lapack_int one_spectrum(int n, const float* matrix, double* eigenvalues, uint32_t* status) {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    *status = 0;
    for (int r = 0; r < n; ++r)
        for (int c = r; c < n; ++c)
            if (!std::isfinite(matrix[size_t(r) * n + c])) *status = JNAS_SPECTRUM_NONFINITE;
    if (*status != 0) {  // LAPACK's behaviour on NaN/inf input is undefined
        std::fill(eigenvalues, eigenvalues + n, nan);
        return 0;
    }
    std::vector<double> a(matrix, matrix + size_t(n) * n);
    lapack_int info = LAPACKE_dsyevd(LAPACK_ROW_MAJOR, 'N', 'U', n, a.data(), n, eigenvalues);
    if (info > 0) {
        std::fill(eigenvalues, eigenvalues + n, nan);
        *status = JNAS_SPECTRUM_NOT_CONVERGED;
    }
    return info;
}

}  // namespace

void symmetric_eigenvalues(int threads, int count, int n, const float* const* matrices, double* eigenvalues,
                           uint32_t* status) {
    std::vector<lapack_int> info(size_t(count), 0);
    // Each matrix is solved on one thread with single-threaded BLAS, so the results do not depend on `threads`.
#pragma omp parallel for num_threads(std::max(1, std::min(threads, count))) schedule(dynamic)
    for (int i = 0; i < count; ++i)
        info[i] = one_spectrum(n, matrices[i], eigenvalues + int64_t(i) * n, status + i);
    for (int i = 0; i < count; ++i)
        if (info[i] < 0) fail(JNAS_ERR_INTERNAL, "LAPACKE_dsyevd rejected argument ", -info[i]);
}

}  // namespace jnas::cpu
