// sample_norm.cpp — layer norm and group norm: normalization with statistics of each sample alone (no batch
// coupling, the same in train and eval), then an affine γ, β per channel. Layer norm's statistics are per
// position over the channels (Flax's LayerNorm on the feature axis of NHWC); group norm's per group of channels
// over all positions.
#include <cmath>

#include "error.hpp"
#include "ops/builders.hpp"
#include "ops/op.hpp"

namespace jnas {
namespace {

bool is_layer_norm(const OpRun& run) { return run.node.kind == OpKind::LayerNorm; }

SampleNormShape norm_shape(const OpRun& run, int batch) {
    const Shape& shape = run.node.shape;
    float eps = is_layer_norm(run) ? std::get<LayerNormAttrs>(run.node.attrs).eps
                                   : std::get<GroupNormAttrs>(run.node.attrs).eps;
    return SampleNormShape{batch, int(shape[0]), int(shape.numel() / shape[0]), eps};
}

int groups(const OpRun& run) { return std::get<GroupNormAttrs>(run.node.attrs).groups; }

// Statistics per sample: layer norm one per position, group norm one per group.
int64_t stats_per_sample(const Node& node) {
    return node.kind == OpKind::LayerNorm ? node.shape.numel() / node.shape[0]
                                          : std::get<GroupNormAttrs>(node.attrs).groups;
}

size_t sample_norm_aux(const Node& node, int batch) { return float_bytes(2 * int64_t(batch) * stats_per_sample(node)); }

// The saved statistics: mean [batch, stats], then 1/std [batch, stats].
struct Stats { const float* mean; const float* invstd; };
Stats saved_stats(const OpRun& run) {
    const float* mean = run.state().aux.f32();
    return Stats{mean, mean + int64_t(run.batch) * stats_per_sample(run.node)};
}

void forward(OpRun& run, const SampleNormShape& s, const float* x, const float* gamma, const float* beta, float* mean,
             float* invstd, float* y) {
    if (is_layer_norm(run))
        run.backend.layer_norm_forward(s, x, gamma, beta, mean, invstd, y);
    else
        run.backend.group_norm_forward(s, groups(run), x, gamma, beta, mean, invstd, y);
}

void backward(OpRun& run, const SampleNormShape& s, bool differentiate_stats, const float* x, const float* dy,
              const float* gamma, const float* mean, const float* invstd, float* dx, float* dgamma, float* dbeta) {
    if (is_layer_norm(run))
        run.backend.layer_norm_backward(s, differentiate_stats, x, dy, gamma, mean, invstd, dx, dgamma, dbeta);
    else
        run.backend.group_norm_backward(s, groups(run), differentiate_stats, x, dy, gamma, mean, invstd, dx, dgamma,
                                        dbeta);
}

void sample_norm_forward(OpRun& run) {
    float* mean = run.state().aux.f32();
    forward(run, norm_shape(run, run.batch), run.input(0), run.param(0), run.param(1), mean,
            mean + int64_t(run.batch) * stats_per_sample(run.node), run.output());
}

void sample_norm_backward(OpRun& run) {
    Stats stats = saved_stats(run);
    backward(run, norm_shape(run, run.batch), true, run.input(0), run.output_grad(), run.param(0), stats.mean,
             stats.invstd, run.input_grad(0), run.param_grad(0), run.param_grad(1));
}

// Samples are independent: dx per seed over the whole batch, and each row of J's γ and β gradients from its own
// span of samples (their inputs, cotangents and statistics), in coupled and frozen mode alike.
void sample_norm_jacobian_backward(OpRun& run, const JacobianRows& rows) {
    Stats stats = saved_stats(run);
    const int64_t numel = run.node.shape.numel(), per_sample = stats_per_sample(run.node);
    const float* x = run.input(0);
    const float* dy = run.output_grad();
    if (float* dx = run.input_grad(0))
        for (int seed = 0; seed < rows.seeds; ++seed) {
            int64_t offset = int64_t(seed) * run.batch * numel;
            backward(run, norm_shape(run, run.batch), true, x, dy + offset, run.param(0), stats.mean, stats.invstd,
                     dx + offset, nullptr, nullptr);
        }
    const int first = run.node.first_param;
    for (int r = 0; r < rows.rows(); ++r) {
        float* dgamma = rows.row(first, r);
        float* dbeta = rows.row(first + 1, r);
        if (!dgamma && !dbeta) continue;
        JacobianRows::Span span = rows.span(r);
        backward(run, norm_shape(run, span.count), true, x + span.sample * numel, dy + span.cotangent * numel,
                 run.param(0), stats.mean + span.sample * per_sample, stats.invstd + span.sample * per_sample, nullptr,
                 dgamma, dbeta);
    }
}

// As batch norm's rule, with the statistics as constants: Hx += Hy·γ²·invstd², Hγ += Σ x̂²·Hy, Hβ += Σ Hy, x̂
// recomputed by the forward without affine.
void sample_norm_hessian_backward(OpRun& run) {
    const SampleNormShape s = norm_shape(run, run.batch);
    const Stats stats = saved_stats(run);
    const float* hy = run.output_hessian();
    float* hgamma = run.param_hessian(0);
    float* hbeta = run.param_hessian(1);
    const int64_t numel = run.output_numel(), count = int64_t(run.batch) * stats_per_sample(run.node);
    // [x̂² ⊙ Hy (numel) | γ² (c) | invstd² (count) | recomputed statistics (2·count)]
    float* normalized = run.scratch(numel + s.c + 3 * count);
    float* gamma_sq = normalized + numel;
    float* invstd_sq = gamma_sq + s.c;
    float* recomputed = invstd_sq + count;
    if (float* hx = run.input_hessian(0)) {
        run.backend.multiply(s.c, run.param(0), run.param(0), gamma_sq);
        run.backend.multiply(count, stats.invstd, stats.invstd, invstd_sq);
        backward(run, s, false, run.input(0), hy, gamma_sq, stats.mean, invstd_sq, hx, nullptr, nullptr);
    }
    if (hbeta) run.backend.sum_channels(s.n, s.c, s.hw, hy, hbeta);
    if (!hgamma) return;
    forward(run, s, run.input(0), nullptr, nullptr, recomputed, recomputed + count, normalized);
    run.backend.multiply(numel, normalized, normalized, normalized);
    run.backend.multiply(numel, normalized, hy, normalized);
    run.backend.sum_channels(s.n, s.c, s.hw, normalized, hgamma);
}

// γ ("<name>.weight", ones) and β ("<name>.bias", zeros) per channel, with batch norm's roles.
Node affine_node(OpKind kind, const std::string& name, int x, const Shape& shape) {
    Node node{kind, name, {x}, shape};
    node.params.push_back(ParamSpec{name + ".weight", JNAS_PARAM_BN_WEIGHT, Shape{shape[0]}, ParamInit::Ones});
    node.params.push_back(ParamSpec{name + ".bias", JNAS_PARAM_BN_BIAS, Shape{shape[0]}, ParamInit::Zeros});
    return node;
}

void check_eps(const char* op, const std::string& name, float eps) {
    if (!(eps > 0.0f) || !std::isfinite(eps))
        fail(JNAS_ERR_INVALID_ARGUMENT, op, " '", name, "': eps = ", eps, " must be > 0");
}

}  // namespace

const OpDef kLayerNormOp{sample_norm_forward, sample_norm_backward, sample_norm_aux, 0, nullptr, false,
                         sample_norm_jacobian_backward, sample_norm_hessian_backward};
const OpDef kGroupNormOp{sample_norm_forward, sample_norm_backward, sample_norm_aux, 0, nullptr, false,
                         sample_norm_jacobian_backward, sample_norm_hessian_backward};

int build_layer_norm(Graph& g, const char* name, int x, const LayerNormAttrs& a) {
    std::string n = g.new_name(name);
    const Node& in = g.batched_input(x);
    check_eps("layer_norm", n, a.eps);
    Node node = affine_node(OpKind::LayerNorm, n, x, in.shape);
    node.attrs = a;
    return g.append(std::move(node));
}

int build_group_norm(Graph& g, const char* name, int x, const GroupNormAttrs& a) {
    std::string n = g.new_name(name);
    const Node& in = g.batched_input(x);
    check_eps("group_norm", n, a.eps);
    int64_t c = in.shape[0];
    if (a.groups < 1) fail(JNAS_ERR_INVALID_ARGUMENT, "group_norm '", n, "': groups = ", a.groups, " < 1");
    if (c % a.groups != 0)
        fail(JNAS_ERR_SHAPE, "group_norm '", n, "': groups = ", a.groups, " does not divide the ", c,
             " channels of node ", x, " (shape ", in.shape.str(), ")");
    Node node = affine_node(OpKind::GroupNorm, n, x, in.shape);
    node.attrs = a;
    return g.append(std::move(node));
}

}  // namespace jnas
