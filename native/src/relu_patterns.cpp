// relu_patterns.cpp — packing the sign bits of every executed ReLU's input from a net's forward into pattern rows.
#include <vector>

#include "device_buffer.hpp"
#include "error.hpp"
#include "net.hpp"
#include "patterns.hpp"

namespace jnas {
namespace {

bool is_relu(const Node& node) {
    return node.kind == OpKind::Activation && std::get<ActivationAttrs>(node.attrs).kind == JNAS_ACT_RELU;
}

// The ReLU nodes of `used` (per node: Net::nodes_used_by), in graph order (a fixed order, whatever path the
// forward took).
std::vector<int> relus_of(const Net& net, const std::vector<uint8_t>& used) {
    std::vector<int> relus;
    for (int id = 0; id < net.graph().size(); ++id)
        if (used[id] && is_relu(net.graph().node(id))) relus.push_back(id);
    return relus;
}

}  // namespace

void collect_relu_patterns(Net& net, PatternSet& into) { collect_relu_patterns(net, std::vector<PatternSet*>{&into}); }

// A sample group's rows hold the units of its own network only (Net::nodes_used_by): a branch that another group's
// candidate keeps ran for every sample, but it is not this group's, and its bits would change this group's count.
void collect_relu_patterns(Net& net, const std::vector<PatternSet*>& into) {
    if (int(into.size()) != net.sample_groups())
        fail(JNAS_ERR_INVALID_ARGUMENT, into.size(), " pattern collectors for a net of ", net.sample_groups(),
             " sample groups (one per group)");
    net.forward_bound();
    const Graph& graph = net.graph();
    Backend& backend = *net.ctx()->backend;
    const int groups = int(into.size());
    const int64_t group_rows = net.batch() / groups;
    std::vector<std::vector<int>> relus(static_cast<size_t>(groups));
    std::vector<int64_t> bits(static_cast<size_t>(groups), 0);
    for (int g = 0; g < groups; ++g) {  // one group: every node the forward ran
        relus[g] = relus_of(net, net.nodes_used_by(int(g * group_rows), int(group_rows)));
        for (int id : relus[g]) bits[g] += graph.node(id).shape.numel();
        into[g]->require_row_bits(bits[g]);
    }
    for (int g = 0; g < groups; ++g) {
        int64_t words = PatternSet::words_for(bits[g]);
        // Packed where the activations are (on a GPU only the bits cross to the host); alloc zero-fills, and each
        // ReLU ORs in its bits.
        DeviceBuffer packed_buffer(backend, size_t(group_rows * words) * sizeof(uint64_t));
        uint64_t* packed = static_cast<uint64_t*>(packed_buffer.get());
        int64_t offset = 0;  // of this ReLU's first unit within a row
        for (int id : relus[g]) {
            int64_t units = graph.node(id).shape.numel();
            const float* x = net.value(graph.node(id).inputs[0]) + g * group_rows * units;
            backend.pack_sign_bits(group_rows, units, x, offset, words, packed);
            offset += units;
        }
        std::vector<uint64_t> rows(static_cast<size_t>(group_rows * words));
        backend.download(rows.data(), packed, packed_buffer.bytes());
        into[g]->append(bits[g], group_rows, rows.data());
    }
}

}  // namespace jnas
