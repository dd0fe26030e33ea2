package dev.jnas.space.bayescell;

import dev.jnas.bindings.GraphBuilder;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The stand-alone network of a {@link BayesGenotype}: {@link BayesBackbone}'s skeleton with every edge the sum
 * of the ops its cell keeps (no switches); a pruned edge contributes nothing.
 */
public final class BayesNetwork {
    private BayesNetwork() {
    }

    /** Builds the network of layout whose normal and reduction cells are genotype's. */
    public static BayesGraph build(GraphBuilder graph, BayesLayout layout, BayesGenotype genotype) {
        if (layout.topology() != genotype.topology()) {
            throw new IllegalArgumentException("the layout has " + layout.topology() + " cells but the genotype "
                    + genotype.topology());
        }
        return BayesBackbone.build(graph, layout, (cell, index) -> (edge, x, stride) -> {
            Set<BayesOp> ops = genotype.cell(cell.type()).ops(edge);
            OptionalInt sum = OptionalInt.empty();
            String name = BayesLayout.cellName(index) + "." + edge.name() + ".";
            for (BayesOp op : ops) {
                int out = BayesLayers.op(graph, name + op.shortName(), op, x, cell.channels(), stride);
                sum = OptionalInt.of(sum.isPresent() ? graph.add(sum.getAsInt(), out) : out);
            }
            return sum;
        });
    }
}
