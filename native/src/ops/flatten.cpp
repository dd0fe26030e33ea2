// flatten.cpp — [C, H, W] (any per-sample shape) -> [C·H·W], the same values in the same order. A copy rather
// than a view: the executor gives every node its own value and gradient buffers (the Jacobian and Hessian walks
// re-point them per node), and a copy of one activation costs little next to the ops around it.
#include "ops/builders.hpp"
#include "ops/op.hpp"

namespace jnas {
namespace {

void flatten_forward(OpRun& run) { run.backend.copy(run.output(), run.input(0), float_bytes(run.output_numel())); }

void flatten_backward(OpRun& run) {
    if (float* dx = run.input_grad(0)) run.backend.axpy(run.output_numel(), 1.0f, run.output_grad(), dx);
}

// Derivative 1: the diagonal passes unchanged.
void flatten_hessian_backward(OpRun& run) {
    if (float* hx = run.input_hessian(0)) run.backend.axpy(run.output_numel(), 1.0f, run.output_hessian(), hx);
}

}  // namespace

const OpDef kFlattenOp{flatten_forward, flatten_backward, nullptr, 0, nullptr, true, nullptr,
                       flatten_hessian_backward};

int build_flatten(Graph& g, int x) {
    const Node& in = g.batched_input(x);
    return g.append(Node{OpKind::Flatten, "", {x}, Shape{in.shape.numel()}});
}

}  // namespace jnas
