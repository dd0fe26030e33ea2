package dev.jnas.space.darts;

import dev.jnas.bindings.GraphBuilder;
import dev.jnas.models.ModelGraph;
import dev.jnas.search.tenas.MixingWeights;
import dev.jnas.search.tenas.OpMask;
import dev.jnas.search.tenas.PruningSpace;
import dev.jnas.search.tenas.SupernetKind;
import java.util.ArrayList;
import java.util.List;

/**
 * The DARTS space as TE-NAS prunes it: a normal and a reduction cell type, 14 edges each ({@link DartsEdge}),
 * 7 candidate ops per edge ({@link DartsOp#CANDIDATES}), then an edge pruning that keeps 2 inputs per step node.
 * Edges are labelled "node&lt;-source" with the cell's inputs as states 0 and 1 and its steps as nodes 2..5.
 * The final architecture is written as a {@link DartsGenotype}.
 */
public final class DartsSpace implements PruningSpace {
    public static final String NAME = "darts";
    /** The cell types, in the order of an {@link OpMask}'s first index. */
    public static final List<String> CELL_TYPES = List.of("normal", "reduce");

    private final int pruneNumber;

    private DartsSpace(int pruneNumber) {
        this.pruneNumber = pruneNumber;
    }

    /** For CIFAR-style data: 3 ops pruned per edge and round, so 7 → 4 → 1 (TE-NAS's CIFAR-10 setting). */
    public static DartsSpace cifar() {
        return new DartsSpace(3);
    }

    /** For ImageNet-style data: 2 ops pruned per edge and round, so 7 → 5 → 3 → 1 (TE-NAS's ImageNet setting). */
    public static DartsSpace imageNet() {
        return new DartsSpace(2);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<String> cellTypes() {
        return CELL_TYPES;
    }

    @Override
    public int edges() {
        return DartsEdge.ALL.size();
    }

    /** "node&lt;-source", e.g. "2&lt;-0" for edge 0 (the reference's '0&lt;-0'), "5&lt;-4" for edge 13. */
    @Override
    public String edgeLabel(int edge) {
        return DartsEdge.ALL.get(edge).label();
    }

    @Override
    public List<String> ops() {
        return DartsOp.CANDIDATES.stream().map(DartsOp::referenceName).toList();
    }

    @Override
    public int pruneNumber() {
        return pruneNumber;
    }

    /** Each step node's incoming edges: [0, 2), [2, 5), [5, 9), [9, 14). */
    @Override
    public List<int[]> nodeEdgeGroups() {
        List<int[]> groups = new ArrayList<>();
        for (int node = DartsEdge.INPUTS; node < DartsEdge.INPUTS + DartsEdge.STEPS; node++) {
            groups.add(new int[] {DartsEdge.firstEdge(node), DartsEdge.firstEdge(node + 1)});
        }
        return groups;
    }

    @Override
    public int edgesKeptPerNode() {
        return DartsGenotype.INPUTS_PER_NODE;
    }

    @Override
    public ModelGraph buildSupernet(GraphBuilder graph, SupernetKind kind, int classes, MixingWeights weights) {
        return DartsSupernet.build(graph, kind, classes, weights);
    }

    /** The mask's {@link DartsGenotype}, in DARTS's genotype format. */
    @Override
    public String describe(OpMask mask) {
        return DartsGenotype.fromMask(mask).toString();
    }
}
