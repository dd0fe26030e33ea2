package dev.jnas.space.darts;

import java.util.ArrayList;
import java.util.List;

/**
 * An edge of the DARTS cell, from state source to node (source &lt; node). States 0 and 1 are the cell's two
 * (preprocessed) inputs, nodes 2..5 its four steps; node j takes an edge from every earlier state. {@link #ALL}
 * lists the 14 edges in the reference's order, node by node and by source within a node; the reference keys
 * them by step, "i&lt;-j" for node i + 2 (its '0&lt;-0' is our "2&lt;-0", its '3&lt;-4' our "5&lt;-4").
 */
public record DartsEdge(int node, int source) {
    /** The two input states. */
    public static final int INPUTS = 2;
    /** Step nodes per cell. */
    public static final int STEPS = 4;
    public static final List<DartsEdge> ALL = allEdges();

    public DartsEdge {
        if (node < INPUTS || node >= INPUTS + STEPS || source < 0 || source >= node) {
            throw new IllegalArgumentException("no DARTS edge from state " + source + " to node " + node);
        }
    }

    /** The index of node's first incoming edge in {@link #ALL}: 0, 2, 5, 9 for nodes 2..5. */
    public static int firstEdge(int node) {
        return (node - INPUTS) * (node + INPUTS - 1) / 2;
    }

    /** The edge's position in {@link #ALL}. */
    public int index() {
        return firstEdge(node) + source;
    }

    /** Whether it leaves one of the cell's inputs: such edges have stride 2 in a reduction cell. */
    public boolean fromInput() {
        return source < INPUTS;
    }

    /** "node&lt;-source", e.g. "2&lt;-0". */
    public String label() {
        return node + "<-" + source;
    }

    private static List<DartsEdge> allEdges() {
        List<DartsEdge> edges = new ArrayList<>();
        for (int node = INPUTS; node < INPUTS + STEPS; node++) {
            for (int source = 0; source < node; source++) {
                edges.add(new DartsEdge(node, source));
            }
        }
        return List.copyOf(edges);
    }
}
