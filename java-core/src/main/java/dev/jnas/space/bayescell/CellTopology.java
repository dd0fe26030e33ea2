package dev.jnas.space.bayescell;

import java.util.ArrayList;
import java.util.List;

/** Which edges a BayesNAS cell has, listed node by node. */
public enum CellTopology {
    /**
     * The public code's 8-edge cells. Normal: node j &lt; 3 takes in0_j and in1_j, node 3 takes in1_3 and sel_0_3.
     * The reference's forward pass feeds in1_3 from in0, but its Hessian pass and the paper read in1; we wire in1.
     * Reduction: node 0 takes in0_0 and in1_0, node j &ge; 1 takes in1_j and sel_0_j.
     */
    PUBLIC_CODE_8,
    /** The paper's DARTS cells, 14 edges: node j takes both inputs and every earlier node. */
    DARTS_14;

    /** The edges of a cell of this topology and type, node by node and by source within a node. */
    public List<BayesEdge> edges(CellType type) {
        List<BayesEdge> edges = new ArrayList<>();
        for (int node = 0; node < BayesEdge.NODES; node++) {
            for (int source = 0; source < BayesEdge.INPUTS + node; source++) {
                if (this == DARTS_14 || inPublicCode(type, source, node)) {
                    edges.add(new BayesEdge(source, node));
                }
            }
        }
        return List.copyOf(edges);
    }

    private static boolean inPublicCode(CellType type, int source, int node) {
        boolean fromNode0 = source == BayesEdge.INPUTS;
        return switch (type) {
            case NORMAL -> node < BayesEdge.NODES - 1 ? source < BayesEdge.INPUTS : source == 1 || fromNode0;
            case REDUCTION -> node == 0 || source == 1 || fromNode0;
        };
    }
}
