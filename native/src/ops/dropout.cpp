// dropout.cpp — inverted dropout: while training, y = x ⊙ m with m = 1/(1 − p) where a Philox uniform draw is
// >= p, else 0 (a fresh mask per forward, see RandomKey); in eval mode m = 1, the identity. The mask m is kept in
// the node's aux for the backward (dx += dy ⊙ m) and the Hessian-diagonal pass (H_x += m²·H_y): the per-sample
// Jacobian walk runs this backward once per seed, since it reads a forward value.
#include "error.hpp"
#include "ops/builders.hpp"
#include "ops/op.hpp"

namespace jnas {
namespace {

float* mask(OpRun& run) { return run.state().aux.f32(); }

size_t dropout_aux_bytes(const Node& node, int batch) { return float_bytes(int64_t(batch) * node.shape.numel()); }

void dropout_forward(OpRun& run) {
    int64_t n = run.output_numel();
    float p = std::get<DropoutAttrs>(run.node.attrs).p;
    if (run.train)
        run.backend.fill_dropout_mask(mask(run), n, run.random.seed, run.random.stream(run.id), p, 1.0f / (1.0f - p));
    else
        run.backend.fill(mask(run), n, 1.0f);
    run.backend.multiply(n, run.input(0), mask(run), run.output());
}

void dropout_backward(OpRun& run) {
    if (float* dx = run.input_grad(0))
        run.backend.multiply_accumulate(run.output_numel(), run.output_grad(), mask(run), dx);
}

void dropout_hessian_backward(OpRun& run) {
    float* hx = run.input_hessian(0);
    if (hx == nullptr) return;
    int64_t n = run.output_numel();
    float* squares = run.scratch(n);
    run.backend.multiply(n, mask(run), mask(run), squares);
    run.backend.multiply_accumulate(n, run.output_hessian(), squares, hx);
}

}  // namespace

const OpDef kDropoutOp{dropout_forward, dropout_backward, dropout_aux_bytes, 0, nullptr, false, nullptr,
                       dropout_hessian_backward};

int build_dropout(Graph& g, int x, float p) {
    const Node& in = g.batched_input(x);
    if (!(p >= 0.0f && p < 1.0f)) fail(JNAS_ERR_INVALID_ARGUMENT, "dropout: p = ", p, " is outside [0, 1)");
    Node node{OpKind::Dropout, "", {x}, in.shape};
    node.attrs = DropoutAttrs{p};
    return g.append(std::move(node));
}

}  // namespace jnas
