package dev.jnas.space.darts;

import dev.jnas.bindings.GraphBuilder;
import dev.jnas.models.ModelGraph;
import dev.jnas.search.tenas.MixingWeights;
import dev.jnas.search.tenas.PruningSpace;
import dev.jnas.search.tenas.SupernetKind;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * TE-NAS's DARTS supernet (NASNetworkDARTS with C = 1, N = 1, depth 2, 4 steps, multiplier 4, stem multiplier
 * 1): [stem conv 3x3 + BN to C channels,] a normal cell of C channels, a reduction cell of 2C, then BN, ReLU,
 * global pooling and a linear classifier on its 8C channels. Both cells take the stem's output (or the raw
 * input) as s0; the reduction cell's s1 is the normal cell's output. The κ network has the stem; the
 * linear-region network is fed its single-channel patches directly.
 */
final class DartsSupernet {
    /** C: the normal cell's channels, and the stem's (stem multiplier 1). */
    static final int CHANNELS = 1;
    private static final List<Layer> LAYERS = List.of(new Layer(CHANNELS, false), new Layer(2 * CHANNELS, true));

    private DartsSupernet() {
    }

    /** One cell of the skeleton: its channels C and whether it reduces. */
    private record Layer(int channels, boolean reduction) {
        String cellType() {
            return DartsSpace.CELL_TYPES.get(reduction ? 1 : 0);
        }
    }

    static ModelGraph build(GraphBuilder graph, SupernetKind kind, int classes, MixingWeights weights) {
        int input = graph.input(kind.channels(), kind.size(), kind.size());
        int stem = kind == SupernetKind.KAPPA ? DartsLayers.convBn(graph, "stem", input, CHANNELS, 3, 1) : input;
        Map<String, int[]> alphas = new HashMap<>();
        int s0 = stem;
        int s1 = stem;
        boolean reductionPrev = false;
        for (int index = 0; index < LAYERS.size(); index++) {
            Layer layer = LAYERS.get(index);
            int[] cellAlphas = alphas.computeIfAbsent(layer.cellType(), type -> alphaNodes(graph, type, weights));
            int out = new DartsCell(layer.channels(), layer.reduction(), reductionPrev)
                    .build(graph, "cell" + index, cellAlphas, s0, s1);
            s0 = s1;
            s1 = out;
            reductionPrev = layer.reduction();
        }
        return new ModelGraph(input, DartsLayers.head(graph, "head", s1, classes));
    }

    /** The mixing weights of a cell type's edges, one node per edge. */
    private static int[] alphaNodes(GraphBuilder graph, String cellType, MixingWeights weights) {
        return DartsEdge.ALL.stream()
                .mapToInt(edge -> weights.node(graph, PruningSpace.alphaName(cellType, edge.index()),
                        DartsOp.CANDIDATES.size()))
                .toArray();
    }
}
