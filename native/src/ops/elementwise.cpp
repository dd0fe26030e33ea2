// elementwise.cpp — add (a + b), scale (factor · x) and zero (NB201/DARTS "none": zeros shaped like a strided x).
#include <cmath>

#include "error.hpp"
#include "ops/builders.hpp"
#include "ops/op.hpp"

namespace jnas {
namespace {

void add_forward(OpRun& run) {
    int64_t n = run.output_numel();
    run.backend.copy(run.output(), run.input(0), float_bytes(n));
    run.backend.axpy(n, 1.0f, run.input(1), run.output());
}

void add_backward(OpRun& run) {
    int64_t n = run.output_numel();
    for (int i = 0; i < 2; ++i)
        if (float* dx = run.input_grad(i)) run.backend.axpy(n, 1.0f, run.output_grad(), dx);
}

float factor(const OpRun& run) { return std::get<ScaleAttrs>(run.node.attrs).factor; }

void scale_forward(OpRun& run) { run.backend.scale(run.output_numel(), factor(run), run.input(0), run.output()); }

void scale_backward(OpRun& run) {
    if (float* dx = run.input_grad(0)) run.backend.axpy(run.output_numel(), factor(run), run.output_grad(), dx);
}

void zero_forward(OpRun& run) { run.backend.fill(run.output(), run.output_numel(), 0.0f); }

// The zero op reads only its input's shape, so the input need not be computed for it.
void zero_needs_no_input(OpRun&, std::vector<uint8_t>& live) { live.assign(live.size(), 0); }

// Both derivatives are 1: the diagonal passes to each input unchanged.
void add_hessian_backward(OpRun& run) {
    int64_t n = run.output_numel();
    for (int i = 0; i < 2; ++i)
        if (float* hx = run.input_hessian(i)) run.backend.axpy(n, 1.0f, run.output_hessian(), hx);
}

void scale_hessian_backward(OpRun& run) {
    float f = factor(run);
    if (float* hx = run.input_hessian(0)) run.backend.axpy(run.output_numel(), f * f, run.output_hessian(), hx);
}

// dx_i = dy for both inputs, dx = factor·dy: gradient views (OpDef::passes_gradient).
bool add_passes_gradient(const OpRun&, int, float* passed) {
    *passed = 1.0f;
    return true;
}

bool scale_passes_gradient(const OpRun& run, int, float* passed) {
    *passed = factor(run);
    return true;
}

}  // namespace

const OpDef kAddOp{add_forward, add_backward, nullptr, 0, nullptr, true, nullptr, add_hessian_backward,
                   add_passes_gradient};
const OpDef kScaleOp{scale_forward, scale_backward, nullptr, 0, nullptr, true, nullptr, scale_hessian_backward,
                     scale_passes_gradient};
const OpDef kZeroOp{zero_forward, nullptr, nullptr, 0, zero_needs_no_input};

int build_add(Graph& g, int a, int b) {
    const Node& x = g.batched_input(a);
    const Node& y = g.batched_input(b);
    if (x.shape != y.shape)
        fail(JNAS_ERR_SHAPE, "add: node ", a, " has shape ", x.shape.str(), " but node ", b, " has ", y.shape.str());
    return g.append(Node{OpKind::Add, "", {a, b}, x.shape});
}

int build_scale(Graph& g, int x, float factor) {
    const Node& in = g.batched_input(x);
    if (!std::isfinite(factor)) fail(JNAS_ERR_INVALID_ARGUMENT, "scale: factor = ", factor, " is not finite");
    Node node{OpKind::Scale, "", {x}, in.shape};
    node.attrs = ScaleAttrs{factor};
    return g.append(std::move(node));
}

int build_zero(Graph& g, int x, int stride) {
    const Node& in = g.batched_input(x);
    if (stride < 1) fail(JNAS_ERR_INVALID_ARGUMENT, "zero: stride = ", stride, " < 1");
    Shape shape = in.shape;
    if (stride > 1) {
        if (in.shape.ndim != 3)
            fail(JNAS_ERR_SHAPE, "zero: stride ", stride, " needs a [C, H, W] input but node ", x, " has shape ",
                 in.shape.str());
        shape = Shape{in.shape[0], (in.shape[1] + stride - 1) / stride, (in.shape[2] + stride - 1) / stride};
    }
    Node node{OpKind::Zero, "", {x}, shape};
    node.attrs = ZeroAttrs{stride};
    return g.append(std::move(node));
}

}  // namespace jnas
