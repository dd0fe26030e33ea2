package dev.jnas.space.nb201;

import dev.jnas.bindings.GraphBuilder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;

/**
 * NB201's building blocks as graph fragments, with the parameter names of the benchmark's modules: a block
 * called name puts its conv at "name.conv" (parameter "name.conv.weight") and its batch norm at "name.bn"
 * ("name.bn.weight", "name.bn.bias"). Batch norms are PyTorch's BatchNorm2d (affine, running statistics,
 * eps 1e-5); convolutions have no bias and pad kernel/2.
 */
final class Nb201Layers {
    private Nb201Layers() {
    }

    /** conv → BN: the stem. */
    static int convBn(GraphBuilder graph, String name, int x, int channels, int kernel, int stride) {
        int conv = graph.conv2d(name + ".conv", x, channels, kernel, stride, kernel / 2);
        return graph.batchNorm(name + ".bn", conv);
    }

    /** ReLU → conv → BN: NB201's ReLUConvBN, used by the conv ops and the ResNet block. */
    static int reluConvBn(GraphBuilder graph, String name, int x, int channels, int kernel, int stride) {
        return convBn(graph, name, graph.relu(x), channels, kernel, stride);
    }

    /** One op on a cell edge, keeping the resolution and the channels. */
    static int edge(GraphBuilder graph, String name, Nb201Op op, int x, int channels) {
        return edge(graph, name, op, x, () -> graph.relu(x), channels);
    }

    /** {@link #edge(GraphBuilder, String, Nb201Op, int, int)} with the conv ops' ReLU(x) from activated. */
    private static int edge(GraphBuilder graph, String name, Nb201Op op, int x, IntSupplier activated, int channels) {
        return switch (op) {
            case NONE -> graph.zero(x, 1);
            case SKIP_CONNECT -> x;
            case NOR_CONV_1X1 -> convBn(graph, name, activated.getAsInt(), channels, 1, 1);
            case NOR_CONV_3X3 -> convBn(graph, name, activated.getAsInt(), channels, 3, 1);
            case AVG_POOL_3X3 -> graph.avgPool(x, 3, 1, 1, false);
        };
    }

    /** What an edge contributes to its target node: a node id, or null for nothing (a none edge). */
    @FunctionalInterface
    private interface EdgeBuilder {
        Integer build(Nb201Edge edge, int input);
    }

    /**
     * The cell: node 0 is x, node i the sum of its incoming edges, the output node 3. Edges are built in
     * NB201's edge order, so the parameters come in the benchmark's order. A none edge adds nothing to its
     * node and is left out of the sum; a node with only none edges is zeros.
     */
    static int cell(GraphBuilder graph, String name, Nb201Architecture architecture, int x, int channels) {
        return nodes(graph, x, channels, (edge, input) -> {
            Nb201Op op = architecture.op(edge);
            return op == Nb201Op.NONE ? null : edge(graph, name + "." + edge.paramName(), op, input, channels);
        });
    }

    /**
     * The supernet cell: every edge mixes the given ops (NB201 op order, 'none' left out) with the weights held
     * by that edge's node in alphas, skipping branches at or below threshold; node i sums its incoming edges.
     * Branch parameters are named by edge and op, e.g. "layer0.edge2_1.nor_conv_3x3.conv.weight". The conv
     * branches leaving a node share one ReLU of it: the same values as a ReLU per branch, and the same linear
     * regions (a copy of a ReLU's signs tells no sample apart), but its backward runs once per node rather than
     * once per branch (a third of the supernet's ReLUs).
     */
    static int mixedCell(GraphBuilder graph, String name, List<Nb201Op> ops, int[] alphas, float threshold, int x,
                         int channels) {
        Map<Integer, Integer> activated = new HashMap<>();  // node → its ReLU, made by the first conv branch
        return nodes(graph, x, channels, (edge, input) -> {
            int[] branches = new int[ops.size()];
            for (int k = 0; k < branches.length; k++) {
                Nb201Op op = ops.get(k);
                branches[k] = edge(graph, name + "." + edge.paramName() + "." + op.benchmarkName(), op, input,
                        () -> activated.computeIfAbsent(input, graph::relu), channels);
            }
            return graph.mixed(branches, alphas[edge.index()], threshold);
        });
    }

    /** The cell's node sums over edges built by edges, in NB201's edge order; returns the output node. */
    private static int nodes(GraphBuilder graph, int x, int channels, EdgeBuilder edges) {
        int[] nodes = new int[Nb201Edge.NODES];
        nodes[0] = x;
        for (int target = 1; target < Nb201Edge.NODES; target++) {
            Integer sum = null;
            for (int source = 0; source < target; source++) {
                Integer out = edges.build(new Nb201Edge(target, source), nodes[source]);
                if (out != null) {
                    sum = sum == null ? out : graph.add(sum, out);
                }
            }
            // Without a contributing edge the node is what a none edge gives: zeros.
            nodes[target] = sum == null ? edge(graph, "", Nb201Op.NONE, x, channels) : sum;
        }
        return nodes[Nb201Edge.NODES - 1];
    }

    /**
     * NB201's ResNetBasicblock at stride 2: ReLU-conv3x3(s2)-BN → ReLU-conv3x3-BN, plus the shortcut
     * avg-pool 2x2 (s2) → conv 1x1 without BN ("name.downsample.conv").
     */
    static int resNetBlock(GraphBuilder graph, String name, int x, int channels) {
        int convA = reluConvBn(graph, name + ".conv_a", x, channels, 3, 2);
        int convB = reluConvBn(graph, name + ".conv_b", convA, channels, 3, 1);
        int pooled = graph.avgPool(x, 2, 2, 0, true);
        int shortcut = graph.conv2d(name + ".downsample.conv", pooled, channels, 1, 1, 0);
        return graph.add(shortcut, convB);
    }

    /** BN → ReLU → global average pool → linear with bias: NB201's lastact and classifier. */
    static int head(GraphBuilder graph, String name, int x, int classes) {
        int activated = graph.relu(graph.batchNorm(name + ".bn", x));
        return graph.linear(name + ".linear", graph.globalAvgPool(activated), classes);
    }
}
