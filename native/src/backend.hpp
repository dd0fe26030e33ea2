// backend.hpp — the one interface every backend implements (CPU in native/src/cpu, CUDA in kernels/).
//
// The executor (graph.cpp / net.cpp) knows ops; a backend knows kernels. Each kernel is a small function over
// raw pointers into the backend's own memory (host memory for the CPU, device memory for CUDA) plus a plain
// shape struct. Conventions that hold for every kernel:
//   - Forward kernels OVERWRITE their outputs.
//   - Backward kernels ADD into their gradient outputs (dx, dw, ...): a node feeding several consumers and
//     parameter gradients accumulated over several backward passes both need this.
//   - Pointers marked "nullable" may be nullptr, meaning "absent" (no bias, no affine, no gradient wanted).
//   - Kernels never throw on valid input; shape validation happens at the API edge. Allocation failure
//     throws jnas::Error(JNAS_ERR_OUT_OF_MEMORY, ...).
//   - Results are deterministic: no atomics-order or thread-count dependent reductions on the CPU backend.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "jnas.h"
#include "row_hash.hpp"

namespace jnas {

struct Conv2dShape {
    int n, c_in, h, w;        // input
    int c_out, h_out, w_out;  // output
    int kh, kw, stride, pad, dilation, groups;
};

struct PoolShape {
    int n, c, h, w;
    int h_out, w_out;
    int kernel, stride, pad;
    bool count_include_pad;  // avg pool only
};

// Batch norm over x viewed as [n, c, hw].
struct BatchNormShape {
    int n, c, hw;
    float eps;
};

// A block of channels moved between two [n, c, hw] tensors (concat forward and backward).
struct ChannelBlock {
    int n, hw;
    int src_channels, src_offset;  // src is [n, src_channels, hw]; read channels [src_offset, src_offset+count)
    int dst_channels, dst_offset;  // dst is [n, dst_channels, hw]; write channels [dst_offset, ...)
    int count;
};

// [n, c, h, w] planes moved by a whole number of pixels (the shift op): dst[p][y][x] = src[p][y + dy][x + dx],
// zero where that lies outside the plane.
struct ShiftShape {
    int n, c, h, w;
    int dy, dx;
};

// Layer and group norm over x viewed as [n, c, hw], with statistics per sample (never across the batch). gamma and
// beta hold c values; the saved statistics (mean, 1/sqrt(var + eps), biased variance) are [n, hw] for layer norm
// (each position over its c channels) and [n, groups] for group norm (each group of c/groups consecutive channels
// over all hw positions).
struct SampleNormShape {
    int n, c, hw;
    float eps;
};

class Backend {
public:
    virtual ~Backend() = default;
    virtual jnas_backend kind() const = 0;
    virtual std::string device_name() const = 0;
    virtual void set_threads(int n) = 0;

    // ---- independent tasks side by side ---------------------------------------------------------------------
    // Runs task(t, lane) for every t in [0, tasks), each lane in [0, lanes(tasks)) running one task at a time, and
    // rethrows the first task's error (by t) once all have ended. The CPU gives each lane a thread of its own whose
    // kernels run single-threaded (the same bits as any thread count: kernels never depend on it); elsewhere the
    // tasks run one after another on lane 0, the device being parallel within each kernel already.
    virtual int lanes(int tasks) const { return tasks > 0 ? 1 : 0; }
    virtual void side_by_side(int tasks, const std::function<void(int task, int lane)>& task) {
        for (int t = 0; t < tasks; ++t) task(t, 0);
    }

    // ---- memory ----------------------------------------------------------------------------------------
    virtual void* alloc(size_t bytes) = 0;  // zero-filled; throws OUT_OF_MEMORY
    // As alloc, but the contents are undefined: for a buffer its user writes before reading (the Jacobian walk's
    // stack, which it zeroes node by node just before use), where zeroing it all up front is a wasted pass.
    virtual void* alloc_scratch(size_t bytes) = 0;
    // The device's whole memory (host RAM for the CPU): what a net's buffers together can never exceed.
    virtual size_t memory_bytes() const = 0;
    virtual void release(void* p) = 0;      // nullptr is fine
    virtual void upload(void* dst, const void* host_src, size_t bytes) = 0;
    virtual void download(void* host_dst, const void* src, size_t bytes) const = 0;
    virtual void copy(void* dst, const void* src, size_t bytes) = 0;  // within the backend's memory
    virtual void fill(float* dst, int64_t n, float value) = 0;
    virtual void synchronize() = 0;

    // ---- random numbers (Philox 4x32-10, see philox.hpp: element i depends only on seed, stream, i) -----
    virtual void fill_normal(float* dst, int64_t n, uint64_t seed, uint64_t stream, float mean, float std) = 0;
    virtual void fill_uniform(float* dst, int64_t n, uint64_t seed, uint64_t stream, float lo, float hi) = 0;
    // A dropout mask: dst[i] = keep_value where uniform(seed, stream, i) >= p (probability 1 − p), else 0.
    virtual void fill_dropout_mask(float* dst, int64_t n, uint64_t seed, uint64_t stream, float p,
                                   float keep_value) = 0;

    // ---- elementwise and reductions ---------------------------------------------------------------------
    // y += alpha * x
    virtual void axpy(int64_t n, float alpha, const float* x, float* y) = 0;
    // y += (*alpha_dev) * x, the scale read from backend memory (mixed-edge weights live there)
    virtual void axpy_dev(int64_t n, const float* alpha_dev, const float* x, float* y) = 0;
    // y = alpha * x
    virtual void scale(int64_t n, float alpha, const float* x, float* y) = 0;
    // y = a ⊙ b elementwise; y may be a or b (squares for the Hessian-diagonal pass: multiply(n, x, x, y))
    virtual void multiply(int64_t n, const float* a, const float* b, float* y) = 0;
    // *out_dev += Σ a[i]·b[i]  (deterministic summation order)
    virtual void dot_accumulate(int64_t n, const float* a, const float* b, float* out_dev) = 0;
    // y[r, c] += bias[c] for a [rows, cols] matrix
    virtual void add_row_bias(int rows, int cols, const float* bias, float* y) = 0;
    // db[c] += Σ_r dy[r, c]
    virtual void sum_rows(int rows, int cols, const float* dy, float* db) = 0;
    // y[n, c, hw] += bias[c]
    virtual void add_channel_bias(int n, int c, int hw, const float* bias, float* y) = 0;
    // db[c] += Σ_{n,hw} dy[n, c, hw]
    virtual void sum_channels(int n, int c, int hw, const float* dy, float* db) = 0;

    // ---- the mul op's gates (ops/mul.cpp) ----------------------------------------------------------------
    // y += a ⊙ b elementwise
    virtual void multiply_accumulate(int64_t n, const float* a, const float* b, float* y) = 0;
    // y[n, c, hw] = x[n, c, hw] · gate[c] (accumulate: +=); y may be x when not accumulating
    virtual void scale_channels(int n, int c, int hw, const float* x, const float* gate, float* y,
                                bool accumulate) = 0;
    // out[c] += Σ_{n,hw} a[n, c, hw] · b[n, c, hw]  (deterministic summation order)
    virtual void channel_dot_accumulate(int n, int c, int hw, const float* a, const float* b, float* out) = 0;

    virtual void activation_forward(jnas_activation kind, int64_t n, const float* x, float* y) = 0;
    // dx += f'(x) · dy
    virtual void activation_backward(jnas_activation kind, int64_t n, const float* x, const float* dy,
                                     float* dx) = 0;
    // `rows` gradients at the same x (a Jacobian walk's seeds): dx + r·n += f'(x) · (dy + r·n) for r < rows. The
    // default calls activation_backward per row; a GPU makes it one launch.
    virtual void activation_backward_rows(jnas_activation kind, int rows, int64_t n, const float* x, const float* dy,
                                          float* dx) {
        for (int r = 0; r < rows; ++r) activation_backward(kind, n, x, dy + r * n, dx + r * n);
    }
    // The Hessian-diagonal pass's rule (ops/activation.cpp): hx += f'(x)²·hy + f''(x)·gy, gy = dL/dy. gy is
    // nullable for relu and relu6 (f'' = 0, never read).
    virtual void activation_hessian_backward(jnas_activation kind, int64_t n, const float* x, const float* hy,
                                             const float* gy, float* hx) = 0;

    // ---- GEMM, row-major: C = alpha·op(A)·op(B) + beta·C with op(A) [m,k], op(B) [k,n] -------------------
    virtual void gemm(bool trans_a, bool trans_b, int m, int n, int k, float alpha, const float* a, int lda,
                      const float* b, int ldb, float beta, float* c, int ldc) = 0;

    // ---- convolution (weights [c_out, c_in/groups, kh, kw]) ---------------------------------------------
    virtual void conv2d_forward(const Conv2dShape& s, const float* x, const float* w, float* y) = 0;
    virtual void conv2d_backward_data(const Conv2dShape& s, const float* dy, const float* w, float* dx) = 0;
    virtual void conv2d_backward_weight(const Conv2dShape& s, const float* x, const float* dy, float* dw) = 0;
    // Weight gradients of `rows` rows of a per-sample Jacobian (ntk.cpp), each from its own s.n samples:
    //   for r in [0, rows): dw + r·ldw += conv2d_backward_weight(s, x + r·x_row_step samples, dy + r·s.n samples)
    // x_row_step 0: every row pairs the same s.n inputs with its own cotangents (BN-coupled rows); 1 with s.n = 1:
    // row r is sample r's own gradient (frozen rows). The default runs the rows one by one; a backend may batch
    // them (the CPU turns the coupled case into one long GEMM; CUDA runs every row as one problem of a single
    // batched GEMM launch).
    virtual void conv2d_backward_weight_rows(const Conv2dShape& s, int rows, int x_row_step, const float* x,
                                             const float* dy, float* dw, int64_t ldw) {
        int64_t x_numel = int64_t(s.c_in) * s.h * s.w, y_numel = int64_t(s.c_out) * s.h_out * s.w_out;
        for (int r = 0; r < rows; ++r)
            conv2d_backward_weight(s, x + int64_t(r) * x_row_step * x_numel, dy + int64_t(r) * s.n * y_numel,
                                   dw + r * ldw);
    }

    // ---- batch norm -------------------------------------------------------------------------------------
    // Train: batch mean and biased variance per channel into save_mean / save_invstd (= 1/sqrt(var+eps));
    // if running_mean/var are given: running = (1-momentum)·running + momentum·batch (variance unbiased,
    // n·hw/(n·hw-1), as PyTorch). gamma/beta nullable (non-affine).
    virtual void batch_norm_forward_train(const BatchNormShape& s, const float* x, const float* gamma,
                                          const float* beta, float momentum, float* running_mean,
                                          float* running_var, float* save_mean, float* save_invstd,
                                          float* y) = 0;
    // Eval: normalize with running stats; also writes save_mean/save_invstd from them for the backward.
    virtual void batch_norm_forward_eval(const BatchNormShape& s, const float* x, const float* gamma,
                                         const float* beta, const float* running_mean,
                                         const float* running_var, float* save_mean, float* save_invstd,
                                         float* y) = 0;
    // train = true: the batch statistics are differentiated (full batch coupling); false: they are constants.
    // The output gradient is dy_scale·dy (a Jacobian walk's gradient views, ntk.cpp; 1 elsewhere). dx, dgamma,
    // dbeta nullable.
    virtual void batch_norm_backward(const BatchNormShape& s, bool train, const float* x, const float* dy,
                                     float dy_scale, const float* gamma, const float* save_mean,
                                     const float* save_invstd, float* dx, float* dgamma, float* dbeta) = 0;
    // `rows` batch-norm backward passes of one Jacobian walk (ntk.cpp) over the same statistics: row r reads
    // x + r·x_row_step samples and dy + r·s.n samples, adds into dx + r·s.n samples and into dgamma/dbeta + r·ld.
    // Equal to that many batch_norm_backward calls, which is what this default makes; a GPU makes them one launch.
    virtual void batch_norm_backward_rows(const BatchNormShape& s, int rows, int x_row_step, bool train,
                                          const float* x, const float* dy, float dy_scale, const float* gamma,
                                          const float* save_mean, const float* save_invstd, float* dx,
                                          float* dgamma, float* dbeta, int64_t ld) {
        const int64_t numel = int64_t(s.c) * s.hw, row_floats = s.n * numel;
        for (int r = 0; r < rows; ++r)
            batch_norm_backward(s, train, x + int64_t(r) * x_row_step * numel, dy + r * row_floats, dy_scale, gamma,
                                save_mean, save_invstd, dx ? dx + r * row_floats : nullptr,
                                dgamma ? dgamma + r * ld : nullptr, dbeta ? dbeta + r * ld : nullptr);
    }

    // ---- layer and group norm ----------------------------------------------------------------------------
    // gamma/beta nullable (no affine). save_mean/save_invstd receive the statistics.
    virtual void layer_norm_forward(const SampleNormShape& s, const float* x, const float* gamma, const float* beta,
                                    float* save_mean, float* save_invstd, float* y) = 0;
    // With x̂ = (x - mean)·invstd and g = gamma·dy: dgamma[c] += Σ dy·x̂ and dbeta[c] += Σ dy over samples and
    // positions; dx += invstd·(g - mean(g) - x̂·mean(g·x̂)), the means over each statistic's values, when
    // differentiate_stats, else dx += invstd·g (statistics as constants: the Hessian-diagonal pass's rule).
    // gamma, dx, dgamma, dbeta nullable.
    virtual void layer_norm_backward(const SampleNormShape& s, bool differentiate_stats, const float* x,
                                     const float* dy, const float* gamma, const float* save_mean,
                                     const float* save_invstd, float* dx, float* dgamma, float* dbeta) = 0;
    // The same with a statistic per (sample, group); groups divides s.c.
    virtual void group_norm_forward(const SampleNormShape& s, int groups, const float* x, const float* gamma,
                                    const float* beta, float* save_mean, float* save_invstd, float* y) = 0;
    virtual void group_norm_backward(const SampleNormShape& s, int groups, bool differentiate_stats, const float* x,
                                     const float* dy, const float* gamma, const float* save_mean,
                                     const float* save_invstd, float* dx, float* dgamma, float* dbeta) = 0;

    // ---- softmax over the channels of x viewed as [n, c, hw] (each (sample, position) over its c values) ---------
    virtual void softmax_forward(int n, int c, int hw, const float* x, float* y) = 0;
    // dx += y ⊙ (dy - Σ_c y·dy), from the forward's output y
    virtual void softmax_backward(int n, int c, int hw, const float* y, const float* dy, float* dx) = 0;

    // ---- pooling ----------------------------------------------------------------------------------------
    virtual void avg_pool_forward(const PoolShape& s, const float* x, float* y) = 0;
    // dx += each output's dy_scale·dy / divisor over its window (dy_scale: as batch_norm_backward's).
    virtual void avg_pool_backward(const PoolShape& s, const float* dy, float dy_scale, float* dx) = 0;
    // The Hessian-diagonal pass's rule: hx += Σ over the windows covering each input of hy / divisor², with the
    // divisor the forward used (the squared local derivative).
    virtual void avg_pool_hessian_backward(const PoolShape& s, const float* hy, float* hx) = 0;
    // argmax: flat index (within the [h, w] plane) of each output's maximum, for the backward
    virtual void max_pool_forward(const PoolShape& s, const float* x, float* y, int32_t* argmax) = 0;
    virtual void max_pool_backward(const PoolShape& s, const float* dy, const int32_t* argmax, float* dx) = 0;
    // [n, c, hw] -> [n, c]
    virtual void global_avg_pool_forward(int n, int c, int hw, const float* x, float* y) = 0;
    virtual void global_avg_pool_backward(int n, int c, int hw, const float* dy, float* dx) = 0;
    // [n, c, hw] -> [n, c]; argmax [n, c]: the index within the plane of the first maximum (a NaN wins, as in
    // max_pool_forward). The backward adds dy at the argmax.
    virtual void global_max_pool_forward(int n, int c, int hw, const float* x, float* y, int32_t* argmax) = 0;
    virtual void global_max_pool_backward(int n, int c, int hw, const float* dy, const int32_t* argmax,
                                          float* dx) = 0;

    // ---- data movement ----------------------------------------------------------------------------------
    // accumulate = false: dst block = src block; true: dst block += src block
    virtual void copy_channels(const ChannelBlock& b, const float* src, float* dst, bool accumulate) = 0;
    // accumulate = false: dst = shifted src, zeros included; true: dst += shifted src (its backward is the
    // shift by (-dy, -dx), accumulated)
    virtual void shift(const ShiftShape& s, const float* src, float* dst, bool accumulate) = 0;

    // ---- loss -------------------------------------------------------------------------------------------
    // Softmax cross-entropy with label smoothing over logits [rows, classes]; labels in backend memory.
    // loss_rows[r] = the loss of row r; correct_rows[r] = 1 if arg-max == label else 0;
    // dlogits (nullable) = (softmax - target) * grad_scale.
    virtual void cross_entropy(int rows, int classes, const float* logits, const int32_t* labels,
                               float smoothing, float grad_scale, float* loss_rows, int32_t* correct_rows,
                               float* dlogits) = 0;

    // ---- optimizers (one parameter tensor at a time) ----------------------------------------------------
    virtual void sgd_step(int64_t n, float* w, const float* g, float* velocity, float lr, float momentum,
                          float weight_decay, bool nesterov) = 0;
    // step is 1-based (for bias correction)
    virtual void adam_step(int64_t n, float* w, const float* g, float* m, float* v, float lr, float beta1,
                           float beta2, float eps, float weight_decay, int64_t step) = 0;

    // ---- BayesNAS's ARD update (ard_update.hpp holds the per-group math both backends share) -------------
    // jnas_ard_update over `groups` groups of `cells` switches; every pointer in backend memory (parents too), the
    // arrays laid out as jnas.h says. Every parent is an origin group (parents[parent] = -1).
    virtual void ard_update(int groups, int cells, const float* switches, const float* hessians, const float* gammas,
                            const float* lambdas, const int32_t* parents, float* covariances, float* omegas,
                            float* new_gammas) = 0;

    // ---- training-free metrics: the NTK spectrum (spectrum.cpp) and activation patterns (patterns.hpp) ----------
    // Eigenvalues in double of `count` symmetric n×n matrices. matrices: a host array of `count` pointers into
    // backend memory, each at a row-major float matrix of which only the upper triangle is read (the lower one
    // may hold anything). eigenvalues: [count, n] doubles, each row ascending; status: `count` values; both in
    // backend memory. status[i] is 0, JNAS_SPECTRUM_NONFINITE (NaN or inf in the upper triangle) or
    // JNAS_SPECTRUM_NOT_CONVERGED; then row i of eigenvalues is NaN. CPU: LAPACKE_dsyevd per matrix; CUDA: a
    // Jacobi eigensolver, one thread block per matrix, all matrices in one launch.
    virtual void symmetric_eigenvalues(int count, int n, const float* const* matrices, double* eigenvalues,
                                       uint32_t* status) = 0;
    // Sign bits of one ReLU input x [rows, units] into pattern rows [rows, words] (patterns.hpp's layout: bit k of
    // a row is bit k % 64 of word k / 64): bit bit_offset + u of row r is set where x[r, u] > 0 (never for NaN).
    // ORs into `packed`, so ReLUs sharing a word each add their bits; no bit outside [bit_offset, bit_offset +
    // units) changes.
    virtual void pack_sign_bits(int64_t rows, int64_t units, const float* x, int64_t bit_offset, int64_t words,
                                uint64_t* packed) = 0;
    // The number of distinct rows among `rows` >= 1 rows of `words` words at `packed` (backend memory), exact: rows
    // are ordered by hash_row (row_hash.hpp) with both lanes anded with hash_mask, and rows with equal masked
    // hashes are compared word for word. hash_mask is kAllHashBits but in tests, which narrow it to force
    // collisions. Waits for the result. CPU: count_distinct_rows (patterns.hpp); CUDA: hashing, a CUB radix sort
    // and the exact comparison on the device.
    virtual int64_t count_distinct_rows(int64_t rows, int64_t words, const uint64_t* packed, RowHash hash_mask) = 0;
};

// Factories. make_cuda_backend throws Error(JNAS_ERR_NO_DEVICE, ...) when no driver/GPU or when libjnas was
// built without CUDA (kernels/ provides the real one; native/src/cuda_stub.cpp the stub).
std::unique_ptr<Backend> make_cpu_backend();
std::unique_ptr<Backend> make_cuda_backend(int device);
bool cuda_compiled();

}  // namespace jnas
