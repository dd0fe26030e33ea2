package dev.jnas.search.alphanas;

/**
 * How an input dim relates to an output dim, from no relation to full mixing; ordered, so that joining two
 * relations takes the larger.
 */
public enum Mapping {
    /** The output dim does not see every position of the input dim. */
    NONE,
    /** Paired, and each output element sees one position of the input dim (e.g. batch to batch). */
    ONE_TO_ONE,
    /** Paired, and an output element sees several but not all positions (e.g. a 3x3 conv's spatial dims). */
    MANY_TO_ONE,
    /** Every output element sees every position of the input dim (e.g. a dense layer's features). */
    ALL_TO_ONE;

    public static Mapping max(Mapping a, Mapping b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    /**
     * The mapping of a paired input dim of size positions (more than 1) when the output's centre element sees seen
     * of its positions.
     */
    public static Mapping ofCentreCount(int seen, int positions) {
        if (seen == positions) {
            return ALL_TO_ONE;
        }
        return seen > 1 ? MANY_TO_ONE : ONE_TO_ONE;
    }
}
