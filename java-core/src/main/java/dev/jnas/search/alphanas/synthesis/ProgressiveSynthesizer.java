package dev.jnas.search.alphanas.synthesis;

import dev.jnas.space.program.OpType;
import dev.jnas.space.program.TensorShapes;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * The reference's progressive sequential synthesizer: grows a chain one op at a time. Each step tries every op of
 * the alphabet (TEST settings) at the end, weighs each extended chain by 1 / (d + 0.1)², d its distance from the
 * required properties, picks an op type with probability proportional to the best weight of its ops and then an op
 * of that type proportional to its weight. From one op below the maximum length on, the last conv or dense is
 * rewritten to write the required output features. The chain is done at distance 0 once longer than the minimum
 * length, though while more than 2 ops below the maximum it goes on with probability 0.2. The lengths allowed are
 * the replaced edge's ∓ 2. Finally each op's settings are re-drawn from the FULL settings, a draw kept only if the
 * chain still satisfies the properties. A chain that reaches the maximum length unsatisfied is abandoned and
 * synthesis starts over, up to a number of attempts: the weighted choice often takes a step that makes no
 * progress, and a fresh start is cheaper than failing the whole region.
 */
public final class ProgressiveSynthesizer {
    private static final double EPSILON = 0.1;
    private static final double EXPONENT = 2;
    private static final int LENGTH_DELTA = 2;
    private static final double CONTINUE_PROBABILITY = 0.2;

    /** Attempts per chain unless told otherwise. */
    public static final int DEFAULT_ATTEMPTS = 3;

    private final List<OpSpec> testOps;
    private final int attempts;

    public ProgressiveSynthesizer(Alphabet alphabet, int attempts) {
        if (attempts < 1) {
            throw new IllegalArgumentException("synthesis needs at least one attempt per chain, got " + attempts);
        }
        this.testOps = alphabet.testOps();
        this.attempts = attempts;
    }

    public ProgressiveSynthesizer(Alphabet alphabet) {
        this(alphabet, DEFAULT_ATTEMPTS);
    }

    /** A chain satisfying task's properties with the FULL settings, or empty when no attempt found one. */
    public Optional<List<OpSpec>> synthesize(SequenceTask task, RandomGenerator random) {
        for (int attempt = 0; attempt < attempts; attempt++) {
            Optional<List<OpSpec>> chain = grow(task, random);
            if (chain.isPresent()) {
                return Optional.of(redraw(task, chain.get(), random));
            }
        }
        return Optional.empty();
    }

    /** One attempt at a chain with the TEST settings. */
    private Optional<List<OpSpec>> grow(SequenceTask task, RandomGenerator random) {
        int minLength = task.originalLength() - LENGTH_DELTA;
        int maxLength = task.originalLength() + LENGTH_DELTA;
        List<OpSpec> chain = List.of();
        double distance = task.distanceOf(chain);
        while (!(distance == 0 && chain.size() > minLength && !goesOn(chain.size(), maxLength, random))) {
            if (chain.size() >= maxLength) {
                return Optional.empty();
            }
            Optional<Step> step = step(task, chain, maxLength, random);
            if (step.isEmpty()) {
                return Optional.empty();
            }
            chain = step.get().chain();
            distance = step.get().distance();
        }
        return Optional.of(chain);
    }

    private static boolean goesOn(int length, int maxLength, RandomGenerator random) {
        return length < maxLength - LENGTH_DELTA && random.nextDouble() < CONTINUE_PROBABILITY;
    }

    private record Step(List<OpSpec> chain, double distance, double weight) {
    }

    /** One op appended by the weighted choice, or empty when every extension is infeasible. */
    private Optional<Step> step(SequenceTask task, List<OpSpec> chain, int maxLength, RandomGenerator random) {
        Map<OpType, List<Step>> byType = new EnumMap<>(OpType.class);
        Map<OpType, Double> bestWeight = new EnumMap<>(OpType.class);
        for (OpSpec op : testOps) {
            List<OpSpec> extended = new ArrayList<>(chain);
            extended.add(op);
            if (extended.size() >= maxLength - 1) {
                extended = task.withRequiredFeatures(extended);
            }
            double distance = task.distanceOf(extended);
            double weight = distance == Double.POSITIVE_INFINITY ? 0 : Math.pow(distance + EPSILON, -EXPONENT);
            if (weight > 0) {
                byType.computeIfAbsent(op.type(), type -> new ArrayList<>())
                        .add(new Step(List.copyOf(extended), distance, weight));
                bestWeight.merge(op.type(), weight, Math::max);
            }
        }
        if (byType.isEmpty()) {
            return Optional.empty();
        }
        OpType type = weighted(List.copyOf(bestWeight.keySet()), List.copyOf(bestWeight.values()), random);
        List<Step> steps = byType.get(type);
        return Optional.of(weighted(steps, steps.stream().map(Step::weight).toList(), random));
    }

    private static <T> T weighted(List<T> items, List<Double> weights, RandomGenerator random) {
        double total = weights.stream().mapToDouble(Double::doubleValue).sum();
        double target = random.nextDouble() * total;
        for (int index = 0; index < items.size(); index++) {
            target -= weights.get(index);
            if (target < 0) {
                return items.get(index);
            }
        }
        return items.get(items.size() - 1);
    }

    /** Re-draws each op's settings in turn from the FULL ones, keeping a draw only where chain still satisfies. */
    private static List<OpSpec> redraw(SequenceTask task, List<OpSpec> chain, RandomGenerator random) {
        List<OpSpec> current = new ArrayList<>(chain);
        for (int index = 0; index < current.size(); index++) {
            Optional<TensorShapes> shapes = task.shapesOf(current.subList(0, index));
            if (shapes.isEmpty()) {
                break;
            }
            String feeding = index == 0 ? task.input() : task.nameAt(index - 1, index);
            List<OpSpec> trial = new ArrayList<>(current);
            trial.set(index, Alphabet.redraw(current.get(index), shapes.get().of(feeding), random));
            if (task.distanceOf(trial) == 0) {
                current = trial;
            }
        }
        return List.copyOf(current);
    }
}
