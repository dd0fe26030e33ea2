// relu_patterns.cpp — packing the sign bits of every executed ReLU's input from a net's forward into pattern rows.
#include <vector>

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
    std::vector<int> relus = executed_relus(net);
    int64_t bits = 0;
    for (int id : relus) bits += graph.node(id).shape.numel();
    int64_t batch = net.batch(), words = PatternSet::words_for(bits);
    std::vector<uint64_t> packed(static_cast<size_t>(batch * words), 0);
    std::vector<float> input;
    int64_t offset = 0;  // of this ReLU's first unit within a row
    for (int id : relus) {
        int64_t units = graph.node(id).shape.numel();
        input.resize(static_cast<size_t>(batch * units));
        net.ctx()->backend->download(input.data(), net.value(graph.node(id).inputs[0]), input.size() * sizeof(float));
        for (int64_t s = 0; s < batch; ++s) {
            uint64_t* row = packed.data() + s * words;
            const float* x = input.data() + s * units;
            for (int64_t u = 0; u < units; ++u) {
                int64_t bit = offset + u;
                row[bit >> 6] |= uint64_t(x[u] > 0.0f) << (bit & 63);
            }
        }
        offset += units;
    }
    into.append(bits, batch, packed.data());
}

}  // namespace jnas
