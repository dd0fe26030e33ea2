// ard.cpp — the batched ARD update (Backend::ard_update) on the host: every group's own γ first, then the op
// groups combined with their (already final) origin groups — the same two phases as the CUDA kernels.
#include "ard_update.hpp"
#include "cpu/cpu_kernels.hpp"

namespace jnas::cpu {

void ard_update(int groups, int cells, const float* switches, const float* hessians, const float* gammas,
                const float* lambdas, const int32_t* parents, float* covariances, float* omegas, float* new_gammas) {
    // Groups are few (tens to a few thousand) and each is a handful of cells: one thread is faster than a team.
    for (int g = 0; g < groups; ++g) {
        const int64_t at = int64_t(g) * cells;
        new_gammas[g] = float(ard::group_gamma(cells, switches + at, hessians + at, gammas[g], lambdas[g],
                                               covariances + at, omegas + g));
    }
    for (int g = 0; g < groups; ++g)
        if (parents[g] >= 0) new_gammas[g] = float(ard::combined_gamma(new_gammas[g], new_gammas[parents[g]]));
}

}  // namespace jnas::cpu
