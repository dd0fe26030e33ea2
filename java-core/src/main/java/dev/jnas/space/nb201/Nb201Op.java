package dev.jnas.space.nb201;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The five NAS-Bench-201 edge ops, declared in the benchmark's own order (its op list), which also gives
 * each op its base-5 digit in {@link Nb201Architecture#ordinal()}.
 */
public enum Nb201Op {
    NONE("none"),
    SKIP_CONNECT("skip_connect"),
    NOR_CONV_1X1("nor_conv_1x1"),
    NOR_CONV_3X3("nor_conv_3x3"),
    AVG_POOL_3X3("avg_pool_3x3");

    private final String benchmarkName;

    Nb201Op(String benchmarkName) {
        this.benchmarkName = benchmarkName;
    }

    /** The name in NB201's architecture strings, e.g. "nor_conv_3x3". */
    public String benchmarkName() {
        return benchmarkName;
    }

    public static Optional<Nb201Op> byBenchmarkName(String name) {
        return Arrays.stream(values()).filter(op -> op.benchmarkName.equals(name)).findFirst();
    }

    /** "none, skip_connect, ..." for error messages. */
    public static String benchmarkNames() {
        return Arrays.stream(values()).map(Nb201Op::benchmarkName).collect(Collectors.joining(", "));
    }
}
