// spectrum.cpp — eigenvalues of symmetric matrices in double (the backend's symmetric_eigenvalues: LAPACKE_dsyevd on
// the CPU, a Jacobi eigensolver on CUDA) and the condition number κ. Nothing is clamped or replaced: a non-positive
// λmin gives whatever λmax/λmin is, and the flags say so.
#include <cmath>
#include <limits>

#include "device_buffer.hpp"
#include "ntk.hpp"

namespace jnas {

std::vector<Spectrum> symmetric_spectra(Backend& backend, int n, const std::vector<const float*>& matrices) {
    const int count = int(matrices.size());
    DeviceBuffer eigenvalues_buffer(backend, size_t(count) * n * sizeof(double));
    DeviceBuffer status_buffer(backend, size_t(count) * sizeof(uint32_t));
    backend.symmetric_eigenvalues(count, n, matrices.data(), static_cast<double*>(eigenvalues_buffer.get()),
                                  static_cast<uint32_t*>(status_buffer.get()));
    std::vector<double> eigenvalues(size_t(count) * n);
    std::vector<uint32_t> status(static_cast<size_t>(count));
    backend.download(eigenvalues.data(), eigenvalues_buffer.get(), eigenvalues_buffer.bytes());
    backend.download(status.data(), status_buffer.get(), status_buffer.bytes());

    std::vector<Spectrum> spectra(static_cast<size_t>(count));
    for (int i = 0; i < count; ++i) {
        Spectrum& result = spectra[i];
        result.eigenvalues.assign(eigenvalues.begin() + int64_t(i) * n, eigenvalues.begin() + int64_t(i + 1) * n);
        result.flags = status[i];
        result.kappa = std::numeric_limits<double>::quiet_NaN();
        if (result.flags) continue;  // the eigenvalues are NaN
        double lowest = result.eigenvalues.front(), highest = result.eigenvalues.back();
        result.kappa = highest / lowest;
        if (!(lowest > 0.0)) result.flags |= JNAS_SPECTRUM_NONPOSITIVE_MIN;
        if (!std::isfinite(result.kappa)) result.flags |= JNAS_SPECTRUM_NONFINITE;
    }
    return spectra;
}

}  // namespace jnas
