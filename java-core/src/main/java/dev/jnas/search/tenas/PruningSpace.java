package dev.jnas.search.tenas;

import dev.jnas.bindings.GraphBuilder;
import dev.jnas.models.ModelGraph;
import java.util.List;

/**
 * A cell-based space as TE-NAS's pruning sees it: one or more cell types (NB201: one; DARTS: normal and
 * reduce), each with the same edges, every edge a mixed edge over {@link #ops()} ('none' is never a candidate,
 * so it is not listed). The pruning works on an {@link OpMask} and never looks inside the networks.
 */
public interface PruningSpace {
    /** Mixed-edge branches with a weight at or below this are skipped, as the public code's 0.01. */
    float SKIP_THRESHOLD = 0.01f;

    /** "nb201" or "darts": the --space value and part of the store key. */
    String name();

    /** Cell type names, e.g. ["cell"] or ["normal", "reduce"]. */
    List<String> cellTypes();

    /** Edges per cell type. */
    int edges();

    /** A readable edge label in the references' order, e.g. "1<-0" (NB201) or "2<-0" (DARTS, node 2 = first step). */
    String edgeLabel(int edge);

    /** The candidate ops of every edge in mixing-weight order, by their benchmark names; no 'none'. */
    List<String> ops();

    /** Ops pruned per edge per round (NB201 1, DARTS CIFAR-style 3, ImageNet-style 2). */
    int pruneNumber();

    /**
     * The incoming edges of each node as [first, end) edge ranges, for the final edge pruning that keeps
     * {@link #edgesKeptPerNode()} inputs per node; empty when the space has no edge pruning (NB201).
     */
    List<int[]> nodeEdgeGroups();

    /** Inputs kept per node by the edge pruning (DARTS: 2). */
    int edgesKeptPerNode();

    /**
     * Builds the supernet of the given kind into graph for a head of the given number of classes. The mixing
     * weights of edge e of cell type t are one node made by weights under the name {@link #alphaName}(t, e)
     * holding {@code ops().size()} values, shared by every cell of that type, read by mixed edges with
     * threshold {@link #SKIP_THRESHOLD}. An edge whose weights are all zero contributes zeros.
     */
    ModelGraph buildSupernet(GraphBuilder graph, SupernetKind kind, int classes, MixingWeights weights);

    /** The supernet with {@link MixingWeights#PARAMETERS}: one mask for the whole batch. */
    default ModelGraph buildSupernet(GraphBuilder graph, SupernetKind kind, int classes) {
        return buildSupernet(graph, kind, classes, MixingWeights.PARAMETERS);
    }

    /** The final architecture in the space's own notation (an NB201 string, a DARTS genotype). */
    String describe(OpMask mask);

    static String alphaName(String cellType, int edge) {
        return "arch." + cellType + ".edge" + edge;
    }
}
