package dev.jnas.models;

import dev.jnas.bindings.GraphBuilder;

/** Adds a classifier for images of [channels, height, width] and classes outputs to a graph. */
@FunctionalInterface
public interface ModelBuilder {
    ModelGraph build(GraphBuilder graph, int channels, int height, int width, int classes);
}
