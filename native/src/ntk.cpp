// ntk.cpp — the per-sample Jacobian walk and Θ = J Jᵀ.
//
// After one forward, the walk back-propagates S stacked cotangent batches at once through the recorded
// schedule (jacobian_rows.hpp describes the layout). Coupled (exact) mode: seed s is one-hot on sample s, so
// every row costs a full-batch backward, but ops sharing weights process all S·B stacked samples in one
// kernel call; only batch-norm statistics need a call per seed. Frozen mode: the statistics are constants, the
// samples independent, so one all-ones seed gives every sample its own gradient at every node, and the ops
// split their parameter gradients per sample. Each op's part is its OpDef's stacked_backward /
// jacobian_backward (op.hpp); this file only schedules, seeds and keeps the buffers.
//
// Gradient views: where an op passes its output gradient on to an input unchanged but for a factor (an add, a
// mixed edge's branches) and is that input's only consumer, the input's gradient is the op's own stacked
// gradient with the factor as its scale (OpDef::passes_gradient), not a scaled copy. On a TE-NAS supernet that
// removes most of the copies of a pass: every branch output of every mixed edge, and the edge sums.
//
// Memory: a gradient is kept only from the first backward that writes it to the last that reads it, and gradients
// whose lives do not overlap share the stack (plan_stack), so a pass holds the walk's frontier and stays in cache.
// Coupled mode cuts its seeds into passes that fit a cache-sized budget, and the passes run side by side on the
// backend's lanes (one per CPU thread), each with its own gradients (WalkGradients) and part of the stack.
#include "ntk.hpp"

#include <algorithm>
#include <climits>
#include <string>

#include "error.hpp"

namespace jnas {
namespace {

// Stacked node gradients kept at once in coupled mode; more seeds are done in further passes. Each pass repeats
// the per-op work that does not depend on the seeds (im2col of the forward inputs, per-call setup) and the weight
// GEMMs get seeds × channels rows, so fewer, larger passes pay until the stack outgrows the caches. Since the stack
// holds only the walk's frontier (plan_stack: 5.9 MB per seed on TE-NAS's NB201 supernet at batch 72), a pass of
// 32 MB (5 seeds) keeps it in the last-level cache: the supernet's exact NTK took 1.33-1.46 s on one thread
// against 1.37-1.55 s at 16 MB, 1.38-1.49 s at 64 MB and 1.66-2.2 s at 512 MB (all 72 seeds in one pass), and two
// side by side, as a search's workers run, 25% less time than before the stack was planned. Each lane has a pass
// of its own. A GPU has no such cache to fit and pays per launch: there a quarter of its memory, up to 8 GB.
int64_t stacked_gradient_bytes(const Backend& backend) {
    constexpr int64_t cpu_bytes = int64_t(32) << 20, gpu_max_bytes = int64_t(8) << 30;
    if (backend.kind() == JNAS_BACKEND_CPU) return cpu_bytes;
    return std::clamp<int64_t>(int64_t(backend.memory_bytes() / 4), cpu_bytes, gpu_max_bytes);
}

bool has_jacobian_rows(const Net& net, int index) {
    const Parameter& p = net.param(index);
    return p.spec.role == JNAS_PARAM_WEIGHT || p.spec.role == JNAS_PARAM_BIAS ||
           p.spec.role == JNAS_PARAM_BN_WEIGHT || p.spec.role == JNAS_PARAM_BN_BIAS;
}

}  // namespace

// Friend of Net: it reads the forward's state and keeps J and its stack in the net's buffers.
class JacobianWalk {
public:
    explicit JacobianWalk(Net& net) : net_(net), graph_(net.graph_), backend_(net.backend_) {}

    int bound_batch() const { return net_.bound_batch(); }

    // J's storage, all zero, of `floats` floats: the net's buffer from earlier walks when it is large enough.
    float* zeroed_jacobian(int64_t floats) {
        size_t bytes = float_bytes(floats);
        if (net_.jacobian_.bytes() < bytes) {
            net_.jacobian_.reset();  // release before allocating: never hold both
            net_.jacobian_ = DeviceBuffer(backend_, bytes);
        } else {
            backend_.fill(net_.jacobian_.f32(), floats, 0.0f);  // the walk accumulates into J
        }
        return net_.jacobian_.f32();
    }

    // Fills J [B, width] (zero on entry) from the last forward; columns[p] is parameter p's first column or -1.
    void fill(bool coupled, const std::vector<int64_t>& columns, int64_t width, float* j);

private:
    // One pass's gradients, in its lane's part of the stack: passes on different lanes run side by side.
    struct Pass {
        std::vector<float*> stacked;  // per node: its [S, B, ...] gradient, nullptr when not needed
        std::vector<uint8_t> zeroed;  // per node: its stacked gradient was zeroed in this pass
        WalkGradients seen;           // what the ops read: stacked, less views while their consumer runs
    };

    void mark_reaching(const std::vector<int64_t>& columns);
    void plan_views();
    int64_t plan_stack();
    void run_pass(Pass& pass, float* stack, const JacobianRows& rows) const;
    void backward_pass(Pass& pass, const JacobianRows& rows) const;
    void point_grads(Pass& pass, int id, int seed) const;  // id and its inputs at seed slice `seed` (-1: all)
    void zero_stacked(Pass& pass, int id, int seeds) const;

    Net& net_;
    const Graph& graph_;
    Backend& backend_;
    std::vector<uint8_t> reaches_;  // per node: a parameter in J is the node's or upstream of it
    std::vector<int> viewed_;       // per node: the consumer whose gradient its gradient is (a view), or -1
    std::vector<float> view_scale_; // per node: its gradient's scale (1 but for views)
    std::vector<int64_t> slot_;     // per node: where its stacked gradient starts, in floats per stacked sample
};

void JacobianWalk::mark_reaching(const std::vector<int64_t>& columns) {
    reaches_.assign(graph_.size(), 0);
    for (int id : net_.schedule_) {
        const Node& node = graph_.node(id);
        const NodeState& state = net_.nodes_[id];
        bool reaches = false;
        for (size_t p = 0; p < node.params.size(); ++p) reaches = reaches || columns[node.first_param + p] >= 0;
        for (size_t i = 0; i < node.inputs.size(); ++i)
            reaches = reaches || (state.live_inputs[i] && reaches_[node.inputs[i]]);
        reaches_[id] = reaches && node.batched;
    }
}

// A reaching node becomes a view of its consumer when that consumer is its only one (only reaching consumers
// write gradients in a walk) and passes its gradient on; consumers are decided before their inputs, so views
// chain (a branch of a mixed edge summed by an add) and their scales multiply. A scale other than 1 needs an op
// that reads it.
void JacobianWalk::plan_views() {
    std::vector<int> consumers(graph_.size(), 0);
    for (int id : net_.schedule_) {
        if (!reaches_[id]) continue;
        const Node& node = graph_.node(id);
        for (size_t i = 0; i < node.inputs.size(); ++i)
            if (net_.nodes_[id].live_inputs[i] && reaches_[node.inputs[i]]) ++consumers[node.inputs[i]];
    }
    viewed_.assign(graph_.size(), -1);
    view_scale_.assign(graph_.size(), 1.0f);
    for (auto it = net_.schedule_.rbegin(); it != net_.schedule_.rend(); ++it) {
        int id = *it;
        const Node& node = graph_.node(id);
        const OpDef& op = op_def(node.kind);
        if (!reaches_[id] || !op.passes_gradient) continue;
        OpRun run(backend_, graph_, id, net_.nodes_, net_.params_, net_.batch_, net_.forward_groups_,
                  net_.forward_train_);
        for (size_t i = 0; i < node.inputs.size(); ++i) {
            int input = node.inputs[i];
            float factor = 1.0f;
            if (!net_.nodes_[id].live_inputs[i] || !reaches_[input] || consumers[input] != 1 ||
                graph_.node(input).shape.numel() != node.shape.numel() || !op.passes_gradient(run, int(i), &factor))
                continue;
            float scale = factor * view_scale_[id];
            if (scale != 1.0f && !op_def(graph_.node(input).kind).reads_scaled_output_grad) continue;
            viewed_[input] = id;
            view_scale_[input] = scale;
        }
    }
}

// Places the stacked gradients of the nodes that are not views (slot_) and returns the stack's size, both in
// floats per stacked sample. A gradient lives from the first backward that touches it (a consumer's, which zeroes
// and accumulates into it; the seeding for the output) to the last that reads it (its own, or a view's of it), and
// gradients whose lives do not overlap share memory, placed first-fit in the order they start. So a pass keeps
// only the walk's frontier (a few nodes of a supernet's hundreds) rather than every node's gradient, and what an
// op writes lands in memory its predecessors just freed, still in cache.
int64_t JacobianWalk::plan_stack() {
    const int nodes = graph_.size();
    auto owner = [&](int id) {  // whose memory a gradient is: the end of its chain of views
        while (viewed_[id] >= 0) id = viewed_[id];
        return id;
    };
    std::vector<int> first(nodes, INT_MAX), last(nodes, -1);  // steps of the walk, 0 = the output's backward
    auto touch = [&](int id, int step) {
        int o = owner(id);
        first[o] = std::min(first[o], step);
        last[o] = std::max(last[o], step);
    };
    touch(net_.output_, -1);  // seeded before the walk
    int step = 0;
    for (auto it = net_.schedule_.rbegin(); it != net_.schedule_.rend(); ++it, ++step) {
        if (!reaches_[*it]) continue;
        touch(*it, step);
        for (int input : graph_.node(*it).inputs)
            if (reaches_[input]) touch(input, step);
    }
    std::vector<int> order;  // owners by first use
    for (int id = 0; id < nodes; ++id)
        if (reaches_[id] && viewed_[id] < 0) order.push_back(id);
    std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return first[a] < first[b]; });

    slot_.assign(nodes, -1);
    std::vector<int> live;  // placed gradients still in use, by slot
    int64_t size = 0;
    for (int id : order) {
        // Free what was last used before this one's first use (the same step may read one and write the other).
        live.erase(std::remove_if(live.begin(), live.end(), [&](int other) { return last[other] < first[id]; }),
                   live.end());
        const int64_t numel = graph_.node(id).shape.numel();
        int64_t at = 0;
        for (int other : live) {  // the lowest gap that fits
            if (slot_[other] - at >= numel) break;
            at = std::max(at, slot_[other] + graph_.node(other).shape.numel());
        }
        slot_[id] = at;
        live.insert(std::upper_bound(live.begin(), live.end(), id, [&](int a, int b) { return slot_[a] < slot_[b]; }),
                    id);
        size = std::max(size, at + numel);
    }
    return size;
}

// Coupled mode cuts the seeds into passes of equal work that fit the stack budget; the passes are fixed by the graph
// and batch alone, so J's bits do not depend on how many lanes run them (Backend::side_by_side: on the CPU, one
// pass per thread, each lane with its own part of the stack).
void JacobianWalk::fill(bool coupled, const std::vector<int64_t>& columns, int64_t width, float* j) {
    const int batch = net_.batch_;
    mark_reaching(columns);
    if (!reaches_[net_.output_]) return;  // no parameter in J was used: J stays zero
    plan_views();
    const int64_t seed_floats = int64_t(batch) * plan_stack();  // one seed's share of the stack
    const int64_t seed_bytes = int64_t(float_bytes(seed_floats));
    int max_seeds = coupled ? int(std::clamp<int64_t>(stacked_gradient_bytes(backend_) / seed_bytes, 1, batch)) : 1;
    // More than one pass: an even number, which shares out evenly over 2 or 4 lanes yet depends on the graph and
    // batch alone (11 passes of 7 seeds took a 2-lane walk 6 rounds of 7, 12 passes of 6 take it 6 rounds of 6).
    const int fitting = coupled ? (batch + max_seeds - 1) / max_seeds : 1;
    const int passes = fitting <= 1 ? 1 : std::min(batch, fitting + fitting % 2);
    max_seeds = coupled ? (batch + passes - 1) / passes : 1;  // the same work in every pass
    const int lanes = backend_.lanes(passes);
    const int64_t lane_floats = max_seeds * seed_floats;
    size_t stack_bytes = float_bytes(lanes * lane_floats);
    if (net_.jacobian_stack_.bytes() < stack_bytes) {
        net_.jacobian_stack_.reset();  // release before allocating: never hold both
        net_.jacobian_stack_ = DeviceBuffer::scratch(backend_, stack_bytes);  // zeroed node by node (zero_stacked)
    }
    std::vector<Pass> lane_passes(static_cast<size_t>(lanes));
    backend_.side_by_side(passes, [&](int pass, int lane) {
        int first_row = coupled ? batch * pass / passes : 0;
        int seeds = coupled ? batch * (pass + 1) / passes - first_row : 1;
        run_pass(lane_passes[size_t(lane)], net_.jacobian_stack_.f32() + lane * lane_floats,
                 JacobianRows{seeds, batch, coupled, j, width, first_row, &columns});
    });
}

// Seeds one pass's output gradient and walks back: coupled, seed s is one-hot on sample first_row + s; frozen, one
// all-ones seed.
void JacobianWalk::run_pass(Pass& pass, float* stack, const JacobianRows& rows) const {
    const int batch = net_.batch_;
    pass.stacked.assign(graph_.size(), nullptr);
    pass.zeroed.assign(graph_.size(), 0);
    for (int id = 0; id < graph_.size(); ++id)
        if (reaches_[id] && viewed_[id] < 0) pass.stacked[id] = stack + int64_t(rows.seeds) * batch * slot_[id];
    for (auto it = net_.schedule_.rbegin(); it != net_.schedule_.rend(); ++it) {  // consumers first
        if (viewed_[*it] < 0) continue;
        pass.stacked[*it] = pass.stacked[viewed_[*it]];
        pass.zeroed[*it] = 1;  // written by whatever writes its consumer's gradient
    }
    pass.seen.grad = pass.stacked;
    pass.seen.scale = view_scale_.data();  // the walk's: the same for every pass
    const int64_t out_numel = graph_.node(net_.output_).shape.numel();
    float* seed_grad = pass.stacked[net_.output_];
    if (rows.coupled) {
        zero_stacked(pass, net_.output_, rows.seeds);
        for (int s = 0; s < rows.seeds; ++s)
            backend_.fill(seed_grad + (int64_t(s) * batch + rows.first_row + s) * out_numel, out_numel, 1.0f);
    } else {
        backend_.fill(seed_grad, batch * out_numel, 1.0f);
        pass.zeroed[net_.output_] = 1;  // every value was just written
    }
    backward_pass(pass, rows);
}

// A view of id stays nullptr while id's backward runs (see backward_pass).
void JacobianWalk::point_grads(Pass& pass, int id, int seed) const {
    auto point = [&](int node) {
        if (pass.stacked[node] == nullptr || (node != id && viewed_[node] == id)) return;
        int64_t offset = seed < 0 ? 0 : int64_t(seed) * net_.batch_ * graph_.node(node).shape.numel();
        pass.seen.grad[node] = pass.stacked[node] + offset;
    };
    point(id);
    for (int input : graph_.node(id).inputs) point(input);
}

// A stacked gradient is zeroed just before the first op that accumulates into it or reads it, rather than the
// whole stack up front: the zeros are then still in cache when the op adds to them.
void JacobianWalk::zero_stacked(Pass& pass, int id, int seeds) const {
    if (pass.stacked[id] == nullptr || pass.zeroed[id]) return;
    backend_.fill(pass.stacked[id], int64_t(seeds) * net_.batch_ * graph_.node(id).shape.numel(), 0.0f);
    pass.zeroed[id] = 1;
}

void JacobianWalk::backward_pass(Pass& pass, const JacobianRows& rows) const {
    const int batch = net_.batch_;
    auto run_at = [&](int id, int samples) {
        OpRun run(backend_, graph_, id, net_.nodes_, net_.params_, samples, net_.forward_groups_,
                  net_.forward_train_);
        run.use_gradients(&pass.seen);
        return run;
    };
    for (auto it = net_.schedule_.rbegin(); it != net_.schedule_.rend(); ++it) {
        int id = *it;
        if (!reaches_[id]) continue;
        zero_stacked(pass, id, rows.seeds);  // no consumer wrote it (a dead branch): its gradient is zero
        for (int input : graph_.node(id).inputs) {
            zero_stacked(pass, input, rows.seeds);
            if (viewed_[input] == id) pass.seen.grad[input] = nullptr;  // its gradient is id's: not written
        }
        const OpDef& op = op_def(graph_.node(id).kind);
        if (op.jacobian_backward) {
            OpRun run = run_at(id, batch);
            op.jacobian_backward(run, rows);
        } else if (op.backward && op.stacked_backward) {
            OpRun run = run_at(id, rows.seeds * batch);
            op.backward(run);
        } else if (op.backward) {
            for (int seed = 0; seed < rows.seeds; ++seed) {
                point_grads(pass, id, seed);
                OpRun run = run_at(id, batch);
                op.backward(run);
            }
            point_grads(pass, id, -1);
        }
        for (int input : graph_.node(id).inputs)
            if (viewed_[input] == id) pass.seen.grad[input] = pass.stacked[input];
    }
}

std::vector<int> ntk_default_params(const Net& net) {
    std::vector<int> params;
    for (int i = 0; i < net.param_count(); ++i) {
        jnas_param_role role = net.param(i).spec.role;
        if (role == JNAS_PARAM_WEIGHT || role == JNAS_PARAM_BN_WEIGHT) params.push_back(i);
    }
    return params;
}

void net_ntk(Net& net, jnas_bn_coupling coupling, const std::vector<int>& params,
             const std::vector<jnas_tensor*>& thetas) {
    if (coupling != JNAS_BN_COUPLING_EXACT && coupling != JNAS_BN_COUPLING_FROZEN)
        fail(JNAS_ERR_INVALID_ARGUMENT, "coupling = ", int(coupling), " is not a jnas_bn_coupling (0 or 1)");
    const int groups = net.sample_groups();
    if (int(thetas.size()) != groups)
        fail(JNAS_ERR_INVALID_ARGUMENT, thetas.size(), " Θ matrices for a net of ", groups, " sample groups",
             groups > 1 ? " (jnas_net_ntk_groups takes one per group)" : "");
    // Exact coupling differentiates each group's statistics: every seed's backward would run over all the groups'
    // samples to fill one group's row, the cost of the groups measured one by one times the group count.
    if (coupling == JNAS_BN_COUPLING_EXACT && groups > 1)
        fail(JNAS_ERR_UNSUPPORTED, "exact batch-norm coupling over ", groups, " sample groups: use frozen coupling, "
             "or one group (jnas_net_set_sample_groups(net, 1)) per candidate");
    for (size_t g = 0; g < thetas.size(); ++g) require_same_context(net.ctx(), thetas[g], "theta");
    std::vector<int64_t> columns(net.param_count(), -1);
    int64_t width = 0;
    for (size_t k = 0; k < params.size(); ++k) {
        const Parameter& p = net.param(params[k]);
        if (!has_jacobian_rows(net, params[k]))
            fail(JNAS_ERR_INVALID_ARGUMENT, "params[", k, "] = ", params[k], " is '", p.spec.name,
                 "', not a weight, bias, gamma or beta of a conv, linear or normalization node");
        if (columns[params[k]] >= 0)
            fail(JNAS_ERR_INVALID_ARGUMENT, "params[", k, "] = ", params[k], " ('", p.spec.name, "') is listed twice");
        columns[params[k]] = width;
        width += p.spec.shape.numel();
    }
    if (width > INT_MAX) fail(JNAS_ERR_UNSUPPORTED, "J has ", width, " columns; at most ", INT_MAX, " are supported");
    JacobianWalk walk(net);
    const int batch = walk.bound_batch();
    const int size = batch / groups;  // forward_bound below refuses a batch that does not split evenly
    for (size_t g = 0; g < thetas.size(); ++g)
        if (thetas[g]->shape != Shape{size, size})
            fail(JNAS_ERR_SHAPE, groups > 1 ? "thetas[" + std::to_string(g) + "]" : std::string("theta"),
                 " has shape ", thetas[g]->shape.str(), " but the bound batch makes Θ [", size, ", ", size, "]",
                 groups > 1 ? " per sample group" : "");
    Backend& backend = *net.ctx()->backend;
    net.forward_bound();
    if (width == 0) {  // no parameters: J has no columns
        for (jnas_tensor* theta : thetas) backend.fill(theta->f32(), int64_t(size) * size, 0.0f);
        return;
    }
    float* j = walk.zeroed_jacobian(batch * width);
    walk.fill(coupling == JNAS_BN_COUPLING_EXACT, columns, width, j);
    for (int g = 0; g < groups; ++g) {  // J's rows are the samples, so a group's Θ is its rows' Gram
        const float* rows = j + int64_t(g) * size * width;
        backend.gemm(false, true, size, size, int(width), 1.0f, rows, int(width), rows, int(width), 0.0f,
                     thetas[size_t(g)]->f32(), size);
    }
}

}  // namespace jnas
