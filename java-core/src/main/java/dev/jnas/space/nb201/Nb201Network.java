package dev.jnas.space.nb201;

import dev.jnas.bindings.GraphBuilder;
import dev.jnas.models.ModelBuilder;
import dev.jnas.models.ModelGraph;
import java.util.Objects;

/**
 * An NB201 network: one architecture's cell repeated on a {@link Nb201Skeleton}, with the parameter names of
 * the benchmark and of the shared test vectors (e.g. "layer0.edge2_1.conv.weight", "layer1.conv_a.bn.weight",
 * "head.linear.bias").
 */
public record Nb201Network(Nb201Architecture architecture, Nb201Skeleton skeleton) implements ModelBuilder {
    public Nb201Network {
        Objects.requireNonNull(architecture, "architecture");
        Objects.requireNonNull(skeleton, "skeleton");
    }

    /** @throws IllegalArgumentException without a stem, when channels is not the skeleton's C */
    @Override
    public ModelGraph build(GraphBuilder graph, int channels, int height, int width, int classes) {
        return skeleton.build(graph, (g, name, x, c) -> Nb201Layers.cell(g, name, architecture, x, c), channels,
                height, width, classes);
    }
}
