// mixed.cpp — the mixed edge: out = Σ_k w[k] · op_k. Inputs are [weights, op_0, ..., op_{n-1}].
// The weights are a parameter (n values shared by the batch) or a batched node (n values per sample, e.g. a
// generator's output). The forward reads them to the host first and neither computes nor differentiates a
// branch whose weight is <= threshold (for per-sample weights: a branch runs when any sample needs it, and each
// sample uses only its own branches above the threshold). dw[k] += Σ dy · op_k; dop_k += w[k] · dy.
#include <cmath>
#include <cstring>

#include "error.hpp"
#include "ops/builders.hpp"
#include "ops/op.hpp"

namespace jnas {
namespace {

int branch_count(const OpRun& run) { return int(run.node.inputs.size()) - 1; }
bool per_sample(const OpRun& run) { return run.input_node(0).batched; }
float threshold(const OpRun& run) { return std::get<MixedAttrs>(run.node.attrs).threshold; }

// Reads the weights as this forward sees them into state().host and marks the branches to compute.
void select_branches(OpRun& run, std::vector<uint8_t>& live) {
    int n = branch_count(run);
    int samples = per_sample(run) ? run.batch : 1;
    std::vector<float>& w = run.state().host;
    w.resize(size_t(samples) * n);
    run.backend.download(w.data(), run.input(0), float_bytes(int64_t(samples) * n));
    live.assign(live.size(), 0);
    live[0] = 1;
    for (int s = 0; s < samples; ++s)
        for (int k = 0; k < n; ++k)
            if (w[size_t(s) * n + k] > threshold(run)) live[k + 1] = 1;
}

bool same_bits(float a, float b) { return std::memcmp(&a, &b, sizeof a) == 0; }

// Calls f(k, value_offset, count, weight_offset) for every (branch, sample block) the forward uses: one call per
// live branch over the whole batch when the weights are shared; when per sample, one per branch and run of
// consecutive samples with the same weight above the threshold (batched candidates repeat a candidate's weights
// over its sample group), or with per_sample_blocks one per sample and branch, for what each sample owns (dw).
template <typename F>
void for_each_term(const OpRun& run, bool per_sample_blocks, F&& f) {
    int n = branch_count(run);
    int64_t sample_numel = run.node.shape.numel();
    const std::vector<float>& w = run.state().host;
    const std::vector<uint8_t>& live = run.state().live_inputs;
    for (int k = 0; k < n; ++k) {
        if (!live[k + 1]) continue;
        if (!per_sample(run)) {
            f(k, int64_t(0), run.output_numel(), int64_t(k));
            continue;
        }
        for (int s = 0; s < run.batch;) {
            float weight = w[size_t(s) * n + k];
            int end = s + 1;
            while (!per_sample_blocks && end < run.batch && same_bits(w[size_t(end) * n + k], weight)) ++end;
            if (weight > threshold(run)) f(k, s * sample_numel, (end - s) * sample_numel, int64_t(s) * n + k);
            s = end;
        }
    }
}

void mixed_forward(OpRun& run) {
    run.backend.fill(run.output(), run.output_numel(), 0.0f);
    const float* w = run.input(0);
    for_each_term(run, false, [&](int k, int64_t offset, int64_t count, int64_t wi) {
        run.backend.axpy_dev(count, w + wi, run.input(k + 1) + offset, run.output() + offset);
    });
}

void mixed_backward(OpRun& run) {
    const float* w = run.input(0);
    const float* dy = run.output_grad();
    for_each_term(run, false, [&](int k, int64_t offset, int64_t count, int64_t wi) {
        if (float* dop = run.input_grad(k + 1)) run.backend.axpy_dev(count, w + wi, dy + offset, dop + offset);
    });
    if (float* dw = run.input_grad(0))
        for_each_term(run, true, [&](int k, int64_t offset, int64_t count, int64_t wi) {
            run.backend.dot_accumulate(count, dy + offset, run.input(k + 1) + offset, dw + wi);
        });
}

// BayesNAS's switch rule for y = Σ_k w_k·z_k: H_z_k += w_k²·Hy and H_w_k += Σ z_k² ⊙ Hy over the elements (and
// the samples, for shared weights). The squared weights come from the host copy the forward read.
void mixed_hessian_backward(OpRun& run) {
    const std::vector<float>& w = run.state().host;
    float* hw = run.input_hessian(0);
    const float* hy = run.output_hessian();
    for_each_term(run, true, [&](int k, int64_t offset, int64_t count, int64_t wi) {
        if (float* hz = run.input_hessian(k + 1)) run.backend.axpy(count, w[wi] * w[wi], hy + offset, hz + offset);
        if (!hw) return;
        float* squares = run.scratch(count);
        run.backend.multiply(count, run.input(k + 1) + offset, run.input(k + 1) + offset, squares);
        run.backend.dot_accumulate(count, squares, hy + offset, hw + wi);
    });
}

// With shared weights, branch k's gradient is w[k]·dy (gradient views, OpDef::passes_gradient).
bool mixed_passes_gradient(const OpRun& run, int input, float* factor) {
    if (input == 0 || per_sample(run)) return false;
    *factor = run.state().host[size_t(input) - 1];
    return true;
}

// A branch serves the samples whose own weight for it is above the threshold (the forward ran it for all).
bool mixed_samples_use_input(const OpRun& run, int input, int first, int count) {
    if (input == 0 || !per_sample(run)) return true;
    int n = branch_count(run);
    const std::vector<float>& w = run.state().host;
    for (int s = first; s < first + count; ++s)
        if (w[size_t(s) * n + input - 1] > threshold(run)) return true;
    return false;
}

}  // namespace

const OpDef kMixedOp{mixed_forward, mixed_backward, nullptr, 1, select_branches, false, nullptr,
                     mixed_hessian_backward, mixed_passes_gradient, false, mixed_samples_use_input};

int build_mixed(Graph& g, const std::vector<int>& ops, int weights, float threshold) {
    if (ops.empty()) fail(JNAS_ERR_INVALID_ARGUMENT, "mixed needs n >= 1 ops");
    if (std::isnan(threshold)) fail(JNAS_ERR_INVALID_ARGUMENT, "mixed: threshold is NaN");
    const Shape& shape = g.batched_input(ops[0]).shape;
    for (size_t k = 1; k < ops.size(); ++k) {
        const Shape& s = g.batched_input(ops[k]).shape;
        if (s != shape)
            fail(JNAS_ERR_SHAPE, "mixed: branch ", k, " (node ", ops[k], ") has shape ", s.str(), " but branch 0 (node ",
                 ops[0], ") has ", shape.str());
    }
    const Node& w = g.existing(weights);
    if (w.shape.numel() != int64_t(ops.size()))
        fail(JNAS_ERR_SHAPE, "mixed: weights node ", weights, " holds ", w.shape.numel(), w.batched ? " values per sample" : " values",
             " but there are ", ops.size(), " ops");
    Node node{OpKind::Mixed, "", {weights}, shape};
    node.inputs.insert(node.inputs.end(), ops.begin(), ops.end());
    node.attrs = MixedAttrs{threshold};
    return g.append(std::move(node));
}

}  // namespace jnas
