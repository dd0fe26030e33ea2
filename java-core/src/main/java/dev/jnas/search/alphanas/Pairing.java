package dev.jnas.search.alphanas;

import java.util.Arrays;

/**
 * The mixing relation of one input tensor to one output tensor: a {@link Mapping} per (input dim, output dim).
 * Input dim i and output dim j are paired when every position along i influences some element of the 1-D slice
 * of the output along j through its centre element; paired dims map ALL_TO_ONE when the centre element depends
 * on every position along i, MANY_TO_ONE on several, else ONE_TO_ONE. An input dim of size 1 has no positions to
 * relate and pairs with nothing.
 */
public final class Pairing {
    private final Mapping[][] mappings;

    private Pairing(Mapping[][] mappings) {
        this.mappings = mappings;
    }

    /** A pairing with every entry given: rows are input dims, columns output dims. */
    public static Pairing of(Mapping[][] mappings) {
        int columns = mappings[0].length;
        Mapping[][] copy = new Mapping[mappings.length][];
        for (int row = 0; row < mappings.length; row++) {
            if (mappings[row].length != columns) {
                throw new IllegalArgumentException("pairing rows differ in length: " + Arrays.deepToString(mappings));
            }
            copy[row] = mappings[row].clone();
        }
        return new Pairing(copy);
    }

    /** A tensor to itself: ONE_TO_ONE on the diagonal (NONE for dims of size 1, which pair with nothing). */
    public static Pairing identity(int[] dims) {
        Mapping[][] mappings = filled(dims.length, dims.length);
        for (int dim = 0; dim < dims.length; dim++) {
            mappings[dim][dim] = dims[dim] > 1 ? Mapping.ONE_TO_ONE : Mapping.NONE;
        }
        return new Pairing(mappings);
    }

    public int inputRank() {
        return mappings.length;
    }

    public int outputRank() {
        return mappings[0].length;
    }

    public Mapping get(int inputDim, int outputDim) {
        return mappings[inputDim][outputDim];
    }

    /** The number of entries that are not NONE. */
    public int pairedCount() {
        int count = 0;
        for (Mapping[] row : mappings) {
            for (Mapping mapping : row) {
                count += mapping != Mapping.NONE ? 1 : 0;
            }
        }
        return count;
    }

    /**
     * This pairing (a to b) followed by next (b to c). An input dim that reaches some dim of b ALL_TO_ONE reaches
     * every dim of c ALL_TO_ONE: every element of b, and so of c, depends on all its positions. Otherwise the
     * composite is, over the dims of b that both steps pair, the largest mapping on the way; NONE where none do.
     */
    public Pairing then(Pairing next) {
        if (outputRank() != next.inputRank()) {
            throw new IllegalArgumentException("cannot compose a pairing to rank " + outputRank()
                    + " with one from rank " + next.inputRank());
        }
        Mapping[][] result = filled(inputRank(), next.outputRank());
        for (int in = 0; in < inputRank(); in++) {
            boolean absorbed = Arrays.asList(mappings[in]).contains(Mapping.ALL_TO_ONE);
            for (int out = 0; out < next.outputRank(); out++) {
                Mapping composed = absorbed ? Mapping.ALL_TO_ONE : Mapping.NONE;
                for (int middle = 0; !absorbed && middle < outputRank(); middle++) {
                    Mapping first = mappings[in][middle];
                    Mapping second = next.mappings[middle][out];
                    if (first != Mapping.NONE && second != Mapping.NONE) {
                        composed = Mapping.max(composed, Mapping.max(first, second));
                    }
                }
                result[in][out] = composed;
            }
        }
        return new Pairing(result);
    }

    /** The entry-wise maximum: the relation over two paths. */
    public Pairing join(Pairing other) {
        if (inputRank() != other.inputRank() || outputRank() != other.outputRank()) {
            throw new IllegalArgumentException("cannot join pairings of ranks " + inputRank() + "x" + outputRank()
                    + " and " + other.inputRank() + "x" + other.outputRank());
        }
        Mapping[][] result = filled(inputRank(), outputRank());
        for (int in = 0; in < inputRank(); in++) {
            for (int out = 0; out < outputRank(); out++) {
                result[in][out] = Mapping.max(mappings[in][out], other.mappings[in][out]);
            }
        }
        return new Pairing(result);
    }

    /** The number of entries where this maps more than other (entries other lacks count as NONE). */
    public int exceedingCount(Pairing other) {
        int count = 0;
        for (int in = 0; in < inputRank(); in++) {
            for (int out = 0; out < outputRank(); out++) {
                Mapping theirs = in < other.inputRank() && out < other.outputRank()
                        ? other.mappings[in][out] : Mapping.NONE;
                count += mappings[in][out].compareTo(theirs) > 0 ? 1 : 0;
            }
        }
        return count;
    }

    static Mapping[][] filled(int rows, int columns) {
        Mapping[][] mappings = new Mapping[rows][columns];
        for (Mapping[] row : mappings) {
            Arrays.fill(row, Mapping.NONE);
        }
        return mappings;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Pairing pairing && Arrays.deepEquals(mappings, pairing.mappings);
    }

    @Override
    public int hashCode() {
        return Arrays.deepHashCode(mappings);
    }

    @Override
    public String toString() {
        return Arrays.deepToString(mappings);
    }
}
