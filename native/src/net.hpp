// net.hpp — the executor: a graph compiled on a context, with parameters and per-node activations/gradients.
//
// Forward is demand-driven from the output node: a node runs once the inputs its op needs have run, so a mixed
// edge reads its weights before deciding which branches to compute, and branches nobody needs are never run.
// The order in which nodes ran is recorded (a topological order of the live subgraph); backward walks it in
// reverse, calling each op's backward. Other modes (per-sample Jacobians, activation patterns, Hessian
// diagonals, batched candidates) are further walks over the same schedule and per-node state.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "context.hpp"
#include "graph.hpp"
#include "net_state.hpp"
#include "ops/op.hpp"
#include "tensor.hpp"

namespace jnas {

class Net {
public:
    Net(jnas_ctx* ctx, const Graph& graph, int output, jnas_init init, uint64_t seed);

    jnas_ctx* ctx() const { return ctx_; }
    void init(jnas_init init, uint64_t seed);
    void set_train(bool train) { train_ = train; }
    // Where the next train-mode forward draws its dropout masks; each train-mode forward then advances step.
    // init() sets (its seed, 0).
    void set_random(uint64_t seed, uint64_t step) { random_ = {seed, step}; }
    // Batched candidates: following forwards split the bound batch into `groups` groups of consecutive samples that
    // batch norm normalizes apart, so one forward is that many independent forwards of the groups, in order (running
    // statistics updated once per group, also for a branch only other groups keep). With per-sample mixing weights,
    // each group can be another masked variant of a supernet. 1 (the default): one batch.
    void set_sample_groups(int groups);
    int sample_groups() const { return sample_groups_; }

    void bind_input(int node, const jnas_tensor* input);
    void forward(jnas_tensor* out);
    // The forward over the bound inputs without copying the output out: executor modes read the node state.
    void forward_bound();
    // What the last forward left, for modes that only read it (activation patterns): the graph, the nodes it
    // ran (in run order), a node's value [batch, shape] in backend memory, and its batch size.
    const Graph& graph() const { return graph_; }
    const std::vector<int>& schedule() const { return schedule_; }
    const float* value(int node) const { return nodes_[node].value; }
    int batch() const { return batch_; }
    // Per node, whether the network of samples [first, first + count) alone would have run it in the last forward:
    // the nodes the output reaches through inputs those samples use (OpDef::samples_use_input). For one sample
    // group of batched candidates, the part of the forward that is its own candidate's.
    std::vector<uint8_t> nodes_used_by(int first, int count);
    void backward(const jnas_tensor* grad_output);
    void zero_grad();
    void input_grad(int node, jnas_tensor* out) const;
    // The diagonal Hessian of a loss w.r.t. every trainable parameter over the last forward (hessian.cpp), seeded
    // with the loss's diagonal d²L/d(output)²; activations with f'' != 0 read dL/dy from the backward after that
    // forward. Values and gradients are left as they were.
    void hessian_diag(const jnas_tensor* seed);
    // The last hessian_diag's diagonal for parameter `index`, shaped like it, into host memory.
    void read_hessian(int index, float* dst, int64_t count) const;
    Shape output_shape(int64_t batch) const { return batched(batch, graph_.node(output_).shape); }

    int param_count() const { return int(params_.size()); }
    // Checked index: "parameter 7 does not exist (net has 5 parameters)".
    const Parameter& param(int index) const;
    int find_param(const std::string& name) const;  // -1 when absent
    void set_trainable(int index, bool trainable);
    void write_param(int index, const float* src, int64_t count);

private:
    friend class JacobianWalk;  // the per-sample Jacobian / NTK walk (ntk.cpp) reads the forward, keeps J here

    int bound_batch() const;
    void prepare_batch(int batch);
    double batch_bytes(int batch, bool with_grads) const;
    void require_memory(int batch, const char* what, double bytes) const;
    void allocate_grads();
    void allocate_hessians();
    void connect_param_nodes();
    void run_forward();
    void run_backward();
    OpRun make_run(int node);

    jnas_ctx* ctx_;
    Backend& backend_;
    Graph graph_;
    int output_;
    std::vector<Parameter> params_;
    std::vector<NodeState> nodes_;
    std::vector<const jnas_tensor*> bound_;  // per node; set for bound input nodes
    int batch_ = 0;                          // batch size of the activations (of the last forward, once it ran)
    int capacity_ = 0;                       // samples the node buffers are allocated for (prepare_batch)
    bool train_ = true;
    RandomKey random_;                       // the next train-mode forward's draws
    bool forward_train_ = true;              // the mode of the last forward, which its backward must match
    int sample_groups_ = 1;                  // the next forward's sample groups
    int forward_groups_ = 1;                 // the last forward's, which its backward must match
    bool forward_ready_ = false;             // a forward ran since the last backward
    bool input_grads_ready_ = false;         // a backward ran at the current batch size
    bool grads_allocated_ = false;           // the nodes' gradient buffers exist for the current batch size
    bool values_ready_ = false;              // the node values are those of a completed forward
    bool node_grads_ready_ = false;          // the node gradients are those of a completed backward on that forward
    bool hessians_allocated_ = false;        // the nodes' Hessian buffers exist for the current batch size
    bool hessian_ready_ = false;             // the parameters' Hessian buffers hold a completed pass
    std::vector<int> schedule_;              // nodes in the order the last forward ran them
    // The Jacobian walk's stacked node gradients (up to ntk.cpp's kStackedGradientBytes), kept from one walk to
    // the next: a fresh block of that size per walk costs more in page faults and zero-filling than the walk's
    // own arithmetic on small nets.
    DeviceBuffer jacobian_stack_;
    DeviceBuffer jacobian_;  // J [B, width] of the last net_ntk, kept for the same reason
    DeviceBuffer hessian_scratch_;  // the Hessian pass's temporaries (squared weights, inputs), kept likewise
};

// Fills a parameter from its spec: `stream` (its index in the net) keys the Philox stream (params.cpp).
void initialize_param(Backend& backend, Parameter& param, uint64_t stream, jnas_init init, uint64_t seed);

}  // namespace jnas

struct jnas_net {
    jnas::Net net;
};
