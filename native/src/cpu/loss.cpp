// loss.cpp — softmax cross-entropy with label smoothing, one row per thread iteration (rows are independent).
#include <cmath>

#include "cpu/cpu_kernels.hpp"

namespace jnas::cpu {
namespace {

struct RowStats {
    int argmax;             // first maximum
    double log_sum_exp;     // log Σ exp(z), computed around the maximum so it cannot overflow
    double sum_logits;
};

RowStats row_stats(const float* z, int classes) {
    RowStats r{0, 0.0, 0.0};
    for (int k = 1; k < classes; ++k)
        if (z[k] > z[r.argmax]) r.argmax = k;
    double top = z[r.argmax], total = 0.0;
    for (int k = 0; k < classes; ++k) {
        total += std::exp(double(z[k]) - top);
        r.sum_logits += z[k];
    }
    r.log_sum_exp = top + std::log(total);
    return r;
}

}  // namespace

// With target t = (1-eps)·onehot(label) + eps/K (PyTorch's label smoothing):
//   loss = -Σ_k t_k·log softmax_k = logsumexp - (1-eps)·z_label - (eps/K)·Σ_k z_k
//   dloss/dz_k = softmax_k - t_k
void cross_entropy(int threads, int rows, int classes, const float* logits, const int32_t* labels,
                   float smoothing, float grad_scale, float* loss_rows, int32_t* correct_rows, float* dlogits) {
    double eps = smoothing, uniform = eps / classes;
    parallel_for(threads_for(int64_t(rows) * classes * 8, threads), rows, [&](int r) {
        const float* z = logits + int64_t(r) * classes;
        int label = labels[r];
        RowStats st = row_stats(z, classes);
        loss_rows[r] = float(st.log_sum_exp - (1.0 - eps) * z[label] - uniform * st.sum_logits);
        correct_rows[r] = st.argmax == label ? 1 : 0;
        if (dlogits == nullptr) return;
        float* grad = dlogits + int64_t(r) * classes;
        for (int k = 0; k < classes; ++k) {
            double target = uniform + (k == label ? 1.0 - eps : 0.0);
            grad[k] = float((std::exp(double(z[k]) - st.log_sum_exp) - target) * grad_scale);
        }
    });
}

}  // namespace jnas::cpu
