// concat.cpp — concatenation along channels (dim 0 per sample); each input is one block of channels.
#include "error.hpp"
#include "ops/builders.hpp"
#include "ops/op.hpp"

namespace jnas {
namespace {

// The block of channels input i occupies in the output.
ChannelBlock block(const OpRun& run, int i) {
    int offset = 0;
    for (int j = 0; j < i; ++j) offset += int(run.input_shape(j)[0]);
    const Shape& x = run.input_shape(i);
    int channels = int(x[0]);
    int hw = int(x.numel() / channels);
    return ChannelBlock{run.batch, hw, channels, 0, int(run.node.shape[0]), offset, channels};
}

// Moves input i's block between the input layout (src side of `b`) and the output layout (dst side).
ChannelBlock reversed(const ChannelBlock& b) {
    return ChannelBlock{b.n, b.hw, b.dst_channels, b.dst_offset, b.src_channels, b.src_offset, b.count};
}

void concat_forward(OpRun& run) {
    for (int i = 0; i < int(run.node.inputs.size()); ++i)
        run.backend.copy_channels(block(run, i), run.input(i), run.output(), false);
}

void concat_backward(OpRun& run) {
    for (int i = 0; i < int(run.node.inputs.size()); ++i)
        if (float* dx = run.input_grad(i))
            run.backend.copy_channels(reversed(block(run, i)), run.output_grad(), dx, true);
}

// Each input's block of the diagonal is its own (derivative 1), split as the gradient is.
void concat_hessian_backward(OpRun& run) {
    for (int i = 0; i < int(run.node.inputs.size()); ++i)
        if (float* hx = run.input_hessian(i))
            run.backend.copy_channels(reversed(block(run, i)), run.output_hessian(), hx, true);
}

}  // namespace

const OpDef kConcatOp{concat_forward, concat_backward, nullptr, 0, nullptr, true, nullptr, concat_hessian_backward};

int build_concat(Graph& g, const std::vector<int>& nodes) {
    if (nodes.empty()) fail(JNAS_ERR_INVALID_ARGUMENT, "concat needs n >= 1 nodes");
    const Shape& first = g.batched_input(nodes[0]).shape;
    Shape shape = first;
    for (size_t i = 1; i < nodes.size(); ++i) {
        const Shape& s = g.batched_input(nodes[i]).shape;
        bool fits = s.ndim == first.ndim;
        for (int d = 1; fits && d < s.ndim; ++d) fits = s[d] == first[d];
        if (!fits)
            fail(JNAS_ERR_SHAPE, "concat: node ", nodes[i], " has shape ", s.str(), " but node ", nodes[0], " has ",
                 first.str(), "; all dims but the channels must agree");
        shape.dims[0] += s[0];
    }
    if (shape.numel() > kMaxPerSampleNumel) fail(JNAS_ERR_UNSUPPORTED, "concat: output too large");
    return g.append(Node{OpKind::Concat, "", nodes, shape});
}

}  // namespace jnas
