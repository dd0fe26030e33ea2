// mul.cpp — the gate op: y = a ⊙ b. Inputs are [a, b]; b is either batched with a's per-sample shape (an
// elementwise product per sample) or an unbatched node of C values, C = a's dim 0, that scales a's channels for
// every sample (a per-filter or per-neuron switch: BayesNAS compression's gate, like mixed's shared weights).
#include "error.hpp"
#include "ops/builders.hpp"
#include "ops/op.hpp"

namespace jnas {
namespace {

bool gated(const OpRun& run) { return !run.input_node(1).batched; }

// a viewed as [batch, channels, rest], the layout of the backend's channel kernels.
struct ChannelView { int n, c, hw; };

ChannelView channels(const OpRun& run) {
    const Shape& shape = run.input_shape(0);
    int c = int(shape[0]);
    return {run.batch, c, int(shape.numel() / c)};
}

void mul_forward(OpRun& run) {
    if (gated(run)) {
        ChannelView v = channels(run);
        run.backend.scale_channels(v.n, v.c, v.hw, run.input(0), run.input(1), run.output(), false);
    } else {
        run.backend.multiply(run.output_numel(), run.input(0), run.input(1), run.output());
    }
}

// da += dy ⊙ b; db += dy ⊙ a, summed over the batch and each channel's positions for a gate.
void mul_backward(OpRun& run) {
    const float* dy = run.output_grad();
    if (gated(run)) {
        ChannelView v = channels(run);
        if (float* da = run.input_grad(0)) run.backend.scale_channels(v.n, v.c, v.hw, dy, run.input(1), da, true);
        if (float* db = run.input_grad(1)) run.backend.channel_dot_accumulate(v.n, v.c, v.hw, dy, run.input(0), db);
        return;
    }
    int64_t n = run.output_numel();
    if (float* da = run.input_grad(0)) run.backend.multiply_accumulate(n, dy, run.input(1), da);
    if (float* db = run.input_grad(1)) run.backend.multiply_accumulate(n, dy, run.input(0), db);
}

// The diagonal rule for a gate (BayesNAS's switch rule): H_a += b²·H_y per channel, H_b[c] += Σ_{batch, positions}
// a²·H_y. Two batched operands would each need the other's square per sample and, for the Gauss-Newton diagonal
// of a product of two computed values, terms this pass does not carry: refused rather than approximated.
void mul_hessian_backward(OpRun& run) {
    if (!gated(run))
        fail(JNAS_ERR_UNSUPPORTED, "mul (node ", run.id, "): the Hessian-diagonal pass supports b as an unbatched "
             "per-channel gate only, but node ", run.node.inputs[1], " is batched");
    ChannelView v = channels(run);
    const float* hy = run.output_hessian();
    if (float* ha = run.input_hessian(0)) {
        float* squares = run.scratch(v.c);
        run.backend.multiply(v.c, run.input(1), run.input(1), squares);
        run.backend.scale_channels(v.n, v.c, v.hw, hy, squares, ha, true);
    }
    if (float* hb = run.input_hessian(1)) {
        float* squares = run.scratch(run.output_numel());
        run.backend.multiply(run.output_numel(), run.input(0), run.input(0), squares);
        run.backend.channel_dot_accumulate(v.n, v.c, v.hw, squares, hy, hb);
    }
}

}  // namespace

const OpDef kMulOp{mul_forward, mul_backward, nullptr, 0, nullptr, false, nullptr, mul_hessian_backward};

int build_mul(Graph& g, int a, int b) {
    const Node& x = g.batched_input(a);
    const Node& y = g.existing(b);
    if (y.batched) {
        if (y.shape != x.shape)
            fail(JNAS_ERR_SHAPE, "mul: node ", b, " has shape ", y.shape.str(), " but node ", a, " has ",
                 x.shape.str(), " (a batched b needs a's shape)");
    } else if (y.shape.numel() != x.shape[0]) {
        fail(JNAS_ERR_SHAPE, "mul: gate node ", b, " holds ", y.shape.numel(), " values but node ", a, " has ",
             x.shape[0], " channels (shape ", x.shape.str(), ")");
    }
    return g.append(Node{OpKind::Mul, "", {a, b}, x.shape});
}

}  // namespace jnas
