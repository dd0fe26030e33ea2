package dev.jnas.space.mbconv;

import static dev.jnas.space.mbconv.MbconvLayout.SUB_BLOCKS;

import dev.jnas.bindings.GraphBuilder;
import dev.jnas.bindings.GraphMacs;
import dev.jnas.models.ModelGraph;
import java.util.ArrayList;
import java.util.List;

/**
 * The stand-alone network of one architecture (the reference's final model without SE, dropout and h-swish):
 * the supernet's front and head around one MBConv per layer. A layer of expansion e has, per active sub-block b
 * (in sub-block order), an expand conv 1x1 from C to C with BN and ReLU6 and a depthwise conv of the sub-block's
 * kernel with BN and ReLU6: the reference's expand conv C → e·C followed by a MixConv over e groups. The e outputs
 * are concatenated, projected by a conv 1x1 with BN, and added to the input where the layer keeps its shape.
 * With e = 1 the middle width equals C and, as in the reference, there is no expand conv.
 */
public final class MbconvModel {
    private MbconvModel() {
    }

    /** Builds architecture's network for layout into graph. */
    public static ModelGraph build(GraphBuilder graph, MbconvLayout layout, MbconvArchitecture architecture) {
        if (architecture.layerCount() != layout.layerCount()) {
            throw new IllegalArgumentException("the architecture has " + architecture.layerCount()
                    + " layers but the layout has " + layout.layerCount() + ": " + layout.describe());
        }
        int input = graph.input(layout.inputChannels(), layout.imageSize(), layout.imageSize());
        int x = MbconvBlocks.front(graph, layout, input);
        for (LayerSpec layer : layout.layers()) {
            x = layer(graph, layer, architecture, x);
        }
        return new ModelGraph(input, MbconvBlocks.head(graph, layout, x));
    }

    /** The stand-alone network's exact MACs per sample, counted by the engine over its graph. */
    public static GraphMacs macs(MbconvLayout layout, MbconvArchitecture architecture) {
        try (GraphBuilder graph = GraphBuilder.create()) {
            return graph.macs(build(graph, layout, architecture).output());
        }
    }

    private static int layer(GraphBuilder graph, LayerSpec layer, MbconvArchitecture architecture, int x) {
        boolean expands = architecture.expansion(layer.index()) > 1;
        List<Integer> branches = new ArrayList<>();
        for (int b = 0; b < SUB_BLOCKS; b++) {
            SubBlockChoice choice = architecture.choice(layer.index(), b);
            if (choice != SubBlockChoice.SKIP) {
                int middle = expands ? MbconvBlocks.expand(graph, layer, b, x) : x;
                branches.add(MbconvBlocks.depthwise(graph, layer, b, choice, middle));
            }
        }
        int concatenated = graph.concat(branches.stream().mapToInt(Integer::intValue).toArray());
        int projected = graph.batchNorm(layer.name() + ".project.bn", MbconvBlocks.project(graph, layer, concatenated));
        return MbconvBlocks.residual(graph, layer, x, projected);
    }
}
