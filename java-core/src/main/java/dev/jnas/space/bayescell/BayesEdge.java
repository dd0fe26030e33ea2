package dev.jnas.space.bayescell;

/**
 * An edge of a BayesNAS cell into node {@code node} (0..3) from state {@code source}: 0 is the cell input in0
 * (the previous cell), 1 is in1 (the cell two back), 2 + i is node i (i &lt; node). Named as the reference names
 * its Selection modules: "in0_2" (from in0 into node 2), "sel_0_3" (from node 0 into node 3).
 */
public record BayesEdge(int source, int node) {
    /** The cell's inputs in0 and in1. */
    public static final int INPUTS = 2;
    /** Intermediate nodes per cell; the cell outputs their concatenation. */
    public static final int NODES = 4;

    public BayesEdge {
        if (node < 0 || node >= NODES || source < 0 || source >= INPUTS + node) {
            throw new IllegalArgumentException("no BayesNAS edge from state " + source + " into node " + node);
        }
    }

    /** The edge called name ("in1_3", "sel_0_2"). */
    public static BayesEdge parse(String name) {
        String[] parts = name.split("_", -1);
        BayesEdge edge = null;
        try {
            if (parts.length == 2 && parts[0].matches("in[01]")) {
                edge = new BayesEdge(parts[0].charAt(2) - '0', Integer.parseInt(parts[1]));
            }
            if (parts.length == 3 && parts[0].equals("sel")) {
                edge = new BayesEdge(INPUTS + Integer.parseInt(parts[1]), Integer.parseInt(parts[2]));
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + name + "' is no BayesNAS edge: " + e.getMessage(), e);
        }
        // Only the canonical name: "sel_-1_2" or "in0_02" would be a second name for an edge, and a cell could
        // then list one edge twice.
        if (edge == null || !edge.name().equals(name)) {
            throw new IllegalArgumentException("'" + name + "' is no BayesNAS edge name (expected inI_J or sel_I_J"
                    + (edge == null ? ")" : "; this edge is written '" + edge.name() + "')"));
        }
        return edge;
    }

    /** Whether it leaves one of the cell inputs: such edges have stride 2 in a reduction cell. */
    public boolean fromInput() {
        return source < INPUTS;
    }

    /** "in0_2", "in1_3" or "sel_0_3". */
    public String name() {
        return fromInput() ? "in" + source + "_" + node : "sel_" + (source - INPUTS) + "_" + node;
    }
}
