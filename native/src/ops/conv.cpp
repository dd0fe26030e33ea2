// conv.cpp — conv2d: y = conv(x, w) (+ bias per channel). Weights [c_out, c_in/groups, kh, kw].
#include <algorithm>

#include "error.hpp"
#include "ops/builders.hpp"
#include "ops/op.hpp"
#include "ops/window.hpp"

namespace jnas {
namespace {

Conv2dShape conv_shape(const OpRun& run) {
    const auto& a = std::get<Conv2dAttrs>(run.node.attrs);
    const Shape& x = run.input_shape(0);
    const Shape& y = run.node.shape;
    return Conv2dShape{run.batch, int(x[0]), int(x[1]), int(x[2]), int(y[0]), int(y[1]), int(y[2]),
                       a.kernel_h, a.kernel_w, a.stride, a.padding, a.dilation, a.groups};
}

bool has_bias(const OpRun& run) { return std::get<Conv2dAttrs>(run.node.attrs).bias; }

void conv2d_forward(OpRun& run) {
    Conv2dShape s = conv_shape(run);
    run.backend.conv2d_forward(s, run.input(0), run.param(0), run.output());
    if (has_bias(run)) run.backend.add_channel_bias(s.n, s.c_out, s.h_out * s.w_out, run.param(1), run.output());
}

void conv2d_backward(OpRun& run) {
    Conv2dShape s = conv_shape(run);
    if (float* dx = run.input_grad(0)) run.backend.conv2d_backward_data(s, run.output_grad(), run.param(0), dx);
    if (float* dw = run.param_grad(0)) run.backend.conv2d_backward_weight(s, run.input(0), run.output_grad(), dw);
    if (has_bias(run))
        if (float* db = run.param_grad(1))
            run.backend.sum_channels(s.n, s.c_out, s.h_out * s.w_out, run.output_grad(), db);
}

// Data gradients of all S·B stacked samples in one call (the weights are shared by every seed); the weight
// gradients of every row of J in one call too (the backend may batch them); bias gradients per row.
void conv2d_jacobian_backward(OpRun& run, const JacobianRows& rows) {
    Conv2dShape s = conv_shape(run);
    const float* dy = run.output_grad();
    if (float* dx = run.input_grad(0)) {
        Conv2dShape stacked = s;
        stacked.n = rows.seeds * run.batch;
        run.backend.conv2d_backward_data(stacked, dy, run.param(0), dx);
    }
    int weight = run.node.first_param, bias = weight + 1;
    Conv2dShape part = s;
    part.n = rows.span(0).count;
    if (float* dw = rows.row(weight, 0))
        run.backend.conv2d_backward_weight_rows(part, rows.rows(), rows.sample_step(), run.input(0), dy, dw,
                                                rows.width);
    if (!has_bias(run)) return;
    int64_t y_numel = run.node.shape.numel();
    for (int r = 0; r < rows.rows(); ++r)
        if (float* db = rows.row(bias, r))
            run.backend.sum_channels(part.n, s.c_out, s.h_out * s.w_out, dy + rows.span(r).cotangent * y_numel, db);
}

// The backward's kernels with squared operands: Hx += backward_data(Hy, W²), HW += backward_weight(x², Hy),
// Hb += Σ Hy per channel.
void conv2d_hessian_backward(OpRun& run) {
    Conv2dShape s = conv_shape(run);
    const float* hy = run.output_hessian();
    float* hx = run.input_hessian(0);
    float* hw = run.param_hessian(0);
    int64_t w_numel = int64_t(s.c_out) * (s.c_in / s.groups) * s.kh * s.kw;
    int64_t x_numel = int64_t(s.n) * s.c_in * s.h * s.w;
    float* squares = run.scratch(hx || hw ? std::max(w_numel, x_numel) : 0);
    if (hx) {
        run.backend.multiply(w_numel, run.param(0), run.param(0), squares);
        run.backend.conv2d_backward_data(s, hy, squares, hx);
    }
    if (hw) {
        run.backend.multiply(x_numel, run.input(0), run.input(0), squares);
        run.backend.conv2d_backward_weight(s, squares, hy, hw);
    }
    if (has_bias(run))
        if (float* hb = run.param_hessian(1)) run.backend.sum_channels(s.n, s.c_out, s.h_out * s.w_out, hy, hb);
}

}  // namespace

const OpDef kConv2dOp{conv2d_forward, conv2d_backward, nullptr, 0, nullptr, false, conv2d_jacobian_backward,
                      conv2d_hessian_backward};

int build_conv2d(Graph& g, const char* name, int x, const Conv2dAttrs& a) {
    std::string n = g.new_name(name);
    const Node& in = g.batched_input(x);
    if (in.shape.ndim != 3)
        fail(JNAS_ERR_SHAPE, "conv2d '", n, "': input node ", x, " has shape ", in.shape.str(),
             " but conv2d needs [C, H, W]");
    if (a.out_channels < 1) fail(JNAS_ERR_INVALID_ARGUMENT, "conv2d '", n, "': out_channels = ", a.out_channels, " < 1");
    if (a.kernel_h < 1 || a.kernel_w < 1)
        fail(JNAS_ERR_INVALID_ARGUMENT, "conv2d '", n, "': kernel ", a.kernel_h, "x", a.kernel_w, " must be >= 1");
    if (a.stride < 1) fail(JNAS_ERR_INVALID_ARGUMENT, "conv2d '", n, "': stride = ", a.stride, " < 1");
    if (a.padding < 0) fail(JNAS_ERR_INVALID_ARGUMENT, "conv2d '", n, "': padding = ", a.padding, " < 0");
    if (a.dilation < 1) fail(JNAS_ERR_INVALID_ARGUMENT, "conv2d '", n, "': dilation = ", a.dilation, " < 1");
    if (a.groups < 1) fail(JNAS_ERR_INVALID_ARGUMENT, "conv2d '", n, "': groups = ", a.groups, " < 1");
    int64_t c_in = in.shape[0];
    if (c_in % a.groups != 0 || a.out_channels % a.groups != 0)
        fail(JNAS_ERR_SHAPE, "conv2d '", n, "': in_channels ", c_in, " and out_channels ", a.out_channels,
             " must both be divisible by groups = ", a.groups);
    int64_t h = window_output(in.shape[1], a.kernel_h, a.stride, a.padding, a.dilation);
    int64_t w = window_output(in.shape[2], a.kernel_w, a.stride, a.padding, a.dilation);
    if (h < 1 || w < 1)
        fail(JNAS_ERR_SHAPE, "conv2d '", n, "': output size ", h, "x", w, " < 1 (input ", in.shape.str(), ", kernel ",
             a.kernel_h, "x", a.kernel_w, ", stride ", a.stride, ", padding ", a.padding, ", dilation ", a.dilation, ")");
    Node node{OpKind::Conv2d, n, {x}, Shape{a.out_channels, h, w}};
    if (node.shape.numel() > kMaxPerSampleNumel) fail(JNAS_ERR_UNSUPPORTED, "conv2d '", n, "': output too large");
    node.attrs = a;
    int64_t fan_in = c_in / a.groups * a.kernel_h * a.kernel_w;
    int64_t fan_out = int64_t(a.out_channels) * a.kernel_h * a.kernel_w;  // PyTorch's rule: groups not divided out
    node.params.push_back(ParamSpec{n + ".weight", JNAS_PARAM_WEIGHT,
                                    Shape{a.out_channels, c_in / a.groups, a.kernel_h, a.kernel_w},
                                    ParamInit::Weight, fan_in, fan_out});
    if (a.bias)
        node.params.push_back(ParamSpec{n + ".bias", JNAS_PARAM_BIAS, Shape{a.out_channels}, ParamInit::Bias,
                                        fan_in, fan_out});
    return g.append(std::move(node));
}

}  // namespace jnas
