package dev.jnas.search.alphanas.evolution;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * αNAS's population manager: picks the parent of the next child. Programs whose quality is below the minimum
 * accuracy ({@link FitnessKind#TRAIN} only) or not positive are passed over; if that leaves none, every program
 * may be picked, uniformly. {@link Aging} (off by default) then passes over the old ones. Then, with probability
 * {@value #ACCURACY_ONLY_PROBABILITY}, each program weighs top quality / its quality; otherwise, half the time
 * each, its {@link ParetoWeights} of quality against parameters or against MACs, among all of them or, half the
 * time when {@link TargetedEvolution targeted evolution} is on (off by default), among those that dominate the seed
 * model and as many others. The best max({@value #MIN_TO_SELECT}, {@value #FRACTION_TO_SELECT} of the population)
 * by weight stay, their weights are mapped onto [0, 1], and one is drawn with probability ∝ 10^(−weight).
 */
public final class ParentSelection {
    public static final double ACCURACY_ONLY_PROBABILITY = 0.2;
    public static final int MIN_TO_SELECT = 10;
    public static final double FRACTION_TO_SELECT = 0.1;

    /** What the parent was weighed by. */
    public enum Objective {
        /** Quality alone. */
        QUALITY,
        /** Quality against parameters. */
        PARAMETERS,
        /** Quality against multiply-accumulates. */
        MACS,
        /** Nothing: no program was usable, so all were equally likely. */
        UNIFORM
    }

    /** The chosen parent and what it was weighed by. */
    public record Choice(Individual parent, Objective objective) {
    }

    private final FitnessKind kind;
    private final double minAccuracy;
    private final Aging aging;
    private final boolean targeted;

    /**
     * @param minAccuracy the reference's min_acc, in [0, 1]; it applies to trained programs only
     * @param targeted    whether half the draws are {@link TargetedEvolution targeted} (the reference's targeted_evol)
     */
    public ParentSelection(FitnessKind kind, double minAccuracy, Aging aging, boolean targeted) {
        if (!(minAccuracy >= 0 && minAccuracy <= 1)) {
            throw new IllegalArgumentException("the minimum accuracy lies in [0, 1], got " + minAccuracy);
        }
        this.kind = kind;
        this.minAccuracy = minAccuracy;
        this.aging = Objects.requireNonNull(aging, "aging");
        this.targeted = targeted;
    }

    /**
     * Draws the parent of generation from the population made before it. Aging draws nothing from random and
     * targeting draws only when on, so a run with both off draws its parents as the plain reference selection.
     */
    public Choice select(List<Individual> population, int generation, SplittableRandom random) {
        if (population.isEmpty()) {
            throw new IllegalArgumentException("cannot select a parent from an empty population");
        }
        double[] allQualities = kind.qualities(population.stream().map(Individual::fitness).toList());
        double floor = kind == FitnessKind.TRAIN ? minAccuracy : 0;
        List<Integer> qualifying = new ArrayList<>();
        for (int i = 0; i < population.size(); i++) {
            if (allQualities[i] >= floor && allQualities[i] > 0) {
                qualifying.add(i);
            }
        }
        if (qualifying.isEmpty()) {
            return new Choice(population.get(random.nextInt(population.size())), Objective.UNIFORM);
        }
        List<Integer> candidates = aging.alive(population, qualifying, generation);
        // As in the reference, a targeted draw is always a Pareto one.
        boolean targetedDraw = targeted && random.nextBoolean();
        Objective objective = !targetedDraw && random.nextDouble() < ACCURACY_ONLY_PROBABILITY ? Objective.QUALITY
                : random.nextBoolean() ? Objective.PARAMETERS : Objective.MACS;
        if (targetedDraw) {
            candidates = TargetedEvolution.pool(population, allQualities, candidates, objective, random);
        }
        double[] quality = candidates.stream().mapToDouble(i -> allQualities[i]).toArray();
        double[] weights = switch (objective) {
            case QUALITY -> qualityWeights(quality);
            case PARAMETERS, MACS -> ParetoWeights.of(quality,
                    candidates.stream().mapToDouble(i -> cost(population.get(i), objective)).toArray());
            case UNIFORM -> throw new IllegalStateException("uniform is only the fallback");
        };
        int picked = sample(weights, keep(population.size()), random);
        return new Choice(population.get(candidates.get(picked)), objective);
    }

    /** How many of the best-weighted programs stay in the draw. */
    static int keep(int populationSize) {
        return Math.max(MIN_TO_SELECT, (int) Math.ceil(FRACTION_TO_SELECT * populationSize));
    }

    /** top / quality: 1 for the best, more for worse. */
    static double[] qualityWeights(double[] quality) {
        double top = 0;
        for (double q : quality) {
            top = Math.max(top, q);
        }
        double[] weights = new double[quality.length];
        for (int i = 0; i < quality.length; i++) {
            weights[i] = top / quality[i];
        }
        return weights;
    }

    /**
     * Draws an index: the keep lowest weights (ties by index) are mapped onto [0, 1] and weighed 10^(−w); the rest
     * are never drawn.
     */
    static int sample(double[] weights, int keep, SplittableRandom random) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < weights.length; i++) {
            order.add(i);
        }
        order.sort(Comparator.comparingDouble(i -> weights[i]));
        List<Integer> kept = order.subList(0, Math.min(keep, order.size()));
        double[] keptWeights = ParetoWeights.normalized(kept.stream().mapToDouble(i -> weights[i]).toArray());
        double[] cumulative = new double[kept.size()];
        double total = 0;
        for (int k = 0; k < kept.size(); k++) {
            total += Math.pow(10, -keptWeights[k]);
            cumulative[k] = total;
        }
        double u = random.nextDouble() * total;
        for (int k = 0; k < kept.size(); k++) {
            if (u < cumulative[k]) {
                return kept.get(k);
            }
        }
        return kept.getLast();
    }

    /** An individual's cost under a Pareto objective: its parameters or its MACs. */
    static double cost(Individual individual, Objective objective) {
        return switch (objective) {
            case PARAMETERS -> individual.fitness().parameters();
            case MACS -> individual.fitness().macs();
            case QUALITY, UNIFORM -> throw new IllegalArgumentException(objective + " weighs no cost");
        };
    }
}
