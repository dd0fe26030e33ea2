// ard.cu — the batched ARD update (Backend::ard_update): one thread per group, in two launches so that every
// origin group's γ is final before an op group reads it. The per-group math is native/src/ard_update.hpp, shared
// with the CPU backend.
#include "ard_update.hpp"
#include "cuda_kernels.cuh"

namespace jnas::cuda {
namespace {

__global__ void ard_group_kernel(int groups, int cells, const float* switches, const float* hessians,
                                 const float* gammas, const float* lambdas, float* covariances, float* omegas,
                                 float* new_gammas) {
    JNAS_GRID_STRIDE(g, groups) {
        const int64_t at = int64_t(g) * cells;
        new_gammas[g] = float(ard::group_gamma(cells, switches + at, hessians + at, gammas[g], lambdas[g],
                                               covariances + at, omegas + g));
    }
}

// Parents are origin groups (jnas_ard_update requires it), which this launch never writes.
__global__ void ard_combine_kernel(int groups, const int32_t* parents, float* new_gammas) {
    JNAS_GRID_STRIDE(g, groups) {
        if (parents[g] >= 0) new_gammas[g] = float(ard::combined_gamma(new_gammas[g], new_gammas[parents[g]]));
    }
}

}  // namespace

void ard_update(const Gpu& gpu, int groups, int cells, const float* switches, const float* hessians,
                const float* gammas, const float* lambdas, const int32_t* parents, float* covariances, float* omegas,
                float* new_gammas) {
    if (groups <= 0) return;
    ard_group_kernel<<<grid_for(groups), kThreads, 0, gpu.stream>>>(groups, cells, switches, hessians, gammas,
                                                                     lambdas, covariances, omegas, new_gammas);
    check_launch("ard_update");
    ard_combine_kernel<<<grid_for(groups), kThreads, 0, gpu.stream>>>(groups, parents, new_gammas);
    check_launch("ard_update (combine)");
}

}  // namespace jnas::cuda
