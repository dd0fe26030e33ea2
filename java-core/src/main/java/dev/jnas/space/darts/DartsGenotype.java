package dev.jnas.space.darts;

import dev.jnas.search.tenas.OpMask;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * A discrete DARTS cell pair: for each of the four step nodes, two (op, input state) entries, nodes in order.
 * {@link #toString()} writes DARTS's own genotype format, the one its evaluation code reads.
 */
public record DartsGenotype(List<Entry> normal, List<Entry> reduce) {
    /** Kept inputs per step node. */
    public static final int INPUTS_PER_NODE = 2;
    /** Entries per cell. */
    public static final int ENTRIES = INPUTS_PER_NODE * DartsEdge.STEPS;

    public DartsGenotype {
        normal = checked(normal, "normal");
        reduce = checked(reduce, "reduce");
    }

    /** One input of a step node: the op on the edge from state input (0, 1: the cell's inputs; 2..5: steps). */
    public record Entry(DartsOp op, int input) {
        public Entry {
            Objects.requireNonNull(op, "op");
        }

        /** "('sep_conv_3x3', 0)" */
        @Override
        public String toString() {
            return "('" + op.referenceName() + "', " + input + ")";
        }
    }

    /**
     * The genotype of architecture weights as TE-NAS derives it (NASNetworkDARTS.genotype after its fix, DARTS's
     * own rule): for each step node, of its incoming edges the two whose strongest op other than 'none' weighs
     * most, each with that op. Entries of a node come strongest edge first. Ties go to the lower input state
     * (the reference's stable sort) and, within an edge, to the op listed first in {@link DartsOp}.
     *
     * @param normal weights of the normal cell's edges, [14][8]: one row per edge in {@link DartsEdge#ALL}'s
     *               order, one column per {@link DartsOp} ('none' first, ignored), e.g. softmax(α)
     * @param reduce the same for the reduction cell
     */
    public static DartsGenotype derive(float[][] normal, float[][] reduce) {
        return new DartsGenotype(parse(normal, "normal"), parse(reduce, "reduce"));
    }

    /**
     * The genotype of a pruning mask over the 2 cell types, 14 edges and 7 candidate ops ({@link DartsOp#CANDIDATES}):
     * the weights an edge mixes its k active ops with (1/k each, 0 for pruned ops and 'none'), derived as
     * {@link #derive} does. After TE-NAS's op and edge pruning every node keeps two edges of one op each, and
     * those are its entries.
     */
    public static DartsGenotype fromMask(OpMask mask) {
        int cellTypes = DartsSpace.CELL_TYPES.size();
        int edges = DartsEdge.ALL.size();
        int ops = DartsOp.CANDIDATES.size();
        if (mask.cellTypes() != cellTypes || mask.edges() != edges || mask.ops() != ops) {
            throw new IllegalArgumentException("a DARTS mask has " + cellTypes + " cell types, " + edges + " edges and "
                    + ops + " ops, got " + mask.cellTypes() + ", " + mask.edges() + " and " + mask.ops());
        }
        float[][][] weights = new float[cellTypes][edges][DartsOp.values().length];
        for (int type = 0; type < cellTypes; type++) {
            for (int edge = 0; edge < edges; edge++) {
                float[] mixing = mask.weights(type, edge);
                System.arraycopy(mixing, 0, weights[type][edge], DartsOp.SKIP_CONNECT.ordinal(), mixing.length);
            }
        }
        return derive(weights[0], weights[1]);
    }

    /**
     * "Genotype(normal=[('sep_conv_3x3', 0), ...], normal_concat=[2, 3, 4, 5], reduce=[...],
     * reduce_concat=[2, 3, 4, 5])": every cell outputs the concatenation of its four step nodes.
     */
    @Override
    public String toString() {
        String concat = IntStream.range(DartsEdge.INPUTS, DartsEdge.INPUTS + DartsEdge.STEPS)
                .mapToObj(Integer::toString)
                .collect(Collectors.joining(", ", "[", "]"));
        return "Genotype(normal=" + normal + ", normal_concat=" + concat + ", reduce=" + reduce + ", reduce_concat="
                + concat + ")";
    }

    private static List<Entry> parse(float[][] weights, String cell) {
        Objects.requireNonNull(weights, cell);
        int columns = DartsOp.values().length;
        if (weights.length != DartsEdge.ALL.size()
                || !Arrays.stream(weights).allMatch(row -> row != null && row.length == columns)) {
            throw new IllegalArgumentException(cell + " weights must be [" + DartsEdge.ALL.size() + "][" + columns
                    + "] (one row per edge, one column per op including 'none')");
        }
        List<Entry> entries = new ArrayList<>();
        for (int node = DartsEdge.INPUTS; node < DartsEdge.INPUTS + DartsEdge.STEPS; node++) {
            int first = DartsEdge.firstEdge(node);
            List<Integer> sources = new ArrayList<>(IntStream.range(0, node).boxed().toList());
            // List.sort is stable: equally strong edges keep the lower input first.
            sources.sort(Comparator.comparingDouble((Integer source) -> strongest(weights[first + source])).reversed());
            for (int source : sources.subList(0, INPUTS_PER_NODE)) {
                entries.add(new Entry(bestOp(weights[first + source]), source));
            }
        }
        return entries;
    }

    /** The largest weight of an edge's ops other than 'none'. */
    private static float strongest(float[] row) {
        return row[bestOp(row).ordinal()];
    }

    /** The op other than 'none' of largest weight, the first listed on ties. */
    private static DartsOp bestOp(float[] row) {
        DartsOp best = DartsOp.SKIP_CONNECT;
        for (DartsOp op : DartsOp.CANDIDATES) {
            if (row[op.ordinal()] > row[best.ordinal()]) {
                best = op;
            }
        }
        return best;
    }

    private static List<Entry> checked(List<Entry> entries, String cell) {
        List<Entry> copy = List.copyOf(Objects.requireNonNull(entries, cell));
        if (copy.size() != ENTRIES) {
            throw new IllegalArgumentException("a " + cell + " cell has " + ENTRIES + " entries (" + INPUTS_PER_NODE
                    + " per step node), got " + copy.size());
        }
        for (int k = 0; k < ENTRIES; k++) {
            Entry entry = copy.get(k);
            int node = DartsEdge.INPUTS + k / INPUTS_PER_NODE;
            if (entry.input() < 0 || entry.input() >= node || entry.op() == DartsOp.NONE) {
                throw new IllegalArgumentException(cell + " entry " + k + " " + entry + " cannot feed step node " + node
                        + ", which reads states 0.." + (node - 1) + " through ops other than 'none'");
            }
        }
        return copy;
    }
}
