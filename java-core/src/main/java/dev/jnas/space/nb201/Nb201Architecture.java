package dev.jnas.space.nb201;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * One NB201 cell: an op on each of the 6 edges, in {@link Nb201Edge#ALL}'s order. Written and read in the
 * benchmark's own string format ({@link #toString()}, {@link #parse}).
 *
 * <p>Besides the benchmark's index (which only its table knows, see {@code dev.jnas.data.Nb201Table}), each
 * architecture has a canonical {@link #ordinal()} in 0..{@value #COUNT}-1 so the whole space can be
 * enumerated without the table: the edges' op digits ({@link Nb201Op#ordinal()}) read as a base-5 number,
 * edge 1&lt;-0 the most significant digit.
 */
public record Nb201Architecture(List<Nb201Op> ops) {
    public static final int EDGES = 6;
    public static final int COUNT = 15_625;
    private static final int OP_COUNT = Nb201Op.values().length;

    public Nb201Architecture {
        Objects.requireNonNull(ops, "ops");
        if (ops.size() != EDGES) {
            throw new IllegalArgumentException("an NB201 cell has " + EDGES + " edges, got " + ops.size() + " ops");
        }
        ops = List.copyOf(ops);
    }

    /** The ops in edge order: 1&lt;-0, 2&lt;-0, 2&lt;-1, 3&lt;-0, 3&lt;-1, 3&lt;-2. */
    public static Nb201Architecture of(Nb201Op... ops) {
        return new Nb201Architecture(Arrays.asList(ops));
    }

    /** @throws ArchitectureFormatException saying what is wrong and where */
    public static Nb201Architecture parse(String text) {
        return Nb201ArchitectureFormat.parse(text);
    }

    public static Nb201Architecture fromOrdinal(int ordinal) {
        if (ordinal < 0 || ordinal >= COUNT) {
            throw new IllegalArgumentException("NB201 ordinal " + ordinal + " is outside 0.." + (COUNT - 1));
        }
        Nb201Op[] ops = new Nb201Op[EDGES];
        int rest = ordinal;
        for (int edge = EDGES - 1; edge >= 0; edge--) {
            ops[edge] = Nb201Op.values()[rest % OP_COUNT];
            rest /= OP_COUNT;
        }
        return of(ops);
    }

    /** Every architecture, by ordinal. */
    public static Stream<Nb201Architecture> all() {
        return IntStream.range(0, COUNT).mapToObj(Nb201Architecture::fromOrdinal);
    }

    public Nb201Op op(Nb201Edge edge) {
        return ops.get(edge.index());
    }

    public int ordinal() {
        int ordinal = 0;
        for (Nb201Op op : ops) {
            ordinal = ordinal * OP_COUNT + op.ordinal();
        }
        return ordinal;
    }

    /** The benchmark's string, e.g. {@code |nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|...|}. */
    @Override
    public String toString() {
        return Nb201ArchitectureFormat.format(this);
    }
}
