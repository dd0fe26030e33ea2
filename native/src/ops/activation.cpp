// activation.cpp — elementwise relu, relu6 and hswish; the backward differentiates at the saved input.
#include "error.hpp"
#include "ops/builders.hpp"
#include "ops/op.hpp"

namespace jnas {
namespace {

jnas_activation kind(const OpRun& run) { return std::get<ActivationAttrs>(run.node.attrs).kind; }

void activation_forward(OpRun& run) {
    run.backend.activation_forward(kind(run), run.output_numel(), run.input(0), run.output());
}

void activation_backward(OpRun& run) {
    if (float* dx = run.input_grad(0))
        run.backend.activation_backward(kind(run), run.output_numel(), run.input(0), run.output_grad(), dx);
}

// ReLU and ReLU6 have f' in {0, 1}, so f'² = f': the gradient kernel masks the diagonal. hswish has f'' != 0 on
// (-3, 3), whose f''·dL/dy term this pass does not compute.
void activation_hessian_backward(OpRun& run) {
    if (kind(run) == JNAS_ACT_HSWISH)
        fail(JNAS_ERR_UNSUPPORTED, "the Hessian-diagonal pass does not support hswish (node ", run.id,
             "): its f''·gradient term is not implemented");
    if (float* hx = run.input_hessian(0))
        run.backend.activation_backward(kind(run), run.output_numel(), run.input(0), run.output_hessian(), hx);
}

}  // namespace

const OpDef kActivationOp{activation_forward, activation_backward, nullptr, 0, nullptr, false, nullptr,
                          activation_hessian_backward};

int build_activation(Graph& g, int x, jnas_activation kind) {
    const Node& in = g.batched_input(x);
    if (kind != JNAS_ACT_RELU && kind != JNAS_ACT_RELU6 && kind != JNAS_ACT_HSWISH)
        fail(JNAS_ERR_INVALID_ARGUMENT, "kind = ", int(kind), " is not a jnas_activation (0..2)");
    Node node{OpKind::Activation, "", {x}, in.shape};
    node.attrs = ActivationAttrs{kind};
    return g.append(std::move(node));
}

}  // namespace jnas
