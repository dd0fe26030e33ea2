package dev.jnas.space.bayescell;

import dev.jnas.bindings.GraphBuilder;
import java.util.Arrays;
import java.util.OptionalInt;

/**
 * The wiring of one BayesNAS cell, whatever its edges compute: each node is the sum of its incoming edges (in
 * the topology), the output the concatenation of the {@link BayesEdge#NODES} nodes. A node whose edges are all
 * pruned is zeros of the node's shape.
 *
 * @param channels the cell's C: its inputs (after CReduct), edges and nodes have C channels
 */
record BayesCell(CellTopology topology, CellType type, int channels) {
    /** What one edge computes from its input state: a node, or empty for a pruned edge. */
    @FunctionalInterface
    interface EdgeBuilder {
        OptionalInt build(BayesEdge edge, int input, int stride);
    }

    /** Builds the cell on the preprocessed inputs in0 (previous cell) and in1 (two back); returns the concat. */
    int build(GraphBuilder graph, int in0, int in1, EdgeBuilder edges) {
        int[] states = new int[BayesEdge.INPUTS + BayesEdge.NODES];
        states[0] = in0;
        states[1] = in1;
        for (int node = 0; node < BayesEdge.NODES; node++) {
            OptionalInt sum = OptionalInt.empty();
            for (BayesEdge edge : topology.edges(type)) {
                if (edge.node() != node) {
                    continue;
                }
                OptionalInt out = edges.build(edge, states[edge.source()], type.stride(edge));
                if (out.isPresent()) {
                    sum = OptionalInt.of(sum.isPresent() ? graph.add(sum.getAsInt(), out.getAsInt()) : out.getAsInt());
                }
            }
            int nodeStride = type == CellType.REDUCTION ? 2 : 1;
            states[BayesEdge.INPUTS + node] = sum.orElseGet(() -> graph.zero(in0, nodeStride));
        }
        return graph.concat(Arrays.copyOfRange(states, BayesEdge.INPUTS, states.length));
    }
}
