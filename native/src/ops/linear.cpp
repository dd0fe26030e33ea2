// linear.cpp — y = flatten(x) · Wᵀ + b per sample, as one GEMM over the batch. Weights [out, in].
#include <algorithm>

#include "error.hpp"
#include "ops/builders.hpp"
#include "ops/op.hpp"

namespace jnas {
namespace {

struct Dims { int batch, in, out; };
Dims dims(const OpRun& run) {
    return Dims{run.batch, int(run.input_shape(0).numel()), int(run.node.shape[0])};
}
bool has_bias(const OpRun& run) { return std::get<LinearAttrs>(run.node.attrs).bias; }

void linear_forward(OpRun& run) {
    Dims d = dims(run);
    run.backend.gemm(false, true, d.batch, d.out, d.in, 1.0f, run.input(0), d.in, run.param(0), d.in, 0.0f,
                     run.output(), d.out);
    if (has_bias(run)) run.backend.add_row_bias(d.batch, d.out, run.param(1), run.output());
}

void linear_backward(OpRun& run) {
    Dims d = dims(run);
    const float* dy = run.output_grad();
    if (float* dx = run.input_grad(0))  // dx += dy · W
        run.backend.gemm(false, false, d.batch, d.in, d.out, 1.0f, dy, d.out, run.param(0), d.in, 1.0f, dx, d.in);
    if (float* dw = run.param_grad(0))  // dW += dyᵀ · x
        run.backend.gemm(true, false, d.out, d.in, d.batch, 1.0f, dy, d.out, run.input(0), d.in, 1.0f, dw, d.in);
    if (has_bias(run))
        if (float* db = run.param_grad(1)) run.backend.sum_rows(d.batch, d.out, dy, db);
}

// dx for all S·B stacked samples in one GEMM; weight and bias gradients per row of J.
void linear_jacobian_backward(OpRun& run, const JacobianRows& rows) {
    Dims d = dims(run);
    const float* dy = run.output_grad();
    if (float* dx = run.input_grad(0))
        run.backend.gemm(false, false, rows.seeds * d.batch, d.in, d.out, 1.0f, dy, d.out, run.param(0), d.in, 1.0f,
                         dx, d.in);
    int weight = run.node.first_param, bias = weight + 1;
    for (int r = 0; r < rows.rows(); ++r) {
        JacobianRows::Span span = rows.span(r);
        const float* dy_r = dy + span.cotangent * d.out;
        if (float* dw = rows.row(weight, r))
            run.backend.gemm(true, false, d.out, d.in, span.count, 1.0f, dy_r, d.out,
                             run.input(0) + int64_t(span.sample) * d.in, d.in, 1.0f, dw, d.in);
        if (has_bias(run))
            if (float* db = rows.row(bias, r)) run.backend.sum_rows(span.count, d.out, dy_r, db);
    }
}

// The backward's GEMMs with squared operands: Hx += Hy · W², HW += Hyᵀ · x², Hb += Σ_rows Hy.
void linear_hessian_backward(OpRun& run) {
    Dims d = dims(run);
    const float* hy = run.output_hessian();
    float* hx = run.input_hessian(0);
    float* hw = run.param_hessian(0);
    float* squares = run.scratch(hx || hw ? std::max(int64_t(d.out) * d.in, int64_t(d.batch) * d.in) : 0);
    if (hx) {
        run.backend.multiply(int64_t(d.out) * d.in, run.param(0), run.param(0), squares);
        run.backend.gemm(false, false, d.batch, d.in, d.out, 1.0f, hy, d.out, squares, d.in, 1.0f, hx, d.in);
    }
    if (hw) {
        run.backend.multiply(int64_t(d.batch) * d.in, run.input(0), run.input(0), squares);
        run.backend.gemm(true, false, d.out, d.in, d.batch, 1.0f, hy, d.out, squares, d.in, 1.0f, hw, d.in);
    }
    if (has_bias(run))
        if (float* hb = run.param_hessian(1)) run.backend.sum_rows(d.batch, d.out, hy, hb);
}

}  // namespace

const OpDef kLinearOp{linear_forward, linear_backward, nullptr, 0, nullptr, false, linear_jacobian_backward,
                      linear_hessian_backward};

int build_linear(Graph& g, const char* name, int x, const LinearAttrs& a) {
    std::string n = g.new_name(name);
    const Node& in = g.batched_input(x);
    if (a.out_features < 1)
        fail(JNAS_ERR_INVALID_ARGUMENT, "linear '", n, "': out_features = ", a.out_features, " < 1");
    int64_t fan_in = in.shape.numel();
    if (fan_in * a.out_features > kMaxPerSampleNumel)
        fail(JNAS_ERR_UNSUPPORTED, "linear '", n, "': weight [", a.out_features, ", ", fan_in, "] is too large");
    Node node{OpKind::Linear, n, {x}, Shape{a.out_features}};
    node.attrs = a;
    node.params.push_back(ParamSpec{n + ".weight", JNAS_PARAM_WEIGHT, Shape{a.out_features, fan_in},
                                    ParamInit::Weight, fan_in, a.out_features});
    if (a.bias)
        node.params.push_back(ParamSpec{n + ".bias", JNAS_PARAM_BIAS, Shape{a.out_features}, ParamInit::Bias,
                                        fan_in, a.out_features});
    return g.append(std::move(node));
}

}  // namespace jnas
