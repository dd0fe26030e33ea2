// optimizer.cpp — SGD and Adam updates, elementwise (each parameter updated by one iteration).
#include <cmath>

#include "cpu/cpu_kernels.hpp"

namespace jnas::cpu {

// As PyTorch (dampening 0): g' = g + wd·w; v = momentum·v + g'; step = nesterov ? g' + momentum·v : v;
// w -= lr·step. velocity may be null when momentum is 0 (PyTorch keeps no buffer then): step = g'.
void sgd_step(int threads, int64_t n, float* w, const float* g, float* velocity, float lr, float momentum,
              float weight_decay, bool nesterov) {
    parallel_for(threads_for(n, threads), n, [&](int64_t i) {
        float grad = g[i] + weight_decay * w[i];
        float step = grad;
        if (velocity != nullptr) {
            velocity[i] = momentum * velocity[i] + grad;
            step = nesterov ? grad + momentum * velocity[i] : velocity[i];
        }
        w[i] -= lr * step;
    });
}

// As PyTorch's Adam (L2 decay added to the gradient, not AdamW):
//   m = β1·m + (1-β1)·g'; v = β2·v + (1-β2)·g'²; w -= lr/(1-β1^t) · m / (sqrt(v)/sqrt(1-β2^t) + eps)
void adam_step(int threads, int64_t n, float* w, const float* g, float* m, float* v, float lr, float beta1,
               float beta2, float eps, float weight_decay, int64_t step) {
    double t = double(step);
    float step_size = float(lr / (1.0 - std::pow(double(beta1), t)));
    float correction2_sqrt = float(std::sqrt(1.0 - std::pow(double(beta2), t)));
    parallel_for(threads_for(n, threads), n, [&](int64_t i) {
        float grad = g[i] + weight_decay * w[i];
        m[i] = beta1 * m[i] + (1.0f - beta1) * grad;
        v[i] = beta2 * v[i] + (1.0f - beta2) * grad * grad;
        w[i] -= step_size * m[i] / (std::sqrt(v[i]) / correction2_sqrt + eps);
    });
}

}  // namespace jnas::cpu
