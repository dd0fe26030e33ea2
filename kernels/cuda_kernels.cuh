// cuda_kernels.cuh — the CUDA backend's kernel launchers, one group per source file. CudaBackend
// (cuda_backend.cu) forwards each Backend virtual to one of these; the semantics are those of backend.hpp
// (forward kernels overwrite, backward kernels add, nullable pointers may be nullptr). Every launcher enqueues
// on gpu.stream, checks the launch, and returns without synchronizing.
#pragma once

#include "backend.hpp"
#include "cuda_util.cuh"

namespace jnas::cuda {

// ---- fills (fill.cu) --------------------------------------------------------------------------------------
void fill(const Gpu& gpu, float* dst, int64_t n, float value);
void fill_normal(const Gpu& gpu, float* dst, int64_t n, uint64_t seed, uint64_t stream, float mean, float std);
void fill_uniform(const Gpu& gpu, float* dst, int64_t n, uint64_t seed, uint64_t stream, float lo, float hi);
void fill_dropout_mask(const Gpu& gpu, float* dst, int64_t n, uint64_t seed, uint64_t stream, float p,
                       float keep_value);

// ---- elementwise and data movement (elementwise.cu) ----------------------------------------------------------
void axpy(const Gpu& gpu, int64_t n, float alpha, const float* x, float* y);
void axpy_dev(const Gpu& gpu, int64_t n, const float* alpha_dev, const float* x, float* y);
void scale(const Gpu& gpu, int64_t n, float alpha, const float* x, float* y);
void multiply(const Gpu& gpu, int64_t n, const float* a, const float* b, float* y);
void add_row_bias(const Gpu& gpu, int rows, int cols, const float* bias, float* y);
void add_channel_bias(const Gpu& gpu, int n, int c, int hw, const float* bias, float* y);
void activation_forward(const Gpu& gpu, jnas_activation kind, int64_t n, const float* x, float* y);
void activation_backward(const Gpu& gpu, jnas_activation kind, int64_t n, const float* x, const float* dy,
                         float* dx);
void activation_backward_rows(const Gpu& gpu, jnas_activation kind, int rows, int64_t n, const float* x,
                              const float* dy, float* dx);
void activation_hessian_backward(const Gpu& gpu, jnas_activation kind, int64_t n, const float* x, const float* hy,
                                 const float* gy, float* hx);
void copy_channels(const Gpu& gpu, const ChannelBlock& b, const float* src, float* dst, bool accumulate);
void shift(const Gpu& gpu, const ShiftShape& s, const float* src, float* dst, bool accumulate);

// ---- reductions (reduce.cu) ------------------------------------------------------------------------------------
void dot_accumulate(const Gpu& gpu, int64_t n, const float* a, const float* b, float* out_dev);
void sum_rows(const Gpu& gpu, int rows, int cols, const float* dy, float* db);
void sum_channels(const Gpu& gpu, int n, int c, int hw, const float* dy, float* db);

// ---- the mul op's gates (gate.cu) --------------------------------------------------------------------------------
void multiply_accumulate(const Gpu& gpu, int64_t n, const float* a, const float* b, float* y);
void scale_channels(const Gpu& gpu, int n, int c, int hw, const float* x, const float* gate, float* y,
                    bool accumulate);
void channel_dot_accumulate(const Gpu& gpu, int n, int c, int hw, const float* a, const float* b, float* out);

// ---- GEMM (gemm.cu) ----------------------------------------------------------------------------------------------
void gemm(const Gpu& gpu, bool trans_a, bool trans_b, int m, int n, int k, float alpha, const float* a, int lda,
          const float* b, int ldb, float beta, float* c, int ldc);

// ---- convolution (conv.cu: implicit GEMM for any groups; depthwise.cu: one filter per channel) --------------------
void conv2d_forward(const Gpu& gpu, const Conv2dShape& s, const float* x, const float* w, float* y);
void conv2d_backward_data(const Gpu& gpu, const Conv2dShape& s, const float* dy, const float* w, float* dx);
void conv2d_backward_weight(const Gpu& gpu, const Conv2dShape& s, const float* x, const float* dy, float* dw);

// groups == c_in == c_out: a GEMM would have a reduction length of kh·kw, too short for tiles to pay.
inline bool is_depthwise(const Conv2dShape& s) { return s.groups == s.c_in && s.groups == s.c_out; }
void depthwise_forward(const Gpu& gpu, const Conv2dShape& s, const float* x, const float* w, float* y);
void depthwise_backward_data(const Gpu& gpu, const Conv2dShape& s, const float* dy, const float* w, float* dx);
void depthwise_backward_weight(const Gpu& gpu, const Conv2dShape& s, const float* x, const float* dy, float* dw);
// Backend::conv2d_backward_weight_rows for non-depthwise convolutions: every row's weight gradient in one tiled
// GEMM launch (a problem per row and group), rather than a launch per row.
void conv2d_backward_weight_rows(const Gpu& gpu, const Conv2dShape& s, int rows, int x_row_step, const float* x,
                                 const float* dy, float* dw, int64_t ldw);

// ---- batch norm (batch_norm.cu) ------------------------------------------------------------------------------------
void batch_norm_forward_train(const Gpu& gpu, const BatchNormShape& s, const float* x, const float* gamma,
                              const float* beta, float momentum, float* running_mean, float* running_var,
                              float* save_mean, float* save_invstd, float* y);
void batch_norm_forward_eval(const Gpu& gpu, const BatchNormShape& s, const float* x, const float* gamma,
                             const float* beta, const float* running_mean, const float* running_var,
                             float* save_mean, float* save_invstd, float* y);
void batch_norm_backward(const Gpu& gpu, const BatchNormShape& s, bool train, const float* x, const float* dy,
                         float dy_scale, const float* gamma, const float* save_mean, const float* save_invstd, float* dx,
                         float* dgamma, float* dbeta);
void batch_norm_backward_rows(const Gpu& gpu, const BatchNormShape& s, int rows, int x_row_step, bool train,
                              const float* x, const float* dy, float dy_scale, const float* gamma,
                              const float* save_mean, const float* save_invstd, float* dx, float* dgamma,
                              float* dbeta, int64_t ld);

// ---- layer and group norm (sample_norm.cu) -----------------------------------------------------------------------------
void layer_norm_forward(const Gpu& gpu, const SampleNormShape& s, const float* x, const float* gamma, const float* beta,
                        float* save_mean, float* save_invstd, float* y);
void layer_norm_backward(const Gpu& gpu, const SampleNormShape& s, bool differentiate_stats, const float* x,
                         const float* dy, const float* gamma, const float* save_mean, const float* save_invstd,
                         float* dx, float* dgamma, float* dbeta);
void group_norm_forward(const Gpu& gpu, const SampleNormShape& s, int groups, const float* x, const float* gamma,
                        const float* beta, float* save_mean, float* save_invstd, float* y);
void group_norm_backward(const Gpu& gpu, const SampleNormShape& s, int groups, bool differentiate_stats,
                         const float* x, const float* dy, const float* gamma, const float* save_mean,
                         const float* save_invstd, float* dx, float* dgamma, float* dbeta);

// ---- softmax (softmax.cu) ------------------------------------------------------------------------------------------------
void softmax_forward(const Gpu& gpu, int n, int c, int hw, const float* x, float* y);
void softmax_backward(const Gpu& gpu, int n, int c, int hw, const float* y, const float* dy, float* dx);

// ---- pooling (pool.cu) -----------------------------------------------------------------------------------------------
void avg_pool_forward(const Gpu& gpu, const PoolShape& s, const float* x, float* y);
void avg_pool_backward(const Gpu& gpu, const PoolShape& s, const float* dy, float dy_scale, float* dx);
void avg_pool_hessian_backward(const Gpu& gpu, const PoolShape& s, const float* hy, float* hx);
void max_pool_forward(const Gpu& gpu, const PoolShape& s, const float* x, float* y, int32_t* argmax);
void max_pool_backward(const Gpu& gpu, const PoolShape& s, const float* dy, const int32_t* argmax, float* dx);
void global_avg_pool_forward(const Gpu& gpu, int n, int c, int hw, const float* x, float* y);
void global_avg_pool_backward(const Gpu& gpu, int n, int c, int hw, const float* dy, float* dx);
void global_max_pool_forward(const Gpu& gpu, int n, int c, int hw, const float* x, float* y, int32_t* argmax);
void global_max_pool_backward(const Gpu& gpu, int n, int c, int hw, const float* dy, const int32_t* argmax,
                              float* dx);

// ---- loss (loss.cu) ----------------------------------------------------------------------------------------------------
void cross_entropy(const Gpu& gpu, int rows, int classes, const float* logits, const int32_t* labels,
                   float smoothing, float grad_scale, float* loss_rows, int32_t* correct_rows, float* dlogits);

// ---- optimizers (optimizer.cu) -------------------------------------------------------------------------------------------
void sgd_step(const Gpu& gpu, int64_t n, float* w, const float* g, float* velocity, float lr, float momentum,
              float weight_decay, bool nesterov);
void adam_step(const Gpu& gpu, int64_t n, float* w, const float* g, float* m, float* v, float lr, float beta1,
               float beta2, float eps, float weight_decay, int64_t step);

// ---- BayesNAS's ARD update (ard.cu) --------------------------------------------------------------------------------------
void ard_update(const Gpu& gpu, int groups, int cells, const float* switches, const float* hessians,
                const float* gammas, const float* lambdas, const int32_t* parents, float* covariances, float* omegas,
                float* new_gammas);

// ---- training-free metrics (eigen_jacobi.cu, patterns.cu) ---------------------------------------------------------------
void symmetric_eigenvalues(const Gpu& gpu, int count, int n, const float* const* matrices, double* eigenvalues,
                           uint32_t* status);
void pack_sign_bits(const Gpu& gpu, int64_t rows, int64_t units, const float* x, int64_t bit_offset, int64_t words,
                    uint64_t* packed);
// Returns the count, so unlike the other launchers it waits for the stream.
int64_t count_distinct_rows(const Gpu& gpu, int64_t rows, int64_t words, const uint64_t* packed, RowHash hash_mask);

}  // namespace jnas::cuda
