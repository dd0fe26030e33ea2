// softmax.cpp — softmax over the channels (dim 0 per sample) at each position: [C] as one vector, [C, H, W] per
// pixel. The backward reads the forward's output, y ⊙ (dy − Σ_c y·dy).
#include "error.hpp"
#include "ops/builders.hpp"
#include "ops/op.hpp"

namespace jnas {
namespace {

struct Dims { int n, c, hw; };
Dims dims(const OpRun& run) {
    const Shape& shape = run.node.shape;
    return Dims{run.batch, int(shape[0]), int(shape.numel() / shape[0])};
}

void softmax_forward(OpRun& run) {
    Dims d = dims(run);
    run.backend.softmax_forward(d.n, d.c, d.hw, run.input(0), run.output());
}

void softmax_backward(OpRun& run) {
    Dims d = dims(run);
    if (float* dx = run.input_grad(0))
        run.backend.softmax_backward(d.n, d.c, d.hw, run.output(), run.output_grad(), dx);
}

// Softmax's second derivatives are not zero, and its f''·gradient terms are not part of this pass (as for the
// smooth activations).
void softmax_hessian_backward(OpRun& run) {
    fail(JNAS_ERR_UNSUPPORTED, "the Hessian-diagonal pass does not support softmax (node ", run.id,
         "): its second-derivative·gradient term is not implemented");
}

}  // namespace

const OpDef kSoftmaxOp{softmax_forward, softmax_backward, nullptr, 0, nullptr, false, nullptr,
                       softmax_hessian_backward};

int build_softmax(Graph& g, int x) {
    const Node& in = g.batched_input(x);
    return g.append(Node{OpKind::Softmax, "", {x}, in.shape});
}

}  // namespace jnas
