package dev.jnas.space.program;

import java.util.List;
import java.util.Objects;

/**
 * One op of a program graph. It reads the tensors named in inputs and writes one tensor that carries the op's
 * own name. Ops with weights name them after the op when lowered ("name.weight").
 */
public record Op(String name, OpType type, List<String> inputs, OpParams params) {

    public Op {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(params, "params");
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("an op needs a name, got '" + name + "'");
        }
        inputs = List.copyOf(inputs);
        if (inputs.size() != type.arity()) {
            throw new IllegalArgumentException("op '" + name + "' (" + type + ") reads " + type.arity()
                    + " tensors, got " + inputs);
        }
        if (!type.paramsType().isInstance(params)) {
            throw new IllegalArgumentException("op '" + name + "' (" + type + ") takes "
                    + type.paramsType().getSimpleName() + " settings, got " + params);
        }
    }

    /** An op of a type without settings (relu, batch_norm, flatten, ...). */
    public static Op of(OpType type, String name, String... inputs) {
        return new Op(name, type, List.of(inputs), new OpParams.None());
    }

    public static Op conv(String name, String input, FeatureCount features, int kernel, int stride, int groups,
                          int dilation) {
        return new Op(name, OpType.CONV, List.of(input), new OpParams.Conv(features, kernel, stride, groups, dilation));
    }

    /** A plain convolution: one group, dilation 1. */
    public static Op conv(String name, String input, FeatureCount features, int kernel, int stride) {
        return conv(name, input, features, kernel, stride, 1, 1);
    }

    public static Op dense(String name, String input, FeatureCount features) {
        return new Op(name, OpType.DENSE, List.of(input), new OpParams.Dense(features));
    }

    public static Op scalarMul(String name, String input, double factor) {
        return new Op(name, OpType.SCALAR_MUL, List.of(input), new OpParams.Scale(factor));
    }

    public static Op dropout(String name, String input, double rate) {
        return new Op(name, OpType.DROPOUT, List.of(input), new OpParams.Dropout(rate));
    }

    public static Op groupNorm(String name, String input, int groups) {
        return new Op(name, OpType.GROUP_NORM, List.of(input), new OpParams.GroupNorm(groups));
    }

    /** A local average pool, or a global one with window 0. */
    public static Op avgPool(String name, String input, int window, int stride) {
        return new Op(name, OpType.AVG_POOL, List.of(input), new OpParams.Pool(window, stride));
    }

    /** A local max pool, or a global one with window 0. */
    public static Op maxPool(String name, String input, int window, int stride) {
        return new Op(name, OpType.MAX_POOL, List.of(input), new OpParams.Pool(window, stride));
    }

    /** The params of a conv op. */
    public OpParams.Conv conv() {
        return (OpParams.Conv) params;
    }

    /** The params of a pool op. */
    public OpParams.Pool pool() {
        return (OpParams.Pool) params;
    }

    /** "conv1 (CONV)", the way errors name an op. */
    public String describe() {
        return "op '" + name + "' (" + type + ")";
    }
}
