// hessian.cpp — the diagonal Hessian pass (BayesNAS's recursion, after Becker & LeCun): Gauss-Newton plus the
// activations' f''·gradient term.
//
// After a forward, the walk goes through the recorded schedule in reverse like the backward, but carries
// d²L/d(value)² per node instead of dL/d(value): each op's hessian_backward maps its output's diagonal to its
// inputs with squared local derivatives and drops every off-diagonal term (OpDef::hessian_backward, next to each
// op's forward and backward). An activation adds f''(x)·dL/dy, read from the node gradients of the backward run
// after the same forward (the reference reads the saved gradients of its last loss.backward()); the walk keeps its
// own per-node buffers, so those gradients stay valid, and an activation with f'' != 0 fails with JNAS_ERR_STATE
// when no such backward has run. Other ops' own second derivatives are not part of it: softmax and a product of
// two batched values fail with JNAS_ERR_UNSUPPORTED; batch norm in train mode and layer/group norm treat their
// statistics as constants, dropping both the statistics' share of the first derivative and their second
// derivatives (jnas.h lists each rule).
#include "error.hpp"
#include "net.hpp"

namespace jnas {

// The nodes' Hessian buffers, like their gradients, are allocated by the first pass at a batch size; inputs
// get none (nothing reads d²L/dx² of the data).
void Net::allocate_hessians() {
    if (hessians_allocated_) return;
    for (int id = 0; id < graph_.size(); ++id) {
        const Node& node = graph_.node(id);
        if (!node.batched || node.kind == OpKind::Input) continue;
        NodeState& s = nodes_[id];
        s.hessian_storage = DeviceBuffer(backend_, float_bytes(int64_t(capacity_) * node.shape.numel()));
        s.hessian = s.hessian_storage.f32();
    }
    for (Parameter& p : params_)
        if (p.hessian.bytes() == 0) p.hessian = DeviceBuffer(backend_, float_bytes(p.spec.shape.numel()));
    hessians_allocated_ = true;
}

void Net::hessian_diag(const jnas_tensor* seed) {
    if (!values_ready_) fail(JNAS_ERR_STATE, "no forward pass to differentiate (call jnas_net_forward first)");
    if (forward_groups_ > 1)
        fail(JNAS_ERR_UNSUPPORTED, "the last forward ran ", forward_groups_, " sample groups; the Hessian-diagonal "
             "pass takes one batch (jnas_net_set_sample_groups(net, 1))");
    require_same_context(ctx_, seed, "seed");
    Shape expected = output_shape(batch_);
    if (seed->shape != expected)
        fail(JNAS_ERR_SHAPE, "seed has shape ", seed->shape.str(), " but the last output was ", expected.str());
    allocate_hessians();
    hessian_ready_ = false;
    // A free parameter's node carries its parameter's diagonal while it is trainable, as with gradients.
    for (Parameter& p : params_) {
        backend_.fill(p.hessian.f32(), p.spec.shape.numel(), 0.0f);
        if (graph_.node(p.node).kind == OpKind::Param) nodes_[p.node].hessian = p.trainable ? p.hessian.f32() : nullptr;
    }
    for (int id : schedule_) {
        const Node& node = graph_.node(id);
        if (node.batched && node.kind != OpKind::Input)
            backend_.fill(nodes_[id].hessian, int64_t(batch_) * node.shape.numel(), 0.0f);
    }
    if (float* h = nodes_[output_].hessian) backend_.copy(h, seed->f32(), seed->bytes());  // none: the output is an input
    for (auto it = schedule_.rbegin(); it != schedule_.rend(); ++it) {
        const Node& node = graph_.node(*it);
        const OpDef& op = op_def(node.kind);
        if (!op.backward) continue;  // nothing flows back through it (sources, zero)
        if (!op.hessian_backward)
            fail(JNAS_ERR_INTERNAL, "op ", op_name(node.kind), " (node ", *it, ") has no Hessian-diagonal rule");
        OpRun run(backend_, graph_, *it, nodes_, params_, batch_, forward_groups_, forward_train_, &hessian_scratch_,
                  RandomKey{}, node_grads_ready_);
        op.hessian_backward(run);
    }
    hessian_ready_ = true;
}

void Net::read_hessian(int index, float* dst, int64_t count) const {
    const Parameter& p = param(index);
    if (count != p.spec.shape.numel())
        fail(JNAS_ERR_SHAPE, "count = ", count, " but parameter '", p.spec.name, "' ", p.spec.shape.str(), " has ",
             p.spec.shape.numel(), " elements");
    if (!hessian_ready_)
        fail(JNAS_ERR_STATE, "no Hessian-diagonal pass has completed (call jnas_net_hessian_diag first)");
    backend_.download(dst, p.hessian.get(), p.hessian.bytes());
}

}  // namespace jnas
