package dev.jnas.search.alphanas;

import dev.jnas.space.program.Op;
import dev.jnas.space.program.OpType;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * How deep a subgraph is: per (input, output) the largest number, over paths, of alternations between linear and
 * non-linear ops (conv → BN → ReLU → conv counts 2). The reference's classes: activations and softmax are
 * non-linear, identity is neither, everything else (max pool included) is linear. Only a too shallow candidate
 * is penalized: the distance is the mean over required entries of max(0, required − got) / max(required, 1),
 * an entry the candidate lacks counting 1.
 */
public record DepthProperty(Map<String, Map<String, Integer>> depths) implements ProgramProperty<DepthProperty> {
    /** The reference's largest step of one mutation. */
    public static final int MAX_DELTA = 2;

    public DepthProperty {
        Map<String, Map<String, Integer>> copy = new LinkedHashMap<>();
        depths.forEach((input, byOutput) ->
                copy.put(input, Collections.unmodifiableMap(new LinkedHashMap<>(byOutput))));
        depths = Collections.unmodifiableMap(copy);
    }

    /** Whether an op is linear, non-linear or (identity) neither. */
    public enum Linearity {
        LINEAR, NON_LINEAR, NEUTRAL;

        public static Linearity of(OpType type) {
            return switch (type) {
                case RELU, GELU, SWISH, SIGMOID, SOFTMAX -> NON_LINEAR;
                case IDENTITY -> NEUTRAL;
                case CONV, DENSE, ADD, MUL, SCALAR_MUL, BATCH_NORM, LAYER_NORM, GROUP_NORM, AVG_POOL, MAX_POOL,
                     FLATTEN, DROPOUT -> LINEAR;
            };
        }
    }

    /**
     * Propagates, from each input forward, the largest alternation count of the paths reaching each tensor, kept
     * per linearity of the last op on the path (which decides whether the next op adds one).
     */
    public static DepthProperty infer(Subgraph subgraph) {
        Map<String, Map<String, Integer>> depths = new LinkedHashMap<>();
        for (String input : subgraph.inputs()) {
            Map<String, Map<Linearity, Integer>> reached = new HashMap<>();
            Map<Linearity, Integer> start = new EnumMap<>(Linearity.class);
            start.put(Linearity.NEUTRAL, 0);
            reached.put(input, start);
            for (Op op : subgraph.orderedOps()) {
                Linearity linearity = Linearity.of(op.type());
                Map<Linearity, Integer> after = new EnumMap<>(Linearity.class);
                for (String source : op.inputs()) {
                    for (Map.Entry<Linearity, Integer> path : reached.getOrDefault(source, Map.of()).entrySet()) {
                        Linearity last = linearity == Linearity.NEUTRAL ? path.getKey() : linearity;
                        boolean flips = linearity != Linearity.NEUTRAL && path.getKey() != Linearity.NEUTRAL
                                && path.getKey() != linearity;
                        after.merge(last, path.getValue() + (flips ? 1 : 0), Math::max);
                    }
                }
                if (!after.isEmpty()) {
                    reached.put(op.name(), after);
                }
            }
            Map<String, Integer> byOutput = new LinkedHashMap<>();
            for (String output : subgraph.outputs()) {
                Map<Linearity, Integer> paths = reached.get(output);
                if (paths != null) {
                    byOutput.put(output, Collections.max(paths.values()));
                }
            }
            depths.put(input, byOutput);
        }
        return new DepthProperty(depths);
    }

    /** The depth from input to output, or null where input does not reach output. */
    public Integer depth(String input, String output) {
        return depths.getOrDefault(input, Map.of()).get(output);
    }

    @Override
    public double distanceFrom(DepthProperty candidate) {
        double total = 0;
        int entries = 0;
        for (Map.Entry<String, Map<String, Integer>> input : depths.entrySet()) {
            for (Map.Entry<String, Integer> output : input.getValue().entrySet()) {
                int required = output.getValue();
                Integer got = candidate.depth(input.getKey(), output.getKey());
                total += got == null ? 1 : (double) Math.max(0, required - got) / Math.max(required, 1);
                entries++;
            }
        }
        return entries == 0 ? 0 : total / entries;
    }

    /**
     * Moves each depth by a random step: the number of successes of Bernoulli(p) trials before the first failure,
     * at most {@link #MAX_DELTA}, up or down with equal chance, never below 0.
     */
    @Override
    public DepthProperty mutate(double p, Random random) {
        Map<String, Map<String, Integer>> moved = new LinkedHashMap<>();
        for (Map.Entry<String, Map<String, Integer>> input : depths.entrySet()) {
            Map<String, Integer> byOutput = new LinkedHashMap<>();
            for (Map.Entry<String, Integer> output : input.getValue().entrySet()) {
                int delta = 0;
                while (delta < MAX_DELTA && random.nextDouble() < p) {
                    delta++;
                }
                int sign = random.nextBoolean() ? 1 : -1;
                byOutput.put(output.getKey(), Math.max(0, output.getValue() + sign * delta));
            }
            moved.put(input.getKey(), byOutput);
        }
        return new DepthProperty(moved);
    }
}
