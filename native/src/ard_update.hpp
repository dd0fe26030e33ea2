// ard_update.hpp — BayesNAS's ARD hyperparameter update of one switch group, one definition compiled for the host
// (the CPU backend) and the device (kernels/ard.cu), so both backends compute it with the same operations in the
// same order. The formulas are jnas_ard_update's (jnas.h); the arithmetic is double, the storage float.
#pragma once

#include <cmath>
#include <cstdint>

#if defined(__CUDACC__)
#define JNAS_ARD_HD __host__ __device__
#else
#define JNAS_ARD_HD
#endif

namespace jnas::ard {

// Group g's own update: writes C per cell and ω, and returns γ' = ‖s‖/ω before any combination with a parent.
// A pruned group (γ = 0) stays pruned; a group the loss does not feel (ω = 0) is pruned, since ‖s‖/0 would keep a
// switch whose removal leaves the loss unchanged forever.
JNAS_ARD_HD inline double group_gamma(int cells, const float* switches, const float* hessians, double gamma,
                                      double lambda, float* covariances, float* omega_out) {
    double omega_squared = 0, norm_squared = 0;
    for (int c = 0; c < cells; ++c) {
        const double scaled = double(hessians[c]) / lambda;
        // 1/(1/γ + H̃), which is 0 for γ = 0 (1/0 = inf) without a branch.
        covariances[c] = float(1.0 / (1.0 / gamma + scaled));
        // |1/γ − C/γ²| in the form it equals, H̃/(1 + γH̃): the difference cancels to 0 when γH̃ is below the
        // double epsilon, which would make ω = 0 for a switch the loss does feel.
        omega_squared += fabs(scaled / (1.0 + gamma * scaled));
        norm_squared += double(switches[c]) * double(switches[c]);
    }
    const double omega = sqrt(omega_squared);
    *omega_out = float(omega);
    if (gamma == 0 || omega == 0) return 0;
    return sqrt(norm_squared) / omega;
}

// An op switch's γ combined with its edge's: (1/γ' + 1/γ_edge)⁻¹, so an op never keeps more variance than its edge
// (the HARD prior); 0 when either is 0.
JNAS_ARD_HD inline double combined_gamma(double own, double parent) {
    if (own == 0 || parent == 0) return 0;
    return 1.0 / (1.0 / own + 1.0 / parent);
}

}  // namespace jnas::ard
