package dev.jnas.search.alphanas.synthesis;

import dev.jnas.space.program.FeatureCount;
import dev.jnas.space.program.OpParams;
import dev.jnas.space.program.OpType;
import dev.jnas.space.program.TensorShape;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * The unary ops synthesis may place, with the reference's two sets of settings. Synthesis searches with the small
 * TEST settings (abstract properties do not depend on stride, dilation or the exact width, so few variants
 * suffice) and then re-draws each op's settings from the FULL ones, keeping a draw only if the properties still
 * hold. An alphabet may leave out op types (an ablation, or a vocabulary without some kind of op).
 */
public record Alphabet(Set<OpType> types) {
    /** The reference's synthesizable ops; binary, reshape and identity ops are never synthesized. */
    public static final Set<OpType> SYNTHESIZABLE = Collections.unmodifiableSet(EnumSet.of(OpType.SCALAR_MUL,
            OpType.BATCH_NORM, OpType.LAYER_NORM, OpType.RELU, OpType.GELU, OpType.SWISH, OpType.SIGMOID,
            OpType.SOFTMAX, OpType.DENSE, OpType.CONV, OpType.GROUP_NORM, OpType.AVG_POOL, OpType.MAX_POOL,
            OpType.DROPOUT));
    /** The factor of a synthesized scalar multiplication: the reference does not search it. */
    public static final double SCALE_FACTOR = 0.5;
    public static final double DROPOUT_RATE = 0.2;

    private static final List<FeatureCount> FEATURE_FACTORS = List.of(FeatureCount.same(), FeatureCount.times(2),
            FeatureCount.times(4), FeatureCount.dividedBy(2), FeatureCount.dividedBy(4));
    private static final List<Integer> TEST_KERNELS = List.of(1, 3);
    private static final List<Integer> FULL_KERNELS = List.of(1, 3, 5);
    private static final List<Integer> FULL_STRIDES = List.of(1, 2, 3);
    private static final List<Integer> FULL_GROUPS = List.of(1, 2, 4, 16, 64);
    private static final List<Integer> FULL_DILATIONS = List.of(1, 2, 3);
    private static final List<Integer> TEST_WINDOWS = List.of(0, 2, 3);
    private static final List<Integer> FULL_WINDOWS = List.of(0, 2, 3, 4, 8);
    private static final List<Integer> TEST_NORM_GROUPS = List.of(1, 2);
    private static final List<Integer> FULL_NORM_GROUPS = List.of(1, 2, 4, 8, 16, 32);
    /** The chance a preferred setting (kernel 1, one group, dilation 1) survives a re-draw; global pools always do. */
    private static final double KEEP_PREFERRED = 0.5;

    public Alphabet {
        types = Collections.unmodifiableSet(types.isEmpty() ? EnumSet.noneOf(OpType.class) : EnumSet.copyOf(types));
        for (OpType type : types) {
            if (!SYNTHESIZABLE.contains(type)) {
                throw new IllegalArgumentException(type + " is not a synthesizable op; those are " + SYNTHESIZABLE);
            }
        }
        if (types.isEmpty()) {
            throw new IllegalArgumentException("an alphabet needs at least one op type");
        }
    }

    /** Every synthesizable op. */
    public static Alphabet all() {
        return new Alphabet(SYNTHESIZABLE);
    }

    /** This alphabet without the given types. */
    public Alphabet excluding(Set<OpType> excluded) {
        Set<OpType> kept = EnumSet.copyOf(types);
        kept.removeAll(excluded);
        return new Alphabet(kept);
    }

    /**
     * Every op with the TEST settings: widths same, ×2, ×4, ÷2, ÷4; conv kernels 1 and 3 (stride 1, one group);
     * pool windows global, 2 and 3 (striding by the window); group norm with 1 or 2 groups.
     */
    public List<OpSpec> testOps() {
        List<OpSpec> ops = new ArrayList<>();
        for (OpType type : types) {
            switch (type) {
                case DENSE -> FEATURE_FACTORS.forEach(features -> ops.add(new OpSpec(type,
                        new OpParams.Dense(features))));
                case CONV -> FEATURE_FACTORS.forEach(features -> TEST_KERNELS.forEach(kernel -> ops.add(
                        new OpSpec(type, new OpParams.Conv(features, kernel, 1, 1, 1)))));
                case AVG_POOL, MAX_POOL -> TEST_WINDOWS.forEach(window -> ops.add(new OpSpec(type, pool(window))));
                case GROUP_NORM -> TEST_NORM_GROUPS.forEach(groups -> ops.add(new OpSpec(type,
                        new OpParams.GroupNorm(groups))));
                case SCALAR_MUL -> ops.add(new OpSpec(type, new OpParams.Scale(SCALE_FACTOR)));
                case DROPOUT -> ops.add(new OpSpec(type, new OpParams.Dropout(DROPOUT_RATE)));
                default -> ops.add(new OpSpec(type, new OpParams.None()));
            }
        }
        return ops;
    }

    /**
     * op with its settings re-drawn from the FULL ones for an input of shape input: widths from the five factors;
     * conv kernels 1, 3, 5, strides 1 to 3, groups 1, 2, 4, 16, 64 or depthwise, dilations 1 to 3; pool windows
     * global, 2, 3, 4, 8; group norm 1 to 32 groups. A preferred setting is kept with probability 0.5 (a global
     * pool stays global), any other is drawn uniformly. The draw may not fit the input; the caller checks.
     */
    public static OpSpec redraw(OpSpec op, TensorShape input, RandomGenerator random) {
        OpParams params = switch (op.params()) {
            case OpParams.Conv conv -> {
                List<Integer> groups = new ArrayList<>(FULL_GROUPS);
                groups.add(input.features());
                yield new OpParams.Conv(pick(FEATURE_FACTORS, random), keepOrDraw(conv.kernel(), 1, FULL_KERNELS,
                        random), pick(FULL_STRIDES, random), keepOrDraw(conv.groups(), 1, groups, random),
                        keepOrDraw(conv.dilation(), 1, FULL_DILATIONS, random));
            }
            case OpParams.Dense dense -> new OpParams.Dense(pick(FEATURE_FACTORS, random));
            case OpParams.Pool pool -> pool.global() ? pool : pool(pick(FULL_WINDOWS, random));
            case OpParams.GroupNorm norm -> new OpParams.GroupNorm(pick(FULL_NORM_GROUPS, random));
            case OpParams.None none -> none;
            case OpParams.Scale scale -> scale;
            case OpParams.Dropout dropout -> dropout;
        };
        return new OpSpec(op.type(), params);
    }

    private static OpParams.Pool pool(int window) {
        return new OpParams.Pool(window, Math.max(window, 1));
    }

    private static int keepOrDraw(int current, int preferred, List<Integer> values, RandomGenerator random) {
        if (current == preferred && random.nextDouble() < KEEP_PREFERRED) {
            return current;
        }
        return pick(values, random);
    }

    private static <T> T pick(List<T> values, RandomGenerator random) {
        return values.get(random.nextInt(values.size()));
    }
}
