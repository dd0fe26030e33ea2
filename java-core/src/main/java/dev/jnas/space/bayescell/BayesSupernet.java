package dev.jnas.space.bayescell;

import dev.jnas.bindings.GraphBuilder;
import dev.jnas.bindings.Init;
import java.util.Arrays;
import java.util.OptionalInt;

/**
 * BayesNAS's one-shot network ({@link BayesBackbone}'s skeleton) whose every edge is the reference's
 * "Selection": x' = s₀·x, out = Σ_k s_k·op_k(x') over the seven {@link BayesOp}s. The switches are trainable
 * parameters ({@link BayesSwitches}) initialized to 1, and every branch is computed whatever its switch, so a
 * backward pass gives every switch its gradient.
 */
public final class BayesSupernet {
    private BayesSupernet() {
    }

    /** Builds the supernet of layout into graph. */
    public static BayesGraph build(GraphBuilder graph, BayesLayout layout) {
        return BayesBackbone.build(graph, layout, (cell, index) -> (edge, x, stride) -> OptionalInt.of(
                switchedEdge(graph, BayesLayout.cellName(index), edge, x, cell.channels(), stride)));
    }

    /** The origin switch gates the input (a one-branch mixed edge), the op switches weight the ops on it. */
    private static int switchedEdge(GraphBuilder graph, String cell, BayesEdge edge, int x, int channels,
                                    int stride) {
        int origin = graph.param(BayesSwitches.originName(cell, edge), new long[] {1}, Init.ONES, true);
        int gated = graph.mixed(new int[] {x}, origin, Float.NEGATIVE_INFINITY);
        String name = cell + "." + edge.name();
        int[] branches = Arrays.stream(BayesOp.values())
                .mapToInt(op -> BayesLayers.op(graph, name + "." + op.shortName(), op, gated, channels, stride))
                .toArray();
        int switches = graph.param(BayesSwitches.opsName(cell, edge), new long[] {BayesOp.values().length},
                Init.ONES, true);
        return graph.mixed(branches, switches, Float.NEGATIVE_INFINITY);
    }
}
