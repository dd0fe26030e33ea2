package dev.jnas.space.nb201;

import dev.jnas.bindings.GraphBuilder;
import dev.jnas.models.ModelBuilder;
import dev.jnas.models.ModelGraph;
import java.util.Objects;

/**
 * An NB201 network: one architecture's cell repeated on a {@link Nb201Skeleton}. Layers are numbered in
 * build order as the benchmark's modules are ("layer0" the first cell, "layer1" the first ResNet block, ...),
 * around "stem" and "head", which gives the parameter names of the benchmark and of the shared test vectors
 * (e.g. "layer0.edge2_1.conv.weight", "layer1.conv_a.bn.weight", "head.linear.bias").
 */
public record Nb201Network(Nb201Architecture architecture, Nb201Skeleton skeleton) implements ModelBuilder {
    public Nb201Network {
        Objects.requireNonNull(architecture, "architecture");
        Objects.requireNonNull(skeleton, "skeleton");
    }

    /** @throws IllegalArgumentException without a stem, when channels is not the skeleton's C */
    @Override
    public ModelGraph build(GraphBuilder graph, int channels, int height, int width, int classes) {
        if (!skeleton.stem() && channels != skeleton.channels()) {
            throw new IllegalArgumentException("without a stem the first cell takes the input as it is, so it"
                    + " needs " + skeleton.channels() + " channel(s), got " + channels);
        }
        int input = graph.input(channels, height, width);
        int x = skeleton.stem() ? Nb201Layers.convBn(graph, "stem", input, skeleton.channels(), 3, 1) : input;
        int layer = 0;
        for (int stage = 0; stage < skeleton.stages(); stage++) {
            int stageChannels = skeleton.stageChannels(stage);
            if (stage > 0) {
                x = Nb201Layers.resNetBlock(graph, layerName(layer++), x, stageChannels);
            }
            for (int cell = 0; cell < skeleton.cellsPerStage(); cell++) {
                x = Nb201Layers.cell(graph, layerName(layer++), architecture, x, stageChannels);
            }
        }
        return new ModelGraph(input, Nb201Layers.head(graph, "head", x, classes));
    }

    private static String layerName(int layer) {
        return "layer" + layer;
    }
}
