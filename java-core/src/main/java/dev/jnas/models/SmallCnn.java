package dev.jnas.models;

import dev.jnas.bindings.GraphBuilder;

/**
 * A small image classifier: two blocks of conv 3x3 → batch norm → ReLU → max pool 2, then a linear layer
 * on the flattened features (16 → 32 channels; for 28x28 inputs the head sees 32·7·7 features). A linear
 * head rather than global average pooling keeps the spatial layout, which one epoch of training needs.
 */
public final class SmallCnn implements ModelBuilder {
    public static final String NAME = "small-cnn";
    private static final int WIDTH_1 = 16;
    private static final int WIDTH_2 = 32;

    @Override
    public ModelGraph build(GraphBuilder graph, int channels, int height, int width, int classes) {
        int input = graph.input(channels, height, width);
        int x = block(graph, "block1", input, WIDTH_1);
        x = block(graph, "block2", x, WIDTH_2);
        int logits = graph.linear("head", x, classes);
        return new ModelGraph(input, logits);
    }

    private static int block(GraphBuilder graph, String name, int x, int channels) {
        int conv = graph.conv2d(name + ".conv", x, channels, 3, 1, 1);
        int normalized = graph.batchNorm(name + ".bn", conv);
        int activated = graph.relu(normalized);
        return graph.maxPool(activated, 2, 2, 0);
    }
}
