// loss.cu — softmax cross-entropy with label smoothing, one block per row. With target
// t = (1 − eps)·onehot(label) + eps/K (PyTorch's label smoothing):
//   loss = logsumexp(z) − (1 − eps)·z_label − (eps/K)·Σ_k z_k,    dloss/dz_k = softmax_k − t_k
// Sums run in double and fold by the fixed trees of cuda_util.cuh, as the CPU backend's (native/src/cpu/loss.cpp).
#include <climits>

#include "cuda_kernels.cuh"

namespace jnas::cuda {
namespace {

// The row's maximum and where it is; ties go to the lower index, so the first maximum wins as on the CPU.
struct Best {
    float value;
    int index;
};

__device__ __forceinline__ Best better(Best a, Best b) {
    return b.value > a.value || (b.value == a.value && b.index < a.index) ? b : a;
}

__device__ Best block_argmax(Best v, Best* shared) {
    for (int offset = 16; offset > 0; offset /= 2) {
        Best other{__shfl_down_sync(0xffffffffu, v.value, offset), __shfl_down_sync(0xffffffffu, v.index, offset)};
        v = better(v, other);
    }
    const int lane = threadIdx.x % 32, warp = threadIdx.x / 32;
    if (lane == 0) shared[warp] = v;
    __syncthreads();
    if (threadIdx.x == 0) {
        for (int w = 1; w < int(blockDim.x / 32); ++w) v = better(v, shared[w]);
        shared[0] = v;
    }
    __syncthreads();
    return shared[0];
}

// Threads per row: classes are tens to a thousand, so 128 threads keep most lanes busy without idling warps.
constexpr int kRowThreads = 128;

__global__ void __launch_bounds__(kRowThreads)
    cross_entropy_kernel(int classes, const float* logits, const int32_t* labels, double smoothing,
                         float grad_scale, float* loss_rows, int32_t* correct_rows, float* dlogits) {
    __shared__ Best best_shared[32];
    __shared__ double sum_shared[32];
    const int row = blockIdx.x;
    const float* z = logits + int64_t(row) * classes;

    // A NaN never compares greater, so such rows keep index INT_MAX here; 0 then stands in (the CPU's start).
    Best best{-INFINITY, INT_MAX};
    double logit_total = 0.0;
    for (int k = threadIdx.x; k < classes; k += blockDim.x) {
        best = better(best, Best{z[k], k});
        logit_total += double(z[k]);
    }
    best = block_argmax(best, best_shared);
    const int argmax = best.index < classes ? best.index : 0;
    const double sum_logits = block_sum(logit_total, sum_shared);

    const double top = z[argmax];
    double exp_total = 0.0;
    for (int k = threadIdx.x; k < classes; k += blockDim.x) exp_total += exp(double(z[k]) - top);
    const double log_sum_exp = top + log(block_sum(exp_total, sum_shared));

    const int label = labels[row];
    const double uniform = smoothing / classes;
    if (threadIdx.x == 0) {
        loss_rows[row] = float(log_sum_exp - (1.0 - smoothing) * z[label] - uniform * sum_logits);
        correct_rows[row] = argmax == label ? 1 : 0;
    }
    if (dlogits == nullptr) return;
    float* grad = dlogits + int64_t(row) * classes;
    for (int k = threadIdx.x; k < classes; k += blockDim.x) {
        const double target = uniform + (k == label ? 1.0 - smoothing : 0.0);
        grad[k] = float((exp(double(z[k]) - log_sum_exp) - target) * grad_scale);
    }
}

}  // namespace

void cross_entropy(const Gpu& gpu, int rows, int classes, const float* logits, const int32_t* labels,
                   float smoothing, float grad_scale, float* loss_rows, int32_t* correct_rows, float* dlogits) {
    if (rows <= 0 || classes <= 0) return;
    cross_entropy_kernel<<<rows, kRowThreads, 0, gpu.stream>>>(classes, logits, labels, smoothing, grad_scale,
                                                               loss_rows, correct_rows, dlogits);
    check_launch("cross_entropy");
}

}  // namespace jnas::cuda
