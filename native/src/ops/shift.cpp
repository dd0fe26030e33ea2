// shift.cpp — a whole-pixel shift of every [H, W] plane: out[c][h][w] = x[c][h + dy][w + dx], zero outside.
// DARTS's FactorizedReduce reads its second path one pixel down and right (pad bottom/right, crop top/left); the
// backward moves the gradient back by (-dy, -dx).
#include <algorithm>

#include "error.hpp"
#include "ops/builders.hpp"
#include "ops/op.hpp"

namespace jnas {
namespace {

ShiftShape shift_shape(const OpRun& run, bool backward) {
    const auto& a = std::get<ShiftAttrs>(run.node.attrs);
    const Shape& x = run.node.shape;
    return ShiftShape{run.batch, int(x[0]), int(x[1]), int(x[2]), backward ? -a.dy : a.dy, backward ? -a.dx : a.dx};
}

void shift_forward(OpRun& run) { run.backend.shift(shift_shape(run, false), run.input(0), run.output(), false); }

void shift_backward(OpRun& run) {
    if (float* dx = run.input_grad(0)) run.backend.shift(shift_shape(run, true), run.output_grad(), dx, true);
}

// Derivative 1 where the pixel came from inside the plane: the diagonal is shifted back like the gradient.
void shift_hessian_backward(OpRun& run) {
    if (float* hx = run.input_hessian(0)) run.backend.shift(shift_shape(run, true), run.output_hessian(), hx, true);
}

}  // namespace

const OpDef kShiftOp{shift_forward, shift_backward, nullptr, 0, nullptr, true, nullptr, shift_hessian_backward};

int build_shift(Graph& g, int x, int dy, int dx) {
    const Node& in = g.batched_input(x);
    if (in.shape.ndim != 3)
        fail(JNAS_ERR_SHAPE, "shift: input node ", x, " has shape ", in.shape.str(), " but shift needs [C, H, W]");
    // Any shift by the plane's size or more gives zeros; clamping keeps the negated backward shift in range.
    int h = int(in.shape[1]), w = int(in.shape[2]);
    Node node{OpKind::Shift, "", {x}, in.shape};
    node.attrs = ShiftAttrs{std::clamp(dy, -h, h), std::clamp(dx, -w, w)};
    return g.append(std::move(node));
}

}  // namespace jnas
