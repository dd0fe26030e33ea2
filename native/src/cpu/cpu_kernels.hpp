// cpu_kernels.hpp — the CPU backend's kernels as free functions over host pointers. CpuBackend
// (cpu_backend.cpp) only forwards to these; the semantics are those of backend.hpp (forward kernels overwrite,
// backward kernels add, nullable pointers may be nullptr).
//
// Every function takes the thread budget `threads` explicitly rather than through omp_set_num_threads: that
// setting belongs to the calling thread and would leak between contexts used from the same thread.
// Determinism: work is split over independent outputs (elements, rows, channels, samples) and every sum runs
// in one fixed order, so results do not depend on `threads`.
#pragma once

#include <cstddef>
#include <cstdint>

#include "backend.hpp"

namespace jnas::cpu {

// Below this much work a parallel region costs more than it saves, so it runs on the calling thread.
constexpr int64_t kParallelGrain = 1 << 14;

inline int threads_for(int64_t work, int threads) { return work >= kParallelGrain ? threads : 1; }

// Runs body(i) for every i in [0, n): over `team` OpenMP threads (static or dynamic schedule), or as a plain
// loop when team <= 1, because libgomp enters even a one-thread region through a futex round trip, which
// measured 30% of the time of small networks' kernels. Iterations write disjoint outputs, so the schedule
// does not change the result.
template <typename Index, typename Body>
void parallel_for(int team, Index n, Body body) {
    if (team <= 1) {
        for (Index i = 0; i < n; ++i) body(i);
        return;
    }
#pragma omp parallel for num_threads(team) schedule(static)
    for (Index i = 0; i < n; ++i) body(i);
}

template <typename Index, typename Body>
void parallel_for_dynamic(int team, Index n, Body body) {
    if (team <= 1) {
        for (Index i = 0; i < n; ++i) body(i);
        return;
    }
#pragma omp parallel for num_threads(team) schedule(dynamic, 1)
    for (Index i = 0; i < n; ++i) body(i);
}

// ---- memory and fills (memory.cpp) ----------------------------------------------------------------------
void* alloc_host(size_t bytes);  // not zeroed (BlockCache zeroes); OUT_OF_MEMORY beyond the machine's memory
size_t physical_memory();
void release(void* p);
void fill(int threads, float* dst, int64_t n, float value);
void fill_normal(int threads, float* dst, int64_t n, uint64_t seed, uint64_t stream, float mean, float std);
void fill_uniform(int threads, float* dst, int64_t n, uint64_t seed, uint64_t stream, float lo, float hi);
void fill_dropout_mask(int threads, float* dst, int64_t n, uint64_t seed, uint64_t stream, float p, float keep_value);

// ---- BLAS (gemm.cpp) --------------------------------------------------------------------------------------
// OpenBLAS runs single-threaded (it is not bit-reproducible across its own thread counts); this sets its
// global thread count. Threads come from the fixed tiling of gemm / gemm_tiles instead.
void set_blas_threads(int threads);
// Backend::gemm, row-major: tiles fixed by (m, n, k) run on up to `threads` threads; a long K with a small
// output is split into depth tiles whose partial products are added in order.
void gemm(int threads, bool trans_a, bool trans_b, int m, int n, int k, float alpha, const float* a, int lda,
          const float* b, int ldb, float beta, float* c, int ldc);
// The same without the depth split (so it never allocates): safe inside a parallel region with threads = 1.
// Callers set_blas_threads(1) first, outside any parallel region.
void gemm_tiles(int threads, bool trans_a, bool trans_b, int m, int n, int k, float alpha, const float* a, int lda,
                const float* b, int ldb, float beta, float* c, int ldc);

// ---- elementwise and data movement (elementwise.cpp) --------------------------------------------------------
void axpy(int threads, int64_t n, float alpha, const float* x, float* y);
void scale(int threads, int64_t n, float alpha, const float* x, float* y);
void multiply(int threads, int64_t n, const float* a, const float* b, float* y);
void add_row_bias(int threads, int rows, int cols, const float* bias, float* y);
void add_channel_bias(int threads, int n, int c, int hw, const float* bias, float* y);
void activation_forward(int threads, jnas_activation kind, int64_t n, const float* x, float* y);
void activation_backward(int threads, jnas_activation kind, int64_t n, const float* x, const float* dy,
                         float* dx);
void activation_hessian_backward(int threads, jnas_activation kind, int64_t n, const float* x, const float* hy,
                                 const float* gy, float* hx);
void copy_channels(int threads, const ChannelBlock& b, const float* src, float* dst, bool accumulate);
void shift(int threads, const ShiftShape& s, const float* src, float* dst, bool accumulate);

// ---- reductions (reduce.cpp) ---------------------------------------------------------------------------------
void dot_accumulate(int threads, int64_t n, const float* a, const float* b, float* out);
void sum_rows(int threads, int rows, int cols, const float* dy, float* db);
void sum_channels(int threads, int n, int c, int hw, const float* dy, float* db);

// ---- the mul op's gates (gate.cpp) ------------------------------------------------------------------------------
void multiply_accumulate(int threads, int64_t n, const float* a, const float* b, float* y);
void scale_channels(int threads, int n, int c, int hw, const float* x, const float* gate, float* y, bool accumulate);
void channel_dot_accumulate(int threads, int n, int c, int hw, const float* a, const float* b, float* out);

// ---- convolution (conv.cpp: im2col + GEMM; conv_direct.cpp: depthwise; conv_few_channels.cpp) -----------------
void conv2d_forward(int threads, const Conv2dShape& s, const float* x, const float* w, float* y);
void conv2d_backward_data(int threads, const Conv2dShape& s, const float* dy, const float* w, float* dx);
void conv2d_backward_weight(int threads, const Conv2dShape& s, const float* x, const float* dy, float* dw);
void conv2d_backward_weight_rows(int threads, const Conv2dShape& s, int rows, int x_row_step, const float* x,
                                 const float* dy, float* dw, int64_t ldw);

// The output positions o in [lo, hi) whose input coordinate o·stride + offset lies inside [0, in): lets the
// inner loops of im2col and the direct kernels run without a bounds test per element.
inline void valid_range(int offset, int stride, int in, int out, int* lo, int* hi) {
    int first = offset >= 0 ? 0 : (-offset + stride - 1) / stride;
    int last = in - 1 - offset < 0 ? 0 : (in - 1 - offset) / stride + 1;
    *hi = last < out ? last : out;
    *lo = first < *hi ? first : *hi;
}

// One filter per channel (groups == c_in == c_out): too little arithmetic per output for a GEMM to pay.
inline bool is_depthwise(const Conv2dShape& s) { return s.groups == s.c_in && s.groups == s.c_out; }
void depthwise_forward(int threads, const Conv2dShape& s, const float* x, const float* w, float* y);
void depthwise_backward_data(int threads, const Conv2dShape& s, const float* dy, const float* w, float* dx);
void depthwise_backward_weight(int threads, const Conv2dShape& s, const float* x, const float* dy, float* dw);

// Stride 1 with at most kFewChannels input and output channels per group: too few for im2col's copies to pay.
constexpr int kFewChannels = 16;
inline bool has_few_channels(const Conv2dShape& s) {
    bool pointwise = s.kh == 1 && s.kw == 1 && s.pad == 0;  // a GEMM straight on the input: no copies to save
    return s.stride == 1 && !pointwise && s.c_in / s.groups <= kFewChannels && s.c_out / s.groups <= kFewChannels;
}
void few_channel_forward(int threads, const Conv2dShape& s, const float* x, const float* w, float* y);
void few_channel_backward_data(int threads, const Conv2dShape& s, const float* dy, const float* w, float* dx);
void few_channel_backward_weight_rows(int threads, const Conv2dShape& s, int rows, int x_row_step, const float* x,
                                      const float* dy, float* dw, int64_t ldw);  // groups == 1
// Pointwise: 1×1, stride 1, no padding, groups 1.
void pointwise_backward_weight_rows(int threads, const Conv2dShape& s, int rows, int x_row_step, const float* x,
                                    const float* dy, float* dw, int64_t ldw);

// Stride-1 window sums of one plane, on the few-channel correlation: out[r, x] (+)= Σ_{i, j < kernel}
// in[r + i - top, x + j - left] (0 outside in's in_h × in_w), each output's terms added in (i, j) order, from 0 (or
// as one sum onto out). `ones` holds kernel² ones; `scratch` box_sum_scratch_floats(out_h, out_w, kernel) floats.
int64_t box_sum_scratch_floats(int out_h, int out_w, int kernel);
void box_sum_plane(const float* in, int in_h, int in_w, int top, int left, int kernel, const float* ones,
                   int out_h, int out_w, bool accumulate, float* scratch, float* out);

// Scratch memory of the calling thread, reused across calls (conv kernels do not nest). Size it before any
// parallel region, so that an allocation failure surfaces as an exception on the calling thread.
float* conv_workspace(size_t floats);

// ---- batch norm (batch_norm.cpp) -------------------------------------------------------------------------------
void batch_norm_forward_train(int threads, const BatchNormShape& s, const float* x, const float* gamma,
                              const float* beta, float momentum, float* running_mean, float* running_var,
                              float* save_mean, float* save_invstd, float* y);
void batch_norm_forward_eval(int threads, const BatchNormShape& s, const float* x, const float* gamma,
                             const float* beta, const float* running_mean, const float* running_var,
                             float* save_mean, float* save_invstd, float* y);
void batch_norm_backward(int threads, const BatchNormShape& s, bool train, const float* x, const float* dy,
                         float dy_scale, const float* gamma, const float* save_mean, const float* save_invstd,
                         float* dx, float* dgamma, float* dbeta);

// ---- layer and group norm (sample_norm.cpp) ---------------------------------------------------------------------
void layer_norm_forward(int threads, const SampleNormShape& s, const float* x, const float* gamma, const float* beta,
                        float* save_mean, float* save_invstd, float* y);
void layer_norm_backward(int threads, const SampleNormShape& s, bool differentiate_stats, const float* x,
                         const float* dy, const float* gamma, const float* save_mean, const float* save_invstd,
                         float* dx, float* dgamma, float* dbeta);
void group_norm_forward(int threads, const SampleNormShape& s, int groups, const float* x, const float* gamma,
                        const float* beta, float* save_mean, float* save_invstd, float* y);
void group_norm_backward(int threads, const SampleNormShape& s, int groups, bool differentiate_stats, const float* x,
                         const float* dy, const float* gamma, const float* save_mean, const float* save_invstd,
                         float* dx, float* dgamma, float* dbeta);

// ---- softmax (softmax.cpp) --------------------------------------------------------------------------------------------
void softmax_forward(int threads, int n, int c, int hw, const float* x, float* y);
void softmax_backward(int threads, int n, int c, int hw, const float* y, const float* dy, float* dx);

// ---- pooling (pool.cpp) ------------------------------------------------------------------------------------------
void avg_pool_forward(int threads, const PoolShape& s, const float* x, float* y);
void avg_pool_backward(int threads, const PoolShape& s, const float* dy, float dy_scale, float* dx);
void avg_pool_hessian_backward(int threads, const PoolShape& s, const float* hy, float* hx);
void max_pool_forward(int threads, const PoolShape& s, const float* x, float* y, int32_t* argmax);
void max_pool_backward(int threads, const PoolShape& s, const float* dy, const int32_t* argmax, float* dx);
void global_avg_pool_forward(int threads, int n, int c, int hw, const float* x, float* y);
void global_avg_pool_backward(int threads, int n, int c, int hw, const float* dy, float* dx);
void global_max_pool_forward(int threads, int n, int c, int hw, const float* x, float* y, int32_t* argmax);
void global_max_pool_backward(int threads, int n, int c, int hw, const float* dy, const int32_t* argmax, float* dx);

// ---- loss (loss.cpp) -----------------------------------------------------------------------------------------------
void cross_entropy(int threads, int rows, int classes, const float* logits, const int32_t* labels,
                   float smoothing, float grad_scale, float* loss_rows, int32_t* correct_rows, float* dlogits);

// ---- optimizers (optimizer.cpp) ------------------------------------------------------------------------------------
void sgd_step(int threads, int64_t n, float* w, const float* g, float* velocity, float lr, float momentum,
              float weight_decay, bool nesterov);
void adam_step(int threads, int64_t n, float* w, const float* g, float* m, float* v, float lr, float beta1,
               float beta2, float eps, float weight_decay, int64_t step);

// ---- BayesNAS's ARD update (ard.cpp) -------------------------------------------------------------------------------
void ard_update(int groups, int cells, const float* switches, const float* hessians, const float* gammas,
                const float* lambdas, const int32_t* parents, float* covariances, float* omegas, float* new_gammas);

// ---- training-free metrics (eigenvalues.cpp, sign_bits.cpp; the distinct count is patterns.hpp's) ---------------------
void symmetric_eigenvalues(int threads, int count, int n, const float* const* matrices, double* eigenvalues,
                           uint32_t* status);
void pack_sign_bits(int threads, int64_t rows, int64_t units, const float* x, int64_t bit_offset, int64_t words,
                    uint64_t* packed);

}  // namespace jnas::cpu
