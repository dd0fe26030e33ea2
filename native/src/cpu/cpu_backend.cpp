// cpu_backend.cpp — the CPU Backend: host memory plus the kernels of cpu_kernels.hpp. The class holds the thread
// budget and the block cache of its memory; every kernel is a free function it forwards to.
#include <omp.h>

#include <algorithm>
#include <cstring>
#include <exception>
#include <string>
#include <vector>

#include "cpu/block_cache.hpp"
#include "cpu/cpu_kernels.hpp"
#include "patterns.hpp"

namespace jnas {
namespace {

class CpuBackend final : public Backend {
public:
    CpuBackend() { set_threads(0); }

    jnas_backend kind() const override { return JNAS_BACKEND_CPU; }
    std::string device_name() const override { return "cpu (" + std::to_string(threads_) + " threads)"; }

    void set_threads(int n) override {
        threads_ = n > 0 ? n : omp_get_num_procs();
        cpu::set_blas_threads(1);  // OpenBLAS stays single-threaded: gemm.cpp explains why
    }

    int lanes(int tasks) const override { return std::max(0, std::min(threads_, tasks)); }
    void side_by_side(int tasks, const std::function<void(int, int)>& task) override {
        int team = lanes(tasks);
        if (team <= 1 || in_lane_) return Backend::side_by_side(tasks, task);
        std::vector<std::exception_ptr> errors(static_cast<size_t>(tasks));
#pragma omp parallel num_threads(team)
        {
            in_lane_ = true;  // this thread's kernels run single-threaded (threads())
#pragma omp for schedule(dynamic, 1)
            for (int t = 0; t < tasks; ++t) {
                try {
                    task(t, omp_get_thread_num());
                } catch (...) {
                    errors[size_t(t)] = std::current_exception();  // an exception must not leave the region
                }
            }
            in_lane_ = false;
        }
        for (const std::exception_ptr& error : errors)
            if (error) std::rethrow_exception(error);
    }

    // ---- memory ----
    void* alloc(size_t bytes) override { return blocks_.alloc(bytes, true); }
    void* alloc_scratch(size_t bytes) override { return blocks_.alloc(bytes, false); }
    size_t memory_bytes() const override { return cpu::physical_memory(); }
    void release(void* p) override { blocks_.release(p); }
    void upload(void* dst, const void* host_src, size_t bytes) override { copy(dst, host_src, bytes); }
    void download(void* host_dst, const void* src, size_t bytes) const override {
        if (bytes > 0) std::memcpy(host_dst, src, bytes);
    }
    void copy(void* dst, const void* src, size_t bytes) override {
        if (bytes > 0 && dst != src) std::memmove(dst, src, bytes);
    }
    void fill(float* dst, int64_t n, float value) override { cpu::fill(threads(), dst, n, value); }
    void synchronize() override {}

    // ---- random numbers ----
    void fill_normal(float* dst, int64_t n, uint64_t seed, uint64_t stream, float mean, float std) override {
        cpu::fill_normal(threads(), dst, n, seed, stream, mean, std);
    }
    void fill_uniform(float* dst, int64_t n, uint64_t seed, uint64_t stream, float lo, float hi) override {
        cpu::fill_uniform(threads(), dst, n, seed, stream, lo, hi);
    }
    void fill_dropout_mask(float* dst, int64_t n, uint64_t seed, uint64_t stream, float p, float keep_value) override {
        cpu::fill_dropout_mask(threads(), dst, n, seed, stream, p, keep_value);
    }

    // ---- elementwise and reductions ----
    void axpy(int64_t n, float alpha, const float* x, float* y) override { cpu::axpy(threads(), n, alpha, x, y); }
    void axpy_dev(int64_t n, const float* alpha_dev, const float* x, float* y) override {
        cpu::axpy(threads(), n, *alpha_dev, x, y);
    }
    void scale(int64_t n, float alpha, const float* x, float* y) override { cpu::scale(threads(), n, alpha, x, y); }
    void multiply(int64_t n, const float* a, const float* b, float* y) override {
        cpu::multiply(threads(), n, a, b, y);
    }
    void dot_accumulate(int64_t n, const float* a, const float* b, float* out_dev) override {
        cpu::dot_accumulate(threads(), n, a, b, out_dev);
    }
    void add_row_bias(int rows, int cols, const float* bias, float* y) override {
        cpu::add_row_bias(threads(), rows, cols, bias, y);
    }
    void sum_rows(int rows, int cols, const float* dy, float* db) override {
        cpu::sum_rows(threads(), rows, cols, dy, db);
    }
    void add_channel_bias(int n, int c, int hw, const float* bias, float* y) override {
        cpu::add_channel_bias(threads(), n, c, hw, bias, y);
    }
    void sum_channels(int n, int c, int hw, const float* dy, float* db) override {
        cpu::sum_channels(threads(), n, c, hw, dy, db);
    }
    void multiply_accumulate(int64_t n, const float* a, const float* b, float* y) override {
        cpu::multiply_accumulate(threads(), n, a, b, y);
    }
    void scale_channels(int n, int c, int hw, const float* x, const float* gate, float* y, bool accumulate) override {
        cpu::scale_channels(threads(), n, c, hw, x, gate, y, accumulate);
    }
    void channel_dot_accumulate(int n, int c, int hw, const float* a, const float* b, float* out) override {
        cpu::channel_dot_accumulate(threads(), n, c, hw, a, b, out);
    }
    void activation_forward(jnas_activation kind, int64_t n, const float* x, float* y) override {
        cpu::activation_forward(threads(), kind, n, x, y);
    }
    void activation_backward(jnas_activation kind, int64_t n, const float* x, const float* dy,
                             float* dx) override {
        cpu::activation_backward(threads(), kind, n, x, dy, dx);
    }
    void activation_hessian_backward(jnas_activation kind, int64_t n, const float* x, const float* hy,
                                     const float* gy, float* hx) override {
        cpu::activation_hessian_backward(threads(), kind, n, x, hy, gy, hx);
    }

    // ---- GEMM ----
    void gemm(bool trans_a, bool trans_b, int m, int n, int k, float alpha, const float* a, int lda,
              const float* b, int ldb, float beta, float* c, int ldc) override {
        cpu::gemm(threads(), trans_a, trans_b, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    }

    // ---- convolution ----
    void conv2d_forward(const Conv2dShape& s, const float* x, const float* w, float* y) override {
        cpu::conv2d_forward(threads(), s, x, w, y);
    }
    void conv2d_backward_data(const Conv2dShape& s, const float* dy, const float* w, float* dx) override {
        cpu::conv2d_backward_data(threads(), s, dy, w, dx);
    }
    void conv2d_backward_weight(const Conv2dShape& s, const float* x, const float* dy, float* dw) override {
        cpu::conv2d_backward_weight(threads(), s, x, dy, dw);
    }
    void conv2d_backward_weight_rows(const Conv2dShape& s, int rows, int x_row_step, const float* x, const float* dy,
                                     float* dw, int64_t ldw) override {
        cpu::conv2d_backward_weight_rows(threads(), s, rows, x_row_step, x, dy, dw, ldw);
    }

    // ---- batch norm ----
    void batch_norm_forward_train(const BatchNormShape& s, const float* x, const float* gamma, const float* beta,
                                  float momentum, float* running_mean, float* running_var, float* save_mean,
                                  float* save_invstd, float* y) override {
        cpu::batch_norm_forward_train(threads(), s, x, gamma, beta, momentum, running_mean, running_var,
                                      save_mean, save_invstd, y);
    }
    void batch_norm_forward_eval(const BatchNormShape& s, const float* x, const float* gamma, const float* beta,
                                 const float* running_mean, const float* running_var, float* save_mean,
                                 float* save_invstd, float* y) override {
        cpu::batch_norm_forward_eval(threads(), s, x, gamma, beta, running_mean, running_var, save_mean,
                                     save_invstd, y);
    }
    void batch_norm_backward(const BatchNormShape& s, bool train, const float* x, const float* dy, float dy_scale,
                             const float* gamma, const float* save_mean, const float* save_invstd, float* dx,
                             float* dgamma, float* dbeta) override {
        cpu::batch_norm_backward(threads(), s, train, x, dy, dy_scale, gamma, save_mean, save_invstd, dx, dgamma,
                                 dbeta);
    }

    // ---- layer and group norm ----
    void layer_norm_forward(const SampleNormShape& s, const float* x, const float* gamma, const float* beta,
                            float* save_mean, float* save_invstd, float* y) override {
        cpu::layer_norm_forward(threads(), s, x, gamma, beta, save_mean, save_invstd, y);
    }
    void layer_norm_backward(const SampleNormShape& s, bool differentiate_stats, const float* x, const float* dy,
                             const float* gamma, const float* save_mean, const float* save_invstd, float* dx,
                             float* dgamma, float* dbeta) override {
        cpu::layer_norm_backward(threads(), s, differentiate_stats, x, dy, gamma, save_mean, save_invstd, dx, dgamma,
                                 dbeta);
    }
    void group_norm_forward(const SampleNormShape& s, int groups, const float* x, const float* gamma,
                            const float* beta, float* save_mean, float* save_invstd, float* y) override {
        cpu::group_norm_forward(threads(), s, groups, x, gamma, beta, save_mean, save_invstd, y);
    }
    void group_norm_backward(const SampleNormShape& s, int groups, bool differentiate_stats, const float* x,
                             const float* dy, const float* gamma, const float* save_mean, const float* save_invstd,
                             float* dx, float* dgamma, float* dbeta) override {
        cpu::group_norm_backward(threads(), s, groups, differentiate_stats, x, dy, gamma, save_mean, save_invstd, dx,
                                 dgamma, dbeta);
    }

    // ---- softmax ----
    void softmax_forward(int n, int c, int hw, const float* x, float* y) override {
        cpu::softmax_forward(threads(), n, c, hw, x, y);
    }
    void softmax_backward(int n, int c, int hw, const float* y, const float* dy, float* dx) override {
        cpu::softmax_backward(threads(), n, c, hw, y, dy, dx);
    }

    // ---- pooling ----
    void avg_pool_forward(const PoolShape& s, const float* x, float* y) override {
        cpu::avg_pool_forward(threads(), s, x, y);
    }
    void avg_pool_backward(const PoolShape& s, const float* dy, float dy_scale, float* dx) override {
        cpu::avg_pool_backward(threads(), s, dy, dy_scale, dx);
    }
    void avg_pool_hessian_backward(const PoolShape& s, const float* hy, float* hx) override {
        cpu::avg_pool_hessian_backward(threads(), s, hy, hx);
    }
    void max_pool_forward(const PoolShape& s, const float* x, float* y, int32_t* argmax) override {
        cpu::max_pool_forward(threads(), s, x, y, argmax);
    }
    void max_pool_backward(const PoolShape& s, const float* dy, const int32_t* argmax, float* dx) override {
        cpu::max_pool_backward(threads(), s, dy, argmax, dx);
    }
    void global_avg_pool_forward(int n, int c, int hw, const float* x, float* y) override {
        cpu::global_avg_pool_forward(threads(), n, c, hw, x, y);
    }
    void global_avg_pool_backward(int n, int c, int hw, const float* dy, float* dx) override {
        cpu::global_avg_pool_backward(threads(), n, c, hw, dy, dx);
    }
    void global_max_pool_forward(int n, int c, int hw, const float* x, float* y, int32_t* argmax) override {
        cpu::global_max_pool_forward(threads(), n, c, hw, x, y, argmax);
    }
    void global_max_pool_backward(int n, int c, int hw, const float* dy, const int32_t* argmax, float* dx) override {
        cpu::global_max_pool_backward(threads(), n, c, hw, dy, argmax, dx);
    }

    // ---- data movement ----
    void copy_channels(const ChannelBlock& b, const float* src, float* dst, bool accumulate) override {
        cpu::copy_channels(threads(), b, src, dst, accumulate);
    }
    void shift(const ShiftShape& s, const float* src, float* dst, bool accumulate) override {
        cpu::shift(threads(), s, src, dst, accumulate);
    }

    // ---- loss ----
    void cross_entropy(int rows, int classes, const float* logits, const int32_t* labels, float smoothing,
                       float grad_scale, float* loss_rows, int32_t* correct_rows, float* dlogits) override {
        cpu::cross_entropy(threads(), rows, classes, logits, labels, smoothing, grad_scale, loss_rows,
                           correct_rows, dlogits);
    }

    // ---- optimizers ----
    void sgd_step(int64_t n, float* w, const float* g, float* velocity, float lr, float momentum,
                  float weight_decay, bool nesterov) override {
        cpu::sgd_step(threads(), n, w, g, velocity, lr, momentum, weight_decay, nesterov);
    }
    void adam_step(int64_t n, float* w, const float* g, float* m, float* v, float lr, float beta1, float beta2,
                   float eps, float weight_decay, int64_t step) override {
        cpu::adam_step(threads(), n, w, g, m, v, lr, beta1, beta2, eps, weight_decay, step);
    }

    // ---- BayesNAS ----
    void ard_update(int groups, int cells, const float* switches, const float* hessians, const float* gammas,
                    const float* lambdas, const int32_t* parents, float* covariances, float* omegas,
                    float* new_gammas) override {
        cpu::ard_update(groups, cells, switches, hessians, gammas, lambdas, parents, covariances, omegas, new_gammas);
    }

    // ---- training-free metrics ----
    void symmetric_eigenvalues(int count, int n, const float* const* matrices, double* eigenvalues,
                               uint32_t* status) override {
        cpu::symmetric_eigenvalues(threads(), count, n, matrices, eigenvalues, status);
    }
    void pack_sign_bits(int64_t rows, int64_t units, const float* x, int64_t bit_offset, int64_t words,
                        uint64_t* packed) override {
        cpu::pack_sign_bits(threads(), rows, units, x, bit_offset, words, packed);
    }
    int64_t count_distinct_rows(int64_t rows, int64_t words, const uint64_t* packed, RowHash hash_mask) override {
        return jnas::count_distinct_rows(packed, rows, words, hash_row, hash_mask);
    }

private:
    // Per engine, enough for a scored NB201 cell's blocks (or a coupled Jacobian stack) to be reused by the next
    // cell's; all engines together, an eighth of the machine.
    // Never destroyed: a context may outlive static destruction (freed from an exit handler).
    static cpu::CacheBudget& process_budget() {
        static cpu::CacheBudget* budget = new cpu::CacheBudget(cpu::physical_memory() / 8);
        return *budget;
    }

    // The kernels' thread budget: one inside a side_by_side lane, whose thread is the lane's only one.
    int threads() const { return in_lane_ ? 1 : threads_; }

    int threads_ = 1;
    static thread_local bool in_lane_;
    cpu::BlockCache blocks_{size_t(1) << 30, process_budget()};
};

thread_local bool CpuBackend::in_lane_ = false;

}  // namespace

std::unique_ptr<Backend> make_cpu_backend() { return std::make_unique<CpuBackend>(); }

}  // namespace jnas
