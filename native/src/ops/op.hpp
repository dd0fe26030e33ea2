// op.hpp — what an op is to the executor: an OpDef of plain functions, called with an OpRun that gives access to
// the node's inputs, output, gradients, parameters and scratch. Forward kernels overwrite the output; backward
// functions ADD into input and parameter gradients (a nullptr gradient means "not wanted"); Hessian-diagonal
// functions likewise ADD into input and parameter Hessian diagonals.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "backend.hpp"
#include "graph.hpp"
#include "jacobian_rows.hpp"
#include "net_state.hpp"

namespace jnas {

// Where a forward's random draws come from (dropout masks): a node draws Philox stream
// 2⁶³ | step·2²⁴ | node id of seed, so every forward of a net gets fresh masks, the same (seed, step) the same ones,
// and none meets the streams the initialization draws from the same seed (parameter indices, below 2⁶³).
struct RandomKey {
    static constexpr uint64_t kStepLimit = uint64_t(1) << 39;  // steps from here on would reach bit 63
    uint64_t seed = 0, step = 0;
    uint64_t stream(int node) const { return (uint64_t(1) << 63) | (step << 24) | uint64_t(node); }
};

// A Jacobian walk's node gradients for one pass (ntk.cpp), read by OpRun in place of the nodes' own, so that passes
// on different lanes (Backend::side_by_side) do not share them.
struct WalkGradients {
    std::vector<float*> grad;  // per node: [S, B, ...], or nullptr when the walk keeps none
    const float* scale = nullptr;  // per node: the gradient is scale × the values at grad (1 but for gradient views)
};

class OpRun {
public:
    // scratch: the Hessian-diagonal pass's reusable temporary buffer (nullptr in other modes); loss_gradients:
    // in that pass, whether the node gradients are those of a backward on the same forward (loss_gradient()).
    OpRun(Backend& backend, const Graph& graph, int node, std::vector<NodeState>& nodes,
          std::vector<Parameter>& params, int batch, int groups, bool train, DeviceBuffer* scratch = nullptr,
          RandomKey random = {}, bool loss_gradients = false)
        : backend(backend), graph(graph), node(graph.node(node)), id(node), batch(batch), groups(groups),
          train(train), random(random), nodes_(nodes), params_(params), scratch_(scratch),
          loss_gradients_(loss_gradients) {}

    Backend& backend;
    const Graph& graph;
    const Node& node;
    const int id;
    const int batch;  // samples in the current forward
    // The batch's sample groups (Net::set_sample_groups): batch / groups consecutive samples each, which batch norm
    // normalizes apart as separate forwards would. 1 but for batched candidates.
    const int groups;
    const bool train; // batch-norm mode of the current forward
    const RandomKey random;  // the current forward's draws (read by forward functions only)

    const Node& input_node(int i) const { return graph.node(node.inputs[i]); }
    const Shape& input_shape(int i) const { return input_node(i).shape; }
    const float* input(int i) const { return nodes_[node.inputs[i]].value; }
    // nullptr when the input keeps no gradient or the last forward did not use it (a skipped mixed branch).
    float* input_grad(int i) const {
        const NodeState& self = nodes_[id];
        if (!self.live_inputs.empty() && !self.live_inputs[i]) return nullptr;
        return walk_ ? walk_->grad[size_t(node.inputs[i])] : nodes_[node.inputs[i]].grad;
    }
    float* output() const { return nodes_[id].value; }
    const float* output_grad() const { return walk_ ? walk_->grad[size_t(id)] : nodes_[id].grad; }
    // The output gradient is output_grad_scale() × output_grad(): 1 but for OpDef::reads_scaled_output_grad ops.
    float output_grad_scale() const { return walk_ ? walk_->scale[size_t(id)] : 1.0f; }
    // Gradients from a Jacobian walk's pass rather than the nodes (nullptr: the nodes' again).
    void use_gradients(const WalkGradients* walk) { walk_ = walk; }
    int64_t output_numel() const { return int64_t(batch) * node.shape.numel(); }
    NodeState& state() const { return nodes_[id]; }

    float* param(int i) const { return params_[node.first_param + i].data.f32(); }
    // nullptr when the parameter is frozen (not trainable).
    float* param_grad(int i) const {
        Parameter& p = params_[node.first_param + i];
        return p.trainable ? p.grad.f32() : nullptr;
    }

    // The Hessian-diagonal pass's counterparts of input_grad, output_grad and param_grad (same nullptr rules).
    float* input_hessian(int i) const {
        const NodeState& self = nodes_[id];
        if (!self.live_inputs.empty() && !self.live_inputs[i]) return nullptr;
        return nodes_[node.inputs[i]].hessian;
    }
    const float* output_hessian() const { return nodes_[id].hessian; }
    float* param_hessian(int i) const {
        Parameter& p = params_[node.first_param + i];
        return p.trainable ? p.hessian.f32() : nullptr;
    }
    // The Hessian pass's dL/d(output) for second-derivative terms (f''·dL/dy): the node gradient of the backward
    // run after the same forward; nullptr when none has run since it.
    const float* loss_gradient() const { return loss_gradients_ ? nodes_[id].grad : nullptr; }
    // At least `floats` floats of temporary memory, valid until the next scratch call (contents undefined).
    float* scratch(int64_t floats) const {
        if (scratch_->bytes() < float_bytes(floats)) {
            scratch_->reset();  // release before allocating: never hold both
            *scratch_ = DeviceBuffer(backend, float_bytes(floats));
        }
        return scratch_->f32();
    }

private:
    std::vector<NodeState>& nodes_;
    std::vector<Parameter>& params_;
    DeviceBuffer* scratch_;
    bool loss_gradients_;
    const WalkGradients* walk_ = nullptr;
};

struct OpDef {
    void (*forward)(OpRun&);   // nullptr: the value is provided from outside (inputs, parameters)
    void (*backward)(OpRun&);  // nullptr: no gradient flows to the inputs
    // Bytes of per-node scratch for a batch (nullptr: none).
    size_t (*aux_bytes)(const Node& node, int batch) = nullptr;
    // Ops that compute only some inputs (mixed edges skip branches, zero needs none): the first gate_inputs
    // inputs are computed, then select_inputs marks which inputs are needed at all. nullptr: every input.
    int gate_inputs = 0;
    void (*select_inputs)(OpRun& run, std::vector<uint8_t>& live) = nullptr;
    // Per-sample Jacobian walks (ntk.cpp) back-propagate S stacked cotangent batches: node gradients are
    // [S, B, ...]. An op whose backward treats samples independently and reads no forward value sets
    // stacked_backward, and its plain backward runs once over S·B samples. An op with parameters in J, or one
    // coupling the batch, gives jacobian_backward (its OpRun has batch B and the stacked gradients; parameter
    // gradients go to J's rows, see jacobian_rows.hpp). Any other op's plain backward runs once per seed.
    bool stacked_backward = false;
    void (*jacobian_backward)(OpRun& run, const JacobianRows& rows) = nullptr;
    // The diagonal Hessian pass (hessian.cpp): maps output_hessian() to input_hessian(i) and param_hessian(i) with
    // squared local derivatives, per sample, parameters summed over the batch; an activation adds its
    // f''·loss_gradient() term. Every op with a backward has one; it fails with JNAS_ERR_UNSUPPORTED where its rule
    // does not apply.
    void (*hessian_backward)(OpRun& run) = nullptr;
    // Gradient views. Where this op's backward gives input i exactly factor × its output gradient (an add: 1; a
    // mixed edge with shared weights: the branch's weight), returns true and the factor; nullptr: never. A
    // Jacobian walk then lets an input that has no other consumer use this op's output gradient as its own
    // gradient, with that factor as its scale, rather than write a scaled copy of it.
    bool (*passes_gradient)(const OpRun& run, int input, float* factor) = nullptr;
    // Whether the backward a Jacobian walk calls (jacobian_backward, else backward) reads its output gradient as
    // output_grad_scale() × output_grad(); views with a factor other than 1 are made only for such ops.
    bool reads_scaled_output_grad = false;
    // Ops whose inputs a forward computes for some samples only (a mixed edge with per-sample weights runs a branch
    // when any sample needs it): whether samples [first, first + count) use live input i. nullptr: all do. What one
    // sample group's own network runs follows from it (Net::nodes_used_by), e.g. for its activation patterns.
    bool (*samples_use_input)(const OpRun& run, int input, int first, int count) = nullptr;
};

const OpDef& op_def(OpKind kind);

// One OpDef per op, defined in the op's family file.
#define JNAS_OP_DECLARE(kind, name) extern const OpDef k##kind##Op;
JNAS_OP_LIST(JNAS_OP_DECLARE)
#undef JNAS_OP_DECLARE

}  // namespace jnas
