package dev.jnas.space.bayescell;

import java.util.List;

/**
 * The nodes of a built BayesNAS network (supernet or stand-alone) that its users need: where the images go in,
 * where the logits come out, and every cell's output (4·C_i channels), in cell order.
 */
public record BayesGraph(int input, int output, List<Integer> cellOutputs) {
    public BayesGraph {
        cellOutputs = List.copyOf(cellOutputs);
    }
}
