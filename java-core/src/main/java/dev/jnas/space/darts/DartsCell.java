package dev.jnas.space.darts;

import dev.jnas.bindings.GraphBuilder;
import dev.jnas.search.tenas.PruningSpace;
import java.util.Arrays;

/**
 * One DARTS search cell (TE-NAS's NASNetSearchCell) of the given channels C. Its inputs s0 (the cell two back)
 * and s1 (the previous cell) are preprocessed to C channels: s0 by FactorizedReduce when the previous cell was
 * a reduction (s0 then has twice s1's resolution), else by ReLUConvBN 1x1; s1 by ReLUConvBN 1x1. Each step node
 * is the sum of mixed edges from every earlier state, edges from the inputs having stride 2 in a reduction
 * cell; the output is the concatenation of the four step nodes (4·C channels).
 */
record DartsCell(int channels, boolean reduction, boolean reductionPrev) {
    /**
     * Builds the cell into graph under name ("name.preprocess0", "name.edge3.sep_conv_3x3.sep0.dw", ...).
     *
     * @param alphas the mixing-weight node of every edge (in {@link DartsEdge#ALL}'s order), each holding
     *               {@link DartsOp#CANDIDATES}.size() values
     */
    int build(GraphBuilder graph, String name, int[] alphas, int s0, int s1) {
        int[] states = new int[DartsEdge.INPUTS + DartsEdge.STEPS];
        states[0] = reductionPrev
                ? DartsLayers.factorizedReduce(graph, name + ".preprocess0", s0, channels)
                : DartsLayers.reluConvBn(graph, name + ".preprocess0", s0, channels, 1, 1);
        states[1] = DartsLayers.reluConvBn(graph, name + ".preprocess1", s1, channels, 1, 1);
        for (int node = DartsEdge.INPUTS; node < states.length; node++) {
            int sum = -1;
            for (int source = 0; source < node; source++) {
                DartsEdge edge = new DartsEdge(node, source);
                int out = mixedEdge(graph, name + ".edge" + edge.index(), edge, states[source], alphas[edge.index()]);
                sum = source == 0 ? out : graph.add(sum, out);
            }
            states[node] = sum;
        }
        return graph.concat(Arrays.copyOfRange(states, DartsEdge.INPUTS, states.length));
    }

    /** Σ_k α_k · op_k(x) over the candidate ops; ops at or below the skip threshold are not computed. */
    private int mixedEdge(GraphBuilder graph, String name, DartsEdge edge, int x, int alpha) {
        int stride = reduction && edge.fromInput() ? 2 : 1;
        int[] branches = DartsOp.CANDIDATES.stream()
                .mapToInt(op -> DartsLayers.op(graph, name + "." + op.referenceName(), op, x, channels, stride))
                .toArray();
        return graph.mixed(branches, alpha, PruningSpace.SKIP_THRESHOLD);
    }
}
