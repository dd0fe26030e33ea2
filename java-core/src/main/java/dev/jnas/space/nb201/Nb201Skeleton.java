package dev.jnas.space.nb201;

import dev.jnas.bindings.GraphBuilder;
import dev.jnas.models.ModelGraph;

/**
 * The macro skeleton around NB201 cells: an optional stem (conv 3x3 + BN to {@code channels}), then
 * {@code stages} stages of {@code cellsPerStage} cells each, a ResNet basic block halving the resolution and
 * doubling the channels before every stage but the first, then the head (BN, ReLU, global pool, linear).
 */
public record Nb201Skeleton(int channels, int cellsPerStage, int stages, boolean stem) {
    /** TE-NAS's network for the NTK condition number: C=3, N=1, stem, all 3 stages (5 layers). */
    public static final Nb201Skeleton NTK = new Nb201Skeleton(3, 1, 3, true);
    /** TE-NAS's thin network for linear regions: C=1, one cell, no stem, fed the raw 1-channel input. */
    public static final Nb201Skeleton LINEAR_REGIONS = new Nb201Skeleton(1, 1, 1, false);

    public Nb201Skeleton {
        if (channels < 1 || cellsPerStage < 1 || stages < 1) {
            throw new IllegalArgumentException("an NB201 skeleton needs channels, cells per stage and stages >= 1,"
                    + " got C=" + channels + ", N=" + cellsPerStage + ", stages=" + stages);
        }
    }

    /** Channels of the cells in stage (from 0): C, 2C, 4C, ... */
    public int stageChannels(int stage) {
        return channels << stage;
    }

    /** Builds one cell of a skeleton: a fixed architecture's cell, or a supernet's mixed cell. */
    @FunctionalInterface
    interface CellBuilder {
        int build(GraphBuilder graph, String name, int x, int channels);
    }

    /**
     * Builds the skeleton around cells. Layers are numbered in build order as the benchmark's modules are
     * ("layer0" the first cell, "layer1" the first ResNet block, ...), around "stem" and "head".
     *
     * @throws IllegalArgumentException without a stem, when channels is not the skeleton's C
     */
    ModelGraph build(GraphBuilder graph, CellBuilder cells, int inputChannels, int height, int width, int classes) {
        if (!stem && inputChannels != channels) {
            throw new IllegalArgumentException("without a stem the first cell takes the input as it is, so it"
                    + " needs " + channels + " channel(s), got " + inputChannels);
        }
        int input = graph.input(inputChannels, height, width);
        int x = stem ? Nb201Layers.convBn(graph, "stem", input, channels, 3, 1) : input;
        int layer = 0;
        for (int stage = 0; stage < stages; stage++) {
            int stageChannels = stageChannels(stage);
            if (stage > 0) {
                x = Nb201Layers.resNetBlock(graph, "layer" + layer++, x, stageChannels);
            }
            for (int cell = 0; cell < cellsPerStage; cell++) {
                x = cells.build(graph, "layer" + layer++, x, stageChannels);
            }
        }
        return new ModelGraph(input, Nb201Layers.head(graph, "head", x, classes));
    }
}
