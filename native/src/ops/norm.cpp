// norm.cpp — batch norm over the channel dim (dim 0 per sample) of any per-sample shape [C, ...].
// Train mode, or eval mode without running statistics, normalizes with the batch statistics and differentiates
// through them (full batch coupling); eval mode with running statistics treats them as constants.
#include <cmath>

#include "error.hpp"
#include "ops/builders.hpp"
#include "ops/op.hpp"

namespace jnas {
namespace {

const BatchNormAttrs& attrs(const OpRun& run) { return std::get<BatchNormAttrs>(run.node.attrs); }
bool affine(const OpRun& run) { return attrs(run).flags & JNAS_BN_AFFINE; }
bool tracks_running(const OpRun& run) { return attrs(run).flags & JNAS_BN_TRACK_RUNNING; }
bool uses_batch_stats(const OpRun& run) { return run.train || !tracks_running(run); }

// One sample group's shape (OpRun::groups: the whole batch but for batched candidates).
BatchNormShape norm_shape(const OpRun& run) {
    int c = int(run.node.shape[0]);
    return BatchNormShape{run.batch / run.groups, c, int(run.node.shape.numel() / c), attrs(run).eps};
}

// Parameter slots: gamma, beta (when affine), then running mean, running var (when tracked).
float* running(const OpRun& run, int which) { return run.param((affine(run) ? 2 : 0) + which); }

// Sample groups are normalized apart, each as its own forward would: group g is samples [g·n, (g+1)·n) and keeps
// its statistics in the node's aux at 2c·g (mean, then 1/std). f(g, offset of the group's first value, its mean).
template <typename F>
void for_each_group(OpRun& run, const BatchNormShape& s, F&& f) {
    const int64_t group_values = int64_t(s.n) * s.c * s.hw;
    for (int g = 0; g < run.groups; ++g) f(g, g * group_values, run.state().aux.f32() + 2 * int64_t(s.c) * g);
}

void batch_norm_forward(OpRun& run) {
    BatchNormShape s = norm_shape(run);
    const float* gamma = affine(run) ? run.param(0) : nullptr;
    const float* beta = affine(run) ? run.param(1) : nullptr;
    if (uses_batch_stats(run) && int64_t(s.n) * s.hw < 2)
        fail(JNAS_ERR_SHAPE, "batch_norm '", run.node.name, "': batch statistics need more than one value per ",
             "channel (batch ", s.n, run.groups > 1 ? " per sample group" : "", " x ", s.hw, " values)");
    bool update = run.train && tracks_running(run);
    for_each_group(run, s, [&](int, int64_t offset, float* save_mean) {
        if (uses_batch_stats(run))
            run.backend.batch_norm_forward_train(s, run.input(0) + offset, gamma, beta, attrs(run).momentum,
                                                 update ? running(run, 0) : nullptr,
                                                 update ? running(run, 1) : nullptr, save_mean, save_mean + s.c,
                                                 run.output() + offset);
        else
            run.backend.batch_norm_forward_eval(s, run.input(0) + offset, gamma, beta, running(run, 0),
                                                running(run, 1), save_mean, save_mean + s.c, run.output() + offset);
    });
}

void batch_norm_backward(OpRun& run) {
    BatchNormShape s = norm_shape(run);
    float* dx = run.input_grad(0);
    for_each_group(run, s, [&](int, int64_t offset, const float* save_mean) {
        run.backend.batch_norm_backward(s, uses_batch_stats(run), run.input(0) + offset, run.output_grad() + offset,
                                        1.0f, affine(run) ? run.param(0) : nullptr, save_mean, save_mean + s.c,
                                        dx ? dx + offset : nullptr, affine(run) ? run.param_grad(0) : nullptr,
                                        affine(run) ? run.param_grad(1) : nullptr);
    });
}

// With coupled rows and batch statistics, each seed is a full-batch backward through the statistics, giving its
// dx slice and its row's dgamma/dbeta in one pass (one sample group: net_ntk refuses coupled rows over several).
// Otherwise the statistics are constants: dx per seed, and the parameter gradients per row of J from the row's
// samples alone, a call per sample group for its statistics.
void batch_norm_jacobian_backward(OpRun& run, const JacobianRows& rows) {
    BatchNormShape s = norm_shape(run);
    const float* gamma = affine(run) ? run.param(0) : nullptr;
    const float* x = run.input(0);
    const float* dy = run.output_grad();
    const float dy_scale = run.output_grad_scale();
    float* dx = run.input_grad(0);
    int first = run.node.first_param;
    bool coupled = rows.coupled && uses_batch_stats(run);
    if (coupled && run.groups > 1)
        fail(JNAS_ERR_INTERNAL, "batch_norm '", run.node.name, "': coupled Jacobian rows over sample groups");
    bool parameter_rows = affine(run) && (rows.row(first, 0) || rows.row(first + 1, 0));
    for_each_group(run, s, [&](int g, int64_t offset, const float* save_mean) {
        const int first_sample = g * s.n;
        float* dgamma = affine(run) ? rows.row(first, coupled ? 0 : first_sample) : nullptr;
        float* dbeta = affine(run) ? rows.row(first + 1, coupled ? 0 : first_sample) : nullptr;
        if (coupled) {
            if (dx || dgamma || dbeta)
                run.backend.batch_norm_backward_rows(s, rows.seeds, 0, true, x, dy, dy_scale, gamma, save_mean,
                                                     save_mean + s.c, dx, dgamma, dbeta, rows.width);
            return;
        }
        // Frozen rows have one seed: the stacked gradients are laid out as the forward batch.
        if (dx)
            run.backend.batch_norm_backward_rows(s, rows.seeds, 0, false, x + offset, dy + offset, dy_scale, gamma,
                                                 save_mean, save_mean + s.c, dx + offset, nullptr, nullptr,
                                                 rows.width);
        if (!parameter_rows) return;
        // Every span is {r·sample_step(), r·count, count} (jacobian_rows.hpp): one sample per row here.
        BatchNormShape part = s;
        part.n = rows.span(0).count;
        run.backend.batch_norm_backward_rows(part, s.n, rows.sample_step(), false, x + offset, dy + offset, dy_scale,
                                             gamma, save_mean, save_mean + s.c, nullptr, dgamma, dbeta, rows.width);
    });
}

// The statistics are constants here (as in frozen coupling, and as BayesNAS treats them): Hx += Hy·γ²·invstd²
// through the constant-statistics backward with squared scales, Hγ += Σ x̂²·Hy, Hβ += Σ Hy. x̂ is recomputed
// by the forward's own normalization without affine, from the statistics it used.
void batch_norm_hessian_backward(OpRun& run) {
    BatchNormShape s = norm_shape(run);
    const float* save_mean = run.state().aux.f32();
    const float* save_invstd = save_mean + s.c;
    const float* hy = run.output_hessian();
    float* hgamma = affine(run) ? run.param_hessian(0) : nullptr;
    float* hbeta = affine(run) ? run.param_hessian(1) : nullptr;
    int64_t numel = run.output_numel();
    // [x̂² ⊙ Hy (numel) | γ² (c) | invstd² (c) | recomputed statistics (2c)]
    float* normalized = run.scratch(numel + 4 * int64_t(s.c));
    float* gamma_sq = normalized + numel;
    float* invstd_sq = gamma_sq + s.c;
    float* stats = invstd_sq + s.c;
    if (float* hx = run.input_hessian(0)) {
        if (affine(run)) run.backend.multiply(s.c, run.param(0), run.param(0), gamma_sq);
        run.backend.multiply(s.c, save_invstd, save_invstd, invstd_sq);
        run.backend.batch_norm_backward(s, false, run.input(0), hy, 1.0f, affine(run) ? gamma_sq : nullptr, save_mean,
                                        invstd_sq, hx, nullptr, nullptr);
    }
    if (hbeta) run.backend.sum_channels(s.n, s.c, s.hw, hy, hbeta);
    if (!hgamma) return;
    if (uses_batch_stats(run))
        run.backend.batch_norm_forward_train(s, run.input(0), nullptr, nullptr, 0.0f, nullptr, nullptr, stats,
                                             stats + s.c, normalized);
    else
        run.backend.batch_norm_forward_eval(s, run.input(0), nullptr, nullptr, running(run, 0), running(run, 1),
                                            stats, stats + s.c, normalized);
    run.backend.multiply(numel, normalized, normalized, normalized);
    run.backend.multiply(numel, normalized, hy, normalized);
    run.backend.sum_channels(s.n, s.c, s.hw, normalized, hgamma);
}

// Mean and 1/std per channel for each sample group, room for as many groups as samples: a few floats per channel
// and sample against the values' channel × plane.
size_t batch_norm_aux(const Node& node, int batch) { return float_bytes(2 * node.shape[0] * int64_t(batch)); }

}  // namespace

const OpDef kBatchNormOp{batch_norm_forward, batch_norm_backward, batch_norm_aux, 0, nullptr, false,
                         batch_norm_jacobian_backward, batch_norm_hessian_backward, nullptr, true};

int build_batch_norm(Graph& g, const char* name, int x, const BatchNormAttrs& a) {
    std::string n = g.new_name(name);
    const Node& in = g.batched_input(x);
    if (a.flags & ~(JNAS_BN_AFFINE | JNAS_BN_TRACK_RUNNING))
        fail(JNAS_ERR_INVALID_ARGUMENT, "batch_norm '", n, "': flags = ", a.flags,
             " has bits other than JNAS_BN_AFFINE | JNAS_BN_TRACK_RUNNING");
    if (!(a.eps > 0.0f) || !std::isfinite(a.eps))
        fail(JNAS_ERR_INVALID_ARGUMENT, "batch_norm '", n, "': eps = ", a.eps, " must be > 0");
    if (!(a.momentum >= 0.0f && a.momentum <= 1.0f))
        fail(JNAS_ERR_INVALID_ARGUMENT, "batch_norm '", n, "': momentum = ", a.momentum, " is outside [0, 1]");
    int64_t c = in.shape[0];
    Node node{OpKind::BatchNorm, n, {x}, in.shape};
    node.attrs = a;
    if (a.flags & JNAS_BN_AFFINE) {
        node.params.push_back(ParamSpec{n + ".weight", JNAS_PARAM_BN_WEIGHT, Shape{c}, ParamInit::Ones});
        node.params.push_back(ParamSpec{n + ".bias", JNAS_PARAM_BN_BIAS, Shape{c}, ParamInit::Zeros});
    }
    if (a.flags & JNAS_BN_TRACK_RUNNING) {
        ParamSpec mean{n + ".running_mean", JNAS_PARAM_BN_RUNNING, Shape{c}, ParamInit::Zeros};
        ParamSpec var{n + ".running_var", JNAS_PARAM_BN_RUNNING, Shape{c}, ParamInit::Ones};
        mean.trainable = var.trainable = false;
        node.params.push_back(mean);
        node.params.push_back(var);
    }
    return g.append(std::move(node));
}

}  // namespace jnas
