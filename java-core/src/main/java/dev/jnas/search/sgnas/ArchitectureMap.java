package dev.jnas.search.sgnas;

/**
 * The layout of every architecture array SGNAS's generator side handles (priors, logits, probabilities): layer
 * major, one row of {@value #COLUMNS} columns per searchable layer, column = sub-block · {@value #CHOICES} +
 * choice with the choices k3, k5, k7 and skip. It is the layout of {@code dev.jnas.space.mbconv}'s one-hot
 * encoding, restated here so that this package does not depend on the search space.
 *
 * <p>The reference makes every layer "static": sub-block 0 may not skip, so its group has only the first
 * {@value #CHOICES} − 1 choices and its skip entry is always 0.
 */
public final class ArchitectureMap {
    public static final int SUB_BLOCKS = 6;
    /** k3, k5, k7, skip. */
    public static final int CHOICES = 4;
    public static final int SKIP = CHOICES - 1;
    public static final int COLUMNS = SUB_BLOCKS * CHOICES;

    private ArchitectureMap() {
    }

    /** How many leading choices of a sub-block's group are allowed: all but skip for sub-block 0. */
    static int allowedChoices(int subBlock) {
        return subBlock == 0 ? SKIP : CHOICES;
    }

    /** The index of group (layer, sub-block)'s first entry. */
    static int groupStart(int layer, int subBlock) {
        return layer * COLUMNS + subBlock * CHOICES;
    }

    /** @throws IllegalArgumentException unless map holds layers rows of {@value #COLUMNS} values */
    static void requireShape(float[] map, int layers, String what) {
        if (map == null) {
            throw new IllegalArgumentException(what + " is null");
        }
        if (layers < 1) {
            throw new IllegalArgumentException(what + ": the number of layers must be at least 1, got " + layers);
        }
        if (map.length != (long) layers * COLUMNS) {
            throw new IllegalArgumentException(what + " has " + map.length + " values but " + layers + " layers × "
                    + COLUMNS + " columns need " + (long) layers * COLUMNS);
        }
    }

    /** The number of layers of a map, which must hold a positive whole number of rows. */
    static int layersOf(float[] map, String what) {
        if (map == null) {
            throw new IllegalArgumentException(what + " is null");
        }
        if (map.length == 0 || map.length % COLUMNS != 0) {
            throw new IllegalArgumentException(what + " has " + map.length + " values, not a positive multiple of "
                    + COLUMNS + " columns");
        }
        return map.length / COLUMNS;
    }
}
