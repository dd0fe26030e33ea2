package dev.jnas.space.nb201;

import java.util.ArrayList;
import java.util.List;

/**
 * An edge of the NB201 cell, from node source to node target (source < target). The cell has nodes 0..3,
 * node 0 being the cell's input; {@link #ALL} lists its 6 edges in NB201's order, the order of its
 * architecture strings and of its modules ('1<-0', '2<-0', '2<-1', '3<-0', '3<-1', '3<-2').
 */
public record Nb201Edge(int target, int source) {
    public static final int NODES = 4;
    public static final List<Nb201Edge> ALL = allEdges();

    public Nb201Edge {
        if (target < 1 || target >= NODES || source < 0 || source >= target) {
            throw new IllegalArgumentException("no NB201 edge from node " + source + " to node " + target);
        }
    }

    /** The edge's position in {@link #ALL}. */
    public int index() {
        return target * (target - 1) / 2 + source;
    }

    /** "edge{target}_{source}", the edge's part of its parameter names (e.g. "layer0.edge2_1.conv.weight"). */
    public String paramName() {
        return "edge" + target + "_" + source;
    }

    private static List<Nb201Edge> allEdges() {
        List<Nb201Edge> edges = new ArrayList<>();
        for (int target = 1; target < NODES; target++) {
            for (int source = 0; source < target; source++) {
                edges.add(new Nb201Edge(target, source));
            }
        }
        return List.copyOf(edges);
    }
}
