// spectrum.cpp — eigenvalues of a symmetric matrix in double (LAPACKE_dsyevd) and the condition number κ.
// Nothing is clamped or replaced: a non-positive λmin gives whatever λmax/λmin is, and the flags say so.
#include <lapacke.h>

#include <cmath>
#include <limits>

#include "error.hpp"
#include "ntk.hpp"

namespace jnas {

Spectrum symmetric_spectrum(std::vector<double> matrix, int n) {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    Spectrum result{std::vector<double>(n, nan), nan, 0u};
    for (int r = 0; r < n; ++r)
        for (int c = r; c < n; ++c)
            if (!std::isfinite(matrix[size_t(r) * n + c])) result.flags |= JNAS_SPECTRUM_NONFINITE;
    if (result.flags) return result;  // LAPACK's behaviour on NaN/inf input is undefined
    lapack_int info = LAPACKE_dsyevd(LAPACK_ROW_MAJOR, 'N', 'U', n, matrix.data(), n, result.eigenvalues.data());
    if (info < 0) fail(JNAS_ERR_INTERNAL, "LAPACKE_dsyevd rejected argument ", -info);
    if (info > 0) {
        result.eigenvalues.assign(n, nan);
        result.flags |= JNAS_SPECTRUM_NOT_CONVERGED;
        return result;
    }
    double lowest = result.eigenvalues.front(), highest = result.eigenvalues.back();
    result.kappa = highest / lowest;
    if (!(lowest > 0.0)) result.flags |= JNAS_SPECTRUM_NONPOSITIVE_MIN;
    if (!std::isfinite(result.kappa)) result.flags |= JNAS_SPECTRUM_NONFINITE;
    return result;
}

}  // namespace jnas
