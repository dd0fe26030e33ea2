// pool.cpp — average pooling (count_include_pad either way), max pooling, global average and global max pooling.
#include "error.hpp"
#include "ops/builders.hpp"
#include "ops/op.hpp"
#include "ops/window.hpp"

namespace jnas {
namespace {

PoolShape pool_shape(const OpRun& run) {
    const auto& a = std::get<PoolAttrs>(run.node.attrs);
    const Shape& x = run.input_shape(0);
    return PoolShape{run.batch, int(x[0]), int(x[1]), int(x[2]), int(run.node.shape[1]), int(run.node.shape[2]),
                     a.kernel, a.stride, a.padding, a.count_include_pad};
}

void avg_pool_forward(OpRun& run) { run.backend.avg_pool_forward(pool_shape(run), run.input(0), run.output()); }

void avg_pool_backward(OpRun& run) {
    if (float* dx = run.input_grad(0))
        run.backend.avg_pool_backward(pool_shape(run), run.output_grad(), run.output_grad_scale(), dx);
}

void max_pool_forward(OpRun& run) {
    run.backend.max_pool_forward(pool_shape(run), run.input(0), run.output(), run.state().aux.i32());
}

void max_pool_backward(OpRun& run) {
    if (float* dx = run.input_grad(0))
        run.backend.max_pool_backward(pool_shape(run), run.output_grad(), run.state().aux.i32(), dx);
}

size_t max_pool_aux(const Node& node, int batch) { return sizeof(int32_t) * size_t(batch) * node.shape.numel(); }

void global_avg_pool_forward(OpRun& run) {
    const Shape& x = run.input_shape(0);
    run.backend.global_avg_pool_forward(run.batch, int(x[0]), int(x[1] * x[2]), run.input(0), run.output());
}

void global_avg_pool_backward(OpRun& run) {
    const Shape& x = run.input_shape(0);
    if (float* dx = run.input_grad(0))
        run.backend.global_avg_pool_backward(run.batch, int(x[0]), int(x[1] * x[2]), run.output_grad(), dx);
}

void global_max_pool_forward(OpRun& run) {
    const Shape& x = run.input_shape(0);
    run.backend.global_max_pool_forward(run.batch, int(x[0]), int(x[1] * x[2]), run.input(0), run.output(),
                                        run.state().aux.i32());
}

void global_max_pool_backward(OpRun& run) {
    const Shape& x = run.input_shape(0);
    if (float* dx = run.input_grad(0))
        run.backend.global_max_pool_backward(run.batch, int(x[0]), int(x[1] * x[2]), run.output_grad(),
                                             run.state().aux.i32(), dx);
}

// Each output's diagonal spread over its window times (1/divisor)², the divisor as the forward counted it.
void avg_pool_hessian_backward(OpRun& run) {
    if (float* hx = run.input_hessian(0))
        run.backend.avg_pool_hessian_backward(pool_shape(run), run.output_hessian(), hx);
}

// The derivative is 1 at the argmax and 0 elsewhere: the diagonal is routed as the gradient is.
void max_pool_hessian_backward(OpRun& run) {
    if (float* hx = run.input_hessian(0))
        run.backend.max_pool_backward(pool_shape(run), run.output_hessian(), run.state().aux.i32(), hx);
}

// (1/HW)²: the gradient kernel's 1/HW applied to Hy / HW.
void global_avg_pool_hessian_backward(OpRun& run) {
    const Shape& x = run.input_shape(0);
    int c = int(x[0]), hw = int(x[1] * x[2]);
    if (float* hx = run.input_hessian(0)) {
        float* scaled = run.scratch(run.output_numel());
        run.backend.scale(run.output_numel(), 1.0f / float(hw), run.output_hessian(), scaled);
        run.backend.global_avg_pool_backward(run.batch, c, hw, scaled, hx);
    }
}

// The derivative is 1 at the argmax and 0 elsewhere, as for max pooling.
void global_max_pool_hessian_backward(OpRun& run) {
    const Shape& x = run.input_shape(0);
    if (float* hx = run.input_hessian(0))
        run.backend.global_max_pool_backward(run.batch, int(x[0]), int(x[1] * x[2]), run.output_hessian(),
                                             run.state().aux.i32(), hx);
}

const Node& spatial_input(const Graph& g, int x, const char* op) {
    const Node& in = g.batched_input(x);
    if (in.shape.ndim != 3)
        fail(JNAS_ERR_SHAPE, op, ": input node ", x, " has shape ", in.shape.str(), " but ", op, " needs [C, H, W]");
    return in;
}

int build_pool(Graph& g, OpKind kind, int x, const PoolAttrs& a) {
    const char* op = op_name(kind);
    const Node& in = spatial_input(g, x, op);
    if (a.kernel < 1) fail(JNAS_ERR_INVALID_ARGUMENT, op, ": kernel = ", a.kernel, " < 1");
    if (a.stride < 1) fail(JNAS_ERR_INVALID_ARGUMENT, op, ": stride = ", a.stride, " < 1");
    // As PyTorch: more padding than half a window would allow windows lying wholly in the padding.
    if (a.padding < 0 || a.padding > a.kernel / 2)
        fail(JNAS_ERR_INVALID_ARGUMENT, op, ": padding = ", a.padding, " must be in [0, kernel/2 = ", a.kernel / 2, "]");
    int64_t h = window_output(in.shape[1], a.kernel, a.stride, a.padding, 1);
    int64_t w = window_output(in.shape[2], a.kernel, a.stride, a.padding, 1);
    if (h < 1 || w < 1)
        fail(JNAS_ERR_SHAPE, op, ": output size ", h, "x", w, " < 1 (input ", in.shape.str(), ", kernel ", a.kernel,
             ", stride ", a.stride, ", padding ", a.padding, ")");
    Node node{kind, "", {x}, Shape{in.shape[0], h, w}};
    node.attrs = a;
    return g.append(std::move(node));
}

}  // namespace

const OpDef kAvgPoolOp{avg_pool_forward, avg_pool_backward, nullptr, 0, nullptr, true, nullptr,
                      avg_pool_hessian_backward, nullptr, true};
const OpDef kMaxPoolOp{max_pool_forward, max_pool_backward, max_pool_aux, 0, nullptr, false, nullptr,
                      max_pool_hessian_backward};
const OpDef kGlobalAvgPoolOp{global_avg_pool_forward, global_avg_pool_backward, nullptr, 0, nullptr, true, nullptr,
                            global_avg_pool_hessian_backward};

// The argmax is saved per (sample, channel) for a batch of B, so the Jacobian walk runs the backward per seed.
const OpDef kGlobalMaxPoolOp{global_max_pool_forward, global_max_pool_backward, max_pool_aux, 0, nullptr, false,
                             nullptr, global_max_pool_hessian_backward};

int build_avg_pool(Graph& g, int x, const PoolAttrs& a) { return build_pool(g, OpKind::AvgPool, x, a); }
int build_max_pool(Graph& g, int x, const PoolAttrs& a) { return build_pool(g, OpKind::MaxPool, x, a); }

int build_global_avg_pool(Graph& g, int x) {
    const Node& in = spatial_input(g, x, "global_avg_pool");
    return g.append(Node{OpKind::GlobalAvgPool, "", {x}, Shape{in.shape[0]}});
}

int build_global_max_pool(Graph& g, int x) {
    const Node& in = spatial_input(g, x, "global_max_pool");
    return g.append(Node{OpKind::GlobalMaxPool, "", {x}, Shape{in.shape[0]}});
}

}  // namespace jnas
