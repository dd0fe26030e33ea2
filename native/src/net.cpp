// net.cpp — the executor: parameters, activation buffers, the demand-driven forward and the reverse backward.
#include "net.hpp"

#include <algorithm>
#include <climits>

#include "error.hpp"

namespace jnas {

Net::Net(jnas_ctx* ctx, const Graph& graph, int output, jnas_init init, uint64_t seed)
    : ctx_(ctx), backend_(*ctx->backend), graph_(graph), output_(output) {
    const Node& out = graph_.existing(output);
    if (!out.batched)
        fail(JNAS_ERR_INVALID_ARGUMENT, "output node ", output, " is the parameter '", out.name,
             "'; the output must be a batched node");
    if (init < JNAS_INIT_PYTORCH_DEFAULT || init > JNAS_INIT_ONES)
        fail(JNAS_ERR_INVALID_ARGUMENT, "init = ", int(init), " is not a jnas_init (0..4)");
    nodes_.resize(graph_.size());
    bound_.assign(graph_.size(), nullptr);
    params_.reserve(graph_.param_count());
    for (int id = 0; id < graph_.size(); ++id) {
        for (const ParamSpec& spec : graph_.node(id).params) {
            Parameter p;
            p.spec = spec;
            p.node = id;
            p.trainable = spec.trainable;
            p.data = DeviceBuffer(backend_, float_bytes(spec.shape.numel()));
            p.grad = DeviceBuffer(backend_, float_bytes(spec.shape.numel()));
            params_.push_back(std::move(p));
        }
    }
    connect_param_nodes();
    this->init(init, seed);
}

void Net::init(jnas_init init, uint64_t seed) {
    if (init < JNAS_INIT_PYTORCH_DEFAULT || init > JNAS_INIT_ONES)
        fail(JNAS_ERR_INVALID_ARGUMENT, "init = ", int(init), " is not a jnas_init (0..4)");
    for (size_t i = 0; i < params_.size(); ++i) initialize_param(backend_, params_[i], i, init, seed);
    random_ = {seed, 0};
}

// A free parameter's node reads the parameter's data and, while it is trainable, accumulates into its gradient.
void Net::connect_param_nodes() {
    for (Parameter& p : params_) {
        if (graph_.node(p.node).kind != OpKind::Param) continue;
        nodes_[p.node].value = p.data.f32();
        nodes_[p.node].grad = p.trainable ? p.grad.f32() : nullptr;
    }
}

const Parameter& Net::param(int index) const {
    if (index < 0 || index >= param_count())
        fail(JNAS_ERR_INVALID_ARGUMENT, "parameter ", index, " does not exist (net has ", param_count(), " parameters)");
    return params_[index];
}

int Net::find_param(const std::string& name) const {
    for (int i = 0; i < param_count(); ++i)
        if (params_[i].spec.name == name) return i;
    return -1;
}

void Net::set_trainable(int index, bool trainable) {
    const Parameter& p = param(index);
    if (trainable && p.spec.role == JNAS_PARAM_BN_RUNNING)
        fail(JNAS_ERR_INVALID_ARGUMENT, "parameter '", p.spec.name, "' is a running statistic and cannot be trainable");
    params_[index].trainable = trainable;
    connect_param_nodes();
}

void Net::write_param(int index, const float* src, int64_t count) {
    const Parameter& p = param(index);
    if (count != p.spec.shape.numel())
        fail(JNAS_ERR_SHAPE, "count = ", count, " but parameter '", p.spec.name, "' ", p.spec.shape.str(), " has ",
             p.spec.shape.numel(), " elements");
    backend_.upload(p.data.get(), src, p.data.bytes());
}

void Net::bind_input(int node, const jnas_tensor* input) {
    const Node& n = graph_.existing(node);
    if (n.kind != OpKind::Input)
        fail(JNAS_ERR_INVALID_ARGUMENT, "node ", node, " is a ", op_name(n.kind), " node, not an input");
    require_same_context(ctx_, input, "input");
    if (input->shape.ndim != n.shape.ndim + 1 || input->shape[0] > INT_MAX ||
        input->shape != batched(input->shape[0], n.shape))
        fail(JNAS_ERR_SHAPE, "input node ", node, " takes [B, ", n.shape.str().substr(1), " but the tensor has shape ",
             input->shape.str());
    bound_[node] = input;
}

void Net::set_sample_groups(int groups) {
    if (groups < 1) fail(JNAS_ERR_INVALID_ARGUMENT, "groups = ", groups, " < 1");
    sample_groups_ = groups;
}

int Net::bound_batch() const {
    int batch = 0, first = -1;
    for (int id = 0; id < graph_.size(); ++id) {
        if (graph_.node(id).kind != OpKind::Input) continue;
        if (bound_[id] == nullptr)
            fail(JNAS_ERR_STATE, "input node ", id, " is not bound (call jnas_net_bind_input first)");
        int b = int(bound_[id]->shape[0]);
        if (first >= 0 && b != batch)
            fail(JNAS_ERR_SHAPE, "input node ", first, " is bound to a batch of ", batch, " but input node ", id,
                 " to a batch of ", b);
        if (first < 0) first = id, batch = b;
    }
    return batch;
}

// Refuses a batch whose buffers together exceed the device's memory before allocating any: each may fit on its own
// while the sum does not, and where the kernel overcommits host memory, zero-filling them would bring in the OOM
// killer rather than an error. `what` names the buffers (activations, gradients) and `bytes` their total.
void Net::require_memory(int batch, const char* what, double bytes) const {
    if (bytes > double(backend_.memory_bytes()))
        fail(JNAS_ERR_OUT_OF_MEMORY, "a batch of ", batch, " needs ", uint64_t(std::min(bytes, 1.8e19)), " bytes of ",
             what, " but the device has ", backend_.memory_bytes(), " bytes of memory");
}

// Bytes of every batched node's value (inputs excepted: the caller's tensors), scratch and, with_grads, gradient.
double Net::batch_bytes(int batch, bool with_grads) const {
    double total = 0;
    for (int id = 0; id < graph_.size(); ++id) {
        const Node& node = graph_.node(id);
        if (!node.batched) continue;
        double values = double(batch) * double(node.shape.numel()) * sizeof(float);
        if (node.kind != OpKind::Input) total += values;
        if (with_grads) total += values;
        if (auto aux_bytes = op_def(node.kind).aux_bytes) total += double(aux_bytes(node, batch));
    }
    return total;
}

// (Re)allocates every batched node's activation and scratch for `batch` samples (gradients: allocate_grads). A batch
// of at least half the buffers' capacity keeps them: batched candidates' calls of a few sample groups more or less
// would otherwise allocate and zero-fill every buffer each call, which took more time than the calls' own work.
void Net::prepare_batch(int batch) {
    if (batch == batch_) return;
    if (batch <= capacity_ && 2 * int64_t(batch) >= capacity_) {
        batch_ = batch;
        input_grads_ready_ = false;  // they were of the other batch
        return;
    }
    require_memory(batch, "activations", batch_bytes(batch, false));
    batch_ = capacity_ = 0;  // until every buffer below exists
    input_grads_ready_ = false;
    grads_allocated_ = false;
    hessians_allocated_ = false;
    for (NodeState& s : nodes_) {
        s.value_storage.reset();
        s.grad_storage.reset();
        s.hessian_storage.reset();
        s.hessian = nullptr;
        s.aux.reset();
    }
    for (int id = 0; id < graph_.size(); ++id) {
        const Node& node = graph_.node(id);
        if (!node.batched) continue;
        NodeState& s = nodes_[id];
        size_t bytes = float_bytes(int64_t(batch) * node.shape.numel());
        if (node.kind != OpKind::Input) {
            s.value_storage = DeviceBuffer(backend_, bytes);
            s.value = s.value_storage.f32();
        }
        s.grad = nullptr;  // until allocate_grads
        if (auto aux_bytes = op_def(node.kind).aux_bytes) s.aux = DeviceBuffer(backend_, aux_bytes(node, batch));
    }
    batch_ = capacity_ = batch;
}

// The nodes' gradients are allocated by the first backward at a batch size, not with the values: scoring nets
// run only forwards and Jacobian walks (which keep their own stack), and per architecture the zero-filled,
// never-used gradient buffers cost about as much as the values themselves.
void Net::allocate_grads() {
    if (grads_allocated_) return;
    require_memory(capacity_, "activations and gradients", batch_bytes(capacity_, true));
    for (int id = 0; id < graph_.size(); ++id) {
        const Node& node = graph_.node(id);
        if (!node.batched) continue;
        NodeState& s = nodes_[id];
        s.grad_storage = DeviceBuffer(backend_, float_bytes(int64_t(capacity_) * node.shape.numel()));
        s.grad = s.grad_storage.f32();
    }
    grads_allocated_ = true;
}

OpRun Net::make_run(int node) {
    return OpRun(backend_, graph_, node, nodes_, params_, batch_, forward_groups_, forward_train_, nullptr,
                 random_);
}

void Net::forward(jnas_tensor* out) {
    require_same_context(ctx_, out, "out");
    Shape expected = output_shape(bound_batch());
    if (out->shape != expected)
        fail(JNAS_ERR_SHAPE, "out has shape ", out->shape.str(), " but the output is ", expected.str());
    forward_bound();
    backend_.copy(out->f32(), nodes_[output_].value, out->bytes());
}

void Net::forward_bound() {
    int batch = bound_batch();
    if (batch % sample_groups_ != 0)
        fail(JNAS_ERR_SHAPE, "the bound batch of ", batch, " samples does not split into ", sample_groups_,
             " sample groups of equal size");
    forward_ready_ = false;
    values_ready_ = false;
    node_grads_ready_ = false;
    prepare_batch(batch);
    for (int id = 0; id < graph_.size(); ++id)
        if (graph_.node(id).kind == OpKind::Input) nodes_[id].value = bound_[id]->f32();
    forward_train_ = train_;
    forward_groups_ = sample_groups_;
    run_forward();
    if (train_) ++random_.step;
    forward_ready_ = true;
    values_ready_ = true;
}

// Depth-first from the output: a node runs when every input its op needs has run. An op with a gate (mixed
// edge) first needs its gate inputs, then chooses the rest from their values.
void Net::run_forward() {
    schedule_.clear();
    std::vector<uint8_t> done(graph_.size(), 0), selected(graph_.size(), 0);
    std::vector<int> stack{output_};
    while (!stack.empty()) {
        int id = stack.back();
        if (done[id]) {
            stack.pop_back();
            continue;
        }
        const Node& node = graph_.node(id);
        const OpDef& op = op_def(node.kind);
        NodeState& state = nodes_[id];
        int pending = -1;
        for (int i = 0; i < op.gate_inputs && pending < 0; ++i)
            if (!done[node.inputs[i]]) pending = node.inputs[i];
        if (pending < 0 && !selected[id]) {
            state.live_inputs.assign(node.inputs.size(), 1);
            if (op.select_inputs) {
                OpRun run = make_run(id);
                op.select_inputs(run, state.live_inputs);
            }
            selected[id] = 1;
        }
        for (size_t i = 0; i < node.inputs.size() && pending < 0 && selected[id]; ++i)
            if (state.live_inputs[i] && !done[node.inputs[i]]) pending = node.inputs[i];
        if (pending >= 0) {
            stack.push_back(pending);
            continue;
        }
        if (op.forward) {
            OpRun run = make_run(id);
            op.forward(run);
        }
        done[id] = 1;
        schedule_.push_back(id);
        stack.pop_back();
    }
}

std::vector<uint8_t> Net::nodes_used_by(int first, int count) {
    std::vector<uint8_t> used(graph_.size(), 0);
    used[output_] = 1;
    for (auto it = schedule_.rbegin(); it != schedule_.rend(); ++it) {
        if (!used[*it]) continue;
        const Node& node = graph_.node(*it);
        const OpDef& op = op_def(node.kind);
        OpRun run = make_run(*it);
        for (size_t i = 0; i < node.inputs.size(); ++i) {
            bool uses = !op.samples_use_input || op.samples_use_input(run, int(i), first, count);
            if (nodes_[*it].live_inputs[i] && uses) used[node.inputs[i]] = 1;
        }
    }
    return used;
}

void Net::backward(const jnas_tensor* grad_output) {
    if (!forward_ready_)
        fail(JNAS_ERR_STATE, "no forward pass since the last backward (call jnas_net_forward first)");
    require_same_context(ctx_, grad_output, "grad_output");
    Shape expected = output_shape(batch_);
    if (grad_output->shape != expected)
        fail(JNAS_ERR_SHAPE, "grad_output has shape ", grad_output->shape.str(), " but the last output was ",
             expected.str());
    allocate_grads();  // before the state changes: a failed allocation leaves the forward usable
    forward_ready_ = false;
    // Activation gradients start from zero each pass; input and parameter gradients accumulate across passes.
    for (int id : schedule_) {
        const Node& node = graph_.node(id);
        if (node.batched && node.kind != OpKind::Input)
            backend_.fill(nodes_[id].grad, int64_t(batch_) * node.shape.numel(), 0.0f);
    }
    backend_.axpy(expected.numel(), 1.0f, grad_output->f32(), nodes_[output_].grad);
    run_backward();
    input_grads_ready_ = true;
    node_grads_ready_ = true;
}

void Net::run_backward() {
    for (auto it = schedule_.rbegin(); it != schedule_.rend(); ++it) {
        const OpDef& op = op_def(graph_.node(*it).kind);
        if (!op.backward) continue;
        OpRun run = make_run(*it);
        op.backward(run);
    }
}

void Net::zero_grad() {
    for (Parameter& p : params_) backend_.fill(p.grad.f32(), p.spec.shape.numel(), 0.0f);
    for (int id = 0; id < graph_.size(); ++id)
        if (graph_.node(id).kind == OpKind::Input && nodes_[id].grad)
            backend_.fill(nodes_[id].grad, int64_t(batch_) * graph_.node(id).shape.numel(), 0.0f);
}

void Net::input_grad(int node, jnas_tensor* out) const {
    const Node& n = graph_.existing(node);
    if (n.kind != OpKind::Input)
        fail(JNAS_ERR_INVALID_ARGUMENT, "node ", node, " is a ", op_name(n.kind), " node, not an input");
    if (!input_grads_ready_)
        fail(JNAS_ERR_STATE, "no backward pass at the current batch size (call jnas_net_backward first)");
    require_same_context(ctx_, out, "out");
    Shape expected = batched(batch_, n.shape);
    if (out->shape != expected)
        fail(JNAS_ERR_SHAPE, "out has shape ", out->shape.str(), " but input node ", node, "'s gradient is ",
             expected.str());
    backend_.copy(out->f32(), nodes_[node].grad, out->bytes());
}

}  // namespace jnas
