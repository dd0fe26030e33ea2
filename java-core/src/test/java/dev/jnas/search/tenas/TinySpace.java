package dev.jnas.search.tenas;

import dev.jnas.bindings.GraphBuilder;
import dev.jnas.models.ModelGraph;
import java.util.List;

/**
 * A three-edge space small enough to search in a test: node 1 = e0(node 0), node 2 = e1(node 0) + e2(node 1),
 * over skip, ReLU-conv3x3-BN and avg-pool; node 2's two inputs form an edge group of which one is kept, so a
 * search runs op rounds and then an edge round.
 */
final class TinySpace implements PruningSpace {
    private static final List<String> OPS = List.of("skip_connect", "nor_conv_3x3", "avg_pool_3x3");

    @Override
    public String name() {
        return "tiny";
    }

    @Override
    public List<String> cellTypes() {
        return List.of("cell");
    }

    @Override
    public int edges() {
        return 3;
    }

    @Override
    public String edgeLabel(int edge) {
        return List.of("1<-0", "2<-0", "2<-1").get(edge);
    }

    @Override
    public List<String> ops() {
        return OPS;
    }

    @Override
    public int pruneNumber() {
        return 1;
    }

    @Override
    public List<int[]> nodeEdgeGroups() {
        return List.of(new int[] {0, 1}, new int[] {1, 3});
    }

    @Override
    public int edgesKeptPerNode() {
        return 1;
    }

    @Override
    public ModelGraph buildSupernet(GraphBuilder graph, SupernetKind kind, int classes, MixingWeights weights) {
        int input = graph.input(kind.channels(), kind.size(), kind.size());
        int channels = kind == SupernetKind.KAPPA ? 2 : 1;
        int x = kind == SupernetKind.KAPPA ? graph.batchNorm("stem.bn", graph.conv2d("stem.conv", input, channels, 3,
                1, 1)) : input;
        int[] alphas = new int[edges()];
        for (int e = 0; e < alphas.length; e++) {
            alphas[e] = weights.node(graph, PruningSpace.alphaName("cell", e), OPS.size());
        }
        int node1 = edge(graph, 0, alphas, x, channels);
        int node2 = graph.add(edge(graph, 1, alphas, x, channels), edge(graph, 2, alphas, node1, channels));
        int head = graph.relu(graph.batchNorm("head.bn", node2));
        return new ModelGraph(input, graph.linear("head.linear", graph.globalAvgPool(head), classes));
    }

    private static int edge(GraphBuilder graph, int edge, int[] alphas, int x, int channels) {
        String name = "edge" + edge;
        int conv = graph.batchNorm(name + ".bn", graph.conv2d(name + ".conv", graph.relu(x), channels, 3, 1, 1));
        int pool = graph.avgPool(x, 3, 1, 1, false);
        return graph.mixed(new int[] {x, conv, pool}, alphas[edge], SKIP_THRESHOLD);
    }

    @Override
    public String describe(OpMask mask) {
        StringBuilder text = new StringBuilder();
        for (int e = 0; e < edges(); e++) {
            int op = mask.singleOp(0, e);
            text.append(e == 0 ? "" : " ").append(edgeLabel(e)).append(':').append(op < 0 ? "-" : OPS.get(op));
        }
        return text.toString();
    }
}
