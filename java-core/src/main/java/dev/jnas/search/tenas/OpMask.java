package dev.jnas.search.tenas;

import java.util.Arrays;

/**
 * Which ops are still active on every edge of every cell type: TE-NAS's architecture parameters, where an
 * active op has α = 0 and a pruned one α = −∞, so an edge mixes its k active ops with weight 1/k each.
 * Immutable; {@link #encode()} and {@link #decode} give the text kept in the store, e.g. "1111,1011;0111,...".
 */
public final class OpMask {
    private final boolean[][][] active; // [cell type][edge][op]

    private OpMask(boolean[][][] active) {
        this.active = active;
    }

    /** Every op active on every edge: the unpruned supernet. */
    public static OpMask full(int cellTypes, int edges, int ops) {
        if (cellTypes < 1 || edges < 1 || ops < 1) {
            throw new IllegalArgumentException("a mask needs at least one cell type, edge and op");
        }
        boolean[][][] active = new boolean[cellTypes][edges][ops];
        for (boolean[][] cell : active) {
            for (boolean[] edge : cell) {
                Arrays.fill(edge, true);
            }
        }
        return new OpMask(active);
    }

    public int cellTypes() {
        return active.length;
    }

    public int edges() {
        return active[0].length;
    }

    public int ops() {
        return active[0][0].length;
    }

    public boolean isActive(int cellType, int edge, int op) {
        return active[cellType][edge][op];
    }

    public int activeCount(int cellType, int edge) {
        int count = 0;
        for (boolean on : active[cellType][edge]) {
            count += on ? 1 : 0;
        }
        return count;
    }

    /** The single active op of an edge, or -1 when it has none or several. */
    public int singleOp(int cellType, int edge) {
        if (activeCount(cellType, edge) != 1) {
            return -1;
        }
        for (int op = 0; ; op++) {
            if (active[cellType][edge][op]) {
                return op;
            }
        }
    }

    /** Whether every edge has exactly one op (TE-NAS's is_single_path); edges already pruned away do not count. */
    public boolean isSinglePath() {
        for (int t = 0; t < active.length; t++) {
            for (int e = 0; e < active[t].length; e++) {
                if (activeCount(t, e) > 1) {
                    return false;
                }
            }
        }
        return true;
    }

    /** A copy with op pruned on that edge. */
    public OpMask without(int cellType, int edge, int op) {
        if (!active[cellType][edge][op]) {
            throw new IllegalArgumentException("op " + op + " of edge " + edge + " (cell type " + cellType
                    + ") is already pruned");
        }
        boolean[][][] copy = deepCopy();
        copy[cellType][edge][op] = false;
        return new OpMask(copy);
    }

    /** The mixing weights of one edge: 1/k for its k active ops, 0 for the pruned ones. */
    public float[] weights(int cellType, int edge) {
        float[] weights = new float[ops()];
        int count = activeCount(cellType, edge);
        for (int op = 0; op < weights.length; op++) {
            weights[op] = active[cellType][edge][op] ? 1.0f / count : 0.0f;
        }
        return weights;
    }

    /** Cell types separated by ';', edges by ',', one '1' or '0' per op. */
    public String encode() {
        StringBuilder text = new StringBuilder();
        for (int t = 0; t < active.length; t++) {
            if (t > 0) {
                text.append(';');
            }
            for (int e = 0; e < active[t].length; e++) {
                if (e > 0) {
                    text.append(',');
                }
                for (boolean on : active[t][e]) {
                    text.append(on ? '1' : '0');
                }
            }
        }
        return text.toString();
    }

    /** @throws IllegalArgumentException when text is not what {@link #encode()} writes */
    public static OpMask decode(String text) {
        String[] cells = text.split(";", -1);
        boolean[][][] active = new boolean[cells.length][][];
        for (int t = 0; t < cells.length; t++) {
            String[] edges = cells[t].split(",", -1);
            active[t] = new boolean[edges.length][];
            for (int e = 0; e < edges.length; e++) {
                String bits = edges[e];
                if (bits.isEmpty() || !bits.chars().allMatch(c -> c == '0' || c == '1')) {
                    throw new IllegalArgumentException("bad op mask '" + text + "': edge " + e + " of cell type " + t
                            + " is '" + bits + "', not a string of 0s and 1s");
                }
                active[t][e] = new boolean[bits.length()];
                for (int op = 0; op < bits.length(); op++) {
                    active[t][e][op] = bits.charAt(op) == '1';
                }
                if (bits.length() != active[0][0].length || edges.length != active[0].length) {
                    throw new IllegalArgumentException("bad op mask '" + text + "': cell types and edges differ in size");
                }
            }
        }
        return new OpMask(active);
    }

    private boolean[][][] deepCopy() {
        boolean[][][] copy = new boolean[active.length][][];
        for (int t = 0; t < active.length; t++) {
            copy[t] = new boolean[active[t].length][];
            for (int e = 0; e < active[t].length; e++) {
                copy[t][e] = active[t][e].clone();
            }
        }
        return copy;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof OpMask mask && Arrays.deepEquals(active, mask.active);
    }

    @Override
    public int hashCode() {
        return Arrays.deepHashCode(active);
    }

    @Override
    public String toString() {
        return encode();
    }
}
