package dev.jnas.bindings;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * An activation-pattern collector ({@code jnas_patterns}): one row of bits per sample, the signs (x &gt; 0) of
 * the input of every ReLU a forward ran, in graph order. Forward passes of several batches append to it; every
 * sample must have the same number of bits. It gives the exact number of distinct patterns (TE-NAS's linear
 * regions) and NASWOT's log|det K|. It lives in host memory, tied to no engine, and may outlive the nets
 * that filled it.
 */
public final class Patterns extends NativeHandle {
    private Patterns(JnasNative lib, MemorySegment patterns) {
        super(lib, patterns, null);
    }

    /** An empty collector. */
    public static Patterns create() {
        JnasNative lib = JnasNative.get();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ADDRESS);
            lib.check(lib.patternsCreate(out));
            return new Patterns(lib, out.get(ADDRESS, 0));
        }
    }

    /**
     * Runs a forward over the net's bound inputs (in its batch-norm mode) and appends one row per sample.
     *
     * @throws ShapeException when the net's rows have another bit count than the rows already collected
     */
    public void collect(Net net) {
        Arguments.notNull(net, "net");
        MemorySegment patterns = address();
        MemorySegment netAddress = net.address();
        net.requireBoundInputsOpen();
        lib.check(lib.netCollectPatterns(netAddress, patterns));
    }

    /**
     * {@link #collect} for a net of {@link Net#setSampleGroups sample groups}: one forward, group g's rows into
     * into[g] (one distinct collector per group). On an error no collector changes.
     */
    public static void collectGroups(Net net, List<Patterns> into) {
        Arguments.notNull(net, "net");
        Arguments.notNull(into, "into");
        JnasNative lib = JnasNative.get();
        MemorySegment netAddress = net.address();
        net.requireBoundInputsOpen();
        for (int i = 0; i < into.size(); i++) {
            Arguments.notNull(into.get(i), "into[" + i + "]");
        }
        try (Arena arena = Arena.ofConfined()) {
            lib.check(lib.netCollectPatternsGroups(netAddress, into.size(), addresses(arena, into)));
        }
    }

    /** Rows collected so far. */
    public long samples() {
        return info()[0];
    }

    /** Bits per row (0 while empty). */
    public long bitsPerSample() {
        return info()[1];
    }

    private long[] info() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment samples = arena.allocate(JAVA_LONG);
            MemorySegment bits = arena.allocate(JAVA_LONG);
            lib.check(lib.patternsInfo(address(), samples, bits));
            return new long[] {samples.get(JAVA_LONG, 0), bits.get(JAVA_LONG, 0)};
        }
    }

    /**
     * The number of distinct rows, exactly: the linear-region count.
     *
     * @throws StateException when nothing was collected
     */
    public long countDistinct() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment count = arena.allocate(JAVA_LONG);
            lib.check(lib.patternsCountDistinct(address(), count));
            return count.get(JAVA_LONG, 0);
        }
    }

    /**
     * The same exact count, computed by the engine's backend: a CUDA engine hashes, sorts and compares the rows on
     * the GPU. The collector stays in host memory, tied to no engine.
     *
     * @throws StateException when nothing was collected
     */
    public long countDistinct(Engine engine) {
        Arguments.notNull(engine, "engine");
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment count = arena.allocate(JAVA_LONG);
            lib.check(lib.patternsCountDistinctOn(engine.address(), address(), count));
            return count.get(JAVA_LONG, 0);
        }
    }

    /**
     * NASWOT over rows [first, first + count): log|det K| with K[i][j] the number of units on which samples i
     * and j agree.
     *
     * @throws InvalidArgumentException for a range outside the collected rows
     */
    public NaswotScore naswot(long first, long count) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment logDet = arena.allocate(JAVA_DOUBLE);
            MemorySegment flags = arena.allocate(JAVA_INT);
            lib.check(lib.patternsNaswot(address(), first, count, logDet, flags));
            return new NaswotScore(logDet.get(JAVA_DOUBLE, 0), flags.get(JAVA_INT, 0));
        }
    }

    @Override
    String describe() {
        return "Patterns";
    }

    @Override
    void free(MemorySegment patterns) {
        lib.patternsFree(patterns);
    }
}
