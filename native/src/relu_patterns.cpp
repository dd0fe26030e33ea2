// relu_patterns.cpp — packing the sign bits of every executed ReLU's input from a net's forward into pattern rows.
#include <vector>

#include "device_buffer.hpp"
#include "net.hpp"
#include "patterns.hpp"

namespace jnas {
namespace {

bool is_relu(const Node& node) {
    return node.kind == OpKind::Activation && std::get<ActivationAttrs>(node.attrs).kind == JNAS_ACT_RELU;
}

// The ReLU nodes the last forward ran, in graph order (a fixed order, whatever path the forward took).
std::vector<int> executed_relus(const Net& net) {
    std::vector<uint8_t> ran(net.graph().size(), 0);
    for (int id : net.schedule()) ran[id] = 1;
    std::vector<int> relus;
    for (int id = 0; id < net.graph().size(); ++id)
        if (ran[id] && is_relu(net.graph().node(id))) relus.push_back(id);
    return relus;
}

}  // namespace

void collect_relu_patterns(Net& net, PatternSet& into) {
    net.forward_bound();
    const Graph& graph = net.graph();
    Backend& backend = *net.ctx()->backend;
    std::vector<int> relus = executed_relus(net);
    int64_t bits = 0;
    for (int id : relus) bits += graph.node(id).shape.numel();
    int64_t batch = net.batch(), words = PatternSet::words_for(bits);
    // Packed where the activations are (on a GPU only the bits cross to the host); alloc zero-fills, and each
    // ReLU ORs in its bits.
    DeviceBuffer packed_buffer(backend, size_t(batch * words) * sizeof(uint64_t));
    uint64_t* packed = static_cast<uint64_t*>(packed_buffer.get());
    int64_t offset = 0;  // of this ReLU's first unit within a row
    for (int id : relus) {
        int64_t units = graph.node(id).shape.numel();
        backend.pack_sign_bits(batch, units, net.value(graph.node(id).inputs[0]), offset, words, packed);
        offset += units;
    }
    std::vector<uint64_t> rows(static_cast<size_t>(batch * words));
    backend.download(rows.data(), packed, packed_buffer.bytes());
    into.append(bits, batch, rows.data());
}

}  // namespace jnas
