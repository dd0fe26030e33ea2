package dev.jnas.space.nb201;

import dev.jnas.bindings.GraphBuilder;
import dev.jnas.models.ModelGraph;
import dev.jnas.search.tenas.MixingWeights;
import dev.jnas.search.tenas.OpMask;
import dev.jnas.search.tenas.PruningSpace;
import dev.jnas.search.tenas.SupernetKind;
import java.util.Arrays;
import java.util.List;

/**
 * NB201 as TE-NAS prunes it: one cell type, 6 edges over skip_connect, nor_conv_1x1, nor_conv_3x3 and
 * avg_pool_3x3, one op pruned per edge per round (3 rounds), no edge pruning. The κ supernet sits on TE-NAS's
 * C=3, N=1 skeleton, the region supernet on the thin one, every cell sharing the 6 edges' mixing weights.
 */
public final class Nb201PruningSpace implements PruningSpace {
    public static final String NAME = "nb201";
    private static final String CELL = "cell";
    private static final List<Nb201Op> OPS = Arrays.stream(Nb201Op.values()).filter(op -> op != Nb201Op.NONE).toList();

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<String> cellTypes() {
        return List.of(CELL);
    }

    @Override
    public int edges() {
        return Nb201Architecture.EDGES;
    }

    @Override
    public String edgeLabel(int edge) {
        Nb201Edge e = Nb201Edge.ALL.get(edge);
        return e.target() + "<-" + e.source();
    }

    @Override
    public List<String> ops() {
        return OPS.stream().map(Nb201Op::benchmarkName).toList();
    }

    @Override
    public int pruneNumber() {
        return 1;
    }

    @Override
    public List<int[]> nodeEdgeGroups() {
        return List.of();
    }

    @Override
    public int edgesKeptPerNode() {
        return 0;
    }

    @Override
    public ModelGraph buildSupernet(GraphBuilder graph, SupernetKind kind, int classes, MixingWeights weights) {
        Nb201Skeleton skeleton = kind == SupernetKind.KAPPA ? Nb201Skeleton.NTK : Nb201Skeleton.LINEAR_REGIONS;
        return buildSupernet(graph, skeleton, kind.channels(), kind.size(), classes, weights);
    }

    /**
     * The supernet on any skeleton (e.g. a wider one to train), with the mixing weights of
     * {@link #buildSupernet(GraphBuilder, SupernetKind, int)}: zero until written.
     */
    public ModelGraph buildSupernet(GraphBuilder graph, Nb201Skeleton skeleton, int channels, int size, int classes) {
        return buildSupernet(graph, skeleton, channels, size, classes, MixingWeights.PARAMETERS);
    }

    private ModelGraph buildSupernet(GraphBuilder graph, Nb201Skeleton skeleton, int channels, int size, int classes,
                                     MixingWeights weights) {
        int[] alphas = new int[edges()];
        for (int e = 0; e < alphas.length; e++) {
            alphas[e] = weights.node(graph, PruningSpace.alphaName(CELL, e), OPS.size());
        }
        return skeleton.build(graph, (g, name, x, c) -> Nb201Layers.mixedCell(g, name, OPS, alphas, SKIP_THRESHOLD,
                x, c), channels, size, size, classes);
    }

    /** The cell a single-path mask stands for. @throws IllegalArgumentException for a mask with several ops left */
    public Nb201Architecture architecture(OpMask mask) {
        Nb201Op[] ops = new Nb201Op[edges()];
        for (int e = 0; e < ops.length; e++) {
            int op = mask.singleOp(0, e);
            if (op < 0) {
                throw new IllegalArgumentException("edge " + edgeLabel(e) + " has " + mask.activeCount(0, e)
                        + " ops, not one: the search has not finished");
            }
            ops[e] = OPS.get(op);
        }
        return Nb201Architecture.of(ops);
    }

    @Override
    public String describe(OpMask mask) {
        return architecture(mask).toString();
    }
}
