package dev.jnas.space.bayescell;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

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
