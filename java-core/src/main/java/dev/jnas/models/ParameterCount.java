package dev.jnas.models;

import dev.jnas.bindings.Engine;
import dev.jnas.bindings.GraphBuilder;
import dev.jnas.bindings.Init;
import dev.jnas.bindings.Net;

/** How many trainable values a model has: the size that controls and compressions are compared by. */
public final class ParameterCount {
    private ParameterCount() {
    }

    /** The trainable values of a compiled net (weights, biases, batch-norm γ and β; not running statistics). */
    public static long trainable(Net net) {
        long total = 0;
        for (int index = 0; index < net.paramCount(); index++) {
            if (net.isTrainable(index)) {
                total += net.paramNumel(index);
            }
        }
        return total;
    }

    /** The trainable values of model built for images of [channels, height, width] and classes outputs. */
    public static long trainable(Engine engine, ModelBuilder model, int channels, int height, int width, int classes) {
        try (GraphBuilder graph = GraphBuilder.create()) {
            ModelGraph nodes = model.build(graph, channels, height, width, classes);
            try (Net net = Net.compile(engine, graph, nodes.output(), Init.PYTORCH_DEFAULT, 0)) {
                return trainable(net);
            }
        }
    }
}
