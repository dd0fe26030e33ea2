package dev.jnas.space.bayescell;

import dev.jnas.bindings.GraphBuilder;
import java.util.ArrayList;
import java.util.List;

/**
 * The skeleton shared by the supernet and the stand-alone networks: stem (conv 3x3 → BN), the layout's cells,
 * head (BN → ReLU → global pool → linear). Each cell reads the previous cell (in0) and the one two back (in1),
 * both through CReduct; in1 is halved first when the previous cell was a reduction (it then has twice the
 * cell's resolution). The first cell reads the stem twice.
 */
final class BayesBackbone {
    private BayesBackbone() {
    }

    /** The edge builder of cell index. */
    @FunctionalInterface
    interface CellEdges {
        BayesCell.EdgeBuilder edges(BayesCell cell, int index);
    }

    static BayesGraph build(GraphBuilder graph, BayesLayout layout, CellEdges cellEdges) {
        int input = graph.input(layout.inputChannels(), layout.imageSize(), layout.imageSize());
        int stem = BayesLayers.stem(graph, "stem", input, BayesLayers.STEM_MULTIPLIER * layout.channels());
        int previous = stem;
        int twoBack = stem;
        boolean previousReduced = false;
        List<Integer> outputs = new ArrayList<>();
        for (int index = 0; index < layout.cells().size(); index++) {
            String name = BayesLayout.cellName(index);
            BayesCell cell = new BayesCell(layout.topology(), layout.cells().get(index), layout.cellChannels(index));
            int in0 = BayesLayers.cReduct(graph, name + ".in0", previous, cell.channels(), false);
            int in1 = BayesLayers.cReduct(graph, name + ".in1", twoBack, cell.channels(), previousReduced);
            int out = cell.build(graph, in0, in1, cellEdges.edges(cell, index));
            outputs.add(out);
            twoBack = previous;
            previous = out;
            previousReduced = cell.type() == CellType.REDUCTION;
        }
        return new BayesGraph(input, BayesLayers.head(graph, "head", previous, layout.classes()), outputs);
    }
}
