package dev.jnas.search.tenas;

import dev.jnas.bindings.GraphBuilder;
import dev.jnas.bindings.Init;

/**
 * How a supernet's mixing weights enter its graph: the node one edge's weights come from, made once per cell type
 * and edge under the name {@link PruningSpace#alphaName}.
 */
@FunctionalInterface
public interface MixingWeights {
    /** Free, non-trainable parameters of ops values, zero until written: one mask for the whole batch. */
    MixingWeights PARAMETERS = (graph, name, ops) -> graph.param(name, new long[] {ops}, Init.ZEROS, false);

    /** The node id of the weights named name, holding ops values (per sample, when an input). */
    int node(GraphBuilder graph, String name, int ops);
}
