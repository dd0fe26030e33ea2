// graph_macs.cpp — the cost of a network as FLOPs tables count it: conv and linear multiply-accumulates per sample.
#include <vector>

#include "graph.hpp"

namespace jnas {

GraphMacs count_macs(const Graph& graph, int output) {
    graph.existing(output);
    // Nodes are in topological order, so one backward sweep marks everything output depends on.
    std::vector<uint8_t> needed(graph.size(), 0);
    needed[output] = 1;
    GraphMacs macs;
    for (int id = output; id >= 0; --id) {
        if (!needed[id]) continue;
        const Node& node = graph.node(id);
        for (int input : node.inputs) needed[input] = 1;
        if (node.kind == OpKind::Conv2d) {
            const auto& conv = std::get<Conv2dAttrs>(node.attrs);
            int64_t in_channels = graph.node(node.inputs[0]).shape[0];
            macs.conv += node.shape.numel() * conv.kernel_h * conv.kernel_w * (in_channels / conv.groups);
        } else if (node.kind == OpKind::Linear) {
            macs.linear += graph.node(node.inputs[0]).shape.numel() * node.shape.numel();
        }
    }
    return macs;
}

}  // namespace jnas
