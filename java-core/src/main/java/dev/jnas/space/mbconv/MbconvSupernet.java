package dev.jnas.space.mbconv;

import static dev.jnas.space.mbconv.MbconvLayout.SUB_BLOCKS;

import dev.jnas.bindings.GraphBuilder;
import dev.jnas.bindings.Init;

/**
 * SGNAS's unified supernet as a graph. Every searchable layer is one MBConv at the maximum expansion 6: its
 * expand conv 1x1 from C to 6·C is built as six convs C → C, one per sub-block ("layer{l}.block{b}.expand", BN
 * and ReLU6 being per channel this is the same network), each followed by a mixed edge over its depthwise 3x3,
 * 5x5 and 7x7 branches and a zero branch (skip). The six sub-blocks are concatenated and projected to the output
 * channels by a conv 1x1 without BN; then a switchable BN: six BNs ("layer{l}.sbn{i}"), of which the one for i
 * skipped sub-blocks runs; then the residual where the layer keeps its shape.
 *
 * <p>The mixed edges' weights are free, non-trainable parameters that start at zero: "arch.layer{l}.block{b}"
 * (one per choice, in {@link SubBlockChoice} order) and "sbn.layer{l}" (one-hot over the six BNs). Branches whose
 * weight is at most {@link #MIXING_THRESHOLD} are neither computed nor differentiated, and the executor computes
 * only what the output needs, so a one-hot path costs only its own ops. {@link SupernetPath} writes them.
 */
public record MbconvSupernet(int input, int output, MbconvLayout layout) {
    /** The reference runs a sub-block's candidate op only when its weight is above 1e-2. */
    public static final float MIXING_THRESHOLD = 1e-2f;
    /** Switchable-BN weights are one-hot, so a threshold of one half runs exactly the selected BN. */
    private static final float SBN_THRESHOLD = 0.5f;

    /** Builds the supernet of layout into graph. */
    public static MbconvSupernet build(GraphBuilder graph, MbconvLayout layout) {
        int input = graph.input(layout.inputChannels(), layout.imageSize(), layout.imageSize());
        int x = MbconvBlocks.front(graph, layout, input);
        for (LayerSpec layer : layout.layers()) {
            x = layer(graph, layer, x);
        }
        return new MbconvSupernet(input, MbconvBlocks.head(graph, layout, x), layout);
    }

    /** The name of sub-block b's mixing weights in layer l. */
    public static String mixingName(int layer, int subBlock) {
        return "arch.layer" + layer + ".block" + subBlock;
    }

    /** The name of layer l's switchable-BN weights. */
    public static String sbnWeightsName(int layer) {
        return "sbn.layer" + layer;
    }

    private static int layer(GraphBuilder graph, LayerSpec layer, int x) {
        int[] subBlocks = new int[SUB_BLOCKS];
        for (int b = 0; b < SUB_BLOCKS; b++) {
            subBlocks[b] = subBlock(graph, layer, b, x);
        }
        int projected = MbconvBlocks.project(graph, layer, graph.concat(subBlocks));
        int[] norms = new int[SUB_BLOCKS];
        for (int skipped = 0; skipped < SUB_BLOCKS; skipped++) {
            norms[skipped] = graph.batchNorm(layer.name() + ".sbn" + skipped, projected);
        }
        int sbnWeights = graph.param(sbnWeightsName(layer.index()), new long[] {SUB_BLOCKS}, Init.ZEROS, false);
        int normalized = graph.mixed(norms, sbnWeights, SBN_THRESHOLD);
        return MbconvBlocks.residual(graph, layer, x, normalized);
    }

    /** Sub-block b: its expand conv, then the mixed edge over the choices in {@link SubBlockChoice} order. */
    private static int subBlock(GraphBuilder graph, LayerSpec layer, int b, int x) {
        int expanded = MbconvBlocks.expand(graph, layer, b, x);
        SubBlockChoice[] choices = SubBlockChoice.values();
        int[] branches = new int[choices.length];
        for (SubBlockChoice choice : choices) {
            branches[choice.ordinal()] = choice == SubBlockChoice.SKIP
                    ? graph.zero(expanded, layer.stride())
                    : MbconvBlocks.depthwise(graph, layer, b, choice, expanded);
        }
        int weights = graph.param(mixingName(layer.index(), b), new long[] {choices.length}, Init.ZEROS, false);
        return graph.mixed(branches, weights, MIXING_THRESHOLD);
    }
}
