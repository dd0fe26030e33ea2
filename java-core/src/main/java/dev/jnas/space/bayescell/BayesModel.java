package dev.jnas.space.bayescell;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.ToLongFunction;

import dev.jnas.bindings.GraphBuilder;
import dev.jnas.models.ModelBuilder;
import dev.jnas.models.ModelGraph;

/**
 * A derived BayesNAS genotype as a trainable model ({@code jnas train --model bayes --genotype ...}): its cells in
 * the CPU-sized stack (a normal cell per stage around two reductions) at C channels, for any input shape.
 */
public record BayesModel(BayesGenotype genotype, int channels) implements ModelBuilder {
    public static final String NAME = "bayes";

    @Override
    public ModelGraph build(GraphBuilder graph, int inputChannels, int height, int width, int classes) {
        if (height != width) {
            throw new IllegalArgumentException("BayesNAS networks take square images, not " + height + "x" + width);
        }
        BayesLayout layout = BayesLayout.stacked(channels, 1, genotype.topology(), inputChannels, height, classes);
        BayesGraph built = BayesNetwork.build(graph, layout, genotype);
        return new ModelGraph(built.input(), built.output());
    }

    /** How many random genotypes {@link #randomMatched} draws at most. */
    public static final int MATCH_DRAWS = 200;

    /**
     * A random genotype as {@link #randomLike} draws it whose parameter count is within ±tolerance (a fraction) of
     * reference's: the first of up to {@link #MATCH_DRAWS} draws that is, else the closest drawn. Matching on
     * parameters as well as on op count keeps a control from winning by drawing heavier ops (separable convs where
     * the reference kept pools).
     */
    public static BayesGenotype randomMatched(BayesGenotype reference, ToLongFunction<BayesGenotype> parameters,
                                              double tolerance, SplittableRandom random) {
        if (!(tolerance >= 0)) {
            throw new IllegalArgumentException("the tolerance must be >= 0, got " + tolerance);
        }
        long target = parameters.applyAsLong(reference);
        BayesGenotype closest = null;
        double closestGap = Double.POSITIVE_INFINITY;
        for (int draw = 0; draw < MATCH_DRAWS && closestGap > tolerance; draw++) {
            BayesGenotype candidate = randomLike(reference, random);
            double gap = Math.abs(parameters.applyAsLong(candidate) - target) / (double) target;
            if (gap < closestGap) {
                closest = candidate;
                closestGap = gap;
            }
        }
        return closest;
    }

    /**
     * A random genotype of the same size as reference: per cell type, as many (edge, op) pairs, drawn uniformly
     * without replacement among all of the cell's edges and ops. The control a derived cell is measured against.
     */
    public static BayesGenotype randomLike(BayesGenotype reference, SplittableRandom random) {
        Map<CellType, DerivedCell> cells = new EnumMap<>(CellType.class);
        for (CellType type : CellType.values()) {
            DerivedCell cell = reference.cell(type);
            List<BayesEdge> edges = reference.topology().edges(type);
            List<Map.Entry<BayesEdge, BayesOp>> pairs = new ArrayList<>();
            int kept = 0;
            for (BayesEdge edge : edges) {
                kept += cell.ops(edge).size();
                for (BayesOp op : BayesOp.values()) {
                    pairs.add(Map.entry(edge, op));
                }
            }
            Map<BayesEdge, Set<BayesOp>> chosen = new HashMap<>();
            for (BayesEdge edge : edges) {
                chosen.put(edge, new HashSet<>());
            }
            for (int i = 0; i < kept; i++) {
                int j = i + random.nextInt(pairs.size() - i);
                Map.Entry<BayesEdge, BayesOp> pick = pairs.get(j);
                pairs.set(j, pairs.get(i));
                pairs.set(i, pick);
                chosen.get(pick.getKey()).add(pick.getValue());
            }
            cells.put(type, new DerivedCell(reference.topology(), type, chosen));
        }
        return new BayesGenotype(reference.topology(), cells.get(CellType.NORMAL), cells.get(CellType.REDUCTION));
    }
}
