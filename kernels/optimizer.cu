// optimizer.cu — SGD and Adam updates, one thread per parameter element. Formulas are the CPU backend's
// (native/src/cpu/optimizer.cpp), which follow PyTorch.
#include <cmath>

#include "cuda_kernels.cuh"

namespace jnas::cuda {
namespace {

// As PyTorch (dampening 0): g' = g + wd·w; v = momentum·v + g'; step = nesterov ? g' + momentum·v : v;
// w −= lr·step. velocity may be null when momentum is 0 (no buffer): step = g'.
__global__ void sgd_kernel(int64_t n, float* w, const float* g, float* velocity, float lr, float momentum,
                           float weight_decay, bool nesterov) {
    JNAS_GRID_STRIDE(i, n) {
        const float grad = g[i] + weight_decay * w[i];
        float step = grad;
        if (velocity != nullptr) {
            velocity[i] = momentum * velocity[i] + grad;
            step = nesterov ? grad + momentum * velocity[i] : velocity[i];
        }
        w[i] -= lr * step;
    }
}

// As PyTorch's Adam (L2 decay added to the gradient, not AdamW):
//   m = β1·m + (1−β1)·g'; v = β2·v + (1−β2)·g'²; w −= lr/(1−β1^t) · m / (sqrt(v)/sqrt(1−β2^t) + eps)
// The two bias corrections are computed once on the host, in double, as on the CPU.
__global__ void adam_kernel(int64_t n, float* w, const float* g, float* m, float* v, float beta1, float beta2,
                            float eps, float weight_decay, float step_size, float correction2_sqrt) {
    JNAS_GRID_STRIDE(i, n) {
        const float grad = g[i] + weight_decay * w[i];
        m[i] = beta1 * m[i] + (1.0f - beta1) * grad;
        v[i] = beta2 * v[i] + (1.0f - beta2) * grad * grad;
        w[i] -= step_size * m[i] / (sqrtf(v[i]) / correction2_sqrt + eps);
    }
}

}  // namespace

void sgd_step(const Gpu& gpu, int64_t n, float* w, const float* g, float* velocity, float lr, float momentum,
              float weight_decay, bool nesterov) {
    if (n <= 0) return;
    sgd_kernel<<<grid_for(n), kThreads, 0, gpu.stream>>>(n, w, g, velocity, lr, momentum, weight_decay, nesterov);
    check_launch("sgd_step");
}

void adam_step(const Gpu& gpu, int64_t n, float* w, const float* g, float* m, float* v, float lr, float beta1,
               float beta2, float eps, float weight_decay, int64_t step) {
    if (n <= 0) return;
    const double t = double(step);
    const float step_size = float(lr / (1.0 - std::pow(double(beta1), t)));
    const float correction2_sqrt = float(std::sqrt(1.0 - std::pow(double(beta2), t)));
    adam_kernel<<<grid_for(n), kThreads, 0, gpu.stream>>>(n, w, g, m, v, beta1, beta2, eps, weight_decay, step_size,
                                                          correction2_sqrt);
    check_launch("adam_step");
}

}  // namespace jnas::cuda
