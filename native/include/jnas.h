/*
 * jnas.h — the C ABI of libjnas, the native engine of jnas.
 *
 * This header is the whole contract for every front end (Java through Panama, Python through ctypes,
 * plain C/C++). Rules that hold for every function below:
 *   - Handles are opaque. Whoever creates a handle owns it and frees it with the matching *_free call;
 *     freeing NULL is a no-op. A handle must not be used after it is freed (the Java bindings enforce this).
 *     What is made from a context (tensors, nets) is freed before it, an optimizer before its net.
 *   - Pointer arguments are borrowed for the call only, unless a function says it keeps them; strings the
 *     library returns are owned by it (static storage, or valid for as long as the function says).
 *   - Every function that can fail returns a jnas_status. On failure jnas_last_error() returns a
 *     thread-local, human-readable message naming the function and the bad argument; the message stays valid
 *     until the next failing call on the same thread. Out-parameters are left untouched on failure.
 *   - Errors every such function can give, not repeated below: JNAS_ERR_INVALID_ARGUMENT for a NULL handle or
 *     out-pointer (unless it says NULL is allowed), a flag that is not 0 or 1, an enum value outside its
 *     enumerators, or a tensor of another context; JNAS_ERR_OUT_OF_MEMORY when an allocation fails;
 *     JNAS_ERR_INTERNAL for a bug in libjnas. Each function lists the errors particular to it.
 *   - Nothing crosses this boundary as a C++ exception or an abort: arguments and shapes are validated here.
 *   - Tensors are float32, row-major NCHW, 1 to 4 dimensions, and live on their context's device.
 *   - Thread safety: a context, and everything made from it, is used by one thread at a time; different
 *     contexts may be used concurrently from different threads. So is a graph or a pattern collector (tied to
 *     no context): one thread at a time each. jnas_version, jnas_last_error, jnas_status_name and
 *     jnas_cuda_compiled may be called from any thread at any time.
 */
#ifndef JNAS_H
#define JNAS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define JNAS_API __attribute__((visibility("default")))
#else
#define JNAS_API
#endif

/* In C++ the enums get int as their fixed underlying type, so that any int a C (or FFM) caller passes is a value
   the library may load and reject: without one, loading a value outside the enumerators' range is undefined
   behaviour in C++. The ABI is the same either way (a 32-bit integer). */
#ifdef __cplusplus
#define JNAS_ENUM_BASE : int
#else
#define JNAS_ENUM_BASE
#endif

/* ---------------------------------------------------------------------------------------------------- */
/* Version and errors                                                                                    */
/* ---------------------------------------------------------------------------------------------------- */

#define JNAS_VERSION_MAJOR 0
#define JNAS_VERSION_MINOR 1
#define JNAS_VERSION_PATCH 0

/* The error codes, in one place. Front ends mirror these numbers. */
typedef enum jnas_status JNAS_ENUM_BASE {
    JNAS_OK = 0,
    JNAS_ERR_INVALID_ARGUMENT = 1, /* a bad value: NULL pointer, unknown node id, negative size, bad enum */
    JNAS_ERR_SHAPE = 2,            /* shapes that do not fit together */
    JNAS_ERR_NO_DEVICE = 3,        /* the CUDA backend was asked for where no GPU or driver is present */
    JNAS_ERR_OUT_OF_MEMORY = 4,    /* host or device allocation failed */
    JNAS_ERR_STATE = 5,            /* a call in the wrong order, e.g. backward before forward */
    JNAS_ERR_UNSUPPORTED = 6,      /* valid request this build or backend cannot do */
    JNAS_ERR_INTERNAL = 7          /* a bug in libjnas; the message says where */
} jnas_status;

/* "major.minor.patch", static storage. */
JNAS_API const char* jnas_version(void);
/* The message of the last failing call on this thread ("" if none). */
JNAS_API const char* jnas_last_error(void);
/* The enum's name, e.g. "JNAS_ERR_SHAPE"; static storage. */
JNAS_API const char* jnas_status_name(jnas_status status);

/* ---------------------------------------------------------------------------------------------------- */
/* Contexts                                                                                              */
/* ---------------------------------------------------------------------------------------------------- */

typedef struct jnas_ctx jnas_ctx;

typedef enum jnas_backend JNAS_ENUM_BASE {
    JNAS_BACKEND_CPU = 0,  /* always available */
    JNAS_BACKEND_CUDA = 1  /* JNAS_ERR_NO_DEVICE with a clear message where no GPU/driver, or not built */
} jnas_backend;

/* A context on `backend`, written to *out; device: GPU ordinal (>= 0) for CUDA; ignored (use 0) for CPU.
   JNAS_ERR_NO_DEVICE for CUDA where this build has no CUDA backend, no driver or no such GPU. */
JNAS_API jnas_status jnas_ctx_create(jnas_backend backend, int device, jnas_ctx** out);
/* Frees the context and its device state; every tensor and net made from it must be freed before. */
JNAS_API void jnas_ctx_free(jnas_ctx* ctx);
/* The backend the context was created for. */
JNAS_API jnas_status jnas_ctx_backend(const jnas_ctx* ctx, jnas_backend* out);
/* A readable description of the device, e.g. "cpu (2 threads)" or "NVIDIA H100 (sm_90)". Valid while ctx lives. */
JNAS_API jnas_status jnas_ctx_device_name(const jnas_ctx* ctx, const char** out);
/* CPU threads used by this context's kernels (OpenMP); n <= 0 means all cores. Results do not depend on n. */
JNAS_API jnas_status jnas_ctx_set_threads(jnas_ctx* ctx, int n);
/* Whether this libjnas was built with the CUDA backend (1) or not (0). Needs no context. */
JNAS_API int jnas_cuda_compiled(void);

/* ---------------------------------------------------------------------------------------------------- */
/* Tensors                                                                                               */
/* ---------------------------------------------------------------------------------------------------- */

typedef struct jnas_tensor jnas_tensor;

#define JNAS_MAX_DIMS 4

/* A zero-filled tensor of shape[0..ndim) on ctx's device, 1..4 dims, every dim >= 1 (JNAS_ERR_INVALID_ARGUMENT
   otherwise, or for a size whose bytes overflow). Freed with jnas_tensor_free (before its ctx). */
JNAS_API jnas_status jnas_tensor_create(jnas_ctx* ctx, int ndim, const int64_t* shape, jnas_tensor** out);
/* Frees the tensor; a net it is bound to as an input must not run again until another tensor is bound. */
JNAS_API void jnas_tensor_free(jnas_tensor* t);
/* The number of dims, 1..4. */
JNAS_API jnas_status jnas_tensor_ndim(const jnas_tensor* t, int* out);
/* Writes ndim entries into shape (room for JNAS_MAX_DIMS is always enough). */
JNAS_API jnas_status jnas_tensor_shape(const jnas_tensor* t, int64_t* shape);
/* The number of elements, the product of the dims. */
JNAS_API jnas_status jnas_tensor_numel(const jnas_tensor* t, int64_t* out);
/* Copy count floats from host memory in / out, in row-major order; JNAS_ERR_SHAPE unless count equals numel.
   Synchronous: src may be reused and dst read when the call returns. */
JNAS_API jnas_status jnas_tensor_write(jnas_tensor* t, const float* src, int64_t count);
JNAS_API jnas_status jnas_tensor_read(const jnas_tensor* t, float* dst, int64_t count);
/* Fill from the Philox generator: element i of stream (seed, stream) is a pure function of (seed, stream, i),
   so the same call gives the same bits on every backend and thread count. Normal: N(mean, std²), std >= 0;
   uniform: U[lo, hi), lo <= hi; JNAS_ERR_INVALID_ARGUMENT for other or non-finite bounds. */
JNAS_API jnas_status jnas_tensor_fill_normal(jnas_tensor* t, uint64_t seed, uint64_t stream, float mean, float std);
JNAS_API jnas_status jnas_tensor_fill_uniform(jnas_tensor* t, uint64_t seed, uint64_t stream, float lo, float hi);

/* c = alpha * op(a) * op(b) + beta * c on 2-D tensors of ctx (op = transpose when the flag is 1); c is
   overwritten. JNAS_ERR_SHAPE when the shapes do not fit. The CPU backend uses
   OpenBLAS; the CUDA backend a hand-written tiled kernel. c aliasing a or b: JNAS_ERR_INVALID_ARGUMENT. */
JNAS_API jnas_status jnas_gemm(jnas_ctx* ctx, int trans_a, int trans_b, float alpha, const jnas_tensor* a,
                               const jnas_tensor* b, float beta, jnas_tensor* c);

/* Softmax cross-entropy over logits [B, K] with integer labels (host array of B values in [0, K)) and label
   smoothing eps in [0, 1): target = (1-eps)·onehot + eps/K. Writes the mean loss over the batch, the number of
   rows whose arg-max equals the label (may be NULL), and, when grad_logits is not NULL, dLoss/dlogits
   ([B, K], overwritten) to seed jnas_net_backward. JNAS_ERR_SHAPE when logits is not [count, K] or grad_logits
   not its shape; JNAS_ERR_INVALID_ARGUMENT for a label outside [0, K) (naming its index) or a bad smoothing. */
JNAS_API jnas_status jnas_cross_entropy(jnas_ctx* ctx, const jnas_tensor* logits, const int32_t* labels,
                                        int64_t count, float smoothing, float* loss, int64_t* correct,
                                        jnas_tensor* grad_logits);
/* The diagonal of d²L/dlogits² of jnas_cross_entropy's mean loss over logits [B, K]: p_k·(1 − p_k)/B per entry
   with p = softmax(row), written to out ([B, K], overwritten) to seed jnas_net_hessian_diag. It depends neither
   on the labels nor on the smoothing (the targets sum to 1 either way). BayesNAS's public code keeps only the
   label's entry of each row; this is the whole diagonal. JNAS_ERR_SHAPE unless logits is [B, K] and out too. */
JNAS_API jnas_status jnas_cross_entropy_hessian_diag(jnas_ctx* ctx, const jnas_tensor* logits, jnas_tensor* out);

/* BayesNAS's ARD hyperparameter update after a switch-training epoch, batched over G switch groups of `cells`
   switches each (a group: the same switch in every cell of one type, sharing γ and ω). Per group g, in double:
     H̃_c = H_c/λ_g;  C_c = (1/γ_g + H̃_c)⁻¹;  ω_g = sqrt(Σ_c H̃_c/(1 + γ_g·H̃_c));  γ'_g = ‖s_g‖₂/ω_g
   then an op group (parents[g] = p, the origin group of its edge) takes (1/γ'_g + 1/γ'_p)⁻¹, so an op never keeps
   more variance than its edge; an origin group (parents[g] = -1) takes γ'_g. A group with γ_g = 0 stays at 0
   (pruned), and so does one with ω_g = 0 (the loss does not feel it), whose ‖s‖/0 would otherwise keep it forever.
   switches, hessians: [G, cells] inputs; gammas (each >= 0), lambdas (each > 0): [G] inputs; parents: a host
   array of G ints, each -1 or an origin group other than g. covariances [G, cells], omegas [G], new_gammas [G]:
   outputs, overwritten; new_gammas may be gammas (in place), no other output may alias an input. NaN in a Hessian
   gives NaN in its group's outputs. Every tensor belongs to ctx. */
JNAS_API jnas_status jnas_ard_update(jnas_ctx* ctx, const jnas_tensor* switches, const jnas_tensor* hessians,
                                     const jnas_tensor* gammas, const jnas_tensor* lambdas, const int32_t* parents,
                                     jnas_tensor* covariances, jnas_tensor* omegas, jnas_tensor* new_gammas);

/* ---------------------------------------------------------------------------------------------------- */
/* Graphs: a DAG built by calls, no text parsing                                                         */
/* ---------------------------------------------------------------------------------------------------- */
/*
 * A graph is device-independent host memory. Nodes are ints numbered from 0 in creation order; every builder
 * call validates its inputs and writes the new node's id to *out. Errors of every builder: JNAS_ERR_INVALID_ARGUMENT
 * for a node id that does not exist, a parameter node where batched data is needed, a size or count < 1 (< 0 for
 * padding), or a name that is NULL, empty or already used; JNAS_ERR_SHAPE for inputs whose shapes do not fit the
 * op (the message names the nodes and shapes). A failed call adds nothing to the graph.
 * Shapes inside a graph are per sample: an input of shape {3, 32, 32} takes batches [B, 3, 32, 32];
 * the batch size is chosen at run time. Ops with parameters take a name; their parameters are called
 * "<name>.weight", "<name>.bias" (conv, linear, batch norm), "<name>.running_mean", "<name>.running_var"
 * (batch norm buffers); names must be unique per graph.
 */

typedef struct jnas_graph jnas_graph;

typedef enum jnas_activation JNAS_ENUM_BASE {
    JNAS_ACT_RELU = 0,
    JNAS_ACT_RELU6 = 1,
    JNAS_ACT_HSWISH = 2, /* x · relu6(x + 3) / 6 */
    JNAS_ACT_SIGMOID = 3, /* 1 / (1 + e^-x) */
    JNAS_ACT_SWISH = 4,   /* x · sigmoid(x) (SiLU) */
    JNAS_ACT_GELU = 5     /* the tanh approximation 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))), Flax's default
                             (approximate=True), not the erf form */
} jnas_activation;

/* Batch-norm flags (bitwise or). */
#define JNAS_BN_AFFINE 1u          /* learnable gamma ("<name>.weight") and beta ("<name>.bias") */
#define JNAS_BN_TRACK_RUNNING 2u   /* keep running mean/var; eval mode uses them (else batch statistics) */

/* An empty graph, freed with jnas_graph_free (nets copy what they need: free it whenever). */
JNAS_API jnas_status jnas_graph_create(jnas_graph** out);
JNAS_API void jnas_graph_free(jnas_graph* g);
/* The number of nodes so far; the next node gets this id. */
JNAS_API jnas_status jnas_graph_node_count(const jnas_graph* g, int* out);
/* The per-sample shape of a node (ndim 1..3; the batch dimension is not included), or a parameter node's whole
   shape (1..4 dims). shape needs room for JNAS_MAX_DIMS entries. */
JNAS_API jnas_status jnas_graph_node_shape(const jnas_graph* g, int node, int* ndim, int64_t* shape);

/* A batched input; per-sample shape of 1..3 dims. */
JNAS_API jnas_status jnas_graph_input(jnas_graph* g, int ndim, const int64_t* shape, int* out);
/* A free parameter tensor (not batched), e.g. mixing weights. init: see jnas_init; it may be set later
   with jnas_net_param_write. trainable = 0 makes it a buffer (no gradient kept, no optimizer update). */
JNAS_API jnas_status jnas_graph_param(jnas_graph* g, const char* name, int ndim, const int64_t* shape,
                                      int init, int trainable, int* out);
/* 2-D convolution of x ([C, H, W]) as PyTorch's Conv2d: weight "<name>.weight" [out_channels, C/groups, kernel_h,
   kernel_w], bias "<name>.bias" [out_channels] when bias = 1; zero padding on every side; output size
   floor((H + 2·padding − dilation·(kernel_h − 1) − 1)/stride) + 1 (likewise W), which must be >= 1. groups must
   divide C and out_channels (JNAS_ERR_SHAPE otherwise). */
JNAS_API jnas_status jnas_graph_conv2d(jnas_graph* g, const char* name, int x, int out_channels, int kernel_h,
                                       int kernel_w, int stride, int padding, int dilation, int groups,
                                       int bias, int* out);
/* Batch norm over the batch and positions of each channel (dim 0 per sample) as PyTorch's BatchNorm: in train mode
   batch mean and biased variance, running statistics updated with `momentum` (running = (1−m)·running + m·batch,
   unbiased variance) when tracked; in eval mode the running statistics (batch statistics if not tracked).
   flags: JNAS_BN_* bits; eps > 0; momentum in [0, 1]. A train forward with one value per channel over the whole
   batch gives JNAS_ERR_SHAPE. */
JNAS_API jnas_status jnas_graph_batch_norm(jnas_graph* g, const char* name, int x, unsigned flags, float eps,
                                           float momentum, int* out);
/* Elementwise activation of any per-sample shape; same shape out. */
JNAS_API jnas_status jnas_graph_activation(jnas_graph* g, int x, jnas_activation kind, int* out);
/* Square pooling windows over [C, H, W] (PyTorch's AvgPool2d / MaxPool2d, floor mode): padding in
   [0, kernel/2]; average pooling divides by the whole window when count_include_pad = 1, else by the values
   inside the input; max pooling's padding never wins (the gradient goes to the first maximum). */
JNAS_API jnas_status jnas_graph_avg_pool(jnas_graph* g, int x, int kernel, int stride, int padding,
                                         int count_include_pad, int* out);
JNAS_API jnas_status jnas_graph_max_pool(jnas_graph* g, int x, int kernel, int stride, int padding, int* out);
/* [C, H, W] -> [C] */
JNAS_API jnas_status jnas_graph_global_avg_pool(jnas_graph* g, int x, int* out);
/* Flattens its input per sample, then y = W·x (+ b): weight "<name>.weight" [out_features, in_features], bias
   "<name>.bias" [out_features] when bias = 1. [..] -> [out_features]. */
JNAS_API jnas_status jnas_graph_linear(jnas_graph* g, const char* name, int x, int out_features, int bias,
                                       int* out);
/* a + b, elementwise; both of one per-sample shape (JNAS_ERR_SHAPE otherwise). */
JNAS_API jnas_status jnas_graph_add(jnas_graph* g, int a, int b, int* out);
/* Concatenation along channels (dim 0 per sample) of n >= 1 nodes whose other dims agree. */
JNAS_API jnas_status jnas_graph_concat(jnas_graph* g, int n, const int* nodes, int* out);
/* out = factor · x; factor finite. */
JNAS_API jnas_status jnas_graph_scale(jnas_graph* g, int x, float factor, int* out);
/* Zeros shaped like x subsampled by stride ([C, ceil(H/s), ceil(W/s)]); NB201/DARTS "none". No gradient. */
JNAS_API jnas_status jnas_graph_zero(jnas_graph* g, int x, int stride, int* out);
/* The mixed edge: out = Σ_k w[k] · ops[k], where ops are n nodes of one shape (usually n op branches fed by
   the same input) and weights a node holding n values (a parameter, typically). Branches whose weight is
   <= threshold are neither computed nor differentiated (like the references' skipping of pruned ops); use
   -INFINITY to always compute every branch. Gradients flow to every computed branch and to the weights. */
JNAS_API jnas_status jnas_graph_mixed(jnas_graph* g, int n, const int* ops, int weights, float threshold,
                                      int* out);
/* out[c][h][w] = x[c][h + dy][w + dx] where that index lies inside x, else 0: x ([C, H, W]) moved by whole pixels,
   same shape; any dy, dx (|dy| >= H or |dx| >= W gives zeros). DARTS's FactorizedReduce reads x shifted by
   (1, 1) on its second path. The gradient is shifted back. */
JNAS_API jnas_status jnas_graph_shift(jnas_graph* g, int x, int dy, int dx, int* out);
/* Softmax over the channels (dim 0 per sample): for [C, H, W] each pixel's C values sum to 1, for [C] the whole
   vector does. Computed as exp(x − max) / Σ exp(x − max). */
JNAS_API jnas_status jnas_graph_softmax(jnas_graph* g, int x, int* out);
/* Layer norm over the channels (dim 0 per sample) at each position, as Flax's LayerNorm over the feature axis of
   NHWC: y = γ[c]·(x − mean)/√(var + eps) + β[c], with the mean and biased variance of each position's C values
   (for [C], of the whole vector). γ "<name>.weight" (ones) and β "<name>.bias" (zeros) have C values. Statistics
   are per sample, so samples never interact. eps > 0. */
JNAS_API jnas_status jnas_graph_layer_norm(jnas_graph* g, const char* name, int x, float eps, int* out);
/* Group norm: the C channels split into `groups` consecutive groups (groups must divide C), each normalized with
   the mean and biased variance of its C/groups channels × all positions of the sample; then γ[c]·x̂ + β[c] per
   channel as layer norm (same parameters). groups = 1 normalizes the whole sample, groups = C each channel's
   plane (instance norm). eps > 0. */
JNAS_API jnas_status jnas_graph_group_norm(jnas_graph* g, const char* name, int x, int groups, float eps, int* out);
/* [C, H, W] -> [C]: the maximum of each channel's plane; the gradient goes to the first maximum in row-major
   order (a NaN counts as the maximum, as max pooling). */
JNAS_API jnas_status jnas_graph_global_max_pool(jnas_graph* g, int x, int* out);
/* [C, H, W] (or any per-sample shape) -> [C·H·W], the values in the same order (a copy). jnas_graph_linear
   flattens on its own; this is for ops that must see the flat vector (softmax or layer norm over all features). */
JNAS_API jnas_status jnas_graph_flatten(jnas_graph* g, int x, int* out);
/* out = a ⊙ b. Either b is batched with a's per-sample shape (elementwise per sample), or b is an unbatched node
   (a parameter, typically) of C values, C = a's dim 0, that scales a's channels for every sample: a [C] gate after
   a conv ([C, H, W]) or a linear layer ([C]), one switch per filter or neuron (BayesNAS compression). Gradients
   flow to both; the Hessian-diagonal pass supports the gate form only (JNAS_ERR_UNSUPPORTED for two batched
   operands): H_a = b²·H_y per channel, H_b[c] = Σ over samples and positions of a²·H_y. */
JNAS_API jnas_status jnas_graph_mul(jnas_graph* g, int a, int b, int* out);
/* Inverted dropout with probability p in [0, 1): in train mode (jnas_net_set_train) each element is zeroed with
   probability p and the rest scaled by 1/(1 − p), a fresh mask every forward (see jnas_net_set_random); in eval
   mode the identity. Gradients and the Hessian-diagonal pass use the forward's mask (H_x = m²·H_y). */
JNAS_API jnas_status jnas_graph_dropout(jnas_graph* g, int x, float p, int* out);

/* The per-sample cost of computing `output`: multiply-accumulates of every conv2d node (output elements ·
   kernel_h · kernel_w · in_channels / groups) and every linear node (in_features · out_features) that `output`
   depends on. Every branch of a mixed edge counts (the graph does not know the weights); build the network of one
   architecture to count what it computes. Either out-pointer may be NULL. */
JNAS_API jnas_status jnas_graph_macs(const jnas_graph* g, int output, int64_t* conv_macs, int64_t* linear_macs);

/* ---------------------------------------------------------------------------------------------------- */
/* Nets: a graph compiled on a context, with parameters, activations and gradients                       */
/* ---------------------------------------------------------------------------------------------------- */

typedef struct jnas_net jnas_net;

/* Parameter initializers. Weights are conv/linear weights; fan_in = in_channels/groups · kh · kw. */
typedef enum jnas_init JNAS_ENUM_BASE {
    JNAS_INIT_PYTORCH_DEFAULT = 0,  /* weight ~ U(±1/√fan_in) (kaiming_uniform a=√5), bias ~ U(±1/√fan_in) */
    JNAS_INIT_KAIMING_NORMAL_FAN_IN = 1,  /* weight ~ N(0, 2/fan_in), bias = 0 */
    JNAS_INIT_KAIMING_NORMAL_FAN_OUT = 2, /* weight ~ N(0, 2/fan_out), bias = 0 */
    JNAS_INIT_ZEROS = 3,
    JNAS_INIT_ONES = 4
} jnas_init;

/* The role of a parameter (what made it), so front ends can select e.g. every "weight" for the NTK. */
typedef enum jnas_param_role JNAS_ENUM_BASE {
    JNAS_PARAM_WEIGHT = 0,       /* conv or linear weight */
    JNAS_PARAM_BIAS = 1,         /* conv or linear bias */
    JNAS_PARAM_BN_WEIGHT = 2,    /* batch-norm gamma, also layer- and group-norm gamma */
    JNAS_PARAM_BN_BIAS = 3,      /* batch-norm beta, also layer- and group-norm beta */
    JNAS_PARAM_BN_RUNNING = 4,   /* running mean or variance (buffer) */
    JNAS_PARAM_FREE = 5          /* made by jnas_graph_param */
} jnas_param_role;

/* Compiles graph g for ctx, with `output` as the net's output node, and initializes every parameter with
   `init` (batch norm: gamma 1, beta 0, running mean 0, running var 1; free params: their own init) from the
   Philox generator keyed by seed (parameter i from stream i, so equal graphs and seeds give equal weights on
   every backend). The net keeps its own copy of the graph; g may be freed afterwards. JNAS_ERR_INVALID_ARGUMENT
   when output does not exist or is a parameter node. Freed with jnas_net_free, before ctx and after its
   optimizers. */
JNAS_API jnas_status jnas_net_create(jnas_ctx* ctx, const jnas_graph* g, int output, jnas_init init,
                                     uint64_t seed, jnas_net** out);
JNAS_API void jnas_net_free(jnas_net* net);
/* Re-initializes every parameter (running statistics included) as jnas_net_create does; gradients and
   optimizer state are left as they were. */
JNAS_API jnas_status jnas_net_init(jnas_net* net, jnas_init init, uint64_t seed);
/* Batch-norm mode for following forward passes: 1 = train (batch statistics, running stats updated),
   0 = eval. Default: train. */
JNAS_API jnas_status jnas_net_set_train(jnas_net* net, int train);
/* Batched candidates: following forwards split the bound batch into `groups` >= 1 groups of consecutive samples
   (B/G each; a batch that does not split evenly is JNAS_ERR_SHAPE at the forward) that batch norm normalizes
   apart, so one forward equals G forwards of the groups one after another (running statistics are updated once
   per group, also those of a branch that only other groups' weights keep). With
   per-sample mixing weights (jnas_graph_mixed over a batched weights node), each group can be another masked
   variant of one supernet, evaluated in one call: jnas_net_ntk_groups, jnas_net_collect_patterns_groups.
   Default 1. The Hessian-diagonal pass takes one group only (JNAS_ERR_UNSUPPORTED). */
JNAS_API jnas_status jnas_net_set_sample_groups(jnas_net* net, int groups);
/* Where the next train-mode forward draws its random numbers (dropout masks): Philox keyed by seed, at `step`,
   which every train-mode forward then advances by one. jnas_net_create and jnas_net_init set (their seed, 0), so
   a net's masks follow from its seed; setting them back replays a forward's masks (step < 2^39). */
JNAS_API jnas_status jnas_net_set_random(jnas_net* net, uint64_t seed, uint64_t step);

/* Binds the tensor holding the batch for an input node ([B, per-sample shape...]); every input node must be
   bound, with the same B, before jnas_net_forward. The tensor is borrowed: keep it alive and unchanged until
   the backward pass that uses it is done. JNAS_ERR_INVALID_ARGUMENT when node is not an input node,
   JNAS_ERR_SHAPE when the tensor is not [B, that input's shape]. */
JNAS_API jnas_status jnas_net_bind_input(jnas_net* net, int node, const jnas_tensor* input);
/* Runs forward at the bound batch size and copies the output node into out ([B, output shape...]).
   JNAS_ERR_STATE when an input node is unbound; JNAS_ERR_SHAPE when out has another shape or the bound inputs
   have different B. */
JNAS_API jnas_status jnas_net_forward(jnas_net* net, jnas_tensor* out);
/* The output shape for batch size batch in [1, 2^31) (ndim includes the batch dim; shape needs room for
   JNAS_MAX_DIMS entries). */
JNAS_API jnas_status jnas_net_output_shape(const jnas_net* net, int64_t batch, int* ndim, int64_t* shape);
/* Back-propagates grad_output (shaped like the last forward's output) through the last forward pass,
   ADDING to every trainable parameter's gradient (so several backward passes accumulate) and to the input
   gradients (which reset with jnas_net_zero_grad and when the batch size changes). Needs a forward since
   the last backward (JNAS_ERR_STATE otherwise) whose bound inputs are unchanged; JNAS_ERR_SHAPE for a
   grad_output of another shape. */
JNAS_API jnas_status jnas_net_backward(jnas_net* net, const jnas_tensor* grad_output);
/* Sets every parameter gradient and every input gradient to zero. */
JNAS_API jnas_status jnas_net_zero_grad(jnas_net* net);
/* Copies dLoss/dinput for an input node into out (shaped like the bound input): like the parameter gradients,
   summed over the backward passes since the last jnas_net_zero_grad. JNAS_ERR_INVALID_ARGUMENT when node is not
   an input node; JNAS_ERR_STATE before a backward at the current batch size; JNAS_ERR_SHAPE for another shape. */
JNAS_API jnas_status jnas_net_input_grad(const jnas_net* net, int node, jnas_tensor* out);

/* The diagonal Hessian of a loss w.r.t. every trainable parameter, over the last forward pass (train or eval batch
   norm), by BayesNAS's backward recursion (Becker & LeCun's diagonal approximation): Gauss-Newton plus the
   activations' f''·gradient term. seed is the diagonal of d²L/d(output)², shaped like the last output (the caller's
   loss Hessian including any 1/B, e.g. from jnas_cross_entropy_hessian_diag). Each op maps the diagonal of its
   output to its inputs with squared local derivatives and drops every off-diagonal term, per sample; parameter
   diagonals are summed over the batch:
   linear/conv Hx = (W²)ᵀHy, HW = Σ x²·Hy, Hbias = Σ Hy; an activation Hx = f'(x)²·Hy + f''(x)·dL/dy (ReLU/ReLU6
   pass Hy where active, f'' = 0; hswish f'' = 1/3 on (-3, 3); sigmoid, swish and gelu's tanh form); batch norm
   Hx = Hy·γ²/σ² with its statistics as constants, Hγ = Σ x̂²·Hy, Hβ = Σ Hy; average pooling spreads Hy/n² over
   each window (n as the forward counted it); max pooling routes to the argmax; global pooling Hy/(HW)²; layer and
   group norm as batch norm with their per-sample statistics as constants; global max pooling routes to the argmax;
   add, concat and flatten pass Hy on; scale by f multiplies by f²; shift shifts back; zero stops it; a mixed edge
   (BayesNAS's switch) gives each computed branch w_k²·Hy and its weight Σ z_k²·Hy over the elements (and samples,
   for shared weights). dL/dy is the node gradient of the jnas_net_backward run after the same forward, so call that
   backward with the gradient of the loss whose Hessian diagonal is seed (BayesNAS reads the saved gradients of its
   last loss.backward()): with an hswish, sigmoid, swish or gelu on the path and no backward since the last forward,
   the pass fails with JNAS_ERR_STATE; nets whose activations are ReLU/ReLU6 need none. Second derivatives of the other
   ops: linear, conv, pooling, add, concat, scale, shift, dropout, the mixed edge and the gate are linear in each
   input and parameter, so they have none on the diagonal; batch norm in train mode and layer/group norm take their
   statistics as constants, dropping the statistics' part of the first derivative and all their second derivatives
   (eval-mode batch norm is exact per element); softmax gives JNAS_ERR_UNSUPPORTED (its second-derivative·gradient
   term is not implemented), as does mul of two batched operands. Needs a forward (JNAS_ERR_STATE otherwise) whose
   bound inputs are unchanged; node gradients, parameter gradients and the forward's readiness for jnas_net_backward
   are left as they were. */
JNAS_API jnas_status jnas_net_hessian_diag(jnas_net* net, const jnas_tensor* seed);
/* The last jnas_net_hessian_diag's diagonal for parameter index (count = its numel, shaped like it); zeros for
   parameters that were frozen or whose branch the forward skipped. JNAS_ERR_STATE before any completed pass. */
JNAS_API jnas_status jnas_net_hessian_read(const jnas_net* net, int index, float* dst, int64_t count);

/* Parameters, numbered 0..count-1 in graph order. Names and shapes as described above. An index outside
   [0, count) gives JNAS_ERR_INVALID_ARGUMENT; read and write copy exactly the parameter's numel floats between
   host memory and the device (JNAS_ERR_SHAPE for another count). param_find: JNAS_ERR_INVALID_ARGUMENT when no
   parameter has that name. */
JNAS_API jnas_status jnas_net_param_count(const jnas_net* net, int* out);
JNAS_API jnas_status jnas_net_param_find(const jnas_net* net, const char* name, int* index);
/* The name, owned by the net: valid while the net lives. */
JNAS_API jnas_status jnas_net_param_name(const jnas_net* net, int index, const char** out);
JNAS_API jnas_status jnas_net_param_role(const jnas_net* net, int index, jnas_param_role* out);
/* The whole shape (1..4 dims; shape needs room for JNAS_MAX_DIMS entries) and the element count. */
JNAS_API jnas_status jnas_net_param_shape(const jnas_net* net, int index, int* ndim, int64_t* shape);
JNAS_API jnas_status jnas_net_param_numel(const jnas_net* net, int index, int64_t* out);
/* 1 if the optimizer updates it and backward accumulates its gradient, else 0. set_trainable freezes (0) or
   thaws (1) a parameter; a running statistic cannot be made trainable (JNAS_ERR_INVALID_ARGUMENT). */
JNAS_API jnas_status jnas_net_param_trainable(const jnas_net* net, int index, int* out);
JNAS_API jnas_status jnas_net_param_set_trainable(jnas_net* net, int index, int trainable);
/* The values, and the gradient accumulated since the last jnas_net_zero_grad (zeros for a frozen parameter). */
JNAS_API jnas_status jnas_net_param_read(const jnas_net* net, int index, float* dst, int64_t count);
JNAS_API jnas_status jnas_net_param_write(jnas_net* net, int index, const float* src, int64_t count);
JNAS_API jnas_status jnas_net_grad_read(const jnas_net* net, int index, float* dst, int64_t count);

/* ---------------------------------------------------------------------------------------------------- */
/* Optimizers                                                                                            */
/* ---------------------------------------------------------------------------------------------------- */

typedef struct jnas_optimizer jnas_optimizer;

/* An optimizer over net's parameters, written to *out; it keeps a pointer to net, so free it before the net.
   params: count indices of the parameters to update, or NULL/0 for every trainable parameter; each must exist,
   be trainable and appear once (JNAS_ERR_INVALID_ARGUMENT naming it). Rates, momentum, weight decay and eps
   must be finite and >= 0, Adam's betas in [0, 1) (JNAS_ERR_INVALID_ARGUMENT naming the value).
   SGD as PyTorch: g += wd·w; v = momentum·v + g; step = nesterov ? g + momentum·v : v; w -= lr·step
   (nesterov needs momentum > 0). */
JNAS_API jnas_status jnas_optimizer_sgd(jnas_net* net, int count, const int* params, float lr, float momentum,
                                        float weight_decay, int nesterov, jnas_optimizer** out);
/* Adam as PyTorch (L2 weight decay added to the gradient, bias-corrected moments). */
JNAS_API jnas_status jnas_optimizer_adam(jnas_net* net, int count, const int* params, float lr, float beta1,
                                         float beta2, float eps, float weight_decay, jnas_optimizer** out);
JNAS_API void jnas_optimizer_free(jnas_optimizer* opt);
/* The learning rate of following steps (finite, >= 0), e.g. for a schedule. */
JNAS_API jnas_status jnas_optimizer_set_lr(jnas_optimizer* opt, float lr);
/* One update from the current gradients (it does not zero them). Free the optimizer before its net. */
JNAS_API jnas_status jnas_optimizer_step(jnas_optimizer* opt);
/* The optimizer's state, to checkpoint training and resume it bit for bit: per updated parameter in order, SGD's
   velocity, or Adam's first then second moments (each shaped like the parameter), plus the number of steps taken.
   state_size gives the float count; read and write take exactly that many (JNAS_ERR_SHAPE otherwise), and
   write needs steps >= 0. */
JNAS_API jnas_status jnas_optimizer_state_size(const jnas_optimizer* opt, int64_t* floats);
JNAS_API jnas_status jnas_optimizer_state_read(const jnas_optimizer* opt, float* dst, int64_t count, int64_t* steps);
JNAS_API jnas_status jnas_optimizer_state_write(jnas_optimizer* opt, const float* src, int64_t count, int64_t steps);

/* ---------------------------------------------------------------------------------------------------- */
/* NTK: the empirical neural tangent kernel over a batch, and its condition number                       */
/* ---------------------------------------------------------------------------------------------------- */

/* How batch-norm statistics enter the per-sample gradients (for nodes using batch statistics). */
typedef enum jnas_bn_coupling JNAS_ENUM_BASE {
    JNAS_BN_COUPLING_EXACT = 0,  /* differentiated: every sample's gradient flows through the whole batch (the
                                    papers' and public codes' semantics; costs B full-batch backward passes) */
    JNAS_BN_COUPLING_FROZEN = 1  /* used in the forward but constants in the backward: samples independent,
                                    one backward pass */
} jnas_bn_coupling;

/* Θ = J·Jᵀ over the bound batch of B samples, where row i of J is the gradient of the sum of sample i's
   outputs w.r.t. the chosen parameters. Runs one forward over the bound inputs first (in the net's
   batch-norm mode: train by default, which also updates running statistics as any train forward does).
   coupling: see jnas_bn_coupling. params: count parameter indices, J's columns in that order, each a
   weight, bias, gamma or beta of a conv, linear or batch/layer/group-norm node, at most once; NULL (with count
   0) picks every parameter of role JNAS_PARAM_WEIGHT or JNAS_PARAM_BN_WEIGHT (conv/linear weights and gammas, no
   biases). Parameters of branches the forward skipped contribute nothing. theta: [B, B], overwritten.
   Parameter and input gradients of the net are left as they were. JNAS_ERR_INVALID_ARGUMENT for a parameter
   index that does not exist, is not of such a node or is listed twice; JNAS_ERR_SHAPE when theta is not [B, B];
   JNAS_ERR_STATE when an input is unbound; JNAS_ERR_UNSUPPORTED when J would have more than INT_MAX columns. */
JNAS_API jnas_status jnas_net_ntk(jnas_net* net, jnas_bn_coupling coupling, int count, const int* params,
                                  jnas_tensor* theta);
/* jnas_net_ntk for a net of G sample groups (jnas_net_set_sample_groups): one forward and one walk over the whole
   batch, then each group's Θ [B/G, B/G] into thetas[g] (groups = G tensors), equal to jnas_net_ntk of that group
   alone. jnas_net_ntk itself takes a net of one group (JNAS_ERR_INVALID_ARGUMENT otherwise, as here for a groups
   that is not the net's). Frozen coupling only: exact coupling over several groups is JNAS_ERR_UNSUPPORTED (each
   seed's backward would run over every group to fill one group's row). */
JNAS_API jnas_status jnas_net_ntk_groups(jnas_net* net, jnas_bn_coupling coupling, int count, const int* params,
                                         int groups, jnas_tensor* const* thetas);

/* Flags of jnas_ntk_spectrum (bitwise or). */
#define JNAS_SPECTRUM_NONPOSITIVE_MIN 1u /* λmin <= 0: κ is negative, infinite or NaN, not a condition number */
#define JNAS_SPECTRUM_NONFINITE 2u       /* theta holds NaN/inf (eigenvalues and κ are then NaN) or κ is not finite */
#define JNAS_SPECTRUM_NOT_CONVERGED 4u   /* the eigensolver did not converge (eigenvalues and κ are NaN) */

/* The spectrum of the symmetric [n, n] matrix theta (its upper triangle is read), in double precision
   (LAPACKE_dsyevd on the CPU; on a CUDA context a Jacobi eigensolver on the device, whose eigenvalues agree with
   the CPU's to rounding errors relative to the largest, not bit for bit). eigenvalues: n doubles, ascending, or
   NULL. kappa: λmax/λmin exactly as computed, never clamped or replaced. flags: JNAS_SPECTRUM_* bits, 0 when κ is
   a finite positive ratio. A matrix that is not square gives JNAS_ERR_SHAPE; bad values are flagged, not errors. */
JNAS_API jnas_status jnas_ntk_spectrum(jnas_ctx* ctx, const jnas_tensor* theta, double* eigenvalues, double* kappa,
                                       unsigned* flags);
/* jnas_ntk_spectrum of count >= 1 matrices in one call (on a CUDA context, one launch with a thread block per
   matrix): thetas holds count tensors of ctx, all of one shape [n, n]. eigenvalues: count·n doubles (matrix i's
   ascending at i·n) or NULL; kappas and flags: count values each, as jnas_ntk_spectrum gives them.
   JNAS_ERR_SHAPE (naming the index) for a matrix that is not square or not of thetas[0]'s size. */
JNAS_API jnas_status jnas_ntk_spectrum_batched(jnas_ctx* ctx, int count, const jnas_tensor* const* thetas,
                                               double* eigenvalues, double* kappas, unsigned* flags);

/* ---------------------------------------------------------------------------------------------------- */
/* Activation patterns: linear regions (TE-NAS) and NASWOT                                               */
/* ---------------------------------------------------------------------------------------------------- */
/*
 * A pattern collector holds one row of bits per sample: the signs (x > 0) of the input of every ReLU node a
 * forward ran, concatenated in graph order (node id order), each node's units in per-sample layout (C, H, W).
 * Other activations (relu6, hswish, sigmoid, swish, gelu) are not ReLUs and add nothing. Several forward passes
 * (e.g. 3 batches of 1,000) append to one collector; every sample of a collector must have the same number of
 * bits. The collector is host memory, tied to no context: it may outlive the nets that filled it. (A CUDA net
 * packs the bits on the device, so only the packed rows cross to the host.)
 */

typedef struct jnas_patterns jnas_patterns;

/* Flags of jnas_patterns_naswot (bitwise or). */
#define JNAS_NASWOT_SINGULAR 1u /* det K = 0 (e.g. two samples with one pattern, or more samples than bits + 1):
                                   logdet is -inf */

/* An empty collector; freed with jnas_patterns_free. */
JNAS_API jnas_status jnas_patterns_create(jnas_patterns** out);
JNAS_API void jnas_patterns_free(jnas_patterns* patterns);
/* Runs forward over net's bound inputs (in the net's batch-norm mode: train by default, which also updates
   running statistics as any train forward does) and appends one row per sample of the batch to `into`.
   JNAS_ERR_SHAPE, leaving `into` unchanged, when the rows' bit count differs from the collector's;
   JNAS_ERR_STATE when an input is unbound. A net
   without ReLUs gives rows of 0 bits (one pattern: the whole input space is one linear region). */
JNAS_API jnas_status jnas_net_collect_patterns(jnas_net* net, jnas_patterns* into);
/* jnas_net_collect_patterns for a net of G sample groups: one forward, then group g's rows into into[g] (groups =
   G collectors, all distinct). On an error no collector changes. */
JNAS_API jnas_status jnas_net_collect_patterns_groups(jnas_net* net, int groups, jnas_patterns* const* into);
/* The number of rows collected and the bits per row (both 0 for an empty collector). */
JNAS_API jnas_status jnas_patterns_info(const jnas_patterns* patterns, int64_t* samples, int64_t* bits);
/* The number of distinct rows: the linear-region count. Exact, not an estimate: rows are hashed to 128 bits
   and sorted, and rows with equal hashes are compared bit for bit. JNAS_ERR_STATE for an empty collector. */
JNAS_API jnas_status jnas_patterns_count_distinct(const jnas_patterns* patterns, int64_t* count);
/* NASWOT over rows [first, first + count): K[i][j] = bits − Hamming(row i, row j) (the units on which samples
   i and j agree) and logdet = log|det K| in double, the value of numpy's slogdet for a non-singular K. K is a
   Gram matrix (positive semi-definite), factorized by pivoted Cholesky; a rank below count (at LAPACK's
   default tolerance), where slogdet would return rounding noise, gives logdet = -inf and JNAS_NASWOT_SINGULAR.
   rank K <= bits + 1, so count > bits + 1 is always singular. flags: JNAS_NASWOT_* bits, 0 when det K > 0.
   JNAS_ERR_INVALID_ARGUMENT for a range outside the collector (count >= 1), JNAS_ERR_STATE when empty. */
JNAS_API jnas_status jnas_patterns_naswot(const jnas_patterns* patterns, int64_t first, int64_t count,
                                          double* logdet, unsigned* flags);
/* jnas_patterns_count_distinct computed by ctx's backend: on a CUDA context the rows are copied to the device and
   hashed, radix-sorted and compared there; on a CPU context it is jnas_patterns_count_distinct. The count is the
   same exact one either way; the collector stays host memory, tied to no context. */
JNAS_API jnas_status jnas_patterns_count_distinct_on(jnas_ctx* ctx, const jnas_patterns* patterns, int64_t* count);

/* ---------------------------------------------------------------------------------------------------- */
/* NAS-Bench-201: architecture strings to networks and training-free scores                              */
/* ---------------------------------------------------------------------------------------------------- */
/*
 * For clients that score NB201 cells without building graphs. Architecture strings are the benchmark's,
 * "|op~0|+|op~0|op~1|+|op~0|op~1|op~2|" with ops none, skip_connect, nor_conv_1x1, nor_conv_3x3 and
 * avg_pool_3x3, parsed strictly: anything else gives JNAS_ERR_INVALID_ARGUMENT with a message naming the problem
 * and its character offset (from 0). The networks are NB201's (java-core's Nb201Network, with the benchmark's
 * parameter names, e.g. "layer0.edge2_1.conv.weight"): nor_conv_kxk = ReLU → conv (no bias) → batch norm
 * (affine, eps 1e-5); avg_pool_3x3 stride 1 pad 1 without counting padding; none = zeros; a node sums its edges;
 * ResNet blocks (ReLU-conv3x3 s2-BN → ReLU-conv3x3-BN, shortcut avg-pool 2x2 → conv 1x1) between stages; head
 * BN → ReLU → global average pool → linear with bias.
 */

/* The macro skeleton around the cells. TE-NAS's κ network is {3, 1, 3, 1} on 3×32×32 inputs; its thin
   linear-region network {1, 1, 1, 0} on 1×3×3 inputs. */
typedef struct jnas_nb201_skeleton {
    int channels;        /* C >= 1: the first stage's channels; each later stage doubles them */
    int cells_per_stage; /* N >= 1 */
    int stages;          /* >= 1; a ResNet block halving the resolution leads every stage but the first */
    int stem;            /* 1: conv 3×3 + batch norm to C first; 0: the first cell takes the input (C channels) */
} jnas_nb201_skeleton;

/* Appends the network of architecture `arch` on `skeleton` to graph g: an input node of per-sample shape
   [input_channels, height, width], written to *input, and the [classes] logits node, written to *output. The
   parameters come in the benchmark's order, so a net made from it with a given init and seed has the weights
   java-core's network has. On failure g may hold some of the network's nodes: discard it. */
JNAS_API jnas_status jnas_nb201_graph(jnas_graph* g, const char* arch, const jnas_nb201_skeleton* skeleton,
                                      int input_channels, int height, int width, int classes, int* input,
                                      int* output);

/* Metrics of jnas_nb201_score (bitwise or). */
#define JNAS_NB201_NTK 1u            /* κ = λmax/λmin of the NTK of the κ network over the batch (TE-NAS) */
#define JNAS_NB201_LINEAR_REGIONS 2u /* distinct ReLU patterns of the thin network on 3 × 1,000 patches (TE-NAS) */
#define JNAS_NB201_NASWOT 4u         /* log|det K| of the κ network's ReLU patterns on the batch (NASWOT) */

/* Flag of jnas_nb201_scores besides the JNAS_SPECTRUM_* bits (1, 2, 4): NASWOT's K was singular. */
#define JNAS_NB201_NASWOT_SINGULAR 8u

/* What a score depends on besides the architecture; jnas_nb201_score_options_default gives `jnas score`'s
   defaults. */
typedef struct jnas_nb201_score_options {
    uint64_t seed;             /* `jnas score --seed` (a Java long: the same 64 bits) */
    unsigned metrics;          /* JNAS_NB201_* bits, at least one; default all three */
    int batch;                 /* the κ network's batch (NTK and NASWOT samples), >= 2; default 72 */
    int repeats;               /* independent draws of weights and inputs averaged, >= 1; default 3 */
    jnas_init init;            /* JNAS_INIT_PYTORCH_DEFAULT (default) or JNAS_INIT_KAIMING_NORMAL_FAN_IN */
    jnas_bn_coupling coupling; /* default JNAS_BN_COUPLING_FROZEN */
} jnas_nb201_score_options;

/* Means over the repeats (IEEE arithmetic: one NaN repeat makes a NaN mean); a metric not asked for is NaN. */
typedef struct jnas_nb201_scores {
    double kappa;          /* the NTK condition number, as jnas_ntk_spectrum computes it */
    double lambda_min;     /* the NTK's smallest and largest eigenvalues */
    double lambda_max;
    double linear_regions; /* the distinct-pattern count (a whole number for one repeat) */
    double naswot;         /* log|det K|; -inf when singular */
    unsigned flags;        /* OR over the repeats of JNAS_SPECTRUM_* and JNAS_NB201_NASWOT_SINGULAR */
} jnas_nb201_scores;

/* Writes `jnas score`'s defaults into *options (seed 0). */
JNAS_API jnas_status jnas_nb201_score_options_default(jnas_nb201_score_options* options);

/* Scores architecture `arch` on ctx exactly as `jnas score --dataset synthetic` does for the same options: per
   repeat r, the κ network (C=3, N=1, 3×32×32, 10 classes) gets weights from the Philox generator and a batch of
   standard-normal inputs from java.util.Random, each seeded by java-core's SeedStreams.derive(seed, r, stream);
   NTK over every conv/linear weight and batch-norm gamma in train mode with the chosen coupling, NASWOT from the
   same forward's patterns; the thin network (C=1, no stem, 1×3×3) gets its own weights and 3 train-mode batches
   of 1,000 Gaussian patches, whose patterns are counted together. The same bits on any thread count; on a CUDA
   context the nets run on the device (Θ's spectrum as jnas_ntk_spectrum computes it there). The Gaussians' log
   comes from the C library, not Java's fdlibm: a score differs from `jnas score`'s only if one of its ~700,000
   draws rounds to another float (a chance of about 4·10⁻⁵). Makes and frees its own nets and tensors on ctx.
   Errors: JNAS_ERR_INVALID_ARGUMENT for a bad string (see above) or option, naming it. */
JNAS_API jnas_status jnas_nb201_score(jnas_ctx* ctx, const char* arch, const jnas_nb201_score_options* options,
                                      jnas_nb201_scores* out);

#ifdef __cplusplus
}
#endif

#endif /* JNAS_H */
