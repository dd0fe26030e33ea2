// activation.cpp — elementwise relu, relu6, hswish, sigmoid, swish and gelu (tanh approximation); the backward
// differentiates at the saved input.
#include "error.hpp"
#include "ops/builders.hpp"
#include "ops/op.hpp"

namespace jnas {
namespace {

jnas_activation kind(const OpRun& run) { return std::get<ActivationAttrs>(run.node.attrs).kind; }

const char* name(jnas_activation kind) {
    switch (kind) {
        case JNAS_ACT_RELU: return "relu";
        case JNAS_ACT_RELU6: return "relu6";
        case JNAS_ACT_HSWISH: return "hswish";
        case JNAS_ACT_SIGMOID: return "sigmoid";
        case JNAS_ACT_SWISH: return "swish";
        case JNAS_ACT_GELU: return "gelu";
    }
    return "an unknown activation";
}

void activation_forward(OpRun& run) {
    run.backend.activation_forward(kind(run), run.output_numel(), run.input(0), run.output());
}

void activation_backward(OpRun& run) {
    if (float* dx = run.input_grad(0))
        run.backend.activation_backward(kind(run), run.output_numel(), run.input(0), run.output_grad(), dx);
}

// A walk's seeds all differentiate at the same forward input: one call over the stacked gradients.
void activation_jacobian_backward(OpRun& run, const JacobianRows& rows) {
    if (float* dx = run.input_grad(0))
        run.backend.activation_backward_rows(kind(run), rows.seeds, run.output_numel(), run.input(0),
                                             run.output_grad(), dx);
}

// ReLU and ReLU6 have f'' = 0 wherever it exists; the others have f'' != 0 (hswish on (-3, 3), the smooth ones
// everywhere).
bool curved(jnas_activation kind) { return kind != JNAS_ACT_RELU && kind != JNAS_ACT_RELU6; }

// H_x += f'(x)²·H_y + f''(x)·dL/dy per element, exact for an elementwise map. dL/dy is the node gradient of the
// backward after the same forward, needed only where f'' != 0.
void activation_hessian_backward(OpRun& run) {
    float* hx = run.input_hessian(0);
    if (!hx) return;
    const float* gy = nullptr;
    if (curved(kind(run))) {
        gy = run.loss_gradient();
        if (!gy)
            fail(JNAS_ERR_STATE, "the Hessian-diagonal pass needs dL/dy at the ", name(kind(run)), " (node ", run.id,
                 ") for its f''·gradient term, and no backward has run since the last forward (call "
                 "jnas_net_backward with the loss gradient first)");
    }
    run.backend.activation_hessian_backward(kind(run), run.output_numel(), run.input(0), run.output_hessian(), gy,
                                            hx);
}

}  // namespace

const OpDef kActivationOp{activation_forward, activation_backward, nullptr, 0, nullptr, false,
                          activation_jacobian_backward, activation_hessian_backward};

int build_activation(Graph& g, int x, jnas_activation kind) {
    const Node& in = g.batched_input(x);
    if (int(kind) < JNAS_ACT_RELU || int(kind) > JNAS_ACT_GELU)
        fail(JNAS_ERR_INVALID_ARGUMENT, "kind = ", int(kind), " is not a jnas_activation (0..5)");
    Node node{OpKind::Activation, "", {x}, in.shape};
    node.attrs = ActivationAttrs{kind};
    return g.append(std::move(node));
}

}  // namespace jnas
